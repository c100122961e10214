"""A victim's own Shanghai Pudong Development Bank statement download (浦发银行 交易明细, .xls).

SPDB's download is an old-style ``.xls`` of one sheet. Its first row is not a title but
label/value pairs in alternating cells (``账号 | 6200… | 账户类型 | 借记卡 | 日期范围 |
20251201-20251231``); the header follows. 交易日期 carries the time of day too, separated by two
spaces (``2025/12/03  14:06:51``), local to the bank (the source's timezone). Money is split
into 存入金额 (in) and 取出金额 (out), every cell text, the unused side empty. There is no 摘要
column: 交易类型 (``网上支付-支付宝``, ``汇入外``) is the transaction type, 附言 the remark.

The owner's account is the value beside ``账号`` in the first row when unmasked; case.toml
``owner`` wins over it. A ``合计`` trailer is rejected ``summary_row``, a row moving nothing
``no_money_moved``.
"""

from __future__ import annotations

import re

import pandas as pd

from linkage.load.context import ReadResult, SourceContext
from linkage.load.formats import Format, register, signature
from linkage.load.readers.bank_statement_rows import (
    counterparty_columns,
    reject_trailers,
    split_amount,
)
from linkage.load.readers.personal_exports import constant, mined, statement_owner
from linkage.load.tabular import Rows, read_tabular

SERIAL = ("顺序号",)
DATE = ("交易日期",)
KIND = ("交易类型",)
IN = ("存入金额",)
OUT = ("取出金额",)
BALANCE = ("余额",)
COUNTERPARTY_NAME = ("交易对手名称",)
COUNTERPARTY_ACCOUNT = ("交易对手账号",)
NOTE = ("附言",)

ACCOUNT_PAIR = re.compile(r"(?:^|,)\s*账\s*号\s*[,:：]\s*([0-9][0-9*]{5,})")
"""The owner's account in the first row, where label and value are neighbouring cells."""


def interpret(rows: Rows) -> pd.DataFrame:
    """Map one SPDB statement table onto the canonical transactions table."""
    rows.needs(DATE, IN, OUT, BALANCE)  # a row may leave the columns after these off
    reject_trailers(rows, *SERIAL)
    occurred = rows.time(*DATE)
    amount, direction = split_amount(rows, IN, OUT)
    owner, owner_raw = statement_owner(rows, mined(rows.raw.preamble, ACCOUNT_PAIR))
    return pd.DataFrame(
        {
            "account": constant(rows, owner),
            "account_raw": constant(rows, owner_raw),
            **counterparty_columns(rows, COUNTERPARTY_ACCOUNT, COUNTERPARTY_NAME),
            "occurred_at": occurred,
            "amount_fen": amount,
            "direction": direction,
            "balance_fen": rows.amount(*BALANCE, required=False),
            "channel": rows.text(*KIND),
            "summary": rows.text(*NOTE),
            "bank": constant(rows, "上海浦东发展银行"),
        },
        index=rows.index,
    )


def read(context: SourceContext) -> ReadResult:
    """Read an SPDB personal statement download."""
    return read_tabular(context, "transactions", interpret)


FORMAT = register(
    Format(
        name="spdb_statement",
        kind="transactions",
        title="SPDB personal statement download (.xls, split 存入金额/取出金额)",
        read=read,
        header=signature(DATE, IN, OUT, COUNTERPARTY_ACCOUNT),
        vocabulary=frozenset(
            SERIAL
            + DATE
            + KIND
            + IN
            + OUT
            + BALANCE
            + COUNTERPARTY_NAME
            + COUNTERPARTY_ACCOUNT
            + NOTE
        ),
    )
)
