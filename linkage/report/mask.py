"""Masking for human-facing reports: ID numbers, phones, cards, accounts and handles show only
their ends, wherever they stand.

Evidence is personal data. A report that leaves the case team (an annex, a slide) masks the
middle of every identifier; the result tables (CSV, Parquet) stay whole, because scripts join
on them. An identifier does not only stand in its own column: a payment key starts with the
victim's ID number, a gap sentence names the card a statement is missing for, a reject keeps
the raw line. So one :class:`Masker` is applied to every text cell of a report:

- a column that holds identifiers (:data:`MASKED_COLUMNS`) is masked whole;
- in any other text, every identifier the run's tables hold is masked where it appears as a
  word (a handle such as ``live:g1.or658``, a seven-digit landline), and so is every run of ten
  or more digits (a phone, card, account or ID number the tables do not hold: a file name, a
  raw line) and every phone or card written in groups (``139 1234 5678``).

Names are kept: a report is about people.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

__all__ = ["MASKED_COLUMNS", "Masker", "mask_frame", "mask_identifier"]

MASKED_COLUMNS = frozenset(
    {
        "victim_id", "person_id", "phone", "matched", "counterpart", "identifier", "account",
        "victim_account", "group_account", "from_account", "to_account", "id_number",
        "holder_id", "counterparty_account", "counterparty_id", "value",
    }
)  # fmt: skip
"""Result-table columns that hold an ID number, phone, account or handle. (A ``payment`` key
starts with the victim's ID number and is masked as text, so its time stays readable.)"""

SHORTEST_MASKED = 7
"""Identifiers of six characters or fewer are shown whole by ``mask_identifier``."""

NUMBER_IN_TEXT = re.compile(
    r"(?<![0-9A-Za-z])(?:\+?[0-9]{10,}[0-9Xx]?|\+?[0-9]{2,4}(?:[ -][0-9]{3,4}){2,})(?![0-9A-Za-z])"
)
"""A phone, card, account or ID number inside free text: ten digits or more (an ID may end in
X), or digits in groups of three and four. Dates (``2016-02-11``) and times never match."""

WORD = re.compile(r"[A-Za-z0-9_+][A-Za-z0-9_:.@\-]*[A-Za-z0-9_]")
"""A word that could be a handle or a short number, looked up among the run's identifiers."""


def mask_identifier(value: str) -> str:
    """Keep the first and last four characters (two of a short value), star the middle.

    >>> mask_identifier("110105194803221036"), mask_identifier("+8613912345678")
    ('1101**********1036', '+861******5678')
    >>> mask_identifier("6222"), mask_identifier("live:g1.fi368")
    ('6222', 'live*****i368')
    """
    if len(value) < SHORTEST_MASKED:
        return value
    keep = 4 if len(value) >= 10 else 2
    return value[:keep] + "*" * (len(value) - 2 * keep) + value[-keep:]


class Masker:
    """Masks every identifier in a report's cells, given the identifiers the run holds.

    Examples
    --------
    >>> masker = Masker(["live:g1.or658", "6543210"])
    >>> masker.text("chats as live:g1.or658, landline 6543210, card 6222021234567890123")
    'chats as live*****r658, landline 65***10, card 6222***********0123'
    >>> masker.text("11010519410327361X@2016-02-11T03:00:54Z")
    '1101**********361X@2016-02-11T03:00:54Z'
    """

    def __init__(self, identifiers: Iterable[str] = ()) -> None:
        self.known = frozenset(v for v in identifiers if len(v) >= SHORTEST_MASKED)

    @classmethod
    def for_tables(cls, tables: Iterable[pd.DataFrame]) -> Masker:
        """A masker that knows every value of every identifier column of ``tables``."""
        known: set[str] = set()
        for frame in tables:
            for column in frame.columns:
                if column in MASKED_COLUMNS:
                    known.update(v for v in frame[column].dropna().unique() if isinstance(v, str))
        return cls(known)

    def text(self, value: str) -> str:
        """``value`` with every identifier in it masked."""
        masked = NUMBER_IN_TEXT.sub(lambda m: mask_identifier(m.group()), value)
        return WORD.sub(self._word, masked) if self.known else masked

    def _word(self, match: re.Match[str]) -> str:
        word = match.group()
        if word in self.known:
            return mask_identifier(word)
        head, _, rest = word.partition(":")  # "acct:live:x": the handle after a prefix
        while rest:
            if rest in self.known:
                return f"{head}:{mask_identifier(rest)}"
            more, _, rest = rest.partition(":")
            head = f"{head}:{more}"
        return word

    def cell(self, value: object, whole: bool) -> object:
        """One cell: an identifier column's value masked whole, other text searched."""
        if isinstance(value, str):
            return mask_identifier(value) if whole else self.text(value)
        if isinstance(value, list | tuple | np.ndarray):
            return [self.cell(v, whole) for v in value]
        return value

    def frame(self, frame: pd.DataFrame) -> pd.DataFrame:
        """``frame`` with every identifier masked (each distinct value is masked once)."""
        out = frame.copy()
        for column in out.columns:
            values = out[column]
            if not (values.dtype == object or pd.api.types.is_string_dtype(values)):
                continue
            whole = column in MASKED_COLUMNS
            distinct = values.dropna().astype(object)
            hashable = distinct[distinct.map(lambda v: isinstance(v, str))]
            masked = {v: self.cell(v, whole) for v in hashable.unique()}
            out[column] = values.astype(object).map(
                lambda v, m=masked, w=whole: m[v] if isinstance(v, str) else self.cell(v, w)
            )
        return out


def mask_frame(frame: pd.DataFrame, masker: Masker | None = None) -> pd.DataFrame:
    """``frame`` with every identifier masked, by ``masker`` (default: one that knows the
    identifier columns of ``frame`` alone)."""
    return (masker or Masker.for_tables([frame])).frame(frame)
