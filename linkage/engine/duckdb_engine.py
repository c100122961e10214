"""DuckDB, embedded: the default engine. Reads Arrow zero-copy, writes Arrow back."""

from __future__ import annotations

import contextlib
from typing import Any

import duckdb
import pyarrow as pa

from linkage.engine.dialect import used_parameters
from linkage.errors import RuleError

__all__ = ["DuckDBEngine"]


def quiet_connection() -> duckdb.DuckDBPyConnection:
    """A new in-memory DuckDB connection that draws no progress bar of its own.

    linkage shows its own progress per stage. Inside Jupyter, DuckDB refuses to change the
    setting without ipywidgets installed; its bar then stays as DuckDB decides.
    """
    db = duckdb.connect()
    with contextlib.suppress(duckdb.Error):
        db.execute("SET enable_progress_bar = false")
    return db


class DuckDBEngine:
    """An in-process DuckDB database holding the case's tables for one run.

    The rules bind values as ``$name``, DuckDB's own syntax, so statements run unchanged;
    only the parameters a statement uses are passed (DuckDB refuses extra ones).
    """

    name = "duckdb"

    def __init__(self, threads: int | None = None) -> None:
        self.db = quiet_connection()
        if threads is not None:
            self.db.execute(f"SET threads = {int(threads)}")
        self._keep: dict[str, pa.Table] = {}

    def register(self, table_name: str, table: pa.Table) -> None:
        self._keep[table_name] = table
        self.db.register(table_name, table)

    def query(self, sql: str, parameters: dict[str, Any] | None = None) -> pa.Table:
        try:
            relation = self.db.sql(sql, params=used_parameters(sql, parameters) or None)
            return _fetch_arrow(relation)
        except duckdb.Error as error:
            raise RuleError(f"DuckDB failed: {error}\n--- SQL ---\n{sql}") from error

    def create(self, table_name: str, sql: str, parameters: dict[str, Any] | None = None) -> None:
        if self._keep.pop(table_name, None) is not None:  # a registered view would hide it
            self.db.unregister(table_name)
        try:
            self.db.execute(
                f"CREATE OR REPLACE TABLE {table_name} AS {sql}", used_parameters(sql, parameters)
            )
        except duckdb.Error as error:
            raise RuleError(
                f"DuckDB failed building {table_name}: {error}\n--- SQL ---\n{sql}"
            ) from error

    def drop(self, table_name: str) -> None:
        if self._keep.pop(table_name, None) is not None:
            self.db.unregister(table_name)
            return
        with contextlib.suppress(duckdb.CatalogException):  # a view someone else made
            self.db.execute(f"DROP TABLE IF EXISTS {table_name}")

    def close(self) -> None:
        self.db.close()


def _fetch_arrow(relation: duckdb.DuckDBPyRelation) -> pa.Table:
    """A relation's rows as Arrow (``to_arrow_table`` in DuckDB 2, ``arrow`` before)."""
    fetch = getattr(relation, "to_arrow_table", None) or getattr(relation, "arrow")  # noqa: B009
    table: pa.Table = fetch()
    return table
