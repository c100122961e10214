"""What the victims' own bank statement downloads (CCB, BOC, ABC, CMB) share, read one way.

Each bank lays its download out differently, but they say the same few things in a handful of
ways: the money is a signed amount (BOC ``"-2,600.00"``, ABC ``+10000.00``, CMB) or split into
in and out columns (CCB 收入/支出); the owner's card sits in a preamble line (``账　　号：``,
``卡号：``), masked more often than not; the counterparty is either two columns or one cell
holding a name and an account (CMB ``张三 66666666666666``); a trailer (``合计``) closes the
table. Reading each of these once here keeps the readers to their column maps and makes every
bank obey the same rules: a zero amount moved no money (``no_money_moved``), a row with money on
both sides is ``malformed_row``, a trailer is ``summary_row``.

The counterparty's two columns (account and name) are read here for every transactions reader
that has them, police returns and platform bills included (:func:`counterparty_columns`).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from linkage.load import columns
from linkage.load.raw import TRAILER_WORDS
from linkage.load.readers.bank_accounts import normalized
from linkage.load.readers.personal_exports import constant, mined, statement_owner
from linkage.load.tabular import Rows
from linkage.normalize import normalize_account, normalize_name
from linkage.rejects import RejectReason

__all__ = [
    "CARD_LINE",
    "HOLDER_LINE",
    "counterparty_columns",
    "owner_columns",
    "reject_trailers",
    "signed_amount",
    "split_amount",
    "split_counterparty",
]

CARD_LINE = re.compile(r"(?:账\s*号|卡\s*号|账\s*户)\s*[:：][\s,\[]*([0-9][0-9*]{5,})")
"""The owner's card in a preamble line (``账　　号：,6217…`` in a CCB xls, ``账号: [6214…]``)."""

HOLDER_LINE = re.compile(r"(?:户\s*名|姓\s*名|客户名称)\s*[:：][\s,]*([^,:：]*[^\s,:：])")
"""The owner's name in a preamble line (``户　　名：张三``)."""

PARTY = re.compile(r"^(?P<name>.*?)[\s/,，]*(?P<account>[0-9][0-9*]{5,})$")
"""A counterparty cell that ends in an account: ``张三 66666666666666``."""


def reject_trailers(rows: Rows, *aliases: str) -> None:
    """Reject the summary lines (``合计``, ``人民币合计``) that close a statement.

    They are recognised by their first cell, ``aliases``: the statement's first column.
    """
    pattern = "^(?:" + "|".join(TRAILER_WORDS) + ")"
    rows.reject(columns.matches(rows.cells(*aliases), pattern), RejectReason.SUMMARY_ROW, *aliases)


def _direction(fen: pd.Series) -> pd.Series:
    """``in`` for a positive amount, ``out`` for a negative one (rejected rows: ``in``)."""
    negative = fen.fillna(0).lt(0).to_numpy(dtype=bool)
    return pd.Series(np.where(negative, "out", "in"), index=fen.index, dtype=object)


def signed_amount(rows: Rows, *aliases: str) -> tuple[pd.Series, pd.Series]:
    """(amount_fen ≥ 0, direction) from one signed amount column: negative is money out.

    An empty or unreadable amount rejects the row (``missing_value``, ``bad_amount``); a zero
    one moved no money (``no_money_moved``).
    """
    fen = rows.amount(*aliases)
    rows.reject(fen.eq(0).fillna(False).astype(bool), RejectReason.NO_MONEY_MOVED, *aliases)
    return fen.abs(), _direction(fen)


def _side(rows: Rows, aliases: tuple[str, ...]) -> pd.Series:
    """One side of a split amount in fen: unreadable rejects the row, empty is null."""
    cells = rows.cells(*aliases)
    results, errors = columns.amounts(cells, "yuan")
    return rows.ledger.take(results, errors, rows.pick(*aliases) or aliases[0], cells)


def split_amount(
    rows: Rows, credit_aliases: tuple[str, ...], debit_aliases: tuple[str, ...]
) -> tuple[pd.Series, pd.Series]:
    """(amount_fen ≥ 0, direction) from separate in (收入) and out (支出) columns.

    Exactly one side must hold a non-zero amount: both is ``malformed_row``, only zeros is
    ``no_money_moved``, nothing at all ``missing_value``. A negative amount on one side (a
    reversal) is money the other way, so the direction comes from the net sign.
    """
    credit, debit = _side(rows, credit_aliases), _side(rows, debit_aliases)
    has_in = credit.notna() & credit.ne(0)
    has_out = debit.notna() & debit.ne(0)
    rows.reject(has_in & has_out, RejectReason.MALFORMED_ROW, *debit_aliases)
    nothing = ~has_in & ~has_out
    some = credit.notna() | debit.notna()
    rows.reject(nothing & some, RejectReason.NO_MONEY_MOVED, *credit_aliases)
    rows.reject(nothing, RejectReason.MISSING_VALUE, *credit_aliases)
    net = credit.fillna(0) - debit.fillna(0)
    return net.abs(), _direction(net)


def owner_columns(rows: Rows, *card_aliases: str) -> dict[str, pd.Series]:
    """``account``, ``account_raw`` and ``holder_name`` of the statement's owner.

    The owner comes from case.toml ``owner`` first (see :func:`statement_owner`); else from a
    card column on every row (BOC 借记卡号) when the format has one; else from the preamble's
    ``账号：`` line. A masked card is kept raw with a null account: never a join key.
    """
    holder_raw = mined(rows.raw.preamble, HOLDER_LINE)
    holder = normalized(pd.Series([holder_raw], dtype=object), normalize_name).iloc[0]
    card_column = rows.pick(*card_aliases) if card_aliases else None
    if card_column is not None and not rows.context.spec.owner:
        account = rows.identifier(normalize_account, card_column)
        account_raw = rows.identifier_raw(card_column)
    else:
        owner, owner_raw = statement_owner(rows, mined(rows.raw.preamble, CARD_LINE))
        account, account_raw = constant(rows, owner), constant(rows, owner_raw)
    return {
        "account": account,
        "account_raw": account_raw,
        "holder_name": constant(rows, holder),
    }


def counterparty_columns(
    rows: Rows, account_aliases: tuple[str, ...], name_aliases: tuple[str, ...]
) -> dict[str, pd.Series]:
    """``counterparty_account`` (normalized; null when masked or unreadable, the raw text its
    flag), ``counterparty_account_raw`` and ``counterparty_name`` from two columns."""
    return {
        "counterparty_account": rows.identifier(normalize_account, *account_aliases),
        "counterparty_account_raw": rows.identifier_raw(*account_aliases),
        "counterparty_name": normalized(rows.text(*name_aliases), normalize_name),
    }


def split_counterparty(cells: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(name, account as written) from cells holding both, as CMB's 对手信息 does.

    >>> name, account = split_counterparty(pd.Series(["张三 66666666666666", "财付通", None]))
    >>> name.tolist(), account.tolist()
    (['张三', '财付通', None], ['66666666666666', None, None])
    """
    names: list[str | None] = []
    accounts: list[str | None] = []
    for value in columns.text(cells).tolist():
        if not isinstance(value, str) or not value:
            names.append(None)
            accounts.append(None)
            continue
        match = PARTY.match(value.strip())
        if match:
            names.append(match.group("name").strip() or None)
            accounts.append(match.group("account"))
        else:
            names.append(value.strip())
            accounts.append(None)
    return (
        pd.Series(names, index=cells.index, dtype=object),
        pd.Series(accounts, index=cells.index, dtype=object),
    )
