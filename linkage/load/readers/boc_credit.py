"""A victim's Bank of China credit card bill (中国银行信用卡账单), as a table.

A victim who pays from a credit card (a cash advance, a card transfer) hands in the bill, one
title line and a header::

    中国银行信用卡账单(2024年01月)
    交易日,银行记账日,卡号后四位,交易描述,存入,支出,币种

How each column is read, and why:

- 交易日 and 银行记账日 are dates (``2024-01-03``) with no time: ``time_resolution_s`` is a day.
  A row without 交易日 (a fee, a repayment posted by the bank) is dated by 银行记账日.
- 存入 is money in (a repayment, a refund) and 支出 money out (a purchase, a cash advance): one
  of them holds the amount, as in a debit statement's split columns; both filled is
  ``malformed_row``.
- 卡号后四位 is all a row says of the card: the card comes from case.toml ``owner`` or the file's
  name (:mod:`linkage.load.readers.credit_cards`), and the notes say when it cannot be known.
- 交易描述 is the merchant, often with the country it was spent in at its end
  (``财付通-美团 CHN``): the code is split off and kept after the merchant in ``summary``.
"""

from __future__ import annotations

import pandas as pd

from linkage.load.context import ReadResult, SourceContext
from linkage.load.formats import Format, register, signature
from linkage.load.readers.bank_statement_rows import reject_trailers, split_amount
from linkage.load.readers.credit_cards import bill_days, card_columns, note_unknown_cards
from linkage.load.readers.personal_exports import constant, joined
from linkage.load.tabular import Rows, read_tabular

SOLD = ("交易日",)
POSTED = ("银行记账日",)
CARD_END = ("卡号后四位",)
DESCRIPTION = ("交易描述",)
PAID_IN = ("存入",)
PAID_OUT = ("支出",)
CURRENCY = ("币种",)

COUNTRY_AT_END = r"^(?P<merchant>.*?)\s+(?P<country>[A-Z]{3})$"
"""A merchant text ending in an ISO country code (``CHN``, ``HKG``, ``USA``)."""


def merchant_and_country(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """The merchant without its trailing country code, and the code (None when there is none).

    >>> merchant, country = merchant_and_country(pd.Series(["财付通-美团 CHN", "还款", None]))
    >>> merchant.tolist(), country.tolist()
    (['财付通-美团', '还款', None], ['CHN', None, None])
    """
    parts = text.astype(object).str.extract(COUNTRY_AT_END)
    merchant = parts["merchant"].where(parts["merchant"].notna(), text.astype(object))
    country = parts["country"].astype(object)
    return merchant.where(merchant.notna(), None), country.where(country.notna(), None)


def interpret(rows: Rows) -> pd.DataFrame:
    """Map one BOC credit card bill onto the canonical transactions table."""
    rows.needs(SOLD, POSTED, CARD_END, PAID_IN)  # a row may leave the columns after these off
    reject_trailers(rows, *SOLD)
    occurred = bill_days(rows, rows.text(*SOLD), rows.text(*POSTED), SOLD, POSTED)
    amount, direction = split_amount(rows, PAID_IN, PAID_OUT)
    merchant, country = merchant_and_country(rows.text(*DESCRIPTION))
    return pd.DataFrame(
        {
            **card_columns(rows, rows.identifier_raw(*CARD_END)),
            "occurred_at": occurred,
            "time_resolution_s": constant(rows, 86400),
            "amount_fen": amount,
            "direction": direction,
            "currency": rows.text(*CURRENCY),
            "summary": joined(merchant, country),
            "bank": constant(rows, "中国银行"),
        },
        index=rows.index,
    )


def read(context: SourceContext) -> ReadResult:
    """Read a BOC credit card bill."""
    return note_unknown_cards(read_tabular(context, "transactions", interpret))


FORMAT = register(
    Format(
        name="boc_credit",
        kind="transactions",
        title="BOC credit card bill (交易日 dates, 存入/支出 columns, 卡号后四位)",
        read=read,
        header=signature(SOLD, POSTED, CARD_END, PAID_IN, PAID_OUT),
        vocabulary=frozenset(
            SOLD + POSTED + CARD_END + DESCRIPTION + PAID_IN + PAID_OUT + CURRENCY
        ),
    )
)
