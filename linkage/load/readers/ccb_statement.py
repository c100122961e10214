"""A victim's own China Construction Bank statement download (建设银行 活期账户交易明细, .xls).

CCB's app and counter print the statement as an old-style ``.xls``: five preamble rows name the
account (``账　　号：`` with U+3000 padding) and the holder (``户　　名：``), then a header whose
cells are padded with spaces, then the rows. The date (``20250101``) and the time of day
(``18:53:19``) are separate columns, local to the bank (the source's timezone); 支出/收入 are
numeric cells on two sides, so the direction is the side that holds the money. 记账日 is the
posting date, kept out of the time: the transfer happened at 交易日期 + 交易时间.

The preamble card is the owner's account when unmasked; case.toml ``owner`` wins over it. A
``合计`` trailer is rejected ``summary_row``, a row with nothing moved ``no_money_moved``.
"""

from __future__ import annotations

import pandas as pd

from linkage.load.context import ReadResult, SourceContext
from linkage.load.formats import Format, register, signature
from linkage.load.readers.bank_statement_rows import (
    counterparty_columns,
    owner_columns,
    reject_trailers,
    split_amount,
)
from linkage.load.readers.personal_exports import constant
from linkage.load.tabular import Rows, read_tabular

POSTED = ("记账日",)
DATE = ("交易日期",)
CLOCK = ("交易时间",)
OUT = ("支出",)
IN = ("收入",)
BALANCE = ("账户余额",)
CURRENCY = ("币种",)
SUMMARY = ("摘要",)
COUNTERPARTY_ACCOUNT = ("对方账号",)
COUNTERPARTY_NAME = ("对方户名",)
PLACE = ("交易地点",)


def interpret(rows: Rows) -> pd.DataFrame:
    """Map one CCB statement table onto the canonical transactions table."""
    rows.needs(DATE, BALANCE)  # a row may leave the columns after these off
    reject_trailers(rows, *POSTED)
    occurred = rows.date_time(DATE, CLOCK)
    amount, direction = split_amount(rows, IN, OUT)
    return pd.DataFrame(
        {
            **owner_columns(rows),
            **counterparty_columns(rows, COUNTERPARTY_ACCOUNT, COUNTERPARTY_NAME),
            "occurred_at": occurred,
            "amount_fen": amount,
            "direction": direction,
            "balance_fen": rows.amount(*BALANCE, required=False),
            "currency": rows.text(*CURRENCY),
            "channel": rows.text(*SUMMARY),
            "summary": rows.text(*PLACE),
            "bank": constant(rows, "中国建设银行"),
        },
        index=rows.index,
    )


def read(context: SourceContext) -> ReadResult:
    """Read a CCB personal statement download."""
    return read_tabular(context, "transactions", interpret)


FORMAT = register(
    Format(
        name="ccb_statement",
        kind="transactions",
        title="CCB personal statement download (.xls, split 支出/收入)",
        read=read,
        header=signature(POSTED, DATE, OUT, IN, BALANCE),
        vocabulary=frozenset(
            POSTED
            + DATE
            + CLOCK
            + OUT
            + IN
            + BALANCE
            + CURRENCY
            + SUMMARY
            + COUNTERPARTY_ACCOUNT
            + COUNTERPARTY_NAME
            + PLACE
        ),
    )
)
