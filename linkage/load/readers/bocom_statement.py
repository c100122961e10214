"""A victim's own Bank of Communications debit card statement (交通银行 借记卡交易明细, CSV).

Layout as in double-entry-generator's public example: a header starting with 序号, then
``序号,交易日期,交易时间,交易类型,借贷,交易金额,余额,对方账号,对方户名,交易地点,摘要``. The
amount is unsigned; the direction is the bilingual flag 借贷 (``借 Dr`` money out, ``贷 Cr``
money in), so an unknown flag rejects the row ``bad_direction`` rather than guess. A signed
amount is taken by its absolute value: the flag is trusted, as with bank returns. A zero amount
moved no money. Date and time are separate columns, local to the bank (the source's timezone).

The export names no owner card: the owner comes from case.toml ``owner``, else from a preamble
``账号：`` line when one is present and unmasked.
"""

from __future__ import annotations

import pandas as pd

from linkage.load.context import ReadResult, SourceContext
from linkage.load.formats import Format, register, signature
from linkage.load.readers.bank_statement_rows import (
    counterparty_columns,
    owner_columns,
    reject_trailers,
)
from linkage.load.readers.personal_exports import constant, joined
from linkage.load.tabular import Rows, read_tabular
from linkage.rejects import RejectReason

NUMBER = ("序号",)
DATE = ("交易日期",)
CLOCK = ("交易时间",)
KIND = ("交易类型",)
FLAG = ("借贷",)
AMOUNT = ("交易金额",)
BALANCE = ("余额",)
COUNTERPARTY_ACCOUNT = ("对方账号",)
COUNTERPARTY_NAME = ("对方户名",)
PLACE = ("交易地点",)
SUMMARY = ("摘要",)

DIRECTIONS = {
    "借 Dr": "out",
    "借Dr": "out",
    "借": "out",
    "Dr": "out",
    "贷 Cr": "in",
    "贷Cr": "in",
    "贷": "in",
    "Cr": "in",
}
"""借贷 flags as exported (bilingual) and as a hand-edited copy may shorten them."""


def interpret(rows: Rows) -> pd.DataFrame:
    """Map one BOCOM statement table onto the canonical transactions table."""
    rows.needs(DATE, AMOUNT, BALANCE)  # a row may leave the columns after these off
    reject_trailers(rows, *NUMBER)
    reject_trailers(rows, *DATE)
    occurred = rows.date_time(DATE, CLOCK)
    direction = rows.flag(DIRECTIONS, *FLAG)
    fen = rows.amount(*AMOUNT)
    rows.reject(fen.eq(0).fillna(False).astype(bool), RejectReason.NO_MONEY_MOVED, *AMOUNT)
    return pd.DataFrame(
        {
            **owner_columns(rows),
            **counterparty_columns(rows, COUNTERPARTY_ACCOUNT, COUNTERPARTY_NAME),
            "occurred_at": occurred,
            "amount_fen": fen.abs(),
            "direction": direction,
            "balance_fen": rows.amount(*BALANCE, required=False),
            "channel": rows.text(*KIND),
            "summary": joined(rows.text(*PLACE), rows.text(*SUMMARY)),
            "bank": constant(rows, "交通银行"),
        },
        index=rows.index,
    )


def read(context: SourceContext) -> ReadResult:
    """Read a BOCOM debit card statement download."""
    return read_tabular(context, "transactions", interpret)


FORMAT = register(
    Format(
        name="bocom_statement",
        kind="transactions",
        title="BOCOM debit card statement download (借贷 借 Dr / 贷 Cr)",
        read=read,
        header=signature(FLAG, AMOUNT, KIND, COUNTERPARTY_NAME, DATE),
        vocabulary=frozenset(
            NUMBER
            + DATE
            + CLOCK
            + KIND
            + FLAG
            + AMOUNT
            + BALANCE
            + COUNTERPARTY_ACCOUNT
            + COUNTERPARTY_NAME
            + PLACE
            + SUMMARY
        ),
    )
)
