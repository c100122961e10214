"""Each committed sample case is exactly what the generator makes from its seed and profile."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from linkage.digest import sha256_tree as digests
from linkage.load.case import load_case
from linkage.synth import generate

SAMPLES = Path(__file__).resolve().parents[2] / "sample_data"
SEED = 2016
PROFILES = {"synth-2016": "guiding", "designated-2016": "designated"}
"""Each sample folder and the profile it was made with (seed 2016, scale 1)."""


@pytest.mark.parametrize("sample", sorted(PROFILES))
def test_regenerating_the_sample_gives_the_committed_bytes(sample: str, tmp_path: Path) -> None:
    made = generate(tmp_path / sample, seed=SEED, profile=PROFILES[sample])
    assert digests(made.case.parent) == digests(SAMPLES / sample)


@pytest.mark.parametrize("sample", sorted(PROFILES))
def test_the_sample_loads_with_exactly_the_rejects_its_ground_truth_lists(sample: str) -> None:
    case = load_case(SAMPLES / sample / "case")
    expected = pd.read_csv(
        SAMPLES / sample / "ground_truth" / "rejects.csv", dtype=str, keep_default_na=False
    )
    keys = ["source_file", "source_row", "source_sheet", "reason"]
    got = case.rejects.assign(source_sheet=case.rejects["source_sheet"].fillna(""))
    assert sorted(map(tuple, got[keys].astype(str).to_numpy())) == sorted(
        map(tuple, expected[keys].to_numpy())
    )
    assert all(source.reconciles for source in case.sources)
