"""Money amounts as signed integer fen (0.01 yuan), read exactly.

Matching a victim's transfer to an offender's receipt compares amounts to the fen; a float turns
``0.1 + 0.2`` into ``0.30000000000000004`` and a 19-digit total into a neighbour. Amounts are
therefore read with integer and :class:`~decimal.Decimal` arithmetic only, and anything that is
not unambiguously an amount in yuan (a foreign currency sign, a decimal comma, a third decimal)
is rejected rather than guessed.
"""

from __future__ import annotations

import math
import numbers
import re
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation

from linkage.errors import ConfigError, InvalidAmount
from linkage.normalize._text import drop_whitespace, is_null_marker, nfkc, show, strip_text_markers
from linkage.rejects import RejectReason

__all__ = ["format_fen", "number_to_fen", "parse_fen"]

FEN_MAX = 2**63 - 1
"""Largest amount in fen a canonical table (Int64) holds."""

_UNITS = ("yuan", "fen")

_CURRENCY_ENDS = re.compile(
    r"^(?:CNY|RMB|\(CN\)|¥|元|人民币)+|(?:CNY|RMB|\(CN\)|¥|元|人民币)+$", re.IGNORECASE
)
"""Marks of the yuan itself, at either end. Any other currency mark makes the value junk."""

_MINUS = re.compile("[\u2212\u2012\u2013\ufe63]")
"""Minus signs other than ASCII ``-`` that survive NFKC (U+2212 MINUS SIGN, dashes)."""

_NUMBER = re.compile(
    r"(?P<int>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]*)(?:(?P<point>\.)(?P<frac>[0-9]*))?", re.ASCII
)
"""Integer part (commas only as strict thousands groups) and optional fraction."""

_MAX_INT_DIGITS = 20
_CONTEXT = Context(prec=60)
_FLOAT_EXACT = 2**53
"""Beyond this many fen a spreadsheet number cannot hold the fen exactly."""
_NOISE = Decimal("1e-6")


def _check_unit(unit: str) -> None:
    if unit not in _UNITS:
        raise ConfigError(f"unit must be 'yuan' or 'fen', not {unit!r}")


def _bad(raw: object, why: str) -> InvalidAmount:
    return InvalidAmount(f"{show(raw)} is not an amount: {why}", reason=RejectReason.BAD_AMOUNT)


def parse_fen(raw: str, unit: str = "yuan") -> int:
    """Return an amount as signed integer fen.

    Currency marks of the yuan (``¥``, ``￥``, ``CNY``, ``RMB``, ``(CN)``, ``元``), thousands
    commas, white space, surrounding quotes, full-width digits and full-width or Unicode minus
    signs are tolerated. Commas must group by three: ``1,2345.00`` and ``1.234,50`` may be another
    locale's notation and are rejected rather than read wrongly.

    Parameters
    ----------
    raw : str
        The amount as written.
    unit : {"yuan", "fen"}
        ``"yuan"``: at most two decimals (further trailing zeros are fine, ``1.500``).
        ``"fen"``: the column is already in fen (``交易金额(分)``); integers only.

    Returns
    -------
    int
        Fen, negative for a minus sign.

    Raises
    ------
    InvalidAmount
        ``reason="missing_value"`` for an empty cell or a null marker (``-``, ``--``, ``/``);
        ``reason="bad_amount"`` for anything else that is not an exact amount.
    ConfigError
        If ``unit`` is neither ``"yuan"`` nor ``"fen"``.

    Examples
    --------
    >>> parse_fen("¥1,234.50")
    123450
    >>> parse_fen('"-2,600.00"')
    -260000
    >>> parse_fen("12.00(CN)")
    1200
    >>> parse_fen("2816", unit="fen")
    2816
    >>> parse_fen("28.165")
    Traceback (most recent call last):
    ...
    linkage.errors.InvalidAmount: '28.165' is not an amount: more than 2 decimals
    """
    _check_unit(unit)
    text = strip_text_markers(drop_whitespace(nfkc(raw)))
    if is_null_marker(text):
        raise InvalidAmount(f"{show(raw)} is empty", reason=RejectReason.MISSING_VALUE)
    text = _CURRENCY_ENDS.sub("", _MINUS.sub("-", text))
    sign = ""
    if text[:1] in ("+", "-"):
        sign, text = text[0], _CURRENCY_ENDS.sub("", text[1:])
    match = _NUMBER.fullmatch(text)
    if match is None:
        raise _bad(raw, "not a decimal number in yuan")
    digits = match["int"].replace(",", "").lstrip("0")
    frac = match["frac"] or ""
    if not (match["int"] or frac):
        raise _bad(raw, "no digits")
    if unit == "fen":
        if match["point"]:
            raise _bad(raw, "a fen amount has no decimals")
        fraction_fen = 0
        scale = 1
    else:
        kept = frac.rstrip("0")
        if len(kept) > 2:
            raise _bad(raw, "more than 2 decimals")
        fraction_fen = int(kept.ljust(2, "0"))
        scale = 100
    if len(digits) > _MAX_INT_DIGITS:
        raise _bad(raw, "too large")
    fen = int(digits or "0") * scale + fraction_fen
    if fen > FEN_MAX:
        raise _bad(raw, "too large")
    return -fen if sign == "-" else fen


