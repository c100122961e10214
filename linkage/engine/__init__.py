"""Where the rules' SQL runs: a small adapter per engine (register tables, run, fetch Arrow).

Rules never execute anything; they are SQL text with named parameters. An engine takes Arrow
tables, runs the statements and returns Arrow tables. DuckDB is the embedded default.
"""

from __future__ import annotations

from linkage.engine.base import Engine
from linkage.engine.duckdb_engine import DuckDBEngine

__all__ = ["DuckDBEngine", "Engine", "open_engine"]


def open_engine(name: str = "duckdb") -> Engine:
    """The engine called ``name`` (only ``duckdb`` is built in)."""
    if name == "duckdb":
        return DuckDBEngine()
    raise ValueError(f"unknown engine {name!r}: expected 'duckdb'")
