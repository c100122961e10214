"""Tenpay (财付通, WeChat Pay) account registrations and card bindings from a police return.

Beside ``TenpayTrades`` a Tenpay return answers *whose* accounts they are, in two tables
(FORMATS.md §4). They are what ties a WeChat Pay id seen in a trade, or a card a victim paid
into, to a registered name, resident ID and phone, so a row is kept whenever its account can be
read; a malformed ID or phone is null beside its raw text (flagged, never guessed).

**Registration** (``tenpay_registration``, 注册信息): one row per Tenpay account, with the
registered name, ID, phone, time, status, and one bound bank card (开户行信息, 银行账号). Each
input row becomes exactly **one** canonical row, for the Tenpay account (账号), with the card as
written in ``bound_cards_raw``: the row ledger counts one canonical row per input row, and the
card is not emitted as a second account because the same return's bindings table lists every
bound card with its binding and unbinding times, which the single card column here lacks.
``status`` is 账户状态; 绑定状态 describes the card.

**Bindings** (``tenpay_bindings``, 绑定银行卡): one row per card bound to an account. The card
(银行卡号) is the account: it is the key bank returns and victims' statements quote. Its
holder's ID is 证件号 (read by 证件类型), its phone 手机号, ``opened_at`` the binding time and
``closed_at`` the unbinding time, ``status`` 绑定状态, ``bank`` 银行名称, and ``bound_to`` the
Tenpay 账号 it is bound to: what ties a card a victim paid into to a WeChat Pay account.

Times are read leniently, as for bank registrations: an unreadable or placeholder time leaves
the field null and keeps the row.
"""

from __future__ import annotations

import pandas as pd

from linkage.errors import InvalidIdentifier
from linkage.load.context import ReadResult, SourceContext
from linkage.load.formats import Format, register, signature
from linkage.load.readers.bank_accounts import lenient_time, normalized
from linkage.load.readers.personal_exports import constant
from linkage.load.tabular import Rows, read_tabular
from linkage.normalize import (
    normalize_account,
    normalize_name,
    normalize_person_id,
    normalize_phone,
)

ACCOUNT_STATUS = ("账户状态",)
ACCOUNT = ("账号",)
REG_NAME = ("注册姓名",)
REG_TIME = ("注册时间",)
REG_ID = ("注册身份证号",)
REG_PHONE = ("绑定手机",)
BINDING_STATUS = ("绑定状态",)
REG_BANK = ("开户行信息",)
REG_CARD = ("银行账号",)
REGISTRATION_COLUMNS = (
    ACCOUNT_STATUS + ACCOUNT + REG_NAME + REG_TIME + REG_ID + REG_PHONE + BINDING_STATUS
    + REG_BANK + REG_CARD
)  # fmt: skip

CARD = ("银行卡号",)
BANK = ("银行名称",)
HOLDER_ID = ("证件号",)
ID_TYPE = ("证件类型",)
PHONE = ("手机号",)
BOUND = ("绑定时间",)
UNBOUND = ("解绑时间",)
BINDING_COLUMNS = (
    ACCOUNT + CARD + BANK + HOLDER_ID + ID_TYPE + PHONE + BINDING_STATUS + BOUND + UNBOUND
)

PLATFORM = "财付通"


def person_ids(rows: Rows, numbers: tuple[str, ...], kinds: tuple[str, ...] = ()) -> pd.Series:
    """Normalized document numbers, read by the row's document type when the table has one.

    Parameters
    ----------
    rows : Rows
        The table.
    numbers : tuple of str
        Aliases of the number column.
    kinds : tuple of str, optional
        Aliases of the document type column (证件类型).

    Returns
    -------
    pandas.Series
        The normalized number, or None where empty or not a valid document number.
    """
    raw = rows.identifier_raw(*numbers)
    types = rows.text(*kinds) if kinds else constant(rows, None)

    def one(number: object, kind: object) -> str | None:
        if not isinstance(number, str) or not number:
            return None
        try:
            return normalize_person_id(number, kind if isinstance(kind, str) else "")
        except InvalidIdentifier:
            return None

    values = [one(n, k) for n, k in zip(raw.tolist(), types.tolist(), strict=True)]
    return pd.Series(values, index=rows.index, dtype=object)


def phones(rows: Rows, *aliases: str) -> pd.Series:
    """Phones in E.164 under the source's region; None where empty or not a phone."""
    region = rows.context.region
    return normalized(rows.identifier_raw(*aliases), lambda v: normalize_phone(v, region))


def interpret_registration(rows: Rows) -> pd.DataFrame:
    """Map one Tenpay registration table onto the canonical accounts table."""
    account = rows.identifier(normalize_account, *ACCOUNT, required=True)
    return pd.DataFrame(
        {
            "account": account,
            "account_raw": rows.identifier_raw(*ACCOUNT),
            "holder_name": normalized(rows.text(*REG_NAME), normalize_name),
            "holder_id": person_ids(rows, REG_ID),
            "holder_id_raw": rows.identifier_raw(*REG_ID),
            "bank": constant(rows, PLATFORM),
            "opened_at": lenient_time(rows, REG_TIME),
            "closed_at": constant(rows, None),
            "phone": phones(rows, *REG_PHONE),
            "status": rows.text(*ACCOUNT_STATUS),
            "bound_cards_raw": rows.identifier_raw(*REG_CARD),
        },
        index=rows.index,
    )


def interpret_bindings(rows: Rows) -> pd.DataFrame:
    """Map one Tenpay card-bindings table onto the canonical accounts table."""
    card = rows.identifier(normalize_account, *CARD, required=True)
    return pd.DataFrame(
        {
            "account": card,
            "account_raw": rows.identifier_raw(*CARD),
            "holder_name": constant(rows, None),
            "holder_id": person_ids(rows, HOLDER_ID, ID_TYPE),
            "holder_id_raw": rows.identifier_raw(*HOLDER_ID),
            "bank": rows.text(*BANK),
            "opened_at": lenient_time(rows, BOUND),
            "closed_at": lenient_time(rows, UNBOUND),
            "phone": phones(rows, *PHONE),
            "status": rows.text(*BINDING_STATUS),
            "bound_to": rows.identifier(normalize_account, *ACCOUNT),
        },
        index=rows.index,
    )


def read_registration(context: SourceContext) -> ReadResult:
    """Read a Tenpay registration table (xls/xlsx or text)."""
    return read_tabular(context, "accounts", interpret_registration)


def read_bindings(context: SourceContext) -> ReadResult:
    """Read a Tenpay card-bindings table (xls/xlsx or text)."""
    return read_tabular(context, "accounts", interpret_bindings)


REGISTRATION = register(
    Format(
        name="tenpay_registration",
        kind="accounts",
        title="Tenpay / WeChat Pay police return: account registrations (注册信息)",
        read=read_registration,
        header=signature(REG_NAME, REG_ID),
        vocabulary=frozenset(REGISTRATION_COLUMNS),
    )
)

BINDINGS = register(
    Format(
        name="tenpay_bindings",
        kind="accounts",
        title="Tenpay / WeChat Pay police return: bound bank cards (绑定银行卡)",
        read=read_bindings,
        header=signature(CARD, BOUND, UNBOUND),
        vocabulary=frozenset(BINDING_COLUMNS),
    )
)
