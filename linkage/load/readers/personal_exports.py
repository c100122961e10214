"""What the victims' own statement exports share: whose statement it is, and how to say so.

A victim hands investigators the bill their app or bank lets them download (WeChat, Alipay,
ICBC: ``wechat_bill``, ``alipay_bill``, ``icbc_statement``). Such an export is written from the
owner's side, but rarely names the owner's account in a form that can be a join key: WeChat gives
a nickname, ICBC a masked card (``卡号: 1234****9876``). A masked number fits thousands of cards,
so it is never used as a key; it is kept as ``account_raw`` beside a null ``account`` (the
schema's flag for "held something, deliberately not guessed").

The owner is therefore taken, in order of trust, from ``owner =`` in the source's case.toml entry
(the investigator knows whose phone or card it is), then from an unmasked id in the preamble
(Alipay's ``支付宝账户：xx@gmail.com``), else left null: the rows still carry the victim's
counterparties, amounts and times, which is what the matching needs.
"""

from __future__ import annotations

import re

import pandas as pd

from linkage.errors import ConfigError, InvalidIdentifier
from linkage.load.tabular import Rows
from linkage.normalize import normalize_account

__all__ = ["constant", "joined", "mined", "statement_owner"]


def mined(preamble: list[str], pattern: re.Pattern[str]) -> str | None:
    """The first ``pattern`` group found in the preamble lines, stripped, or None.

    >>> owner_line = re.compile(r"支付宝账户[:：]\\s*([^\\s,]+)")
    >>> mined(["姓名：xx", "支付宝账户：xx@gmail.com"], owner_line)
    'xx@gmail.com'
    """
    for line in preamble:
        match = pattern.search(line)
        if match and match.group(1).strip(" \t\"'"):
            return match.group(1).strip(" \t\"'")
    return None


def statement_owner(rows: Rows, found: str | None = None) -> tuple[str | None, str | None]:
    """(account, account_raw) of the statement's owner.

    ``owner =`` from case.toml wins; else ``found`` (an id mined from the preamble) when it
    normalizes; a masked or unreadable mined id is kept raw only.

    Raises
    ------
    ConfigError
        If case.toml gives an ``owner`` that is not an account or payment id.
    """
    spec = rows.context.spec
    if spec.owner:
        try:
            return normalize_account(spec.owner), spec.owner
        except InvalidIdentifier as error:
            raise ConfigError(
                f"case.toml source {spec.path}: owner = {spec.owner!r} is not an account, card "
                f"or payment id ({error})"
            ) from error
    if found is None:
        return None, None
    try:
        return normalize_account(found), found
    except InvalidIdentifier:
        return None, found


def constant(rows: Rows, value: object) -> pd.Series:
    """One value on every row (the statement's owner, its platform)."""
    return pd.Series([value] * len(rows.index), index=rows.index, dtype=object)


def joined(*parts: pd.Series, separator: str = " | ") -> pd.Series:
    """Text columns joined per row, skipping empty and repeated parts; None when all are empty.

    >>> joined(pd.Series(["转账", None]), pd.Series(["备注", None])).tolist()
    ['转账 | 备注', None]
    """

    def one(values: tuple[object, ...]) -> str | None:
        kept = list(dict.fromkeys(v for v in values if isinstance(v, str) and v))
        return separator.join(kept) if kept else None

    rows = zip(*(part.tolist() for part in parts), strict=True)
    return pd.Series([one(values) for values in rows], index=parts[0].index, dtype=object)
