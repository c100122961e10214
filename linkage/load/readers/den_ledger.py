"""The seized den ledger (账本): the fraud den's own record of the money each victim paid in.

Proposed layout (no public specimen exists; FORMATS.md §3): an xlsx with a sheet per month
(``2016-03``), row 1 a merged title (``XX组 2016年3月业绩``), header row 2
``日期,时间,被害人,被害人电话,被害人卡号,金额(元),收款卡号,收款户名,收款银行,一线,二线,三线,备注``.

Each row is a credit to one of the den's collecting accounts, so it maps onto transactions from
that account's side: ``account`` = 收款卡号 (required: a row without it cannot be tied to any bank
record), direction ``in``, the victim as counterparty (卡号, name in simplified characters,
phone in E.164 in ``counterparty_phone``). The operators the den credits with the "performance"
(一线/二线/三线: roster names or extensions) go to ``operators`` as
``一线:name;二线:name;三线:name``: they are the link from a transfer to the people on the phones.
收款银行 is the collecting account's bank and goes to ``bank``.

Cell rules, for evidential reasons:

- 日期 is a date cell (or text); 时间 is text ``HH:MM`` on the den's clock, read in the source's
  timezone; the match against bank times must allow for that clock being off.
- 金额(元) may be a number cell or text ``150,000.00``; read exactly, to the fen.
- A phone typed as a number survives if it is an integer of at most 15 digits. A 19-digit card
  typed as a number has been through a float and lost its last digits: the row is rejected
  ``id_mangled`` (whichever card column it is in) rather than matched on a wrong number.
"""

from __future__ import annotations

import pandas as pd

from linkage.load import columns
from linkage.load.context import ReadResult, SourceContext
from linkage.load.formats import Format, register, signature
from linkage.load.readers.bank_accounts import normalized
from linkage.load.tabular import Rows, read_tabular
from linkage.normalize import normalize_account, normalize_name, normalize_phone
from linkage.rejects import RejectReason

DATE = ("日期",)
CLOCK = ("时间",)
VICTIM = ("被害人",)
VICTIM_PHONE = ("被害人电话",)
VICTIM_CARD = ("被害人卡号",)
AMOUNT = ("金额(元)", "金额")
PAYEE_CARD = ("收款卡号",)
PAYEE_NAME = ("收款户名",)
PAYEE_BANK = ("收款银行",)
LINES = ("一线", "二线", "三线")
NOTE = ("备注",)


def operators(rows: Rows) -> pd.Series:
    """``一线:name;二线:name;三线:name`` per row, roles left out when empty; None if all are.

    Names are normalized (simplified, no spaces) so they compare with the roster; an extension
    number passes through as its digits.
    """
    role_columns = []
    for role in LINES:
        names = rows.text(role)
        names = normalized(names, normalize_name).where(names.notna(), None)
        role_columns.append([f"{role}:{n}" if isinstance(n, str) and n else None for n in names])
    joined = [";".join(p for p in parts if p) or None for parts in zip(*role_columns, strict=True)]
    return pd.Series(joined, index=rows.index, dtype=object)


def _resolution(rows: Rows) -> pd.Series:
    """60 where 时间 gives hours and minutes only (``HH:MM``); null where it has seconds."""
    minutes = columns.matches(rows.cells(*CLOCK), r"^\s*\d{1,2}:\d{2}\s*$")
    return pd.Series(60, index=rows.index, dtype="Int64").where(minutes)


def interpret(rows: Rows) -> pd.DataFrame:
    """Map one month sheet of a den ledger onto the canonical transactions table."""
    account = rows.identifier(normalize_account, *PAYEE_CARD, required=True)
    victim_cells = rows.cells(*VICTIM_CARD)
    victim_text, victim_errors = columns.identifier_text(victim_cells)
    rows.ledger.take(victim_text, victim_errors, VICTIM_CARD[0], victim_cells)
    occurred = rows.date_time(DATE, CLOCK)
    amount = rows.amount(*AMOUNT)
    rows.reject(amount < 0, RejectReason.BAD_AMOUNT, *AMOUNT)
    rows.reject(amount == 0, RejectReason.NO_MONEY_MOVED, *AMOUNT)
    phone_cells = rows.cells(*VICTIM_PHONE)
    phone_text, phone_errors = columns.identifier_text(phone_cells)
    rows.ledger.take(phone_text, phone_errors, VICTIM_PHONE[0], phone_cells)
    region = rows.context.region
    return pd.DataFrame(
        {
            "account": account,
            "account_raw": rows.identifier_raw(*PAYEE_CARD),
            "holder_name": normalized(rows.text(*PAYEE_NAME), normalize_name),
            "counterparty_account": normalized(victim_text, normalize_account),
            "counterparty_account_raw": victim_text,
            "counterparty_name": normalized(rows.text(*VICTIM), normalize_name),
            "counterparty_phone": normalized(phone_text, lambda v: normalize_phone(v, region)),
            "occurred_at": occurred,
            "time_resolution_s": _resolution(rows),
            "amount_fen": amount,
            "direction": "in",
            "channel": "den_ledger",
            "summary": rows.text(*NOTE),
            "operators": operators(rows),
            "bank": rows.text(*PAYEE_BANK),
        },
        index=rows.index,
    )


def read(context: SourceContext) -> ReadResult:
    """Read a seized den ledger workbook (every month sheet with the ledger header)."""
    return read_tabular(context, "transactions", interpret)


FORMAT = register(
    Format(
        name="den_ledger",
        kind="transactions",
        title="Seized den ledger (账本): victims' payments per month sheet",
        read=read,
        header=signature(VICTIM, PAYEE_CARD, LINES),
        vocabulary=frozenset(
            DATE
            + CLOCK
            + VICTIM
            + VICTIM_PHONE
            + VICTIM_CARD
            + AMOUNT
            + PAYEE_CARD
            + PAYEE_NAME
            + PAYEE_BANK
            + LINES
            + NOTE
        ),
        status="proposed",
    )
)
