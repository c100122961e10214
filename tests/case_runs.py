"""Cases the end-to-end tests share: the committed sample and generated seeds, each run once.

Every case is run through ``linkage.run`` exactly as the CLI does, and the tests compare what it
wrote with the case's ``ground_truth/``. The library never sees ground truth; only tests read it.
The session fixtures ``sample_run`` and ``case_run`` (in ``tests/conftest.py``) hand out these.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from linkage import RunResult, run
from linkage.load.case import Case


@dataclass(frozen=True)
class Ran:
    """One case, its ground truth, and what ``linkage run`` made of it."""

    label: str
    case: Path
    truth: Path
    out: Path
    result: RunResult

    def truth_table(self, name: str) -> pd.DataFrame:
        """``ground_truth/NAME.csv`` with every column as text (no guessing of types)."""
        return pd.read_csv(self.truth / f"{name}.csv", dtype=str, keep_default_na=False)

    def output(self, name: str) -> pd.DataFrame:
        """``OUT/NAME.csv`` with every column as text, as a user's script reads it."""
        return pd.read_csv(self.out / f"{name}.csv", dtype=str, keep_default_na=False)


SAMPLE = Path(__file__).resolve().parents[1] / "sample_data" / "synth-2016"
DESIGNATED = Path(__file__).resolve().parents[1] / "sample_data" / "designated-2016"
"""The second world's sample: group cards designated in chats, held by mules on the roster."""
SEEDS = (3, 7, 42)
"""Seeds besides the sample's 2016: each draws other staff, victims, names and money."""


def run_case(case: Path, truth: Path, out: Path, label: str) -> Ran:
    """Run ``case`` into ``out`` and keep what a test needs to judge it."""
    return Ran(label, case, truth, out, run(case, out))


def assert_same_case(case: Case, expected: Case) -> None:
    """``case`` holds exactly what ``expected`` holds: tables, rejects, reports, digests."""
    assert list(case.tables) == list(expected.tables)
    for name, frame in expected.tables.items():
        pd.testing.assert_frame_equal(case.tables[name], frame, check_exact=True)
    pd.testing.assert_frame_equal(case.rejects, expected.rejects, check_exact=True)
    assert case.sources == expected.sources
    assert case.inputs == expected.inputs


def output_files(folder: Path) -> list[Path]:
    """Every file under ``folder``, relative to it, sorted: what a run wrote."""
    return sorted(p.relative_to(folder) for p in folder.rglob("*") if p.is_file())
