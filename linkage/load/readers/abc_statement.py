"""A victim's own Agricultural Bank of China statement download (农业银行 账户明细, CSV/xls).

The date (``20240101``) and the time of day (``123456``, sometimes empty: the day's start) are
separate columns, local to the bank (the source's timezone). 交易金额 is signed (``+10000.00``
in, ``-2600.00`` out), so the direction is the sign; a zero amount moved no money. ``--`` stands
for an empty cell. The header's ``日 志 号`` is read as 日志号 (header cleaning drops the spaces)
and is the bank's serial number. The signature leaves out 交易金额 and 交易时间, words many
banks share: 本次余额, 对手信息 and 日志号 are ABC's own.

对手信息 holds the counterparty, a name and sometimes an account after it: the account is split
off and normalized when it is a whole number, kept raw (never a key) when masked. The owner's
card comes from case.toml ``owner``, else from the preamble (``账户：``) when unmasked.
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

DATE = ("交易日期",)
CLOCK = ("交易时间",)
SUMMARY = ("交易摘要",)
AMOUNT = ("交易金额",)
BALANCE = ("本次余额",)
COUNTERPARTY = ("对手信息",)
SERIAL = ("日志号",)
CHANNEL = ("交易渠道",)
NOTE = ("交易附言",)


def interpret(rows: Rows) -> pd.DataFrame:
    """Map one ABC statement table onto the canonical transactions table."""
    rows.needs(DATE, AMOUNT, BALANCE)  # a row may leave the columns after these off
    reject_trailers(rows, *DATE)
    occurred = rows.date_time(DATE, CLOCK)
    amount, direction = signed_amount(rows, *AMOUNT)
    name, account_raw = split_counterparty(rows.cells(*COUNTERPARTY))
    return pd.DataFrame(
        {
            **owner_columns(rows),
            "counterparty_account": normalized(account_raw, normalize_account),
            "counterparty_account_raw": account_raw,
            "counterparty_name": normalized(name, normalize_name),
            "occurred_at": occurred,
            "amount_fen": amount,
            "direction": direction,
            "balance_fen": rows.amount(*BALANCE, required=False),
            "channel": rows.text(*CHANNEL),
            "summary": joined(rows.text(*SUMMARY), rows.text(*NOTE)),
            "serial_no": rows.identifier_raw(*SERIAL),
            "bank": constant(rows, "中国农业银行"),
        },
        index=rows.index,
    )


def read(context: SourceContext) -> ReadResult:
    """Read an ABC personal statement download."""
    return read_tabular(context, "transactions", interpret)


FORMAT = register(
    Format(
        name="abc_statement",
        kind="transactions",
        title="ABC personal statement download (signed 交易金额, 对手信息)",
        read=read,
        header=signature(DATE, BALANCE, COUNTERPARTY, SERIAL),
        vocabulary=frozenset(
            DATE + CLOCK + SUMMARY + AMOUNT + BALANCE + COUNTERPARTY + SERIAL + CHANNEL + NOTE
        ),
    )
)
