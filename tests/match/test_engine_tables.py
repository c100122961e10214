"""What corroboration leaves on an engine it was handed, and how engines forget a table."""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import pytest
from case_runs import SAMPLE

from linkage import corroborate, load_case
from linkage.engine import DuckDBEngine
from linkage.errors import RuleError


class WithoutDrop:
    """An engine written before ``Engine.drop``: corroboration still runs on it."""

    name = "duckdb"

    def __init__(self) -> None:
        self.inner = DuckDBEngine()

    def register(self, table_name: str, table: pa.Table) -> None:
        self.inner.register(table_name, table)

    def query(self, sql: str, parameters: dict[str, Any] | None = None) -> pa.Table:
        return self.inner.query(sql, parameters)

    def create(self, table_name: str, sql: str, parameters: dict[str, Any] | None = None) -> None:
        self.inner.create(table_name, sql, parameters)

    def close(self) -> None:
        self.inner.close()


class FailingEverywhere(WithoutDrop):
    """Fails on its third query, then again when asked to drop a table."""

    def __init__(self) -> None:
        super().__init__()
        self.queries = 0

    def query(self, sql: str, parameters: dict[str, Any] | None = None) -> pa.Table:
        self.queries += 1
        if self.queries == 3:
            raise RuleError("the engine went away")
        return super().query(sql, parameters)

    def drop(self, table_name: str) -> None:
        raise RuntimeError("cannot drop either")


def test_an_engine_without_drop_keeps_the_tables_and_gives_the_same_findings() -> None:
    case = load_case(SAMPLE / "case")
    engine = WithoutDrop()
    kept = corroborate(case, engine=engine)
    assert engine.query("SELECT count(*) FROM links").column(0)[0].as_py() > 0
    engine.close()
    fresh = corroborate(case)
    assert kept.victims.equals(fresh.victims) and kept.links.equals(fresh.links)


def test_a_failed_run_shows_why_it_failed_not_the_cleanup() -> None:
    engine = FailingEverywhere()
    with pytest.raises(RuleError, match="the engine went away"):
        corroborate(load_case(SAMPLE / "case"), engine=engine)
    engine.close()


class Undroppable(WithoutDrop):
    def drop(self, table_name: str) -> None:
        raise RuntimeError("locked")


def test_tables_that_cannot_be_dropped_are_named_and_the_findings_kept() -> None:
    case = load_case(SAMPLE / "case")
    engine = Undroppable()
    with pytest.warns(RuntimeWarning, match=r"kept tables it could not drop: .*links \(locked\)"):
        findings = corroborate(case, engine=engine)
    assert len(findings.victims)
    engine.close()


def test_duckdb_forgets_registered_and_created_tables_alike() -> None:
    engine = DuckDBEngine()
    engine.register("numbers", pa.table({"n": [1, 2]}))
    engine.create("doubled", "SELECT n * 2 AS n FROM numbers")
    engine.register("replaced", pa.table({"n": [9]}))
    engine.create("replaced", "SELECT n FROM numbers")  # the registered one no longer hides it
    assert engine.query("SELECT sum(n) FROM replaced").column(0)[0].as_py() == 3
    engine.db.execute("CREATE VIEW theirs AS SELECT 1 AS n")
    for name in ("numbers", "doubled", "replaced", "theirs", "never_made"):
        engine.drop(name)
    for name in ("numbers", "doubled", "replaced"):
        with pytest.raises(RuleError):
            engine.query(f"SELECT * FROM {name}")
    assert engine.query("SELECT n FROM theirs").column(0).to_pylist() == [1]
    engine.close()
