"""Account registrations from a police 资金查控 return (``账户信息.csv``).

A bank answering a 查控 request sends, beside the transactions, one row per account it holds for
the subject: who opened it, with which ID, when, at which branch, and whether it is still open.
That is what ties a card seen in a victim's statement to a named, identified holder, so the row
is kept whenever its account can be read, even if the holder's ID is malformed (the ID is then
null beside ``holder_id_raw``: flagged, not guessed).

One canonical row per input row, keyed by one account id. A row may carry both the customer-
facing card (交易卡号) and the bank-internal account (交易账号, often 20 digits); the card is
what statements, victims and den ledgers quote, so it becomes ``account`` and the internal number
is not emitted as a second row. The 交易明细 reader joins on both ids, so nothing that links a
transaction to its holder is lost. A row without a card falls back to its 交易账号.

Rows whose 查询反馈结果原因 says the query failed (``失败``, ``无记录``, ``查无此…``) describe no
account and are rejected ``failed_status``. Opening and closing dates are read leniently: an
unreadable or placeholder date (``19000101``, anything before 1950 or after the newest input
file's year) leaves the time null and keeps the account: the registration matters more than its
date, and accounts older than the 1990 bound on transaction times are real.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pandas as pd

from linkage.load import columns
from linkage.load.context import ReadResult, SourceContext
from linkage.load.formats import Format, register, signature
from linkage.load.tabular import Rows, read_tabular
from linkage.normalize import (
    normalize_account,
    normalize_name,
    normalize_person_id,
    normalize_phone,
)
from linkage.rejects import RejectReason

HOLDER = ("账户开户名称", "开户人姓名", "客户名称")
HOLDER_ID = ("开户人证件号码", "证件号码", "开户人证件号")
CARD = ("交易卡号", "卡号")
ACCOUNT_NO = ("交易账号", "账号")
OPENED = ("账号开户时间", "开户时间", "开户日期")
CLOSED = ("销户日期", "销户时间")
BANK = ("账号开户银行", "开户银行")
STATUS = ("账户状态",)
PHONE = ("开户联系方式", "联系电话", "联系手机", "手机号码")
FEEDBACK = ("查询反馈结果原因",)
OTHER_WORDS = (
    "账户余额", "可用余额", "币种", "开户网点代码", "开户网点", "账户类型", "钞汇标志名称",
    "关联资金账户", "备注",
)  # fmt: skip

EARLIEST_ACCOUNT = pd.Timestamp("1950-01-01", tz="UTC")
"""Account dates before this are placeholders (``19000101``), not openings."""

FAILED_QUERY = re.compile(r"失败|无记录|查无此")
"""查询反馈结果原因 texts saying the bank found nothing: the row is a negative answer."""


def failed_query(rows: Rows) -> pd.Series:
    """Rows whose 查询反馈结果原因 reports a failed or empty query.

    Shared with the 交易明细 reader: both tables of a return carry the same column.
    """
    return columns.matches(rows.cells(*FEEDBACK), FAILED_QUERY.pattern)


def normalized(values: pd.Series, normalize: Callable[[str], str]) -> pd.Series:
    """Normalize text values per distinct value, None where empty or not normalizable."""
    return columns.distinct_map(columns.text(values), normalize)[0]


def own_account(rows: Rows) -> tuple[pd.Series, pd.Series]:
    """(account, account_raw): the card when the row has one, else the bank-internal account.

    A row with neither id readable is rejected with the reason of the first id it holds
    (``id_mangled``, ``masked_identifier``, ``invalid_identifier``), or ``empty_identifier``
    when it holds none.
    """
    card_cells, number_cells = rows.cells(*CARD), rows.cells(*ACCOUNT_NO)
    card, card_errors = rows.normalized(normalize_account, *CARD)
    number, number_errors = rows.normalized(normalize_account, *ACCOUNT_NO)
    card_raw = columns.identifier_text(card_cells)[0]
    number_raw = columns.identifier_text(number_cells)[0]
    use_card = card.notna()
    account = card.where(use_card, number)
    account_raw = card_raw.where(use_card | number.isna(), number_raw)
    missing = account.isna()
    card_name, number_name = _name(rows, CARD), _name(rows, ACCOUNT_NO)
    for cells, errors, name in (
        (card_cells, card_errors, card_name),
        (number_cells, number_errors, number_name),
    ):
        held = columns.present(cells)
        reasons = errors.fillna(str(RejectReason.INVALID_IDENTIFIER))
        rows.ledger.reject(missing & held, reasons, name, cells)
    rows.ledger.reject(missing, RejectReason.EMPTY_IDENTIFIER, card_name, card_cells)
    return account, account_raw


def _name(rows: Rows, aliases: tuple[str, ...]) -> str:
    return rows.pick(*aliases) or aliases[0]


def lenient_time(rows: Rows, aliases: tuple[str, ...]) -> pd.Series:
    """UTC times where readable and within 1950 … latest, else null; never rejects the row."""
    results, errors = columns.times(rows.cells(*aliases), rows.context.timezone)
    results = results.where(errors.isna())
    latest = pd.Timestamp(rows.context.latest)
    return results.where(results.isna() | results.between(EARLIEST_ACCOUNT, latest))


def interpret(rows: Rows) -> pd.DataFrame:
    """Map one 账户信息 table onto the canonical accounts table."""
    rows.reject(failed_query(rows), RejectReason.FAILED_STATUS, *FEEDBACK)
    account, account_raw = own_account(rows)
    region = rows.context.region
    holder_id_raw = rows.identifier_raw(*HOLDER_ID)
    return pd.DataFrame(
        {
            "account": account,
            "account_raw": account_raw,
            "holder_name": normalized(rows.text(*HOLDER), normalize_name),
            "holder_id": normalized(holder_id_raw, normalize_person_id),
            "holder_id_raw": holder_id_raw,
            "bank": rows.text(*BANK),
            "opened_at": lenient_time(rows, OPENED),
            "closed_at": lenient_time(rows, CLOSED),
            "phone": normalized(rows.identifier_raw(*PHONE), lambda v: normalize_phone(v, region)),
            "status": rows.text(*STATUS),
        },
        index=rows.index,
    )


def read(context: SourceContext) -> ReadResult:
    """Read a 查控 ``账户信息.csv`` (or the same table as xlsx)."""
    return read_tabular(context, "accounts", interpret)


FORMAT = register(
    Format(
        name="bank_accounts",
        kind="accounts",
        title="Police 资金查控 return: account registrations (账户信息)",
        read=read,
        header=signature("账户开户名称", CARD + ACCOUNT_NO),
        vocabulary=frozenset(
            HOLDER
            + HOLDER_ID
            + CARD
            + ACCOUNT_NO
            + OPENED
            + CLOSED
            + BANK
            + STATUS
            + PHONE
            + FEEDBACK
            + OTHER_WORDS
        ),
    )
)
