"""Masking for human-facing reports: ID numbers, phones and accounts show only their ends.

Evidence is personal data. A report that leaves the case team (an annex, a slide) masks the
middle of every identifier; the result tables (CSV, Parquet) stay whole, because scripts join
on them.
"""

from __future__ import annotations

import pandas as pd

__all__ = ["MASKED_COLUMNS", "mask_frame", "mask_identifier"]

MASKED_COLUMNS = frozenset(
    {
        "victim_id", "person_id", "phone", "matched", "counterpart", "identifier", "account",
        "victim_account", "group_account", "from_account", "to_account", "id_number",
        "holder_id", "counterparty_account", "counterparty_id", "value",
    }
)  # fmt: skip
"""Result-table columns that hold an ID number, phone, account or handle."""


def mask_identifier(value: str) -> str:
    """Keep the first and last four characters (three of a short value), star the middle.

    >>> mask_identifier("110105194803221036"), mask_identifier("+8613912345678")
    ('1101**********1036', '+861******5678')
    >>> mask_identifier("6222"), mask_identifier("live:g1.fi368")
    ('6222', 'live*****i368')
    """
    if len(value) <= 6:
        return value
    keep = 4 if len(value) >= 10 else 2
    return value[:keep] + "*" * (len(value) - 2 * keep) + value[-keep:]


def mask_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every identifier column masked (names are kept: a report needs them)."""
    out = frame.copy()
    for column in out.columns:
        if column in MASKED_COLUMNS:
            values = out[column].astype(object)
            out[column] = values.map(lambda v: mask_identifier(v) if isinstance(v, str) else v)
    return out
