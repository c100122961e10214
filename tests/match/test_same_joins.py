"""The matching core written by hand as one DuckDB statement reaches the rules' verdicts and
losses, victim by victim, on the sample and three seeds.

``benchmarks/same_joins.sql`` is what ``benchmarks/corroborate.py`` times corroboration
against; this keeps it doing the same work. It is also a second writing of the rules, without
their provenance or statement boundaries: where the two disagree, one of them is wrong.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
from case_runs import Ran

from linkage import load_case
from linkage.match.params import MatchParams
from linkage.match.prepare import prepare

SAME_JOINS = Path(__file__).resolve().parents[2] / "benchmarks" / "same_joins.sql"


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
    victims = case_run.output("victims")
    linked = victims[victims["verdict"] != "unlinked"]
    by_rules = sorted(
        zip(linked["victim_id"], linked["verdict"], linked["loss_fen"].astype(int), strict=True)
    )
    assert len(by_rules) > 0
    assert by_hand == by_rules
