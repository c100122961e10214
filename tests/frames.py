"""Canonical rows as plain Python values, for assertions that read like the rows themselves."""

from __future__ import annotations

import pandas as pd


def records(frame: pd.DataFrame, names: list[str]) -> list[dict[str, object]]:
    """The ``names`` columns of ``frame`` as one dict per row, every kind of null as None."""
    part = frame[names].astype(object)
    rows: list[dict[str, object]] = part.where(part.notna(), None).to_dict("records")
    return rows
