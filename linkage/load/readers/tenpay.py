"""Tenpay (财付通, WeChat Pay) transaction returns to a police request.

Tenpay answers with ``TenpayTrades.xls`` or a tab-separated UTF-8 ``.txt`` (FORMATS.md §3, real).
Each row is one movement on one WeChat Pay account, written as the *user side* and the
*counterparty side*, each with its id, account name, bank card, bank and clearing order. The
header repeats ``网联/银联`` and ``第三方账户名称`` for the two sides; linkage renames the second
occurrence ``网联/银联#2`` and ``第三方账户名称#2``, so the counterparty's copy is the ``#2`` one.

How each column is read, and why:

- **Amounts are in fen** (交易金额(分), 账户余额(分)): read as whole fen, never divided.
- 借贷类型 ``入`` is money in, ``出`` money out; anything else is ``bad_direction``. Zero amounts
  move nothing (``no_money_moved``).
- The account is **用户ID**. It is the one user-side key present on every row and constant over
  the whole return, and it is the id space of 对手方ID, so the counterparty of one Tenpay return
  joins the user of another. 用户银行卡号 is only set on rows funded from or paid to a card (and
  is then another account, the bank's); 用户侧账号名称 is a display name, a person's name rather
  than a key, and is kept as ``holder_name``.
- The counterparty is 对手方ID, or 对手方银行卡号 when the money went to or came from a bank
  card without a Tenpay id (a withdrawal to a card): that card is where the trail continues in a
  bank return. 对手侧账户名称 is its name, 对手侧银行名称 its bank.
- 交易时间 is local to the source's ``timezone``; 交易单号 is the serial number.
- Ids stored as numbers in the xls pass only if exact (≤ 15 digits); longer ones have been
  through a float and reject the row (``id_mangled``).
"""

from __future__ import annotations

import pandas as pd

from linkage.load.context import ReadResult, SourceContext
from linkage.load.formats import Format, register, signature
from linkage.load.readers.bank_accounts import normalized
from linkage.load.readers.personal_exports import constant, joined
from linkage.load.tabular import Rows, read_tabular
from linkage.normalize import normalize_account, normalize_name
from linkage.rejects import RejectReason

USER_ID = ("用户ID",)
SERIAL = ("交易单号",)
USER_NAME = ("用户侧账号名称",)
FLAG = ("借贷类型",)
BUSINESS = ("交易业务类型",)
PURPOSE = ("交易用途类型",)
TIME = ("交易时间",)
AMOUNT = ("交易金额(分)",)
BALANCE = ("账户余额(分)",)
USER_CARD = ("用户银行卡号",)
COUNTERPARTY_ID = ("对手方ID",)
COUNTERPARTY_NAME = ("对手侧账户名称",)
COUNTERPARTY_CARD = ("对手方银行卡号",)
COUNTERPARTY_BANK = ("对手侧银行名称",)
NOTES = ("备注1", "备注2")
COLUMNS = (
    "用户ID", "交易单号", "大单号", "用户侧账号名称", "借贷类型", "交易业务类型", "交易用途类型",
    "交易时间", "交易金额(分)", "账户余额(分)", "用户银行卡号", "用户侧银行名称",
    "用户侧网银联单号", "网联/银联", "第三方账户名称", "对手方ID", "对手侧账户名称",
    "对手方银行卡号", "对手侧银行名称", "对手侧网银联单号", "对手方接收时间",
    "对手方接收金额(分)", "备注1", "备注2",
)  # fmt: skip
"""The distinct header names, in file order (the repeated pair appears once)."""

DIRECTIONS = {"入": "in", "出": "out"}


def interpret(rows: Rows) -> pd.DataFrame:
    """Map one Tenpay trades table onto the canonical transactions table."""
    rows.needs(TIME, FLAG, AMOUNT)  # a row may leave the columns after these off
    account = rows.identifier(normalize_account, *USER_ID, required=True)
    occurred = rows.time(*TIME)
    amount = rows.amount(*AMOUNT, unit="fen").abs()
    rows.reject(amount == 0, RejectReason.NO_MONEY_MOVED, *AMOUNT)
    direction = rows.flag(DIRECTIONS, *FLAG)
    by_id = rows.identifier(normalize_account, *COUNTERPARTY_ID)
    by_card = rows.identifier(normalize_account, *COUNTERPARTY_CARD)
    id_raw = rows.identifier_raw(*COUNTERPARTY_ID)
    card_raw = rows.identifier_raw(*COUNTERPARTY_CARD)
    return pd.DataFrame(
        {
            "account": account,
            "account_raw": rows.identifier_raw(*USER_ID),
            "holder_name": normalized(rows.text(*USER_NAME), normalize_name),
            "counterparty_account": by_id.where(by_id.notna(), by_card),
            "counterparty_account_raw": id_raw.where(id_raw.notna(), card_raw),
            "counterparty_name": normalized(rows.text(*COUNTERPARTY_NAME), normalize_name),
            "counterparty_bank": rows.text(*COUNTERPARTY_BANK),
            "occurred_at": occurred,
            "amount_fen": amount,
            "direction": direction,
            "balance_fen": rows.amount(*BALANCE, unit="fen", required=False),
            "channel": rows.text(*BUSINESS),
            "summary": joined(rows.text(*PURPOSE), *(rows.text(n) for n in NOTES)),
            "serial_no": rows.text(*SERIAL),
            "bank": constant(rows, "财付通"),
        },
        index=rows.index,
    )


def read(context: SourceContext) -> ReadResult:
    """Read a Tenpay trades return (``TenpayTrades.xls`` or tab-separated ``.txt``)."""
    return read_tabular(context, "transactions", interpret)


FORMAT = register(
    Format(
        name="tenpay_trades",
        kind="transactions",
        title="Tenpay / WeChat Pay police return (TenpayTrades.xls or .txt), amounts in fen",
        read=read,
        header=signature(AMOUNT, FLAG),
        vocabulary=frozenset(COLUMNS),
    )
)
