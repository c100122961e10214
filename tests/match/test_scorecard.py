"""The accuracy scorecard (benchmarks/accuracy.py) on both worlds' samples.

Both samples are held to full marks: every victim and loss, every group, role, amount and
stay, every input row. The seeds are held to the same bar by tests/graph/test_attribution.py.
"""

from __future__ import annotations

import functools
import importlib.util
import shutil
import sys
from pathlib import Path
from types import ModuleType

import pandas as pd
from case_runs import Ran

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


@functools.cache
def _accuracy() -> ModuleType:
    spec = importlib.util.spec_from_file_location("accuracy", BENCHMARKS / "accuracy.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["accuracy"] = module  # its dataclass looks its module up by name
    spec.loader.exec_module(module)
    return module


def test_the_first_worlds_sample_scores_full_marks(sample_run: Ran) -> None:
    s = _accuracy().score(sample_run.out, sample_run.truth)
    assert (s.precision, s.recall) == (1.0, 1.0)
    assert s.unreported_found == s.unreported > 0
    assert s.losses_exact == s.truly
    assert (s.other_group, s.decoys) == (0, 0)
    assert s.group_right == s.role_right == s.amount_right == s.period_right == s.defendants


def test_the_scorecard_sees_a_wrong_loss_and_a_wrong_role(sample_run: Ran, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(sample_run.out, out, ignore=shutil.ignore_patterns("*.parquet", "figures"))
    victims = pd.read_csv(out / "victims.csv", dtype=str, keep_default_na=False)
    linked = victims.index[victims["verdict"] != "unlinked"][0]
    victims.loc[linked, "loss_fen"] = "1"
    victims.to_csv(out / "victims.csv", index=False)
    defendants = pd.read_csv(out / "defendants.csv", dtype=str, keep_default_na=False)
    defendants.loc[0, "role"] = "support" if defendants.loc[0, "role"] != "support" else "unknown"
    defendants.to_csv(out / "defendants.csv", index=False)
    s = _accuracy().score(out, sample_run.truth)
    assert s.losses_exact == s.truly - 1
    assert s.role_right == s.defendants - 1


def test_the_second_worlds_sample_scores_full_marks(designated_run: Ran) -> None:
    """Cards designated in the chats are group accounts: every victim is linked to the right
    group, found if unreported, and their loss is exact. Roles come from behaviour (chain
    positions by the 转接分机 links, organisers by their designations, mules by the cards in
    their names), so every role, amount and stay is right too."""
    s = _accuracy().score(designated_run.out, designated_run.truth)
    assert (s.precision, s.recall) == (1.0, 1.0)
    assert s.unreported_found == s.unreported > 0
    assert s.losses_exact == s.truly
    assert (s.other_group, s.decoys) == (0, 0)
    assert s.group_right == s.role_right == s.amount_right == s.period_right == s.defendants


def test_the_second_worlds_run_accounts_for_every_input_row(designated_run: Ran) -> None:
    rejects = designated_run.output("rejects")
    planted = designated_run.truth_table("rejects")
    keys = ["source_file", "source_row", "reason"]
    assert sorted(map(tuple, rejects[keys].to_numpy())) == sorted(
        map(tuple, planted[keys].to_numpy())
    )
    assert all(source.reconciles for source in designated_run.result.case.sources)
