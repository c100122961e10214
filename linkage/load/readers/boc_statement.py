"""A victim's own Bank of China statement download (中国银行 交易流水明细清单, CSV).

A title line precedes the header. 金额 is one signed column (``"-2,600.00"``: negative is money
out of the card), so the direction is the sign; a zero amount moved no money. Runs of dashes
stand for empty cells. 记账日期 and 记账时间 are separate columns, local to the bank (the source's
timezone).

Every row names the owner's card in 借记卡号, usually masked (``6226******5669``): a masked card
fits thousands of cards and is kept raw with a null account, never a join key; case.toml
``owner`` overrides it. The counterparty's card (对方卡号/账号) may be masked too and is handled
the same way.
"""

from __future__ import annotations

import pandas as pd

from linkage.load.context import ReadResult, SourceContext
from linkage.load.formats import Format, register, signature
from linkage.load.readers.bank_statement_rows import (
    counterparty_columns,
    owner_columns,
    reject_trailers,
    signed_amount,
)
from linkage.load.readers.personal_exports import constant, joined
from linkage.load.tabular import Rows, read_tabular

DATE = ("记账日期",)
CLOCK = ("记账时间",)
CURRENCY = ("币别",)
AMOUNT = ("金额",)
BALANCE = ("余额",)
KIND = ("交易名称",)
CHANNEL = ("渠道",)
BRANCH = ("网点名称",)
NOTE = ("附言",)
COUNTERPARTY_NAME = ("对方账户名",)
COUNTERPARTY_ACCOUNT = ("对方卡号/账号",)
COUNTERPARTY_BANK = ("对方开户行",)
CARD = ("借记卡号",)


def interpret(rows: Rows) -> pd.DataFrame:
    """Map one BOC statement table onto the canonical transactions table."""
    rows.needs(DATE, AMOUNT, BALANCE)  # a row may leave the columns after these off
    reject_trailers(rows, *DATE)
    occurred = rows.date_time(DATE, CLOCK)
    amount, direction = signed_amount(rows, *AMOUNT)
    return pd.DataFrame(
        {
            **owner_columns(rows, *CARD),
            **counterparty_columns(rows, COUNTERPARTY_ACCOUNT, COUNTERPARTY_NAME),
            "counterparty_bank": rows.text(*COUNTERPARTY_BANK),
            "occurred_at": occurred,
            "amount_fen": amount,
            "direction": direction,
            "balance_fen": rows.amount(*BALANCE, required=False),
            "currency": rows.text(*CURRENCY),
            "channel": rows.text(*CHANNEL),
            "summary": joined(rows.text(*KIND), rows.text(*NOTE), rows.text(*BRANCH)),
            "bank": constant(rows, "中国银行"),
        },
        index=rows.index,
    )


def read(context: SourceContext) -> ReadResult:
    """Read a BOC personal statement download."""
    return read_tabular(context, "transactions", interpret)


FORMAT = register(
    Format(
        name="boc_statement",
        kind="transactions",
        title="BOC personal statement download (signed 金额, 借记卡号 per row)",
        read=read,
        header=signature(DATE, CLOCK, AMOUNT, COUNTERPARTY_ACCOUNT, CARD),
        vocabulary=frozenset(
            DATE
            + CLOCK
            + CURRENCY
            + AMOUNT
            + BALANCE
            + KIND
            + CHANNEL
            + BRANCH
            + NOTE
            + COUNTERPARTY_NAME
            + COUNTERPARTY_ACCOUNT
            + COUNTERPARTY_BANK
            + CARD
        ),
    )
)
