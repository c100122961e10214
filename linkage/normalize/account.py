"""Bank cards, bank accounts and payment-platform ids: the keys money flows are traced by.

A transfer links two people only if both ends read the same way in every statement. Banks pad
card numbers with tabs, quotes and ``_156_1`` currency suffixes, and spreadsheets destroy them
(``6.22848E+18``); a damaged or masked number must be set aside visibly, never matched on what is
left of it.
"""

from __future__ import annotations

import re

import pyarrow as pa
import pyarrow.compute as pc
from stdnum import luhn

from linkage.errors import InvalidIdentifier
from linkage.normalize._text import (
    FLOAT_TAIL,
    SCIENTIFIC,
    drop_whitespace,
    is_null_marker,
    nfkc,
    show,
    strip_text_markers,
)
from linkage.rejects import RejectReason

__all__ = ["is_masked", "luhn_ok", "normalize_account", "plain_accounts"]

_SUFFIX = re.compile(r"(?<=.)(?:_[0-9]{3}_[0-9]+)+$")
"""Currency and sub-account suffix some banks append (``6222…_156_1``: CNY, sub-account 1)."""

_ALLOWED = re.compile(r"[A-Za-z0-9@._\-:]+")
"""Digits and letters, plus what Alipay ids, e-mails, phones and ``wxid_…`` handles use."""

_DIGITS = re.compile(r"[0-9]+")


def normalize_account(raw: str) -> str:
    """Return an account number or payment id cleaned to a join key.

    Spaces, tabs, quotes, Excel's leading ``'``, ``="…"`` wrappers and a trailing ``_\\d{3}_\\d+``
    suffix are removed; e-mail ids are lower-cased (mail hosts ignore case); everything else keeps
    its case. The value is never passed through a number, so leading zeros and all 19 digits of a
    card survive.

    Parameters
    ----------
    raw : str
        The account as written in the source.

    Returns
    -------
    str
        Letters, digits and ``@ . _ - :``.

    Raises
    ------
    InvalidIdentifier
        ``reason="empty_identifier"`` for empty cells and null markers (``-``, ``--``, ``/``,
        ``\\N``); ``"id_mangled"`` for spreadsheet damage (``6.22E+18``, ``6222…0.0``), whose lost
        digits cannot be recovered; ``"masked_identifier"`` for masked numbers
        (``6226******5669``), which match many cards; ``"invalid_identifier"`` otherwise.

    Examples
    --------
    >>> normalize_account("\\t6222 0212 3456 7890 123_156_1")
    '6222021234567890123'
    >>> normalize_account(" Zhang.San@Example.COM ")
    'zhang.san@example.com'
    >>> try:
    ...     normalize_account("6.22848E+18")
    ... except InvalidIdentifier as exc:
    ...     print(exc.reason)
    id_mangled
    """
    text = strip_text_markers(drop_whitespace(nfkc(raw)))
    if is_null_marker(text):
        raise InvalidIdentifier(f"{show(raw)} is empty", reason=RejectReason.EMPTY_IDENTIFIER)
    text = _SUFFIX.sub("", text)
    if is_null_marker(text):
        raise InvalidIdentifier(f"{show(raw)} is empty", reason=RejectReason.EMPTY_IDENTIFIER)
    if SCIENTIFIC.fullmatch(text) or FLOAT_TAIL.fullmatch(text):
        raise InvalidIdentifier(
            f"{show(raw)} went through a spreadsheet float: its digits are lost",
            reason=RejectReason.ID_MANGLED,
        )
    if "*" in text:
        raise InvalidIdentifier(
            f"{show(raw)} is masked: it cannot tell one account from another",
            reason=RejectReason.MASKED_IDENTIFIER,
        )
    if not _ALLOWED.fullmatch(text):
        raise InvalidIdentifier(
            f"{show(raw)} holds characters no account or payment id uses",
            reason=RejectReason.INVALID_IDENTIFIER,
        )
    return text.lower() if "@" in text else text


def plain_accounts(values: pa.Array) -> pa.Array:
    """The values already in ``normalize_account``'s form (digits only); null for the rest.

    A bank return holds millions of counterparty accounts, nearly all plain digits, which
    ``normalize_account`` returns unchanged: this pass keeps them with one Arrow kernel and
    leaves the rest (suffixes, tabs, quotes, masks, e-mails) to the normalizer.

    >>> plain_accounts(pa.array(["6222021234567890123", "6222_156_1", None])).to_pylist()
    ['6222021234567890123', None, None]
    """
    plain = pc.match_substring_regex(values, "^[0-9]+$")
    return pc.if_else(plain, values, pa.scalar(None, pa.string()))


def is_masked(raw: str) -> bool:
    """Return whether an account is masked with ``*`` (full-width ``＊`` included).

    A masked number (``6226******5669``) fits thousands of cards: it may describe an account,
    never identify one.

    Examples
    --------
    >>> is_masked("6226******5669"), is_masked("6226095711115669")
    (True, False)
    """
    return "*" in nfkc(raw)


def luhn_ok(account: str) -> bool:
    """Return whether an all-digit account passes the Luhn check.

    Only a hint for a misread card: internal bank accounts, Alipay ``2088…`` ids and merchant ids
    do not use Luhn, so failing it is never a reason to reject.

    Examples
    --------
    >>> luhn_ok("6226095711115662"), luhn_ok("6226095711115669"), luhn_ok("wxid_abc")
    (True, False, False)
    """
    return bool(_DIGITS.fullmatch(account)) and luhn.is_valid(account)
