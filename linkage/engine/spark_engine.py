"""Spark: the rules on a SparkSession (``pip install -e '.[spark]'`` in a checkout, Java 17+).

It runs the very statements the DuckDB adapter runs; ``engine/dialect.py`` respells them.
Tables arrive as Arrow from the loaders and the Python stages (on the driver) and leave as
Arrow; between, they are Spark DataFrames under temporary views, so the same names resolve
in every statement and the joins and windows run on Spark's executors.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from linkage.engine.dialect import for_spark, used_parameters
from linkage.errors import RuleError

if TYPE_CHECKING:  # pragma: no cover - pyspark is an optional extra
    from pyspark.sql import DataFrame, SparkSession

__all__ = ["SparkEngine", "local_session"]

INSTALL_HINT = (
    "the Spark engine needs PySpark and Java 17 or later: in the project's checkout, "
    "pip install -e '.[spark]' (as the README does)"
)


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
    but its results small. The clock is UTC; the rules compare epoch seconds anyway. Nothing
    is written to a ``spark-warehouse`` folder in the working directory. ``driver_memory``
    applies only when this call starts Spark's JVM.

    Raises
    ------
    RuleError
        If PySpark is not installed or Java cannot be started.
    """
    spark_sql = _pyspark_sql()
    workers = cores or os.cpu_count() or 1
    warehouse = Path(tempfile.gettempdir()) / "linkage-spark-warehouse"
    builder = (
        spark_sql.SparkSession.builder.master(f"local[{workers}]")
        .appName("linkage")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", str(4 * workers))
        .config("spark.sql.warehouse.dir", warehouse.as_uri())
        .config("spark.driver.memory", driver_memory)
    )
    try:
        with _quiet_pandas_check():
            session: SparkSession = builder.getOrCreate()
    except _spark_errors() as error:
        raise RuleError(f"Spark did not start ({_first_line(error)}); {INSTALL_HINT}") from error
    session.sparkContext.setLogLevel("ERROR")
    return session


class SparkEngine:
    """The rules on Spark: on the session given (a cluster's), else on the one already running
    in this process (a notebook's), else on a new local one.

    A session that is not this engine's own is used through ``newSession()``: same cluster and
    cache, but separate temporary views, so a run neither sees nor replaces the caller's
    ``calls`` or ``links`` views. ``close`` stops only a session this engine started.

    ``create`` keeps its rows, as DuckDB's ``CREATE TABLE`` does, so later statements read
    them instead of running the statement again. On its own session it uses
    ``localCheckpoint``, a quarter faster than ``persist`` on the 1M-call benchmark case (the
    rows live on the executors without a copy: an executor lost mid-run fails the run, which
    is run again); on the caller's session, ``persist``, which ``close`` can free.
    """

    name = "spark"

    def __init__(
        self, session: SparkSession | None = None, cores: int | None = None,
        driver_memory: str = "4g",
    ) -> None:  # fmt: skip
        running = session or _running_session()
        self._owns_session = running is None
        if running is None:
            self.session = local_session(cores, driver_memory)
        else:
            self.session = running.newSession()
            self.session.conf.set("spark.sql.session.timeZone", "UTC")
        self._views: list[str] = []
        self._kept: dict[str, DataFrame] = {}

    def register(self, table_name: str, table: pa.Table) -> None:
        try:
            with _quiet_pandas_check():
                frame = self.session.createDataFrame(table)
        except _spark_errors() as error:
            raise RuleError(
                f"Spark could not take table {table_name}: {_first_line(error)}"
            ) from error
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
            if self._owns_session:
                kept = frame.localCheckpoint(eager=True)
            else:  # on the caller's session: cached so that ``close`` can free it
                kept = frame.persist()
                kept.count()
                replaced = self._kept.pop(table_name, None)
                if replaced is not None:  # what read it was computed by the count above
                    replaced.unpersist()
                self._kept[table_name] = kept
        except _spark_errors() as error:
            raise RuleError(
                f"Spark failed building {table_name}: {_first_line(error)}\n--- SQL ---\n{sql}"
            ) from error
        self._name(table_name, kept)

    def drop(self, table_name: str) -> None:
        if table_name in self._views:
            self.session.catalog.dropTempView(table_name)
            self._views.remove(table_name)
        kept = self._kept.pop(table_name, None)
        if kept is not None:
            kept.unpersist()

    def close(self) -> None:
        for view in self._views:
            self.session.catalog.dropTempView(view)
        for kept in self._kept.values():
            kept.unpersist()
        self._views.clear()
        self._kept.clear()
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


def _pyspark_sql() -> Any:
    """``pyspark.sql``, or a RuleError saying how to install it."""
    try:
        import pyspark.sql
    except ImportError as error:
        raise RuleError(INSTALL_HINT) from error
    return pyspark.sql


def _running_session() -> SparkSession | None:
    """A session already running in this process (in any thread): it is the user's, not ours.

    ``getActiveSession`` sees only this thread's; the JVM's active context is process-wide.
    """
    spark_sql = _pyspark_sql()
    from pyspark import SparkContext

    if SparkContext._active_spark_context is None:  # private, but nothing public tells
        return None
    session: SparkSession | None = spark_sql.SparkSession.getActiveSession()
    return session or spark_sql.SparkSession.builder.getOrCreate()


def _spark_errors() -> tuple[type[Exception], ...]:
    """What Spark raises for a bad statement or a failed start: its own errors, or a Java one
    through py4j."""
    from py4j.protocol import Py4JError
    from pyspark.errors import PySparkException

    return (PySparkException, Py4JError)


def _first_line(error: Exception) -> str:
    """The reason Spark gives, without the Java stack under it: for an error raised in the
    JVM, the Java exception's own line (py4j's first line only names the call that failed)."""
    text = str(error)
    java = getattr(error, "java_exception", None)
    if java is not None:
        with contextlib.suppress(Exception):  # a JVM going down cannot describe its error
            text = str(java.toString())
    text = text.strip()
    return text.splitlines()[0] if text else type(error).__name__
