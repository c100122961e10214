"""A victim's own Alipay bill (支付宝交易明细), as the app exports it.

GB18030 text with 24 preamble lines (owner's name, ``支付宝账户：…``, period, counts, notes)
above a space-padded header; every line ends in a comma, and ids end in ``\\t`` to stay text in
Excel. The preamble's 支付宝账户 is the statement owner when case.toml gives no ``owner``.

收/支 is ``支出`` (out), ``收入`` (in) or ``不计收支``: a refund, a fund sale into 余额宝 or a
move between the owner's own purses, which pays no counterparty and is rejected
``no_money_moved``. So is a ``交易关闭`` row, whatever its 收/支: a closed trade was never paid.
对方账号 is usually masked (``rim***@qq.com``): kept raw, never a key.
"""

from __future__ import annotations

import re

import pandas as pd

from linkage.load import columns
from linkage.load.context import ReadResult, SourceContext
from linkage.load.formats import Format, register, signature
from linkage.load.readers.bank_accounts import normalized
from linkage.load.readers.bank_statement_rows import counterparty_columns
from linkage.load.readers.personal_exports import constant, joined, mined, statement_owner
from linkage.load.tabular import Rows, read_tabular
from linkage.normalize import normalize_name
from linkage.rejects import RejectReason

TIME = ("交易时间",)
CATEGORY = ("交易分类",)
COUNTERPARTY = ("交易对方",)
COUNTERPARTY_ACCOUNT = ("对方账号",)
GOODS = ("商品说明",)
FLAG = ("收/支",)
AMOUNT = ("金额", "金额(元)")
METHOD = ("收/付款方式",)
STATUS = ("交易状态",)
SERIAL = ("交易订单号",)
MERCHANT_ORDER = ("商家订单号",)
NOTE = ("备注",)

DIRECTIONS = {"支出": "out", "收入": "in"}
NEUTRAL = "不计收支"
CLOSED = re.compile(r"交易关闭")
OWNER_LINE = re.compile(r"支付宝账户[:：]\s*([^\s,]+)")
NAME_LINE = re.compile(r"^\s*姓名[:：]\s*([^\s,]+)")


def interpret(rows: Rows) -> pd.DataFrame:
    """Map one Alipay bill table onto the canonical transactions table."""
    rows.needs(TIME, FLAG, AMOUNT, STATUS)  # a row may leave the columns after these off
    status = rows.text(*STATUS)
    closed = columns.matches(status, CLOSED.pattern)
    rows.reject(closed, RejectReason.NO_MONEY_MOVED, *STATUS)
    rows.reject(rows.text(*FLAG) == NEUTRAL, RejectReason.NO_MONEY_MOVED, *FLAG)
    occurred = rows.time(*TIME)
    amount = rows.amount(*AMOUNT).abs()
    rows.reject(amount == 0, RejectReason.NO_MONEY_MOVED, *AMOUNT)
    direction = rows.flag(DIRECTIONS, *FLAG)
    account, account_raw = statement_owner(rows, mined(rows.raw.preamble, OWNER_LINE))
    holder = mined(rows.raw.preamble, NAME_LINE)
    return pd.DataFrame(
        {
            "account": constant(rows, account),
            "account_raw": constant(rows, account_raw),
            "holder_name": normalized(constant(rows, holder), normalize_name),
            **counterparty_columns(rows, COUNTERPARTY_ACCOUNT, COUNTERPARTY),
            "occurred_at": occurred,
            "amount_fen": amount,
            "direction": direction,
            "channel": rows.text(*METHOD),
            "summary": joined(rows.text(*CATEGORY), rows.text(*GOODS), rows.text(*NOTE)),
            "serial_no": rows.text(*SERIAL),
            "status_raw": status,
            "bank": constant(rows, "支付宝"),
        },
        index=rows.index,
    )


def read(context: SourceContext) -> ReadResult:
    """Read an Alipay bill export."""
    return read_tabular(context, "transactions", interpret)


FORMAT = register(
    Format(
        name="alipay_bill",
        kind="transactions",
        title="Alipay personal bill export (支付宝交易明细)",
        read=read,
        header=signature(SERIAL, MERCHANT_ORDER),
        vocabulary=frozenset(
            TIME
            + CATEGORY
            + COUNTERPARTY
            + COUNTERPARTY_ACCOUNT
            + GOODS
            + FLAG
            + AMOUNT
            + METHOD
            + STATUS
            + SERIAL
            + MERCHANT_ORDER
            + NOTE
        ),
    )
)
