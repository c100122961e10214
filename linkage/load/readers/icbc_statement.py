"""A victim's own ICBC statement download (工商银行明细查询文件下载): debit (two layouts) or credit.

Six preamble lines name the card, masked (``卡号: 1234****9876``), so the owner's account comes
from case.toml's ``owner`` or, when a download shows the full number, from that line. Every cell
is right-padded and ends in ``\\t``; every data line ends in a comma; a blank line and a trailer
(``人民币合计`` debit, ``合计金额`` credit) close the file and are rejected ``summary_row`` or
``blank_row``.

The money is read from 记账金额(收入)/(支出), the amount booked to the account in its currency:
交易金额 is the amount in the merchant's currency and is ``-`` (null) on debit downloads. Exactly
one side must hold a non-zero amount. 交易日期 is a date only; the time is taken as the start of
that day in the source's timezone, so a match on it must allow the whole day. 余额 may be the
placeholder ``xx,yyyy.zz`` an anonymised download shows: the balance is optional and becomes
null, the row is kept. 对方账户 (layout 2) is masked: kept raw, never a key.
"""

from __future__ import annotations

import re

import pandas as pd

from linkage.load import columns
from linkage.load.context import ReadResult, SourceContext
from linkage.load.formats import Format, register, signature
from linkage.load.raw import TRAILER_WORDS
from linkage.load.readers.bank_statement_rows import counterparty_columns
from linkage.load.readers.personal_exports import constant, joined, mined, statement_owner
from linkage.load.tabular import Rows, read_tabular
from linkage.rejects import RejectReason

DATE = ("交易日期",)
POSTED = ("记账日期",)
SUMMARY = ("摘要",)
DETAIL = ("交易详情",)
PLACE = ("交易场所",)
COUNTRY = ("交易国家或地区简称",)
CASH = ("钞/汇",)
IN = ("记账金额(收入)",)
OUT = ("记账金额(支出)",)
ORIGINAL = ("交易金额(收入)", "交易金额(支出)", "交易币种")
CURRENCY = ("记账币种",)
BALANCE = ("余额",)
COUNTERPARTY_NAME = ("对方户名",)
COUNTERPARTY_ACCOUNT = ("对方账户",)

CARD_LINE = re.compile(r"卡号[:：]\s*([^\s,\"]+)")


def _booked(rows: Rows, aliases: tuple[str, ...]) -> pd.Series:
    """One 记账金额 side in fen: unreadable amounts reject the row, empty ones are null."""
    cells = rows.cells(*aliases)
    results, errors = columns.amounts(cells, "yuan")
    return rows.ledger.take(results, errors, rows.pick(*aliases) or aliases[0], cells)


def interpret(rows: Rows) -> pd.DataFrame:
    """Map one ICBC statement table onto the canonical transactions table."""
    rows.needs(DATE, BALANCE)  # a row may leave the columns after these off
    trailer = columns.matches(rows.cells(*DATE), "^(?:" + "|".join(TRAILER_WORDS) + ")")
    rows.reject(trailer, RejectReason.SUMMARY_ROW, *DATE)
    occurred = rows.time(*DATE)
    credit, debit = _booked(rows, IN), _booked(rows, OUT)
    has_in = credit.notna() & credit.ne(0)
    has_out = debit.notna() & debit.ne(0)
    rows.reject(has_in & has_out, RejectReason.MALFORMED_ROW, *OUT)
    nothing = ~has_in & ~has_out
    rows.reject(nothing & (credit.notna() | debit.notna()), RejectReason.NO_MONEY_MOVED, *IN)
    rows.reject(nothing, RejectReason.MISSING_VALUE, *IN)
    has_in = has_in.fillna(False).astype(bool)
    amount = credit.where(has_in, debit).abs()
    direction = has_in.map({True: "in", False: "out"}).astype(object)
    account, account_raw = statement_owner(rows, mined(rows.raw.preamble, CARD_LINE))
    return pd.DataFrame(
        {
            "account": constant(rows, account),
            "account_raw": constant(rows, account_raw),
            **counterparty_columns(rows, COUNTERPARTY_ACCOUNT, COUNTERPARTY_NAME),
            "occurred_at": occurred,
            "time_resolution_s": constant(rows, 86400),
            "amount_fen": amount,
            "direction": direction,
            "balance_fen": rows.amount(*BALANCE, required=False),
            "currency": rows.text(*CURRENCY),
            "channel": rows.text(*SUMMARY),
            "summary": joined(rows.text(*DETAIL), rows.text(*PLACE)),
            "bank": constant(rows, "中国工商银行"),
        },
        index=rows.index,
    )


def read(context: SourceContext) -> ReadResult:
    """Read an ICBC statement download (debit v1/v2 or credit card)."""
    return read_tabular(context, "transactions", interpret)


FORMAT = register(
    Format(
        name="icbc_statement",
        kind="transactions",
        title="ICBC personal statement download (debit v1/v2, credit card)",
        read=read,
        header=signature(IN, OUT, DATE),
        vocabulary=frozenset(
            DATE
            + POSTED
            + SUMMARY
            + DETAIL
            + PLACE
            + COUNTRY
            + CASH
            + IN
            + OUT
            + ORIGINAL
            + CURRENCY
            + BALANCE
            + COUNTERPARTY_NAME
            + COUNTERPARTY_ACCOUNT
        ),
    )
)
