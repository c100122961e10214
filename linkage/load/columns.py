"""Column parsers that understand both text cells and typed workbook cells.

A CSV column arrives as Arrow strings; a workbook column may mix text, numbers, dates and times
as the person who made the sheet typed them. These functions turn either into canonical values
through the normalizers, once per distinct value, and return ``(values, errors)`` pairs for the
:class:`RowLedger`: ``errors`` holds a :class:`RejectReason` value where a cell could not be
read, else None. Values come back Arrow-backed (strings, integers, timestamps with nulls), so a
million-row column never passes through Python objects row by row.

The one rule they add over the normalizers: an identifier stored as a number survives only if it
is an integer of at most 15 digits (a phone, a QQ number). Longer numbers have been through a
float (a 19-digit card becomes ``6.22E+18``) and their digits are gone; they are rejected as
``id_mangled``, never repaired.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Hashable
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from linkage.errors import InvalidTime, InvalidValue
from linkage.load.raw import is_text_backed
from linkage.normalize import (
    combine_date_time,
    excel_serial_to_time,
    normalize_account,
    number_to_fen,
    parse_fen_column,
    parse_times,
)
from linkage.normalize.account import plain_accounts
from linkage.rejects import RejectReason

Parsed = tuple[pd.Series, pd.Series]
ASCII_DIGITS = re.compile(r"[0-9]{1,18}")
CLOCK_DURATION = re.compile(r"([0-9]{1,3}):([0-5][0-9]):([0-5][0-9])")
MAX_EXACT_DIGITS = 15
STRING = pd.ArrowDtype(pa.string())


def is_number(value: object) -> bool:
    """True for a numeric workbook cell (bool excluded)."""
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _none(index: pd.Index) -> pd.Series:
    """An all-null errors column (Arrow-backed: testing it for nulls reads a bitmap)."""
    return pd.Series(pa.nulls(len(index), pa.string()), index=index, dtype=STRING)


def _strings(values: list[str | None] | pa.Array, index: pd.Index) -> pd.Series:
    array = values if isinstance(values, pa.Array) else pa.array(values, pa.string())
    return pd.Series(array, index=index, dtype=STRING)


def _arrow(values: pd.Series) -> pa.Array:
    array = pa.array(values.array)
    return array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array


def each(values: pd.Series, fn: Callable[[Any], Any]) -> pd.Series:
    """``fn`` applied once per distinct non-null value; None where the cell is null or empty.

    The NA-safe replacement for ``Series.map(lambda ...)``: Arrow-backed columns hold ``<NA>``,
    which a lambda cannot test for truth, and a 10M-row column holds few distinct values.

    >>> each(pd.Series(["a", None, "a", ""]), str.upper).tolist()
    ['A', None, 'A', None]
    """
    if isinstance(values.dtype, pd.ArrowDtype):
        encoded = pc.dictionary_encode(_arrow(values))
        uniques = encoded.dictionary.to_pylist()
        codes = encoded.indices.fill_null(len(uniques)).to_numpy()
    else:
        codes, uniques = pd.factorize(values.astype(object).to_numpy(), use_na_sentinel=True)
    mapped = np.full(len(uniques) + 1, None, dtype=object)
    for position, value in enumerate(uniques):
        if value is not None and value is not pd.NA and value != "":
            mapped[position] = fn(value)
    return pd.Series(mapped[codes], index=values.index, dtype=object)


def text(values: pd.Series) -> pd.Series:
    """Cells as text, null where empty: integral numbers without ``.0``, dates in ISO form.

    For free text (names, remarks, places). Identifiers go through :func:`identifier_text`.
    """
    if is_text_backed(values):
        return values if isinstance(values.dtype, pd.ArrowDtype) else values.astype(STRING)

    def one(value: object) -> str | None:
        if value is None or value == "" or value is pd.NA:
            return None
        if isinstance(value, float):
            if value != value:
                return None
            if value.is_integer():
                return str(int(value))
        if isinstance(value, dt.date | dt.time):
            return value.isoformat()
        return str(value)

    return _strings([one(v) for v in values], values.index)


def identifier_text(values: pd.Series) -> Parsed:
    """Identifier cells as text, rejecting numbers that went through a float.

    >>> texts, errors = identifier_text(pd.Series(["6222", 13800138000.0, 6.22e18, ""]))
    >>> texts.tolist(), errors.tolist()
    (['6222', '13800138000', <NA>, <NA>], [<NA>, <NA>, 'id_mangled', <NA>])
    """
    errors = _none(values.index)
    if is_text_backed(values):
        return text(values), errors
    texts: list[str | None] = []
    for position, value in enumerate(values):
        if value is None or value == "" or value is pd.NA:
            texts.append(None)
        elif is_number(value):
            number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
            exact = number.is_finite() and number == number.to_integral_value()
            if exact and len(str(abs(int(number)))) <= MAX_EXACT_DIGITS:
                texts.append(str(int(number)))
            else:
                texts.append(None)
                errors.iat[position] = str(RejectReason.ID_MANGLED)
        else:
            texts.append(str(value))
    return _strings(texts, values.index), errors


def distinct_map(values: pd.Series, fn: Callable[[str], Hashable]) -> Parsed:
    """Normalize an Arrow-backed text column once per distinct value, staying in Arrow.

    The dictionary of distinct values goes through ``fn`` in Python; rows are then gathered
    from it by index, so the cost is the column's cardinality plus one vectorized take. A
    normalizer with a vectorized pass (``bulk_pass``: accounts of plain digits, plainly written
    Chinese mobiles) has that bulk read by Arrow kernels first, and only the rest goes through
    ``fn``: a noise-heavy column is mostly distinct, so its cardinality is its length.
    """
    array = _arrow(values)
    bulk = bulk_pass(fn)
    quick = bulk(array) if bulk is not None else None
    if quick is not None:
        array = pc.if_else(pc.is_valid(quick), pa.scalar(None, pa.string()), array)
    encoded = pc.dictionary_encode(array)
    uniques = encoded.dictionary.to_pylist()
    results: list[Any] = [None] * len(uniques)
    reasons: list[str | None] = [None] * len(uniques)
    for position, value in enumerate(uniques):
        try:
            results[position] = fn(value)
        except InvalidValue as error:
            reasons[position] = str(error.reason)
    indices = encoded.indices
    taken = pa.array(results, pa.string()).take(indices)
    if quick is not None:
        taken = pc.coalesce(quick, taken)
    errors = pa.array(reasons, pa.string()).take(indices)
    return _strings(taken, values.index), _strings(errors, values.index)


def identifiers(values: pd.Series, normalize: Callable[[str], str]) -> Parsed:
    """Normalized identifiers, per distinct value; null where empty or not normalizable."""
    texts, errors = identifier_text(values)
    results, normal_errors = distinct_map(texts, normalize)
    return results, errors.where(errors.notna(), normal_errors)


def bulk_pass(normalize: Callable[[str], Any]) -> Callable[[pa.Array], pa.Array] | None:
    """The vectorized pass that goes with a normalizer, if it has one (it must return, for each
    value it answers, exactly what the normalizer would, and null for the rest)."""
    if normalize is normalize_account:
        return plain_accounts
    bulk: Callable[[pa.Array], pa.Array] | None = getattr(normalize, "bulk", None)
    return bulk


def lenient_identifiers(values: pd.Series, normalize: Callable[[str], str]) -> pd.Series:
    """Normalized identifiers where possible and null elsewhere, never rejecting the row.

    For identifiers that are not the row's key (the other party of a call, a bound phone): the
    raw text stays in the ``*_raw`` column, and the null beside it is the flag.
    """
    return identifiers(values, normalize)[0]


def times(values: pd.Series, tz: str) -> Parsed:
    """Times in UTC from text, datetime cells (local to ``tz``) or Excel serial numbers."""
    if is_text_backed(values):
        return parse_times(values, tz)
    kinds = values.map(type)
    results = pd.Series(pd.NaT, index=values.index, dtype="datetime64[us, UTC]")
    errors = _none(values.index)
    as_text = kinds.eq(str).to_numpy()
    if as_text.any():
        texts = values[as_text].astype(object).where(values[as_text] != "", None)
        parsed, failed = parse_times(texts, tz)
        results[as_text] = parsed
        errors[as_text] = failed
    zone = ZoneInfo(tz)
    typed = np.flatnonzero(~as_text)
    stamps, reasons = _per_distinct(values, typed, lambda v: _typed_time(v, zone, tz))
    results.iloc[typed] = pd.to_datetime(pd.Series(stamps, dtype=object), utc=True).to_numpy()
    errors.iloc[typed] = reasons
    return results, errors


def _per_distinct(
    values: pd.Series, positions: np.ndarray, fn: Callable[[Any], Any]
) -> tuple[np.ndarray, np.ndarray]:
    """``fn`` over typed workbook cells once per distinct cell: (results, error reasons)."""
    cells = values.to_numpy(dtype=object)[positions]
    codes, uniques = pd.factorize(cells, use_na_sentinel=True)
    results = np.full(len(uniques) + 1, None, dtype=object)
    reasons = np.full(len(uniques) + 1, None, dtype=object)
    for index, cell in enumerate(uniques):
        if cell is None or cell is pd.NA or cell == "":
            continue
        try:
            results[index] = fn(cell)
        except InvalidValue as error:
            reasons[index] = str(error.reason)
    return results[codes], reasons[codes]


def _typed_time(value: object, zone: ZoneInfo, tz: str) -> pd.Timestamp | None:
    if value is None or value == "" or value is pd.NA:
        return None
    if isinstance(value, dt.datetime):
        local = value if value.tzinfo else value.replace(tzinfo=zone)
        return pd.Timestamp(local).tz_convert("UTC")
    if isinstance(value, dt.date):
        return pd.Timestamp(dt.datetime.combine(value, dt.time(), zone)).tz_convert("UTC")
    if is_number(value):
        return pd.Timestamp(excel_serial_to_time(value, tz))  # type: ignore[arg-type]
    raise InvalidTime(f"{value!r} is not a time")


def date_and_time(dates: pd.Series, clock: pd.Series, tz: str) -> Parsed:
    """Times from a date column and a separate time-of-day column (bank and CCB layouts).

    Distinct (date, time) pairs are parsed once; an empty time means the day's start, as banks
    that omit it intend.
    """
    zone = ZoneInfo(tz)
    days = dates.astype(object).to_numpy()
    hours = clock.astype(object).to_numpy()
    # Keyed by type too: a numeric cell 20160305.0 and the text "20160305" read differently.
    keys = pd.Series(
        [
            f"{type(d).__name__}\x00{_cell_text(d)}\x00{_cell_text(h)}"
            for d, h in zip(days, hours, strict=True)
        ]
    )
    codes, uniques = pd.factorize(keys.to_numpy())
    first_of = pd.Series(np.arange(len(keys))).groupby(codes).first().to_numpy()
    stamps: list[pd.Timestamp | None] = []
    reasons: list[str | None] = []
    for position in first_of:
        day, hour = days[position], hours[position]
        if day is None or day is pd.NA or day == "":
            stamps.append(None)
            reasons.append(None)
            continue
        try:
            if isinstance(day, dt.datetime | dt.date) or is_number(day):
                base = _typed_time(day, zone, tz)
                assert base is not None
                local = base.tz_convert(tz)
                if (local.hour, local.minute, local.second) != (0, 0, 0):
                    # The date cell carries its own time of day: it is the stamp, unless the
                    # time column says otherwise, which is a contradiction, not a choice.
                    if _cell_text(hour):
                        raise InvalidTime(
                            f"date cell {local:%Y-%m-%d %H:%M:%S} has a time of day and the "
                            f"time column says {_cell_text(hour)!r}"
                        )
                    stamps.append(base)
                    reasons.append(None)
                    continue
                day_text = local.strftime("%Y-%m-%d")
            else:
                day_text = str(day)
            stamps.append(pd.Timestamp(combine_date_time(day_text, _cell_text(hour), tz)))
            reasons.append(None)
        except InvalidValue as error:
            stamps.append(None)
            reasons.append(str(error.reason))
    del uniques
    unique_times = pd.Series(stamps, dtype="datetime64[us, UTC]").to_numpy()
    unique_reasons = np.asarray([*reasons, None], dtype=object)
    results = pd.Series(unique_times[codes], index=dates.index, dtype="datetime64[us, UTC]")
    return results, pd.Series(unique_reasons[codes], index=dates.index, dtype=object)


def _cell_text(value: object) -> str:
    if value is None or value is pd.NA:
        return ""
    if isinstance(value, dt.time):
        return value.strftime("%H:%M:%S")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def amounts(values: pd.Series, unit: str = "yuan") -> Parsed:
    """Signed integer fen from text (``¥1,234.50``) or numeric cells, exactly."""
    if is_text_backed(values):
        return parse_fen_column(values, unit)
    kinds = values.map(type)
    as_text = kinds.eq(str).to_numpy()
    results = pd.Series(pd.NA, index=values.index, dtype="Int64")
    errors = _none(values.index)
    if as_text.any():
        parsed, failed = parse_fen_column(values[as_text], unit)
        results[as_text] = parsed
        errors[as_text] = failed
    typed = np.flatnonzero(~as_text)
    fen, reasons = _per_distinct(values, typed, lambda v: number_to_fen(v, unit))
    results.iloc[typed] = pd.array(fen.tolist(), dtype="Int64")
    errors.iloc[typed] = reasons
    return results, errors


def integers(values: pd.Series) -> Parsed:
    """Non-negative whole numbers (durations, counts) from text or numeric cells."""

    def one(value: str) -> str:
        cleaned = value.strip().removesuffix(".0")
        clock = CLOCK_DURATION.fullmatch(cleaned)
        if clock:  # VOS3000-style 00:01:05
            hours, minutes, seconds = (int(part) for part in clock.groups())
            return str(hours * 3600 + minutes * 60 + seconds)
        if not ASCII_DIGITS.fullmatch(cleaned):
            raise InvalidValue(f"{value!r} is not a whole number", reason=RejectReason.NOT_A_NUMBER)
        return str(int(cleaned))

    texts = text(values)
    plain = pc.match_substring_regex(_arrow(texts), r"^[0-9]{1,18}$")
    if pc.all(pc.or_kleene(plain, pc.is_null(_arrow(texts)))).as_py():
        numbers = pc.cast(_arrow(texts), pa.int64())
        return pd.Series(numbers, index=values.index, dtype=pd.ArrowDtype(pa.int64())), _none(
            values.index
        )
    digits, errors = distinct_map(texts, one)
    numbers = pc.cast(_arrow(digits), pa.int64())
    return pd.Series(numbers, index=values.index, dtype=pd.ArrowDtype(pa.int64())), errors


def flags(values: pd.Series, mapping: dict[str, str]) -> Parsed:
    """A closed vocabulary mapped to canonical words; anything else is ``bad_direction``.

    >>> flags(pd.Series(["进", "出", "?"]), {"进": "in", "出": "out"})[1].tolist()
    [<NA>, <NA>, 'bad_direction']
    """
    texts = text(values)
    results = each(texts, lambda v: mapping.get(v))
    errors = _none(values.index)
    errors[(texts.notna() & results.isna()).to_numpy(dtype=bool, na_value=False)] = str(
        RejectReason.BAD_DIRECTION
    )
    return _strings(results.tolist(), values.index), errors


def matches(values: pd.Series, pattern: str) -> pd.Series:
    """Cells whose text contains a match of the regular expression ``pattern``; False if empty.

    >>> matches(pd.Series(["查询失败", None, "成功"]), "失败|无记录").tolist()
    [True, False, False]
    """
    found = text(values).str.contains(pattern, regex=True)
    return found.fillna(False).astype(bool)


def present(values: pd.Series) -> pd.Series:
    """Cells that hold something: not null and not empty text.

    >>> present(pd.Series(["a", "", None, 0])).tolist()
    [True, False, False, True]
    """
    if is_text_backed(values):
        return values.notna() & (values != "").fillna(False).astype(bool)
    return pd.Series(
        [v is not None and v is not pd.NA and v != "" for v in values], index=values.index
    )
