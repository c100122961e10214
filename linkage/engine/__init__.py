"""Where the rules' SQL runs: a small adapter per engine (register tables, run, fetch Arrow).

Rules never execute anything; they are SQL text with named parameters. An engine takes Arrow
tables, runs the statements and returns Arrow tables. DuckDB is the embedded default; Spark
(the ``spark`` extra: ``pip install -e '.[spark]'``) runs the same statements when a case
outgrows one machine.
"""

from __future__ import annotations

from linkage.engine.base import Engine
from linkage.engine.duckdb_engine import DuckDBEngine

__all__ = ["ENGINES", "DuckDBEngine", "Engine", "open_engine"]

ENGINES = ("duckdb", "spark")


def open_engine(name: str = "duckdb") -> Engine:
    """A new engine called ``name``: ``duckdb`` in memory, or ``spark`` on a local session
    (pass a ``SparkEngine(session)`` instead to use a cluster's session)."""
    if name == "duckdb":
        return DuckDBEngine()
    if name == "spark":
        from linkage.engine.spark_engine import SparkEngine

        return SparkEngine()
    raise ValueError(f"unknown engine {name!r}: expected one of {', '.join(ENGINES)}")
