"""Alipay account registrations (注册信息) from an Alipay 协查 return.

Alipay answers a police 协查 request with one workbook or CSV per table; 注册信息 says who an
Alipay user is: the ``2088…`` user id that trades and transfers are keyed by, the login e-mail
and phone, the real name (账户名称) and document (证件类型, 证件号) the account was verified
with, the bound phone and bound bank cards (FORMATS.md §4). That is what ties a 2088 id seen in a
transfer to a person, so the row is kept whenever its user id can be read; a malformed ID or
phone is null beside its raw text.

One canonical row per input row, keyed by 用户ID (the id every other 协查 table uses). The phone
is 绑定手机, else 登录手机. 绑定银行卡 (possibly several cards) and 关联账户 are kept as written
in ``bound_cards_raw`` and are not emitted as rows of their own: the ledger counts one canonical
row per input row, and a cell listing cards is not a key. 可用余额 is a balance, not a
registration fact. Real returns end the header with a 对应的协查数据 column (the request's
subject) and the table with a ``对应的协查数据…`` line; such lines are rejected ``summary_row`` (see
:mod:`linkage.load.readers.alipay_inquiry`).
"""

from __future__ import annotations

import pandas as pd

from linkage.load.context import ReadResult, SourceContext
from linkage.load.formats import Format, register, signature
from linkage.load.readers.alipay_inquiry import INQUIRY, read_inquiry, reject_trailers
from linkage.load.readers.bank_accounts import normalized
from linkage.load.readers.personal_exports import constant, joined
from linkage.load.readers.tenpay_accounts import person_ids, phones
from linkage.load.tabular import Rows
from linkage.normalize import normalize_account, normalize_name

USER_ID = ("用户ID",)
LOGIN_EMAIL = ("登录邮箱",)
LOGIN_PHONE = ("登录手机",)
NAME = ("账户名称",)
ID_TYPE = ("证件类型",)
HOLDER_ID = ("证件号",)
BALANCE = ("可用余额",)
BOUND_PHONE = ("绑定手机",)
BOUND_CARDS = ("绑定银行卡",)
LINKED = ("关联账户",)
COLUMNS = (
    USER_ID + LOGIN_EMAIL + LOGIN_PHONE + NAME + ID_TYPE + HOLDER_ID + BALANCE + BOUND_PHONE
    + BOUND_CARDS + LINKED + INQUIRY
)  # fmt: skip


def interpret(rows: Rows) -> pd.DataFrame:
    """Map one Alipay 注册信息 table onto the canonical accounts table."""
    reject_trailers(rows)
    account = rows.identifier(normalize_account, *USER_ID, required=True)
    bound, login = phones(rows, *BOUND_PHONE), phones(rows, *LOGIN_PHONE)
    return pd.DataFrame(
        {
            "account": account,
            "account_raw": rows.identifier_raw(*USER_ID),
            "holder_name": normalized(rows.text(*NAME), normalize_name),
            "holder_id": person_ids(rows, HOLDER_ID, ID_TYPE),
            "holder_id_raw": rows.identifier_raw(*HOLDER_ID),
            "bank": constant(rows, "支付宝"),
            "opened_at": constant(rows, None),
            "closed_at": constant(rows, None),
            "phone": bound.where(bound.notna(), login),
            "status": constant(rows, None),
            "bound_cards_raw": joined(
                rows.identifier_raw(*BOUND_CARDS), rows.identifier_raw(*LINKED)
            ),
        },
        index=rows.index,
    )


def read(context: SourceContext) -> ReadResult:
    """Read an Alipay 注册信息 table (xlsx or CSV)."""
    return read_inquiry(context, "accounts", interpret)


FORMAT = register(
    Format(
        name="alipay_registration",
        kind="accounts",
        title="Alipay 协查 return: account registrations (注册信息)",
        read=read,
        header=signature(USER_ID, NAME, BOUND_CARDS),
        vocabulary=frozenset(COLUMNS),
    )
)
