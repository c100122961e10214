"""What a matching test holds: one case, its ground truth, and what ``linkage run`` made of it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from linkage import RunResult


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
