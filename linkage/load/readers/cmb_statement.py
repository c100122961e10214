"""A victim's own China Merchants Bank debit card statement (招商银行 交易流水, CSV).

Not the CMB police return (``cmb_police``, with its ``交易方向(D:借|C:贷)`` flag): this is what
the card holder downloads. 交易金额 is signed (negative is money out), so the direction is the
sign; a zero amount moved no money. 记账日期 is a date only: the time is the start of that day in
the source's timezone, so a match on it must allow the whole day.

对手信息 holds the counterparty's name and account in one cell (``张三 66666666666666``): they
are split, the account normalized when whole and kept raw (never a key) when masked. The owner's
card comes from case.toml ``owner``, else from the preamble (``账号：``) when unmasked.
"""

from __future__ import annotations

import pandas as pd

from linkage.load.context import ReadResult, SourceContext
from linkage.load.formats import Format, register, signature
from linkage.load.readers.bank_accounts import normalized
from linkage.load.readers.bank_statement_rows import (
    owner_columns,
    reject_trailers,
    signed_amount,
    split_counterparty,
)
from linkage.load.readers.personal_exports import constant, joined
from linkage.load.tabular import Rows, read_tabular
from linkage.normalize import normalize_account, normalize_name

DATE = ("记账日期",)
CURRENCY = ("货币",)
AMOUNT = ("交易金额",)
BALANCE = ("联机余额",)
SUMMARY = ("交易摘要",)
COUNTERPARTY = ("对手信息",)
NOTE = ("客户摘要",)
POLICE_FLAG = "交易方向(D:借|C:贷)"


def interpret(rows: Rows) -> pd.DataFrame:
    """Map one CMB debit statement table onto the canonical transactions table."""
    rows.needs(DATE, AMOUNT, BALANCE)  # a row may leave the columns after these off
    reject_trailers(rows, *DATE)
    occurred = rows.time(*DATE)
    amount, direction = signed_amount(rows, *AMOUNT)
    name, account_raw = split_counterparty(rows.cells(*COUNTERPARTY))
    return pd.DataFrame(
        {
            **owner_columns(rows),
            "counterparty_account": normalized(account_raw, normalize_account),
            "counterparty_account_raw": account_raw,
            "counterparty_name": normalized(name, normalize_name),
            "occurred_at": occurred,
            "time_resolution_s": constant(rows, 86400),
            "amount_fen": amount,
            "direction": direction,
            "balance_fen": rows.amount(*BALANCE, required=False),
            "currency": rows.text(*CURRENCY),
            "channel": rows.text(*SUMMARY),
            "summary": joined(rows.text(*NOTE)),
            "bank": constant(rows, "招商银行"),
        },
        index=rows.index,
    )


def read(context: SourceContext) -> ReadResult:
    """Read a CMB debit card statement download."""
    return read_tabular(context, "transactions", interpret)


FORMAT = register(
    Format(
        name="cmb_statement",
        kind="transactions",
        title="CMB debit card statement download (signed 交易金额, 对手信息 = name + account)",
        read=read,
        header=signature(DATE, AMOUNT, BALANCE, COUNTERPARTY, NOTE, excludes=(POLICE_FLAG,)),
        vocabulary=frozenset(DATE + CURRENCY + AMOUNT + BALANCE + SUMMARY + COUNTERPARTY + NOTE),
    )
)
