"""A victim's China Merchants Bank credit card statement (招商银行信用卡对账单), as a table.

CMB sends its card holders a monthly bill (PDF or e-mail); what reaches a case folder is that bill
turned into a table, one title line and a header::

    招商银行信用卡对账单（个人消费卡账户 2024年01月）
    交易日,记账日,交易摘要,人民币金额,卡号末四位,交易地金额

How each column is read, and why:

- The dates are ``MM/DD`` (``MMDD`` in the e-mail bill) with no year: the year is the bill's,
  from the title (``2024年01月``, or ``(2024.01)`` in the English title), and a month after the
  bill's belongs to the year before (a January bill lists December's purchases). A bill without
  its title cannot date its rows, so the file is refused rather than guessed.
- 交易日 is when the money moved; a repayment has none and is dated by 记账日 (posted). Both are
  dates only: ``time_resolution_s`` is a day.
- 人民币金额 is signed from the bank's side: a purchase or transfer is positive and is money
  out of the card holder; a repayment or refund is negative and is money in. That is the
  opposite of a debit card's signed amount, so the direction is turned round here.
- 卡号末四位 is all the bill says of the card. Four digits fit millions of cards, so they are
  kept in ``account_raw`` and never become ``account``; case.toml ``owner`` or the file's name
  names the card (:mod:`linkage.load.readers.credit_cards`).
- 交易地金额 (``8,000.00(CN)``, the amount where it was spent, with its area) is kept as written
  in ``summary``.
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd

from linkage.errors import SourceError
from linkage.load.context import ReadResult, SourceContext
from linkage.load.formats import Format, register, signature
from linkage.load.readers.bank_statement_rows import reject_trailers, signed_amount
from linkage.load.readers.credit_cards import bill_days, card_columns, note_unknown_cards
from linkage.load.readers.personal_exports import constant
from linkage.load.tabular import Rows, read_tabular

SOLD = ("交易日",)
POSTED = ("记账日",)
DESCRIPTION = ("交易摘要",)
AMOUNT = ("人民币金额",)
CARD_END = ("卡号末四位",)
LOCAL_AMOUNT = ("交易地金额",)

BILL_MONTH = re.compile(r"((?:19|20)\d{2})\s*(?:年\s*|\.)(0?[1-9]|1[0-2])\s*[月)）]")
"""The bill's year and month in its title: ``2024年01月``, ``(2024.01)``."""

MONTH_DAY = re.compile(r"^\s*(\d{1,2})/(\d{1,2})\s*$|^\s*(\d{2})(\d{2})\s*$")
"""A day of the bill: ``12/29`` or ``1229``."""


def bill_month(rows: Rows) -> tuple[int, int]:
    """(year, month) of the bill, from its title.

    Raises
    ------
    SourceError
        If no line above the header names the bill's month.
    """
    for line in rows.raw.preamble:
        found = BILL_MONTH.search(line)
        if found:
            return int(found.group(1)), int(found.group(2))
    raise SourceError(
        f"{rows.context.spec.path}: a CMB credit card bill gives days as MM/DD; its title "
        "(招商银行信用卡对账单 … 2024年01月) must name the bill's month to date them, and none "
        "was found above the header"
    )


def dated(cells: pd.Series, year: int, month: int) -> pd.Series:
    """Days of the bill of ``year``-``month`` as ``YYYY-MM-DD``: a later month is the year
    before. A workbook cell Excel made a date (with a year of its own choosing when ``12/28``
    was typed) keeps only its month and day; a number (``103`` from ``0103``) is zero-padded.
    Other text is left as it is, and fails to parse as a time.

    >>> import datetime as dt
    >>> dated(pd.Series(["12/29", "01/05", "0103", 103, dt.datetime(2024, 12, 28), None]),
    ...       2024, 1).tolist()
    ['2023-12-29', '2024-01-05', '2024-01-03', '2024-01-03', '2023-12-28', None]
    """

    def on_the_bill(row_month: int, day: int) -> str:
        row_year = year - 1 if row_month > month else year
        return f"{row_year:04d}-{row_month:02d}-{day:02d}"

    def one(value: object) -> str | None:
        if isinstance(value, dt.date):
            return on_the_bill(value.month, value.day)
        if isinstance(value, int | float) and not isinstance(value, bool):
            if value != value:  # NaN: an empty numeric cell
                return None
            value = f"{int(value):04d}" if float(value).is_integer() else str(value)
        if not isinstance(value, str) or not value.strip():
            return None
        found = MONTH_DAY.match(value)
        if not found:
            return value
        row_month, day = (int(g) for g in found.groups() if g is not None)
        return on_the_bill(row_month, day)

    return pd.Series([one(v) for v in cells.tolist()], index=cells.index, dtype=object)


def interpret(rows: Rows) -> pd.DataFrame:
    """Map one CMB credit card bill onto the canonical transactions table."""
    rows.needs(POSTED, AMOUNT, CARD_END)  # a row may leave the columns after these off
    year, month = bill_month(rows)
    reject_trailers(rows, *SOLD)
    sold = dated(rows.cells(*SOLD), year, month)
    posted = dated(rows.cells(*POSTED), year, month)
    occurred = bill_days(rows, sold, posted, SOLD, POSTED)
    amount, bank_side = signed_amount(rows, *AMOUNT)
    direction = pd.Series(np.where(bank_side == "out", "in", "out"), index=rows.index, dtype=object)
    return pd.DataFrame(
        {
            **card_columns(rows, rows.identifier_raw(*CARD_END)),
            "occurred_at": occurred,
            "time_resolution_s": constant(rows, 86400),
            "amount_fen": amount,
            "direction": direction,
            "currency": constant(rows, "人民币"),
            "channel": rows.text(*DESCRIPTION),
            "summary": rows.text(*LOCAL_AMOUNT),
            "bank": constant(rows, "招商银行"),
        },
        index=rows.index,
    )


def read(context: SourceContext) -> ReadResult:
    """Read a CMB credit card bill."""
    return note_unknown_cards(read_tabular(context, "transactions", interpret))


FORMAT = register(
    Format(
        name="cmb_credit",
        kind="transactions",
        title="CMB credit card bill as a table (MM/DD days, year in the title, signed 人民币金额)",
        read=read,
        header=signature(SOLD, POSTED, AMOUNT, CARD_END),
        vocabulary=frozenset(SOLD + POSTED + DESCRIPTION + AMOUNT + CARD_END + LOCAL_AMOUNT),
    )
)
