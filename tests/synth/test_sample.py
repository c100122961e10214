"""The committed sample case is exactly what the generator makes from its seed."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from linkage.digest import sha256_tree as digests
from linkage.load.case import load_case
from linkage.synth import generate

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "synth-2016"
SEED = 2016


def test_regenerating_the_sample_gives_the_committed_bytes(tmp_path: Path) -> None:
    made = generate(tmp_path / "synth-2016", seed=SEED)
    assert digests(made.case.parent) == digests(SAMPLE)


def test_the_sample_loads_with_exactly_the_rejects_its_ground_truth_lists() -> None:
    case = load_case(SAMPLE / "case")
    expected = pd.read_csv(
        SAMPLE / "ground_truth" / "rejects.csv", dtype=str, keep_default_na=False
    )
    keys = ["source_file", "source_row", "source_sheet", "reason"]
    got = case.rejects.assign(source_sheet=case.rejects["source_sheet"].fillna(""))
    assert sorted(map(tuple, got[keys].astype(str).to_numpy())) == sorted(
        map(tuple, expected[keys].to_numpy())
    )
    assert all(source.reconciles for source in case.sources)