def number_to_fen(value: int | float | Decimal, unit: str = "yuan") -> int:
    """Return a spreadsheet number cell as integer fen.

    A float cell is read through ``Decimal(repr(x))``, the shortest decimal that round-trips,
    and accepted only if it lies within 1e-6 of a whole fen (``28.159999999999997`` is 28.16
    yuan, ``28.165`` is not an amount). A float above 2**53 fen cannot hold the fen at all.

    Parameters
    ----------
    value : int, float or Decimal
        The cell value (NumPy scalars are accepted).
    unit : {"yuan", "fen"}
        Unit of the column.

    Raises
    ------
    InvalidAmount
        ``reason="bad_amount"`` for NaN, infinities, booleans, more than two decimals (or any
        decimals for fen) and amounts too large to be exact.

    Examples
    --------
    >>> number_to_fen(0.1 + 0.2)
    30
    >>> number_to_fen(12)
    1200
    >>> number_to_fen(Decimal("-2600.5"))
    -260050
    """
    _check_unit(unit)
    scale = 100 if unit == "yuan" else 1
    if isinstance(value, bool):
        raise _bad(value, "a boolean")
    if isinstance(value, numbers.Integral):
        fen = int(value) * scale
        if abs(fen) > FEN_MAX:
            raise _bad(value, "too large")
        return fen
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, numbers.Real):
        as_float = float(value)
        if not math.isfinite(as_float):
            raise _bad(value, "not a finite number")
        if abs(as_float) * scale >= _FLOAT_EXACT:
            raise _bad(value, "too large for a spreadsheet number to hold the fen")
        number = Decimal(repr(as_float))
    else:
        raise TypeError(f"number_to_fen takes a number, not {type(value).__name__}")
    if not number.is_finite():
        raise _bad(value, "not a finite number")
    try:
        fen_exact = _CONTEXT.multiply(number, Decimal(scale))
        fen = fen_exact.quantize(Decimal(1), rounding=ROUND_HALF_UP, context=_CONTEXT)
    except InvalidOperation:
        raise _bad(value, "too large") from None
    if _CONTEXT.subtract(fen_exact, fen).copy_abs() > _NOISE * scale:
        raise _bad(value, "more than 2 decimals" if unit == "yuan" else "a fen amount has decimals")
    result = int(fen)
    if abs(result) > FEN_MAX:
        raise _bad(value, "too large")
    return result


def format_fen(fen: int, grouping: bool = False) -> str:
    """Return fen as yuan text with two decimals (``-2600.50``); ``grouping`` adds thousands
    separators for reports and figures (``-2,600.50``).

    Examples
    --------
    >>> format_fen(-260050), format_fen(5), format_fen(0), format_fen(123456789, grouping=True)
    ('-2600.50', '0.05', '0.00', '1,234,567.89')
    """
    amount = int(fen)
    sign = "-" if amount < 0 else ""
    yuan, cents = divmod(abs(amount), 100)
    return f"{sign}{yuan:,}.{cents:02d}" if grouping else f"{sign}{yuan}.{cents:02d}"
