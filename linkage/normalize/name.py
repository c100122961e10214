"""Person names and chat handles, as comparison keys.

Names are weak evidence (many people share one), but they corroborate a link made by a number,
so the same name must compare equal whether a bank wrote it in traditional characters, with a
full-width space, or with another dot between the parts of a minority name. Handles are the
account names in Skype, WeChat and Telegram exports, each tool spelling them its own way.
"""

from __future__ import annotations

import functools
import re
import unicodedata

import opencc

from linkage.errors import InvalidIdentifier
from linkage.normalize._text import drop_whitespace, is_null_marker, nfkc, show
from linkage.rejects import RejectReason

__all__ = ["normalize_handle", "normalize_name"]

_NAME_DOTS = re.compile(r"[.\u00b7\u2022\u2027\u2219\u22c5\u30fb\u2e31]")
"""Dots used between the parts of a minority or foreign name (``买买提·艾力``); all become ``·``."""

_MAX_ROUNDS = 4


@functools.cache
def _t2s() -> opencc.OpenCC:
    """The one OpenCC converter, built on first use (loading its dictionaries takes a while)."""
    return opencc.OpenCC("t2s")


def _drop_invisible(text: str) -> str:
    """Remove control and format characters (zero-width spaces, BOMs, direction marks)."""
    return "".join(ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cf"))


def _name_round(text: str) -> str:
    text = drop_whitespace(nfkc(_drop_invisible(text)))
    text = _NAME_DOTS.sub("\u00b7", text)
    return str(_t2s().convert(text))


def normalize_name(raw: str) -> str:
    """Return a person's name in simplified characters, without spaces.

    NFKC folds full-width letters, all white space (U+3000 and NBSP included) goes, invisible
    characters go, the dots between the parts of a minority name become ``·``, and OpenCC
    converts traditional characters to simplified. OpenCC converts by phrase, so the steps
    repeat until the name no longer changes: the result normalizes to itself.

    Raises
    ------
    InvalidIdentifier
        ``reason="empty_identifier"`` if nothing is left (empty cell or null marker).

    Examples
    --------
    >>> normalize_name(" 張\\u3000偉 ")
    '张伟'
    >>> normalize_name("买买提•艾力")
    '买买提·艾力'
    """
    text = raw
    for _ in range(_MAX_ROUNDS):
        cleaned = _name_round(text)
        if cleaned == text:
            break
        text = cleaned
    if is_null_marker(text):
        raise InvalidIdentifier(f"{show(raw)} is empty", reason=RejectReason.EMPTY_IDENTIFIER)
    return text


def simplified_text(raw: str) -> str:
    """Free text (a chat message) in NFKC and simplified characters, spacing kept.

    Unlike ``normalize_name`` it keeps the spaces that separate words, so a name is never
    glued to the word after it.

    >>> simplified_text("張三 身份證１２３")
    '张三 身份证123'
    """
    return str(_t2s().convert(nfkc(raw)))


def normalize_handle(raw: str) -> str:
    """Return a chat handle in lower case, without the Skype ``8:`` type prefix.

    Skype stores ``8:live:.cid.123`` where its UI shows ``live:.cid.123``; the ``live:`` part is
    the account's own namespace and stays. WeChat ``wxid_…`` ids and ``…@chatroom`` group ids are
    kept as they are. Handles are case-insensitive in these tools, so case is folded.

    Raises
    ------
    InvalidIdentifier
        ``reason="empty_identifier"`` if nothing is left.

    Examples
    --------
    >>> normalize_handle(" 8:live:.cid.ABC ")
    'live:.cid.abc'
    >>> normalize_handle("12345678@chatroom")
    '12345678@chatroom'
    """
    text = raw
    for _ in range(_MAX_ROUNDS):
        cleaned = nfkc(_drop_invisible(text)).strip().lower()
        while cleaned.startswith("8:"):
            cleaned = cleaned[2:].strip()
        if cleaned == text:
            break
        text = cleaned
    if is_null_marker(text):
        raise InvalidIdentifier(f"{show(raw)} is empty", reason=RejectReason.EMPTY_IDENTIFIER)
    return text
