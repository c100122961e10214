"""Column parsers that understand both text cells and typed workbook cells.

A CSV column holds text; a workbook column may mix text, numbers, dates and times as the person
who made the sheet typed them. These functions turn either into canonical values through the
normalizers, per distinct value, and return ``(values, errors)`` pairs for the :class:`RowLedger`:
``errors`` holds a :class:`RejectReason` value where a cell could not be read, else None.

The one rule they add over the normalizers: an identifier stored as a number survives only if it
is an integer of at most 15 digits (a phone, a QQ number). Longer numbers have been through a
float (a 19-digit card becomes ``6.22E+18``) and their digits are gone; they are rejected as
``id_mangled``, never repaired.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from zoneinfo import ZoneInfo

import pandas as pd

from linkage.errors import InvalidValue
from linkage.normalize import (
    combine_date_time,
    excel_serial_to_time,
    map_distinct,
    number_to_fen,
    parse_fen_column,
    parse_times,
)
from linkage.rejects import RejectReason

Parsed = tuple[pd.Series, pd.Series]
MAX_EXACT_DIGITS = 15


def is_number(value: object) -> bool:
    """True for a numeric workbook cell (bool excluded)."""
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _none(index: pd.Index) -> pd.Series:
    return pd.Series([None] * len(index), index=index, dtype=object)


def text(values: pd.Series) -> pd.Series:
    """Cells as text, None where empty: integral numbers without ``.0``, dates in ISO form.

    For free text (names, remarks, places). Identifiers go through :func:`identifier_text`.
    """
    def one(value: object) -> str | None:
        if value is None or value == "":
            return None
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        if isinstance(value, dt.date | dt.time):
            return value.isoformat()
        return str(value)

    if values.map(type).eq(str).all():
        return values.astype(object).where(values != "", None)
    # Built as a list: Series.map turns the None of empty cells into NaN on mixed columns.
    return pd.Series([one(v) for v in values], index=values.index, dtype=object)


def identifier_text(values: pd.Series) -> Parsed:
    """Identifier cells as text, rejecting numbers that went through a float.

    >>> texts, errors = identifier_text(pd.Series(["6222", 13800138000.0, 6.22e18, ""]))
    >>> texts.tolist(), errors.tolist()
    (['6222', '13800138000', None, None], [None, None, 'id_mangled', None])
    """
    errors = _none(values.index)
    if values.map(type).eq(str).all():
        return values.astype(object).where(values != "", None), errors
    texts = _none(values.index)
    for position, value in values.items():
        if value is None or value == "":
            continue
        if is_number(value):
            number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
            exact = number == number.to_integral_value()
            if exact and len(str(abs(int(number)))) <= MAX_EXACT_DIGITS:
                texts[position] = str(int(number))
            else:
                errors[position] = str(RejectReason.ID_MANGLED)
        else:
            texts[position] = str(value)
    return texts, errors


def identifiers(values: pd.Series, normalize: Callable[[str], str]) -> Parsed:
    """Normalized identifiers, per distinct value; None where empty or not normalizable."""
    texts, errors = identifier_text(values)
    results, normal_errors = map_distinct(texts, normalize)
    return results, errors.fillna(normal_errors) if errors.notna().any() else normal_errors


def lenient_identifiers(values: pd.Series, normalize: Callable[[str], str]) -> pd.Series:
    """Normalized identifiers where possible and None elsewhere, never rejecting the row.

    For identifiers that are not the row's key (the other party of a call, a bound phone): the
    raw text stays in the ``*_raw`` column, and the null beside it is the flag.
    """
    return identifiers(values, normalize)[0]


def times(values: pd.Series, tz: str) -> Parsed:
    """Times in UTC from text, datetime cells (local to ``tz``) or Excel serial numbers."""
    kinds = values.map(type)
    if kinds.eq(str).all():
        return parse_times(values.astype(object).where(values != "", None), tz)
    results = pd.Series(pd.NaT, index=values.index, dtype="datetime64[us, UTC]")
    errors = _none(values.index)
    as_text = kinds.eq(str)
    if as_text.any():
        parsed, failed = parse_times(values[as_text].where(values[as_text] != "", None), tz)
        results[as_text] = parsed
        errors[as_text] = failed
    zone = ZoneInfo(tz)
    for position, value in values[~as_text].items():
        try:
            results[position] = _typed_time(value, zone, tz)
        except InvalidValue as error:
            errors[position] = error.reason
    return results, errors


def _typed_time(value: object, zone: ZoneInfo, tz: str) -> pd.Timestamp | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        local = value if value.tzinfo else value.replace(tzinfo=zone)
        return pd.Timestamp(local).tz_convert("UTC")
    if isinstance(value, dt.date):
        return pd.Timestamp(dt.datetime.combine(value, dt.time(), zone)).tz_convert("UTC")
    if is_number(value):
        return pd.Timestamp(excel_serial_to_time(value, tz))  # type: ignore[arg-type]
    from linkage.errors import InvalidTime

    raise InvalidTime(f"{value!r} is not a time")


def date_and_time(dates: pd.Series, clock: pd.Series, tz: str) -> Parsed:
    """Times from a date column and a separate time-of-day column (bank and CCB layouts).

    Distinct (date, time) pairs are parsed once; an empty time means the day's start, as banks
    that omit it intend.
    """
    results = pd.Series(pd.NaT, index=dates.index, dtype="datetime64[us, UTC]")
    errors = _none(dates.index)
    zone = ZoneInfo(tz)
    cache: dict[tuple[str, str], tuple[pd.Timestamp | None, str | None]] = {}
    for position, day, hour in zip(dates.index, dates, clock, strict=True):
        if day is None or day == "":
            continue
        key = (_cell_text(day), _cell_text(hour))
        if key not in cache:
            try:
                if isinstance(day, dt.datetime | dt.date) or is_number(day):
                    base = _typed_time(day, zone, tz)
                    assert base is not None
                    day_text = base.tz_convert(tz).strftime("%Y-%m-%d")
                else:
                    day_text = str(day)
                cache[key] = (pd.Timestamp(combine_date_time(day_text, key[1], tz)), None)
            except InvalidValue as error:
                cache[key] = (None, error.reason)
        value, error_reason = cache[key]
        if value is not None:
            results[position] = value
        errors[position] = error_reason
    return results, errors


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.time):
        return value.strftime("%H:%M:%S")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def amounts(values: pd.Series, unit: str = "yuan") -> Parsed:
    """Signed integer fen from text (``¥1,234.50``) or numeric cells, exactly."""
    kinds = values.map(type)
    if kinds.eq(str).all():
        return parse_fen_column(values, unit)
    results = pd.Series(pd.NA, index=values.index, dtype="Int64")
    errors = _none(values.index)
    as_text = kinds.eq(str)
    if as_text.any():
        parsed, failed = parse_fen_column(values[as_text], unit)
        results[as_text] = parsed
        errors[as_text] = failed
    for position, value in values[~as_text].items():
        if value is None or value == "":
            continue
        try:
            results[position] = number_to_fen(value, unit)  # type: ignore[arg-type]
        except InvalidValue as error:
            errors[position] = error.reason
    return results, errors


def integers(values: pd.Series) -> Parsed:
    """Non-negative whole numbers (durations, counts) from text or numeric cells."""
    def one(value: str) -> int:
        from linkage.errors import InvalidValue as Invalid

        cleaned = value.strip()
        if cleaned.endswith(".0"):
            cleaned = cleaned[:-2]
        if not cleaned.isdigit():
            raise Invalid(f"{value!r} is not a whole number", reason=RejectReason.MALFORMED_ROW)
        return int(cleaned)

    texts = text(values)
    results, errors = map_distinct(texts, one)
    return results.astype("Int64"), errors


def flags(values: pd.Series, mapping: dict[str, str]) -> Parsed:
    """A closed vocabulary mapped to canonical words; anything else is ``bad_direction``.

    >>> flags(pd.Series(["进", "出", "?"]), {"进": "in", "出": "out"})[1].tolist()
    [None, None, 'bad_direction']
    """
    texts = text(values)
    results = texts.map(lambda v: mapping.get(v) if v is not None else None).astype(object)
    errors = _none(values.index)
    errors[texts.notna() & results.isna()] = str(RejectReason.BAD_DIRECTION)
    return results, errors
