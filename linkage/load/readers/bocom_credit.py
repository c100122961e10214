"""A victim's Bank of Communications credit card bill (交通银行信用卡账单), as a table.

The bill as a table, one row per transaction::

    交易日期,记账日期,交易说明,交易币种/金额,入账币种/金额

How each column is read, and why:

- The dates are dates only (``2024-01-03``, or ``2024/01/03``): ``time_resolution_s`` is a day.
  A row without 交易日期 is dated by 记账日期.
- Each amount cell holds a currency and a number (``CNY 123.18``). 入账币种/金额 is what the
  card was charged or credited in its own currency: it is the amount. A purchase abroad is
  written in its own currency in 交易币种/金额 (``USD 12.00``) and settled in yuan
  (``CNY 86.50``): the settled yuan are ``amount_fen``, and the original is kept in
  ``original_amount_fen`` and ``original_currency``.
- Direction: a repayment (还款), a refund (退货, 退款) or a credit the bank writes negative
  (``CNY -86.50``) is money in; a purchase, cash advance (取现, even of an overpayment) or fee
  is money out.
- The bill does not name its card on the rows: the card comes from case.toml ``owner`` or the
  file's name (:mod:`linkage.load.readers.credit_cards`), and the notes say when it cannot be
  known.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from linkage.load import columns
from linkage.load.context import ReadResult, SourceContext
from linkage.load.formats import Format, register, signature
from linkage.load.readers.bank_statement_rows import reject_trailers
from linkage.load.readers.credit_cards import bill_days, card_columns, note_unknown_cards
from linkage.load.readers.personal_exports import constant
from linkage.load.tabular import Rows, read_tabular
from linkage.rejects import RejectReason

SOLD = ("交易日期",)
POSTED = ("记账日期",)
DESCRIPTION = ("交易说明",)
SPENT = ("交易币种/金额",)
SETTLED = ("入账币种/金额",)

CURRENCY_AND_NUMBER = (
    r"^\s*(?P<currency>[A-Za-z]{3}|[^\d\s.,+-]+)?\s*(?P<number>[-+]?[\d,]*\.?\d+)\s*$"
)
"""An amount cell: an optional currency (``CNY``, ``USD``, ``人民币``) then a signed number."""

CREDIT_WORDS = "还款|退货|退款|存入|溢缴款存入"
"""Words of a description that make a row money in: repayments, refunds, deposits."""
DEBIT_WORDS = "取现|提现|转出"
"""Words that keep a row money out even beside a credit word (``溢缴款取现``: taking an
overpayment out in cash)."""
SAME_CURRENCY = {"RMB": "CNY", "人民币": "CNY", "CNY": "CNY"}
"""Ways a bill writes the yuan: a purchase in yuan settled in yuan is not a purchase abroad."""


def currency_and_amount(
    rows: Rows, aliases: tuple[str, ...], required: bool
) -> tuple[pd.Series, pd.Series]:
    """(currency, signed fen) of a ``CNY 123.18`` column.

    A required column rejects its row when empty (``missing_value``) or unreadable
    (``bad_amount``); an optional one is null there.
    """
    cells = rows.text(*aliases).astype(object)
    parts = cells.str.extract(CURRENCY_AND_NUMBER)
    number = parts["number"].where(parts["number"].notna(), cells)
    fen, errors = columns.amounts(pd.Series(number, index=rows.index, dtype=object))
    currency = parts["currency"].where(parts["currency"].notna(), None).astype(object)
    if not required:
        return currency, fen.where(errors.isna())
    name = rows.pick(*aliases) or aliases[0]
    raw = rows.cells(*aliases)
    fen = rows.ledger.require(rows.ledger.take(fen, errors, name, raw), name, raw)
    return currency, fen


def interpret(rows: Rows) -> pd.DataFrame:
    """Map one BOCOM credit card bill onto the canonical transactions table."""
    reject_trailers(rows, *SOLD)
    occurred = bill_days(rows, rows.text(*SOLD), rows.text(*POSTED), SOLD, POSTED)
    currency, settled = currency_and_amount(rows, SETTLED, required=True)
    rows.reject(settled.eq(0).fillna(False).astype(bool), RejectReason.NO_MONEY_MOVED, *SETTLED)
    spent_currency, spent = currency_and_amount(rows, SPENT, required=False)
    description = rows.text(*DESCRIPTION)
    named_credit = columns.matches(description, CREDIT_WORDS)
    credit = (named_credit & ~columns.matches(description, DEBIT_WORDS)) | settled.fillna(0).lt(0)
    spent_in, settled_in = (c.replace(SAME_CURRENCY) for c in (spent_currency, currency))
    abroad = spent_in.notna() & settled_in.notna() & spent_in.ne(settled_in)
    return pd.DataFrame(
        {
            **card_columns(rows, pd.Series(None, index=rows.index, dtype=object)),
            "occurred_at": occurred,
            "time_resolution_s": constant(rows, 86400),
            "amount_fen": settled.abs(),
            "direction": pd.Series(np.where(credit, "in", "out"), index=rows.index, dtype=object),
            "currency": currency,
            "original_amount_fen": spent.abs().where(abroad),
            "original_currency": spent_currency.where(abroad, None),
            "summary": description,
            "bank": constant(rows, "交通银行"),
        },
        index=rows.index,
    )


def read(context: SourceContext) -> ReadResult:
    """Read a BOCOM credit card bill."""
    return note_unknown_cards(read_tabular(context, "transactions", interpret))


FORMAT = register(
    Format(
        name="bocom_credit",
        kind="transactions",
        title="BOCOM credit card bill (currency and amount in one cell, settled in 入账币种/金额)",
        read=read,
        header=signature(SOLD, POSTED, SPENT, SETTLED),
        vocabulary=frozenset(SOLD + POSTED + DESCRIPTION + SPENT + SETTLED),
    )
)
