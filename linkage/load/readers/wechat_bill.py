"""A victim's own WeChat Pay bill (微信支付账单), as the app exports it (CSV or xlsx).

The CSV has 16 preamble lines (nickname, period, counts, notes) above the header; the xlsx has
17 and says ``本账单中所有时间均为UTC+08:00时间``. Some xlsx exports carry two sheets with the same
rows (one with a ``Column1``…``Column11`` row on top and text amounts ``¥28.16``, one with
numeric amounts); each recognisable sheet is read, and duplicates across them are left to the
deduplication step like any overlap.

收/支 says whose money moved: ``支出`` (out), ``收入`` (in), or ``/`` for a *neutral* entry
(top-up, withdrawal, 零钱通 moves, card repayment), which moves money only between the owner's
own purses and pays no one: rejected ``no_money_moved``. Times are the bill's own zone: when the
preamble states ``UTC+08:00`` that offset is used, else the source's timezone. The owner's
account comes only from ``owner =`` in case.toml, because the bill names its owner by nickname.
"""

from __future__ import annotations

import dataclasses
import re

import pandas as pd

from linkage.load.context import ReadResult, SourceContext
from linkage.load.formats import Format, register, signature
from linkage.load.readers.bank_accounts import normalized
from linkage.load.readers.personal_exports import constant, joined, statement_owner
from linkage.load.tabular import Rows, read_tabular
from linkage.normalize import normalize_name
from linkage.rejects import RejectReason

TIME = ("交易时间",)
TYPE = ("交易类型",)
COUNTERPARTY = ("交易对方",)
GOODS = ("商品",)
FLAG = ("收/支",)
AMOUNT = ("金额(元)", "金额")
METHOD = ("支付方式",)
STATUS = ("当前状态",)
SERIAL = ("交易单号",)
MERCHANT_ORDER = ("商户单号",)
NOTE = ("备注",)

DIRECTIONS = {"支出": "out", "收入": "in"}
STATED_OFFSET = re.compile(r"UTC([+-])(\d{1,2}):00")


def stated_zone(preamble: list[str]) -> str | None:
    """The zone a bill's notes declare its times in, as an ``Etc/GMT`` name.

    ``Etc/GMT`` names count west-positive, so ``UTC+08:00`` is ``Etc/GMT-8``.

    >>> stated_zone(["4. 本账单中所有时间均为UTC+08:00时间"])
    'Etc/GMT-8'
    >>> stated_zone(["微信昵称：[测试]"]) is None
    True
    """
    for line in preamble:
        match = STATED_OFFSET.search(line)
        if match:
            hours = int(match.group(2))
            if hours == 0:
                return "UTC"
            return f"Etc/GMT{'-' if match.group(1) == '+' else '+'}{hours}"
    return None


def interpret(rows: Rows) -> pd.DataFrame:
    """Map one WeChat bill table onto the canonical transactions table."""
    rows.needs(TIME, FLAG, AMOUNT, STATUS)  # a row may leave the columns after these off
    zone = stated_zone(rows.raw.preamble)
    if zone:
        rows = Rows(rows.raw, rows.ledger, dataclasses.replace(rows.context, timezone=zone))
    rows.reject(rows.text(*FLAG).isna(), RejectReason.NO_MONEY_MOVED, *FLAG)
    occurred = rows.time(*TIME)
    amount = rows.amount(*AMOUNT).abs()
    rows.reject(amount == 0, RejectReason.NO_MONEY_MOVED, *AMOUNT)
    direction = rows.flag(DIRECTIONS, *FLAG)
    account, account_raw = statement_owner(rows)
    return pd.DataFrame(
        {
            "account": constant(rows, account),
            "account_raw": constant(rows, account_raw),
            "counterparty_name": normalized(rows.text(*COUNTERPARTY), normalize_name),
            "occurred_at": occurred,
            "amount_fen": amount,
            "direction": direction,
            "channel": rows.text(*METHOD),
            "summary": joined(rows.text(*TYPE), rows.text(*GOODS), rows.text(*NOTE)),
            "serial_no": rows.text(*SERIAL),
            "status_raw": rows.text(*STATUS),
            "bank": constant(rows, "微信支付"),
        },
        index=rows.index,
    )


def read(context: SourceContext) -> ReadResult:
    """Read a WeChat Pay bill export (CSV or xlsx)."""
    return read_tabular(context, "transactions", interpret)


FORMAT = register(
    Format(
        name="wechat_bill",
        kind="transactions",
        title="WeChat Pay personal bill export (微信支付账单明细), CSV or xlsx",
        read=read,
        header=signature(SERIAL, MERCHANT_ORDER),
        vocabulary=frozenset(
            TIME
            + TYPE
            + COUNTERPARTY
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
