"""The matching core written by hand, as one DuckDB statement and as a pandas script, reaches
the rules' verdicts and losses, victim by victim, on the sample and three seeds.

``benchmarks/same_joins.sql`` and ``benchmarks/same_joins_pandas.py`` are what
``benchmarks/corroborate.py`` times corroboration against; this keeps them doing the same work.
They are also two more writings of the rules, without their provenance or statement
boundaries: where one disagrees with the rules, one of them is wrong. They write the first
world's rules (ledgers, case.toml), not the designations and holders of the second, so they
run on the first world's cases (``guiding_case_run``).
"""

from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path
from types import ModuleType
from zoneinfo import ZoneInfo

from case_runs import Ran

from linkage import load_case
from linkage.match.prepare import prepare

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def _benchmark_module(name: str) -> ModuleType:
    """A module of ``benchmarks/`` (a folder of scripts, not a package)."""
    spec = importlib.util.spec_from_file_location(name, BENCHMARKS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


hand_written = _benchmark_module("hand_written")


def _by_rules(guiding_case_run: Ran) -> list[tuple[str, str, int]]:
    """(victim, verdict, loss in fen) of every victim the run linked, sorted."""
    victims = guiding_case_run.output("victims")
    linked = victims[victims["verdict"] != "unlinked"]
    assert len(linked) > 0
    rows = zip(linked["victim_id"], linked["verdict"], linked["loss_fen"].astype(int), strict=True)
    return sorted(rows)


def test_the_hand_written_statement_reaches_the_runs_victims_and_leads(
    guiding_case_run: Ran,
) -> None:
    case = load_case(guiding_case_run.case)
    parameters = hand_written.baseline_parameters(case.config)
    found = hand_written.same_joins_rows(prepare(case), parameters)
    zone = ZoneInfo(case.config.timezone)
    victims = sorted(
        (key, group or ("unattributed" if verdict != "unlinked" else ""), verdict, str(loss),
         _at(first, zone))
        for kind, key, group, verdict, loss, first, *_ in found if kind == "victim"
    )  # fmt: skip
    expected = guiding_case_run.output("victims")
    columns = ["victim_id", "group_id", "verdict", "loss_fen", "first_contact_at"]
    assert victims == sorted(expected[columns].itertuples(index=False, name=None))
    leads = sorted(
        (key, group or "", str(amount), _at(first, dt.UTC))
        for kind, key, group, _, amount, first, *_ in found if kind == "lead"
    )  # fmt: skip
    expected = guiding_case_run.output("leads")
    columns = ["account", "group_id", "amount_fen", "first_at"]
    assert leads == sorted(expected[columns].itertuples(index=False, name=None))
    no_statement = {
        row.victim_id for row in guiding_case_run.output("victims").itertuples()
        if "no statement of the victim's own accounts" in row.missing
    }  # fmt: skip
    for kind, key, *_, has_statement in found:
        assert kind == "lead" or key not in no_statement or not has_statement


def _at(epoch: int | None, zone: dt.tzinfo) -> str:
    """Epoch seconds as the outputs write a time: ISO 8601 in ``zone``, empty when none."""
    if epoch is None:
        return ""
    return dt.datetime.fromtimestamp(epoch, dt.UTC).astimezone(zone).isoformat()


def test_the_pandas_script_reaches_the_runs_verdicts_and_losses(guiding_case_run: Ran) -> None:
    script = _benchmark_module("same_joins_pandas")
    case = load_case(guiding_case_run.case)
    found = script.same_joins(prepare(case), hand_written.baseline_parameters(case.config))
    by_pandas = sorted(zip(found["victim_key"], found["verdict"], found["loss_fen"], strict=True))
    assert by_pandas == _by_rules(guiding_case_run)
