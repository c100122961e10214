"""Cleaning steps shared by every normalizer.

Evidence arrives through spreadsheets, bank portals and forensic tools that pad cells with
full-width characters, non-breaking spaces and ``\\t`` prefixes (the tab keeps Excel from turning a
card number into a float). The same cell must give the same key whichever tool exported it, so the
cleaning lives in one place.
"""

from __future__ import annotations

import re
import unicodedata

_WHITESPACE = re.compile(r"\s+")
"""Any Unicode white space: ``\\t``, U+3000 (ideographic space), NBSP, line breaks."""

_NULL_MARKER = re.compile(r"-+|/|\\N|null", re.IGNORECASE)
"""What exporters write for "no value" (FORMATS.md section 0): dash runs, ``/``, ``\\N``, NULL."""

SCIENTIFIC = re.compile(r"[+-]?(?:\d+\.\d+[eE][+-]?\d+|\d+[eE][+-]\d+)", re.ASCII)
"""A number a spreadsheet wrote in scientific notation (``6.22848E+18``): its low digits are gone.

A bare ``12E34`` (no point, no exponent sign) is not matched: merchant ids may look like that."""

FLOAT_TAIL = re.compile(r"\d{5,}\.0+", re.ASCII)
"""A long digit run with a ``.0`` tail (``13800138000.0``): the cell went through a float."""


def nfkc(raw: str) -> str:
    """Return ``raw`` in NFKC form, so full-width digits and letters read as ASCII.

    Examples
    --------
    >>> nfkc("１３８")
    '138'
    """
    return unicodedata.normalize("NFKC", raw)


def drop_whitespace(text: str) -> str:
    """Remove every white-space character, wherever it is.

    Examples
    --------
    >>> drop_whitespace("6222\\u3000021 2\\t")
    '62220212'
    """
    return _WHITESPACE.sub("", text)


def squeeze_whitespace(text: str) -> str:
    """Strip the ends and turn every inner run of white space into one space.

    Examples
    --------
    >>> squeeze_whitespace(" 2025/12/03  14:06:51\\t")
    '2025/12/03 14:06:51'
    """
    return _WHITESPACE.sub(" ", text).strip()


def is_null_marker(text: str) -> bool:
    """Return whether a cell says "no value" rather than holding one.

    Examples
    --------
    >>> [is_null_marker(x) for x in ["", " -- ", "/", "\\\\N", "NULL", "0"]]
    [True, True, True, True, True, False]
    """
    stripped = text.strip()
    return not stripped or _NULL_MARKER.fullmatch(stripped) is not None


def strip_text_markers(text: str) -> str:
    """Remove the quotes and ``=`` exporters wrap around a cell to keep it text.

    ``'6222…`` is Excel's text marker and ``="6222…"`` the CSV trick for the same end; neither is
    part of the value.

    Examples
    --------
    >>> strip_text_markers('="6222021234"')
    '6222021234'
    >>> strip_text_markers("'13800138000")
    '13800138000'
    """
    if text.startswith('="') and text.endswith('"'):
        text = text[1:]
    return text.strip("'\"")


def show(raw: object, limit: int = 80) -> str:
    """Return ``repr(raw)``, cut to ``limit`` characters, for error messages.

    Examples
    --------
    >>> show("x" * 100, limit=10)
    "'xxxxxxxx…"
    """
    text = repr(raw)
    return text if len(text) <= limit else text[: limit - 1] + "…"
