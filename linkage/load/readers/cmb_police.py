"""China Merchants Bank (招商银行) statements as returned to a police request.

CMB answers a police query with its own layout rather than the 资金查控 31-column form
(FORMATS.md §3, real): ``交易日期,交易时间,客户名称,交易卡号,交易方向(D:借|C:贷),交易金额,联机余额,
对方帐号,对方客户名称,交易摘要,账号``. The header cell ``交易方向(D:借|C:贷)`` is unique to it and
is what recognises the file.

How each column is read, and why:

- The date and the time of day are separate columns (``20200105`` + ``103045`` or
  ``10:30:45``), local to the source's ``timezone``; they are combined before the UTC conversion.
- 交易方向 ``D`` (借, debit) is money out of the account and ``C`` (贷, credit) money in; the
  Chinese words the header glosses them with are accepted too. Anything else is
  ``bad_direction``: a direction read by guess would turn a victim's payment into a receipt.
- The amount kept is the absolute value of 交易金额 and the flag decides the direction, as in
  the other bank returns. A zero amount moves nothing (``no_money_moved``).
- The account is 交易卡号, or the bank-internal 账号 when the card is empty, normalized the
  same way as in a 查控 return so the two join.
- 对方帐号 is the counterparty (the bank writes 帐 for 账; both spellings are accepted).
"""

from __future__ import annotations

import pandas as pd

from linkage.load.context import ReadResult, SourceContext
from linkage.load.formats import Format, register, signature
from linkage.load.readers.bank_accounts import normalized, own_account
from linkage.load.readers.bank_statement_rows import counterparty_columns
from linkage.load.readers.personal_exports import constant
from linkage.load.tabular import Rows, read_tabular
from linkage.normalize import normalize_name
from linkage.rejects import RejectReason

DATE = ("交易日期",)
CLOCK = ("交易时间",)
HOLDER = ("客户名称",)
CARD = ("交易卡号",)
FLAG = ("交易方向(D:借|C:贷)", "交易方向")
AMOUNT = ("交易金额",)
BALANCE = ("联机余额",)
COUNTERPARTY = ("对方帐号", "对方账号")
COUNTERPARTY_NAME = ("对方客户名称",)
SUMMARY = ("交易摘要",)
ACCOUNT_NO = ("账号",)

DIRECTIONS = {"D": "out", "C": "in", "d": "out", "c": "in", "借": "out", "贷": "in"}
"""交易方向 codes: D (借) debits the account, C (贷) credits it."""


def interpret(rows: Rows) -> pd.DataFrame:
    """Map one CMB police statement onto the canonical transactions table."""
    account, account_raw = own_account(rows)
    occurred = rows.date_time(DATE, CLOCK)
    amount = rows.amount(*AMOUNT).abs()
    rows.reject(amount == 0, RejectReason.NO_MONEY_MOVED, *AMOUNT)
    direction = rows.flag(DIRECTIONS, *FLAG)
    return pd.DataFrame(
        {
            "account": account,
            "account_raw": account_raw,
            "holder_name": normalized(rows.text(*HOLDER), normalize_name),
            **counterparty_columns(rows, COUNTERPARTY, COUNTERPARTY_NAME),
            "occurred_at": occurred,
            "amount_fen": amount,
            "direction": direction,
            "balance_fen": rows.amount(*BALANCE, required=False),
            "summary": rows.text(*SUMMARY),
            "bank": constant(rows, "招商银行"),
        },
        index=rows.index,
    )


def read(context: SourceContext) -> ReadResult:
    """Read a CMB police statement (CSV or xlsx)."""
    return read_tabular(context, "transactions", interpret)


FORMAT = register(
    Format(
        name="cmb_police",
        kind="transactions",
        title="China Merchants Bank statement for police (交易方向(D:借|C:贷))",
        read=read,
        header=signature(FLAG[:1], BALANCE),
        vocabulary=frozenset(
            DATE
            + CLOCK
            + HOLDER
            + CARD
            + FLAG
            + AMOUNT
            + BALANCE
            + COUNTERPARTY
            + COUNTERPARTY_NAME
            + SUMMARY
            + ACCOUNT_NO
        ),
    )
)
