"""Transactions from a tab-prefixed bank return (``资金交易明细<yyyyMMddHHmmss>_1.csv``).

Some banks answer a 查控 request not with the 31-column 交易明细信息 form but with a file named
``资金交易明细<yyyyMMddHHmmss>_1.csv`` (FORMATS.md §3, real): GB18030, and every header and value
starts with a tab, which the bank adds so that Excel keeps 19-digit cards as text. The tabs are
padding, stripped with the other padding by the shared table machinery. The 20-column form is
``交易卡号,交易账号,交易方户名,交易方证件号,交易账户开户银行,交易时间,交易金额,交易余额,交易币种,
借贷标志,对手账号,对手户名,对手证件号,对手账户开户银行,对手交易余额,摘要说明,备注,批次,IP地址,MAC地址``;
a 48-column form adds 对手卡号, 交易渠道, 交易流水号 and location columns. The header words
借贷标志 + 对手账号 recognise it: the 查控 form says 收付标志 + 交易对手账卡号 instead, CMB
交易方向(D:借|C:贷), Tenpay 借贷类型.

How each column is read, and why:

- 借贷标志 is written differently by different banks: ``借``/``贷`` (the accounting words),
  ``出``/``进`` (the 查控 platform's words) and ``D``/``C``. 借, 出 and D debit the account (money
  out); 贷, 进 and C credit it (money in). Anything else is ``bad_direction``: a guessed direction
  would turn a victim's payment into a receipt.
- As in the other bank returns, the amount kept is the absolute value of 交易金额 and the flag
  decides the direction; a zero amount moves nothing (``no_money_moved``).
- The account is 交易卡号, or the bank-internal 交易账号 when the card is empty, normalized as in
  the 查控 return so the two join. The counterparty is 对手卡号 when the 48-column form gives one
  (cards are what other returns name), else 对手账号.
- The bank is 交易账户开户银行, the bank that holds the account and answered the request.
"""

from __future__ import annotations

import pandas as pd

from linkage.load.context import ReadResult, SourceContext
from linkage.load.formats import Format, register, signature
from linkage.load.readers.bank_accounts import normalized, own_account
from linkage.load.tabular import Rows, read_tabular
from linkage.normalize import normalize_account, normalize_name, normalize_person_id
from linkage.rejects import RejectReason

HOLDER = ("交易方户名",)
HOLDER_ID = ("交易方证件号", "交易方证件号码")
BANK = ("交易账户开户银行",)
TIME = ("交易时间",)
AMOUNT = ("交易金额",)
BALANCE = ("交易余额",)
CURRENCY = ("交易币种",)
FLAG = ("借贷标志",)
COUNTERPARTY = ("对手账号",)
COUNTERPARTY_CARD = ("对手卡号",)
COUNTERPARTY_NAME = ("对手户名",)
COUNTERPARTY_ID = ("对手证件号", "对手证件号码")
COUNTERPARTY_BANK = ("对手账户开户银行",)
SUMMARY = ("摘要说明",)
CHANNEL = ("交易渠道",)
SERIAL = ("交易流水号",)
COLUMNS_20 = (
    "交易卡号", "交易账号", "交易方户名", "交易方证件号", "交易账户开户银行", "交易时间",
    "交易金额", "交易余额", "交易币种", "借贷标志", "对手账号", "对手户名", "对手证件号",
    "对手账户开户银行", "对手交易余额", "摘要说明", "备注", "批次", "IP地址", "MAC地址",
)  # fmt: skip
"""The 20 columns of the short form, in file order."""

DIRECTIONS = {
    "借": "out",
    "出": "out",
    "D": "out",
    "d": "out",
    "贷": "in",
    "进": "in",
    "C": "in",
    "c": "in",
}
"""借贷标志 values seen across banks: 借/出/D debit the account, 贷/进/C credit it."""


def counterparty(rows: Rows) -> tuple[pd.Series, pd.Series]:
    """(counterparty_account, counterparty_account_raw): 对手卡号 when given, else 对手账号."""
    card = rows.identifier(normalize_account, *COUNTERPARTY_CARD)
    number = rows.identifier(normalize_account, *COUNTERPARTY)
    card_raw = rows.identifier_raw(*COUNTERPARTY_CARD)
    number_raw = rows.identifier_raw(*COUNTERPARTY)
    use_card = card.notna() | (card_raw.notna() & number_raw.isna())
    return card.where(use_card, number), card_raw.where(use_card, number_raw)


def interpret(rows: Rows) -> pd.DataFrame:
    """Map one tab-prefixed 资金交易明细 table onto the canonical transactions table.

    Parameters
    ----------
    rows : Rows
        The raw table, read through its row ledger.

    Returns
    -------
    pandas.DataFrame
        Canonical transaction columns aligned to ``rows.index``.
    """
    rows.needs(TIME, AMOUNT, FLAG)  # a row may leave the columns after these off
    account, account_raw = own_account(rows)
    occurred = rows.time(*TIME)
    amount = rows.amount(*AMOUNT).abs()
    rows.reject(amount == 0, RejectReason.NO_MONEY_MOVED, *AMOUNT)
    direction = rows.flag(DIRECTIONS, *FLAG)
    other, other_raw = counterparty(rows)
    return pd.DataFrame(
        {
            "account": account,
            "account_raw": account_raw,
            "holder_name": normalized(rows.text(*HOLDER), normalize_name),
            "holder_id": normalized(rows.identifier_raw(*HOLDER_ID), normalize_person_id),
            "counterparty_account": other,
            "counterparty_account_raw": other_raw,
            "counterparty_name": normalized(rows.text(*COUNTERPARTY_NAME), normalize_name),
            "counterparty_id": normalized(
                rows.identifier_raw(*COUNTERPARTY_ID), normalize_person_id
            ),
            "counterparty_bank": rows.text(*COUNTERPARTY_BANK),
            "occurred_at": occurred,
            "amount_fen": amount,
            "direction": direction,
            "balance_fen": rows.amount(*BALANCE, required=False),
            "currency": rows.text(*CURRENCY),
            "channel": rows.text(*CHANNEL),
            "summary": rows.text(*SUMMARY),
            "serial_no": rows.text(*SERIAL),
            "bank": rows.text(*BANK),
        },
        index=rows.index,
    )


def read(context: SourceContext) -> ReadResult:
    """Read a tab-prefixed 资金交易明细 return (one file or a folder of them).

    Parameters
    ----------
    context : SourceContext
        The source as case.toml describes it.

    Returns
    -------
    ReadResult
        Kept rows, rejects and the row count.
    """
    return read_tabular(context, "transactions", interpret)


FORMAT = register(
    Format(
        name="tab_return",
        kind="transactions",
        title="Tab-prefixed bank return (资金交易明细<yyyyMMddHHmmss>_1.csv), 20 or 48 columns",
        read=read,
        header=signature(FLAG, COUNTERPARTY),
        vocabulary=frozenset(
            COLUMNS_20 + COUNTERPARTY_CARD + CHANNEL + SERIAL + HOLDER_ID + COUNTERPARTY_ID
        ),
    )
)
