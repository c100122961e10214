"""The matching core written by hand, as one DuckDB statement and as a pandas script, reaches
the rules' verdicts and losses, victim by victim, on the sample and three seeds.

``benchmarks/same_joins.sql`` and ``benchmarks/same_joins_pandas.py`` are what
``benchmarks/corroborate.py`` times corroboration against; this keeps them doing the same work.
They are also two more writings of the rules, without their provenance or statement
boundaries: where one disagrees with the rules, one of them is wrong.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import duckdb
from case_runs import Ran

from linkage import load_case
from linkage.match.params import MatchParams
from linkage.match.prepare import prepare

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
SAME_JOINS = BENCHMARKS / "same_joins.sql"
SAME_JOINS_PANDAS = BENCHMARKS / "same_joins_pandas.py"


def _by_rules(case_run: Ran) -> list[tuple[str, str, int]]:
    """(victim, verdict, loss in fen) of every victim the run linked, sorted."""
    victims = case_run.output("victims")
    linked = victims[victims["verdict"] != "unlinked"]
    assert len(linked) > 0
    rows = zip(linked["victim_id"], linked["verdict"], linked["loss_fen"].astype(int), strict=True)
    return sorted(rows)


def test_the_hand_written_statement_reaches_the_runs_verdicts_and_losses(case_run: Ran) -> None:
    case = load_case(case_run.case)
    parameters = MatchParams.from_toml(case.config.rules).bound(case.config)
    parameters.pop("needs_answered")
    db = duckdb.connect()
    db.execute("SET disabled_optimizers = 'join_order,build_side_probe_side'")
    for name, table in prepare(case).items():
        db.register(name, table)
    found = db.execute(SAME_JOINS.read_text(encoding="utf-8"), parameters).fetchall()
    by_hand = sorted((key, verdict, int(loss)) for key, verdict, _, loss in found)
    assert by_hand == _by_rules(case_run)


def test_the_pandas_script_reaches_the_runs_verdicts_and_losses(case_run: Ran) -> None:
    script = importlib.util.spec_from_file_location("same_joins_pandas", SAME_JOINS_PANDAS)
    assert script is not None and script.loader is not None
    module = importlib.util.module_from_spec(script)
    script.loader.exec_module(module)
    case = load_case(case_run.case)
    bound = MatchParams.from_toml(case.config.rules).bound(case.config)
    found = module.same_joins(prepare(case), bound)
    by_pandas = sorted(zip(found["victim_key"], found["verdict"], found["loss_fen"], strict=True))
    assert by_pandas == _by_rules(case_run)
