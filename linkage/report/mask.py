"""Masking for human-facing reports: ID numbers, phones, cards, accounts and handles show only
their ends, wherever they stand.

Evidence is personal data. A report that leaves the case team (an annex, a slide) masks the
middle of every identifier; the result tables (CSV, Parquet) stay whole, because scripts join
on them. An identifier does not only stand in its own column: a payment key starts with the
victim's ID number, a gap sentence names the card a statement is missing for, a reject keeps
the raw line. So one :class:`Masker` is applied to every text cell of a report:

- a column that holds identifiers (:data:`MASKED_COLUMNS`) is masked whole;
- in any other text (a reject's raw value, a gap sentence, a file name), every identifier the
  run's tables hold is masked wherever it stands between non-alphanumeric characters (a handle
  such as ``live:g1.or658`` or ``wxid_ab12`` in ``wxid_ab12_backup.csv``, a seven-digit
  landline), and so is every number of ten digits or more that the tables do not hold,
  written whole (``13912345678``, an ID ending in X) or in groups (``139-1234-5678``,
  ``0139 12345678``, ``(0139)12345678``). Dates, times and amounts stay readable.

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
        "holder_id", "counterparty_account", "counterparty_id",
    }
)  # fmt: skip
"""Result-table columns that hold an ID number, phone, account or handle. (A ``payment`` key
starts with the victim's ID number, and a reject's ``value`` is whatever the cell held: both
are masked as text, so times and amounts in them stay readable.)"""

SHORTEST_MASKED = 7
"""Identifiers of six characters or fewer are shown whole by ``mask_identifier``."""

NUMBER_IN_TEXT = re.compile(
    r"(?<![0-9A-Za-z])(?:"
    r"\+?[0-9]{10,}[0-9Xx]?"  # whole: 13912345678, 11010519410327361X
    r"|\+?[0-9]{2,4}(?:-[0-9]{3,4}){2,}"  # hyphenated phone: 139-1234-5678
    r"|\+?\(?[0-9]{2,5}\)?(?: ?[0-9]{2,8}){1,5}"  # spaced or bracketed: 0139 12345678
    r")(?![0-9A-Za-z])"
)
"""A phone, card, account or ID number inside free text (masked when it holds ten digits or
more). Hyphens join groups of three and four digits only, so dates (``2016-02-11``) and times
never match."""
SHORTEST_NUMBER = 10


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
        self._known_in_text = _alternatives(self.known)

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
        if self._known_in_text is not None:
            value = self._known_in_text.sub(lambda m: mask_identifier(m.group()), value)
        return NUMBER_IN_TEXT.sub(_masked_number, value)

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


def _masked_number(match: re.Match[str]) -> str:
    number = match.group()
    digits = sum(ch.isdigit() for ch in number)
    return mask_identifier(number) if digits >= SHORTEST_NUMBER else number


def _alternatives(words: frozenset[str]) -> re.Pattern[str] | None:
    """One pattern matching any of ``words`` standing between non-alphanumeric characters,
    built as a trie so a text is scanned once however many identifiers a case holds.

    >>> _alternatives(frozenset({"live:a1", "live:b22"})).pattern
    '(?<![0-9A-Za-z])(?:live:(?:a1|b22))(?![0-9A-Za-z])'
    """
    if not words:
        return None
    trie: dict[str, dict] = {}  # type: ignore[type-arg]
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}
    return re.compile(rf"(?<![0-9A-Za-z])(?:{_trie_pattern(trie)})(?![0-9A-Za-z])")


def _trie_pattern(node: dict) -> str:  # type: ignore[type-arg]
    """The alternation a trie node stands for; longer words are tried first."""
    ends = "" in node
    branches = [re.escape(ch) + _trie_pattern(child) for ch, child in sorted(node.items()) if ch]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 and not ends else f"(?:{'|'.join(branches)})"
    if len(branches) == 1 and not ends:
        return body
    return f"{body}?" if ends else body


def mask_frame(frame: pd.DataFrame, masker: Masker | None = None) -> pd.DataFrame:
    """``frame`` with every identifier masked, by ``masker`` (default: one that knows the
    identifier columns of ``frame`` alone)."""
    return (masker or Masker.for_tables([frame])).frame(frame)
