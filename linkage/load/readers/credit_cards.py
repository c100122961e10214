"""What credit card bills share: the card is named by its last four digits only.

A bill (BOC, BOCOM, CMB credit cards) is one card's statement, and its rows say no more of the
card than ``1234``: four digits fit millions of cards, so they are kept in ``account_raw`` and
never become ``account``. The card itself comes, in order of trust, from ``owner =`` in the
source's case.toml entry (the investigator's word covers every row of the bill, a
supplementary card's included: it is charged to the same account), then from a whole card
number in the file's name (investigators save a victim's bill as ``中行信用卡_6259…1234.csv``),
and only where the row's last four digits agree with it: a guess from a file name does not
give a row of another card that card's number. Where the card cannot be known, the source's
notes say so and what to add.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import PurePath

import pandas as pd

from linkage.errors import InvalidIdentifier
from linkage.load.context import ReadResult
from linkage.load.readers.personal_exports import statement_owner
from linkage.load.tabular import Rows
from linkage.normalize import luhn_ok, normalize_account, normalize_resident_id
from linkage.rejects import RejectReason

__all__ = ["bill_days", "card_columns", "note_unknown_cards"]

CARD_IN_NAME = re.compile(r"(?<!\d)(\d{15,19})(?!\d)")
"""A run of digits in a file name as long as a card number (15 to 19 digits)."""
CARD_PREFIX = re.compile(r"^(?:[3-6]|2(?:2[2-9]|[3-6]\d|7[01]|720))")
"""Issuer prefixes of payment cards (American Express 3, Visa 4, Mastercard 2221-2720 and 5,
UnionPay 62): a date-stamped file name (``20240105103015123``) starts otherwise."""


def bill_days(
    rows: Rows,
    sold: pd.Series,
    posted: pd.Series,
    sold_aliases: tuple[str, ...],
    posted_aliases: tuple[str, ...],
) -> pd.Series:
    """When each row of a bill happened (UTC), from its dates: the day it was sold, or the day
    it was posted for a row without one (a repayment, a fee the bank charged).

    ``sold`` and ``posted`` are the date texts. A reject names the column the row was dated by:
    an unreadable date is ``unparseable_time``; a row with neither date ``missing_value``.
    """
    by_posting = sold.isna()
    sold_at = rows.time_text(sold, *sold_aliases, required=False)
    posted_at = rows.time_text(posted.where(by_posting), *posted_aliases, required=False)
    has_posted = posted.notna()
    unreadable = RejectReason.UNPARSEABLE_TIME
    rows.reject(~by_posting & sold_at.isna(), unreadable, *sold_aliases)
    rows.reject(by_posting & has_posted & posted_at.isna(), unreadable, *posted_aliases)
    rows.reject(by_posting & ~has_posted, RejectReason.MISSING_VALUE, *posted_aliases)
    return sold_at.where(~by_posting, posted_at)


def card_in_file_name(name: str) -> str | None:
    """The whole card number a file's name holds, or None.

    >>> card_in_file_name("bills/中行信用卡_6259650871772098.csv")
    '6259650871772098'
    >>> card_in_file_name("中行信用卡账单202401.csv") is None
    True
    >>> card_in_file_name("张三_110101199003074258.csv") is None  # an ID number, not a card
    True
    """
    for found in CARD_IN_NAME.finditer(PurePath(name).stem):
        digits = found.group(1)
        if CARD_PREFIX.match(digits) and luhn_ok(digits) and not _resident_id(digits):
            return digits
    return None


def _resident_id(digits: str) -> bool:
    """Whether ``digits`` read as a valid mainland resident ID (a victim's, in a file name)."""
    try:
        normalize_resident_id(digits)
    except InvalidIdentifier:
        return False
    return True


def card_columns(rows: Rows, last_four: pd.Series) -> dict[str, pd.Series]:
    """``account`` and ``account_raw`` of a bill's rows, from the last four digits each gives.

    Raises
    ------
    ConfigError
        If case.toml gives an ``owner`` that is not an account or card.
    """
    fours = last_four.astype(object).where(last_four.notna(), None)
    owner, owner_raw = statement_owner(rows)
    if owner is not None:  # the investigator's word: every row of the bill is that card's
        return {
            "account": pd.Series(owner, index=rows.index, dtype=object),
            "account_raw": pd.Series(owner_raw, index=rows.index, dtype=object),
        }
    named = card_in_file_name(rows.ledger.source_file)
    try:
        card = normalize_account(named) if named else None
    except InvalidIdentifier:
        card = None
    if card is None:
        return {"account": pd.Series(None, index=rows.index, dtype=object), "account_raw": fours}
    agrees = fours.map(lambda four: card.endswith(str(four)) if four else True)
    return {
        "account": pd.Series(card, index=rows.index, dtype=object).where(agrees, None),
        "account_raw": pd.Series(named, index=rows.index, dtype=object).where(agrees, fours),
    }


def note_unknown_cards(result: ReadResult) -> ReadResult:
    """Add a note per file whose rows name their card by its last four digits only."""
    table = result.table
    unknown = table[table["account"].isna()]
    if unknown.empty:
        return result
    notes = []
    for name, rows in unknown.groupby("source_file", sort=True):
        fours = ", ".join(sorted({str(f) for f in rows["account_raw"].dropna()}))
        named = f"by its last four digits only ({fours})" if fours else "not at all"
        notes.append(
            f"{name}: {len(rows)} rows name their card {named} "
            "and no whole card number ending in them is known, so these rows tie to no "
            'account: give the source owner = "<card number>" in case.toml, or put the card '
            "number in the file name"
        )
    return dataclasses.replace(result, notes=result.notes + tuple(notes))
