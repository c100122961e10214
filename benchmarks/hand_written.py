"""The matching core written by hand as one DuckDB statement (``same_joins.sql``), run as the
benchmark times it and as ``tests/match/test_same_joins.py`` checks it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from linkage.load.config import CaseConfig
from linkage.match.params import MatchParams

SAME_JOINS_SQL = (Path(__file__).parent / "same_joins.sql").read_text(encoding="utf-8")
JOINS_AS_WRITTEN = "SET disabled_optimizers = 'join_order,build_side_probe_side'"
"""The statement's joins are written in the order they should run (see its header)."""


def baseline_parameters(config: CaseConfig) -> dict[str, Any]:
    """The values the baselines bind: linkage's for the case. They fix account growth at three
    layers and require an answered call for discovery, as linkage's defaults do, so a case
    whose ``[rules]`` changes those is refused rather than compared with other work."""
    params = MatchParams.from_toml(config.rules)
    if params.account_growth_hops != 3 or not params.discovery_needs_answered_call:
        raise SystemExit("the baselines do linkage's default growth and discovery only")
    parameters = params.sql_parameters(config)
    parameters.pop("needs_answered")
    return parameters


def same_joins_rows(tables: dict[str, pa.Table], parameters: dict[str, Any]) -> list[Any]:
    """The statement's rows (every victim, then every lead) on linkage's prepared tables."""
    db = duckdb.connect()
    db.execute(JOINS_AS_WRITTEN)
    for name, table in tables.items():
        db.register(name, table)
    rows = db.execute(SAME_JOINS_SQL, parameters).fetchall()
    db.close()
    return rows
