"""Spark: the engine for a case that outgrows one machine (``pip install 'linkage[spark]'``).

It runs the very statements the DuckDB adapter runs; ``engine/dialect.py`` respells them.
Tables arrive as Arrow from the loaders and the Python stages and leave as Arrow; between, they
are Spark DataFrames under temporary views, so the same names resolve in every statement.
"""

from __future__ import annotations

import contextlib
import os
import warnings
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from linkage.engine.dialect import for_spark, used_parameters
from linkage.errors import RuleError

if TYPE_CHECKING:  # pragma: no cover - pyspark is an optional extra
    from pyspark.sql import DataFrame, SparkSession

__all__ = ["SparkEngine", "local_session"]

INSTALL_HINT = "the Spark engine needs PySpark and Java 17+: pip install 'linkage[spark]'"


@contextlib.contextmanager
def _quiet_pandas_check() -> Iterator[None]:
    """PySpark warns that it does not yet vouch for pandas 3. linkage hands it Arrow, never
    pandas, so the warning is about a path not taken."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*PySpark does not yet fully support pandas")
        yield


def local_session(cores: int | None = None, driver_memory: str = "4g") -> SparkSession:
    """A Spark session on this machine (``local[cores]``, all cores by default).

    Shuffles get a few partitions per core rather than Spark's 200: a case's joins are large
    but its results small. The clock is UTC; the rules compare epoch seconds anyway.
    ``driver_memory`` applies only when this call starts Spark's JVM.
    """
    try:
        from pyspark.sql import SparkSession
    except ImportError as error:
        raise RuleError(INSTALL_HINT) from error
    workers = cores or os.cpu_count() or 1
    builder = (
        SparkSession.builder.master(f"local[{workers}]")
        .appName("linkage")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", str(4 * workers))
        .config("spark.driver.memory", driver_memory)
    )
    with _quiet_pandas_check():
        session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


class SparkEngine:
    """The rules on a Spark session: the one given (a cluster's), or a local one.

    ``create`` materializes its result (``localCheckpoint``), as DuckDB's ``CREATE TABLE``
    does, so a table grown in a loop (the group's accounts) does not drag its whole history
    into every later plan. A session this engine started is stopped by ``close``; a session
    the caller passed in is left running.
    """

    name = "spark"

    def __init__(self, session: SparkSession | None = None, cores: int | None = None) -> None:
        self._owns_session = session is None
        self.session = session if session is not None else local_session(cores)
        self._views: list[str] = []

    def register(self, table_name: str, table: pa.Table) -> None:
        with _quiet_pandas_check():
            frame = self.session.createDataFrame(table)
        self._name(table_name, frame)

    def query(self, sql: str, parameters: dict[str, Any] | None = None) -> pa.Table:
        frame = self._sql(sql, parameters, into=None)
        try:
            with _quiet_pandas_check():
                table: pa.Table = frame.toArrow()
        except _spark_errors() as error:  # Spark raises its Java errors at the action
            raise RuleError(f"Spark failed: {_first_line(error)}\n--- SQL ---\n{sql}") from error
        return table

    def create(self, table_name: str, sql: str, parameters: dict[str, Any] | None = None) -> None:
        frame = self._sql(sql, parameters, into=table_name)
        try:
            kept = frame.localCheckpoint(eager=True)
        except _spark_errors() as error:
            raise RuleError(
                f"Spark failed building {table_name}: {_first_line(error)}\n--- SQL ---\n{sql}"
            ) from error
        self._name(table_name, kept)

    def close(self) -> None:
        for view in self._views:
            self.session.catalog.dropTempView(view)
        self._views.clear()
        if self._owns_session:
            self.session.stop()

    def _sql(self, sql: str, parameters: dict[str, Any] | None, into: str | None) -> DataFrame:
        """The statement, planned (Spark checks names and types here, runs nothing yet)."""
        try:
            return self.session.sql(for_spark(sql), args=used_parameters(sql, parameters))
        except _spark_errors() as error:
            what = f"building {into}" if into else "planning"
            raise RuleError(
                f"Spark failed {what}: {_first_line(error)}\n--- SQL ---\n{sql}"
            ) from error

    def _name(self, table_name: str, frame: DataFrame) -> None:
        frame.createOrReplaceTempView(table_name)
        if table_name not in self._views:
            self._views.append(table_name)


def _spark_errors() -> tuple[type[Exception], ...]:
    """What Spark raises for a bad statement: its own errors, or a Java one through py4j."""
    from py4j.protocol import Py4JError
    from pyspark.errors import PySparkException

    return (PySparkException, Py4JError)


def _first_line(error: Exception) -> str:
    """The reason Spark gives, without the Java stack under it."""
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
