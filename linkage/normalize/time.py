"""Time stamps as tz-aware UTC datetimes.

Calls, transfers and chat messages are put on one time line to show that a victim's transfer
followed a call within minutes. Every source writes local wall-clock time in its own zone and
format (``2022-01-19 17:25:28``, ``2016年3月10日``, DB2 ``2021-03-04-10.23.45.123456``, epochs,
Excel serials), so each is read exactly, in the zone the source declares, and converted to UTC.
A value that cannot be read is rejected, never guessed: a day/month swap or a wrong zone would
reorder events and change what the evidence shows.
"""

from __future__ import annotations

import functools
import itertools
import math
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from linkage.errors import ConfigError, InvalidTime
from linkage.normalize._fixed_width import Template, read_fixed_width
from linkage.normalize._text import drop_whitespace, is_null_marker, nfkc, show, squeeze_whitespace
from linkage.normalize.column import arrow_text
from linkage.rejects import RejectReason

__all__ = [
    "EARLIEST",
    "check_time_range",
    "combine_date_time",
    "epoch_seconds",
    "epoch_seconds_of",
    "excel_serial_to_time",
    "local_dates",
    "local_iso",
    "parse_epoch",
    "parse_epochs",
    "parse_time",
    "parse_times",
]


def local_iso(epoch: int, zone: ZoneInfo) -> str:
    """Epoch seconds as ISO 8601 in ``zone``, with its offset: how results state a time.

    >>> local_iso(0, ZoneInfo("Asia/Shanghai"))
    '1970-01-01T08:00:00+08:00'
    """
    return datetime.fromtimestamp(epoch, UTC).astimezone(zone).isoformat()


EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)
"""No call record, bank statement or chat in a telecom-fraud case predates 1990."""

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_EXCEL_EPOCH = datetime(1899, 12, 30)
"""Day 0 of Excel's 1900 date system as every reader counts it (1900-02-29 never existed)."""
_EXCEL_MAX_SERIAL = 2958466
"""Serial of 10000-01-01: nothing past it is a date."""
_ONE_US = timedelta(microseconds=1)
_NAT = np.iinfo(np.int64).min

_TIME = (
    r"(?P<h>[0-9]{1,2}):(?P<mi>[0-9]{2})"
    r"(?::(?P<s>[0-9]{2})(?:\.(?P<f>[0-9]{1,9}))?)?"
)
_OFFSET = r"(?P<z>Z|[+-][0-9]{2}(?::?[0-9]{2})?)"
_PATTERNS = tuple(
    re.compile(pattern, re.ASCII)
    for pattern in (
        # 2022-01-19 17:25:28, 2022-01-19T17:25:28.123+08:00, 2016/3/10 10:00, 2022-01-19
        rf"(?P<y>[0-9]{{4}})[-/](?P<mo>[0-9]{{1,2}})[-/](?P<d>[0-9]{{1,2}})"
        rf"(?:[ T]{_TIME}(?: ?{_OFFSET})?)?",
        # DB2: 2021-03-04-10.23.45.123456
        r"(?P<y>[0-9]{4})-(?P<mo>[0-9]{2})-(?P<d>[0-9]{2})-(?P<h>[0-9]{2})\.(?P<mi>[0-9]{2})"
        r"\.(?P<s>[0-9]{2})(?:\.(?P<f>[0-9]{1,9}))?",
        # 20220119, 20220119172528, 20220119 172528
        r"(?P<y>[0-9]{4})(?P<mo>[0-9]{2})(?P<d>[0-9]{2})"
        r"(?: ?(?P<h>[0-9]{2})(?P<mi>[0-9]{2})(?P<s>[0-9]{2}))?",
        # 2016年3月10日, 2016年3月10日 10:00:00
        r"(?P<y>[0-9]{4})年(?P<mo>[0-9]{1,2})月(?P<d>[0-9]{1,2})日"
        r"(?: ?(?P<h>[0-9]{1,2}):(?P<mi>[0-9]{2})(?::(?P<s>[0-9]{2}))?)?",
    )
)
_TIME_OF_DAY = (
    re.compile(
        r"(?P<h>[0-9]{1,2}):(?P<mi>[0-9]{2})(?::(?P<s>[0-9]{2})(?:\.(?P<f>[0-9]{1,9}))?)?",
        re.ASCII,
    ),
    re.compile(r"(?P<h>[0-9]{2})(?P<mi>[0-9]{2})(?P<s>[0-9]{2})?", re.ASCII),
)
_EPOCH_TEXT = re.compile(r"[0-9]{9,10}|[0-9]{13}", re.ASCII)

# Shapes the vectorized parser reads straight from the bytes; each means what the scalar
# patterns above make of it. Years are limited to 1900-2099, where pandas' localization has been
# checked against zoneinfo; other years take the scalar path.
_FAST_YEARS = (1900, 2099)
_FAST_TEMPLATES = tuple(
    Template(spec)
    for spec in dict.fromkeys(  # in order, without repeats
        [
            "YYYY~MM~DD_hh:mm:ss",
            "YYYY~MM~DD_hh:mm",
            "YYYY~MM~DD_hh:mm:ss.fff",
            "YYYY~MM~DD_hh:mm:ss.ffffff",
            "YYYY~MM~DD  hh:mm:ss",
            "YYYY~MM~DD",
            "YYYYMMDDhhmmss",
            "YYYYMMDD hhmmss",
            "YYYYMMDD",
            "YYYY-MM-DD-hh.mm.ss",
            "YYYY-MM-DD-hh.mm.ss.ffffff",
            *(
                f"YYYY~{month}~{day}{time}"
                for month, day in itertools.product(("M", "MM"), ("D", "DD"))
                for time in ("", "_h:mm", "_hh:mm", "_h:mm:ss", "_hh:mm:ss")
            ),
            *(
                f"YYYY年{month}月{day}日{time}"
                for month, day in itertools.product(("M", "MM"), ("D", "DD"))
                for time in ("", " h:mm", " hh:mm", " h:mm:ss", " hh:mm:ss")
            ),
        ]
    )
)
_FAST_EPOCH_S = r"^[0-9]{9,10}$"
_FAST_EPOCH_MS = r"^[0-9]{13}$"


@functools.cache
def _zone(tz: str) -> ZoneInfo:
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:
        raise ConfigError(f"{tz!r} is not an IANA time zone (e.g. 'Asia/Shanghai')") from exc


def _unparseable(raw: object, why: str = "not a time stamp in any known format") -> InvalidTime:
    return InvalidTime(f"{show(raw)} is {why}", reason=RejectReason.UNPARSEABLE_TIME)


def _missing(raw: object) -> InvalidTime:
    return InvalidTime(f"{show(raw)} is empty", reason=RejectReason.MISSING_VALUE)


def _offset(text: str) -> timezone:
    if text == "Z":
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:] or "0")
    if hours > 23 or minutes > 59:
        raise ValueError("offset out of range")
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def _micro(fraction: str | None) -> int:
    """Microseconds from a fraction of a second, digits beyond the sixth cut off (not rounded)."""
    return int((fraction or "")[:6].ljust(6, "0"))


def _wall_clock(text: str) -> datetime | None:
    """Read cleaned text as a naive datetime, or one with a fixed offset if it carries one."""
    for pattern in _PATTERNS:
        match = pattern.fullmatch(text)
        if match is None:
            continue
        fields = match.groupdict()
        try:
            return datetime(
                int(fields["y"]),
                int(fields["mo"]),
                int(fields["d"]),
                int(fields.get("h") or 0),
                int(fields.get("mi") or 0),
                int(fields.get("s") or 0),
                _micro(fields.get("f")),
                tzinfo=_offset(fields["z"]) if fields.get("z") else None,
            )
        except ValueError:
            return None
    return None


def _to_utc(local: datetime, zone: ZoneInfo, raw: object) -> datetime:
    """Attach ``zone`` to a naive wall-clock time (fold=0) and convert to UTC.

    fold=0 takes the first of two readings of a repeated hour and, for an hour skipped by a
    DST change, the offset in force before the change: one fixed rule, stated, not a guess per
    row.
    """
    aware = local if local.tzinfo is not None else local.replace(tzinfo=zone, fold=0)
    try:
        return aware.astimezone(UTC)
    except OverflowError:
        raise _unparseable(raw, "outside the range of dates") from None


def parse_time(raw: str, tz: str) -> datetime:
    """Return a wall-clock time stamp as a UTC datetime.

    The text is local time in ``tz``, the zone of the source (a handset's zone, the case's), unless
    it carries its own offset or ``Z``. Accepted forms: ``2022-01-19 17:25:28``, ``T`` instead of
    the space, fractional seconds (cut to microseconds), no seconds, ``yyyy/M/d H:mm[:ss]`` with
    any run of spaces, ``yyyyMMddHHmmss``, ``yyyyMMdd HHmmss``, date only (``yyyy-MM-dd``,
    ``yyyyMMdd``, ``yyyy/M/d``: midnight), DB2 ``2021-03-04-10.23.45.123456`` and
    ``2016年3月10日[ 10:00[:00]]``. Full-width digits and colons are read as ASCII.

    Parameters
    ----------
    raw : str
        The time stamp as written.
    tz : str
        IANA zone name, e.g. ``"Asia/Shanghai"``.

    Returns
    -------
    datetime
        Aware, in UTC.

    Raises
    ------
    InvalidTime
        ``reason="missing_value"`` for an empty cell or null marker, else
        ``reason="unparseable_time"``.
    ConfigError
        If ``tz`` is not a zone name.

    Examples
    --------
    >>> parse_time("2022-01-19 17:25:28", "Asia/Shanghai").isoformat()
    '2022-01-19T09:25:28+00:00'
    >>> parse_time("2016年3月10日 10:00", "Africa/Nairobi").isoformat()
    '2016-03-10T07:00:00+00:00'
    >>> parse_time("2021-03-04-10.23.45.123456", "UTC").isoformat()
    '2021-03-04T10:23:45.123456+00:00'
    """
    zone = _zone(tz)
    text = squeeze_whitespace(nfkc(raw))
    if is_null_marker(text):
        raise _missing(raw)
    local = _wall_clock(text)
    if local is None:
        raise _unparseable(raw)
    return _to_utc(local, zone, raw)


def combine_date_time(date_raw: str, time_raw: str, tz: str) -> datetime:
    """Return a UTC datetime from a date column and a separate time-of-day column.

    Some bank statements split the moment of a transfer into ``交易日期`` (``20220119``) and
    ``交易时间`` (``18:53:19``, ``185319``, ``1853``). An empty time means midnight. A date cell
    that a spreadsheet turned into a datetime is accepted only when its time is midnight.

    Four digits are ``HHmm`` and six ``HHmmss``; three or five digits are rejected: they are what
    a spreadsheet leaves of ``HHmmss`` after dropping a leading zero, and a source that has lost
    them has also turned ``00:18:53`` into ``1853``, which would silently read as 18:53.

    Raises
    ------
    InvalidTime
        ``reason="missing_value"`` if the date is empty, else ``reason="unparseable_time"``.

    Examples
    --------
    >>> combine_date_time("20220119", "185319", "Asia/Shanghai").isoformat()
    '2022-01-19T10:53:19+00:00'
    >>> combine_date_time("2022/1/19", "", "Asia/Shanghai").isoformat()
    '2022-01-18T16:00:00+00:00'
    """
    zone = _zone(tz)
    date_text = squeeze_whitespace(nfkc(date_raw))
    if is_null_marker(date_text):
        raise _missing(date_raw)
    day = _wall_clock(date_text)
    if day is None or day.tzinfo is not None or day.time() != datetime.min.time():
        raise _unparseable(date_raw, "not a date")
    time_text = drop_whitespace(nfkc(time_raw))
    if is_null_marker(time_text):
        return _to_utc(day, zone, date_raw)
    for pattern in _TIME_OF_DAY:
        match = pattern.fullmatch(time_text)
        if match is None:
            continue
        try:
            local = day.replace(
                hour=int(match["h"]),
                minute=int(match["mi"]),
                second=int(match["s"] or 0),
                microsecond=_micro(match.groupdict().get("f")),
            )
        except ValueError:
            break
        return _to_utc(local, zone, time_raw)
    raise _unparseable(time_raw, "not a time of day")


def parse_epoch(raw: str | int | float) -> datetime:
    """Return a Unix epoch (always UTC) as a UTC datetime.

    Handsets and apps store epochs: 10 digits (9 before September 2001) are seconds, 13 are
    milliseconds. Any other length is not guessed at. An integral float (an integer column with a
    gap, read by pandas) is taken as its integer.

    Raises
    ------
    InvalidTime
        ``reason="missing_value"`` if empty, else ``reason="unparseable_time"``.

    Examples
    --------
    >>> parse_epoch("1642584328").isoformat()
    '2022-01-19T09:25:28+00:00'
    >>> parse_epoch(1642584328123).isoformat()
    '2022-01-19T09:25:28.123000+00:00'
    """
    if isinstance(raw, bool):
        raise _unparseable(raw, "not an epoch")
    if isinstance(raw, float):
        if math.isnan(raw):
            raise _missing(raw)
        if not raw.is_integer():
            raise _unparseable(raw, "not a whole number of seconds or milliseconds")
        raw = int(raw)
    if isinstance(raw, int):
        text = str(raw) if raw >= 0 else "-"
    else:
        text = nfkc(raw).strip()
        if is_null_marker(text):
            raise _missing(raw)
    if not _EPOCH_TEXT.fullmatch(text):
        raise _unparseable(raw, "not an epoch of 9, 10 or 13 digits")
    value = int(text)
    if len(text) == 13:
        return _EPOCH + timedelta(milliseconds=value)
    return _EPOCH + timedelta(seconds=value)


def excel_serial_to_time(serial: float | int | str, tz: str) -> datetime:
    """Return an Excel date serial (days since 1899-12-30, local to ``tz``) as a UTC datetime.

    The fraction is the time of day, rounded to the nearest second: Excel stores times as binary
    fractions of a day, so ``17:25:28`` comes back as ``…:27.9999``.

    Raises
    ------
    InvalidTime
        ``reason="missing_value"`` if empty or NaN, else ``reason="unparseable_time"``.

    Examples
    --------
    >>> excel_serial_to_time(44580.72601851852, "Asia/Shanghai").isoformat()
    '2022-01-19T09:25:28+00:00'
    """
    zone = _zone(tz)
    if isinstance(serial, bool):
        raise _unparseable(serial, "not an Excel date serial")
    if isinstance(serial, str):
        text = drop_whitespace(nfkc(serial))
        if is_null_marker(text):
            raise _missing(serial)
    elif isinstance(serial, float):
        if math.isnan(serial):
            raise _missing(serial)
        text = repr(serial)
    else:
        text = str(int(serial))
    try:
        days = Decimal(text)
    except InvalidOperation:
        raise _unparseable(serial, "not an Excel date serial") from None
    if not days.is_finite() or days < 0 or days >= _EXCEL_MAX_SERIAL:
        raise _unparseable(serial, "not an Excel date serial")
    seconds = int((days * 86400).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return _to_utc(_EXCEL_EPOCH + timedelta(seconds=seconds), zone, serial)


def check_time_range(at: datetime, latest: datetime, earliest: datetime = EARLIEST) -> datetime:
    """Return ``at`` if it lies within ``earliest`` … ``latest`` (both included).

    A time before 1990 or after the newest input file (plus a year) is a clock that was never
    set, an Excel zero date or a misread format; using it would place an event where it never
    happened.

    Raises
    ------
    InvalidTime
        ``reason="time_out_of_range"``.
    ValueError
        If any argument is naive.

    Examples
    --------
    >>> latest = datetime(2026, 1, 1, tzinfo=UTC)
    >>> check_time_range(datetime(2022, 1, 19, tzinfo=UTC), latest).year
    2022
    >>> try:
    ...     check_time_range(datetime(1899, 12, 30, tzinfo=UTC), latest)
    ... except InvalidTime as exc:
    ...     print(exc.reason)
    time_out_of_range
    """
    if at.tzinfo is None or latest.tzinfo is None or earliest.tzinfo is None:
        raise ValueError("check_time_range compares tz-aware datetimes only")
    if not earliest <= at <= latest:
        raise InvalidTime(
            f"{at.isoformat()} lies outside {earliest.isoformat()} … {latest.isoformat()}",
            reason=RejectReason.TIME_OUT_OF_RANGE,
        )
    return at


# ---------------------------------------------------------------------------------------------
# Vectorized forms


def _arrow_strings(values: pd.Series) -> pa.Array:
    """The column as Arrow strings; nulls for None/NaN/NA, ``str()`` of anything else."""
    array = arrow_text(values)
    if array is not None:
        return array
    return pa.array(
        [None if _is_missing(value) else str(value) for value in values],
        type=pa.large_string(),
    )


def _is_missing(value: object) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _mask(array: pa.Array, pattern: str) -> np.ndarray:
    """Rows whose text matches an RE2 ``pattern`` (nulls do not)."""
    matched = pc.fill_null(pc.match_substring_regex(array, pattern), False)
    return np.asarray(matched.to_numpy(zero_copy_only=False), dtype=bool)


def _localize_us(naive_us: np.ndarray, zone: ZoneInfo) -> np.ndarray:
    """UTC epoch microseconds for naive local ones; NaT where the hour is ambiguous or skipped.

    pandas marks those NaT instead of applying fold=0, so they fall back to the scalar path.
    """
    index = pd.DatetimeIndex(naive_us.view("M8[us]"))
    local = index.tz_localize(zone, ambiguous="NaT", nonexistent="NaT")
    return np.asarray(local.as_unit("us").asi8, dtype=np.int64)


def _datetime_to_us(at: datetime) -> int:
    return (at - _EPOCH) // _ONE_US


def _empty_errors(length: int) -> np.ndarray:
    return np.full(length, None, dtype=object)


def _result(
    values: pd.Series, out_us: np.ndarray, errors: np.ndarray
) -> tuple[pd.Series, pd.Series]:
    times = pd.Series(out_us.view("M8[us]"), index=values.index, copy=False).dt.tz_localize(UTC)
    return times, pd.Series(errors, index=values.index, dtype=object)


def _distinct_fallback(
    subset: np.ndarray,
    positions: np.ndarray,
    parse: Callable[[Any], datetime],
    out_us: np.ndarray,
    errors: np.ndarray,
) -> None:
    """Parse ``subset`` (the values at ``positions``) once per distinct value with ``parse``."""
    if positions.size == 0:
        return
    codes, uniques = pd.factorize(subset, use_na_sentinel=True)
    parsed = np.full(len(uniques) + 1, _NAT, dtype=np.int64)
    reasons = np.full(len(uniques) + 1, str(RejectReason.MISSING_VALUE), dtype=object)
    for i, value in enumerate(uniques):
        try:
            at = parse(value)
        except InvalidTime as exc:
            reasons[i] = str(exc.reason)
        else:
            parsed[i] = _datetime_to_us(at)
            reasons[i] = None
    out_us[positions] = parsed[codes]
    errors[positions] = reasons[codes]


def _arrow_fallback(
    array: pa.Array,
    positions: np.ndarray,
    parse: Callable[[Any], datetime],
    out_us: np.ndarray,
    errors: np.ndarray,
) -> None:
    if positions.size:
        subset = array.take(pa.array(positions)).to_numpy(zero_copy_only=False)
        _distinct_fallback(subset, positions, parse, out_us, errors)


def parse_times(values: pd.Series, tz: str) -> tuple[pd.Series, pd.Series]:
    """Parse a column of wall-clock time stamps, as :func:`parse_time` does each value.

    Designed for million-row call records. Values in a fixed layout (``yyyy-MM-dd HH:mm:ss``,
    ``yyyy/M/d H:mm``, ``T`` separator, 3- or 6-digit fractions, date only, ``yyyyMMddHHmmss``,
    DB2, ``年月日``) are read straight from the Arrow string buffers with NumPy and localized by
    pandas. Whatever that leaves (other layouts, surrounding spaces, offsets, hours made ambiguous
    or skipped by DST, years outside 1900–2099, junk) is parsed by :func:`parse_time` once per
    distinct value, so every value gets exactly the scalar's answer.

    Parameters
    ----------
    values : pandas.Series
        Raw time stamps; None, NaN and empty cells allowed.
    tz : str
        IANA zone of the source.

    Returns
    -------
    times : pandas.Series
        ``datetime64[us, UTC]``, NaT where the value failed or was empty.
    errors : pandas.Series
        object; None where parsed, else the :class:`~linkage.rejects.RejectReason` value
        (``"missing_value"`` for empty cells, as :func:`parse_time` raises).

    Examples
    --------
    >>> times, errors = parse_times(pd.Series(["2022-01-19 17:25:28", "", "soon"]), "Asia/Shanghai")
    >>> [str(t) for t in times]
    ['2022-01-19 09:25:28+00:00', 'NaT', 'NaT']
    >>> errors.tolist()
    [None, 'missing_value', 'unparseable_time']
    """
    zone = _zone(tz)
    array = _arrow_strings(values)
    length = len(array)
    out_us = np.full(length, _NAT, dtype=np.int64)
    errors = _empty_errors(length)
    todo = np.ones(length, dtype=bool)
    rows, naive_us = read_fixed_width(array, _FAST_TEMPLATES, _FAST_YEARS)
    if rows.size:
        utc_us = _localize_us(naive_us, zone)
        done = utc_us != _NAT
        out_us[rows[done]] = utc_us[done]
        todo[rows[done]] = False
    _arrow_fallback(
        array, np.flatnonzero(todo), functools.partial(parse_time, tz=tz), out_us, errors
    )
    return _result(values, out_us, errors)


def parse_epochs(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse a column of Unix epochs, as :func:`parse_epoch` does each value.

    Integer columns are converted with array arithmetic; text columns take the same path for
    plain 9/10- and 13-digit values, and everything else goes to :func:`parse_epoch` once per
    distinct value.

    Returns
    -------
    times : pandas.Series
        ``datetime64[us, UTC]``, NaT where the value failed or was empty.
    errors : pandas.Series
        object; None where parsed, else the :class:`~linkage.rejects.RejectReason` value.

    Examples
    --------
    >>> times, errors = parse_epochs(pd.Series(["1642584328", "1642584328123", "16425"]))
    >>> [str(t) for t in times]
    ['2022-01-19 09:25:28+00:00', '2022-01-19 09:25:28.123000+00:00', 'NaT']
    >>> errors.tolist()
    [None, None, 'unparseable_time']
    """
    length = len(values)
    out_us = np.full(length, _NAT, dtype=np.int64)
    errors = _empty_errors(length)
    if pd.api.types.is_integer_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype):
        missing = np.asarray(values.isna().to_numpy(), dtype=bool)
        ints = np.asarray(values.fillna(0).to_numpy(dtype=np.int64), dtype=np.int64)
        seconds = (ints >= 10**8) & (ints < 10**10) & ~missing
        millis = (ints >= 10**12) & (ints < 10**13) & ~missing
        out_us[seconds] = ints[seconds] * 1_000_000
        out_us[millis] = ints[millis] * 1_000
        errors[~(seconds | millis)] = str(RejectReason.UNPARSEABLE_TIME)
        errors[missing] = str(RejectReason.MISSING_VALUE)
        return _result(values, out_us, errors)
    array = arrow_text(values)
    if array is None:
        # Numbers or mixed objects: each distinct value as it is (integral floats are accepted).
        subset = np.asarray(values.to_numpy(dtype=object), dtype=object)
        _distinct_fallback(subset, np.arange(length), parse_epoch, out_us, errors)
        return _result(values, out_us, errors)
    todo = np.ones(length, dtype=bool)
    for pattern, scale in ((_FAST_EPOCH_S, 1_000_000), (_FAST_EPOCH_MS, 1_000)):
        fast = _mask(array, pattern)
        if fast.any():
            numbers = pc.cast(array.filter(pa.array(fast)), pa.int64()).to_numpy()
            out_us[fast] = numbers * scale
            todo &= ~fast
    _arrow_fallback(array, np.flatnonzero(todo), parse_epoch, out_us, errors)
    return _result(values, out_us, errors)


def epoch_seconds(values: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """UTC timestamps, in whatever unit they are stored, as integer epoch seconds.

    The rules compare times as epoch integers (the same in every engine); converting through
    one function keeps a column stored in nanoseconds from being read as microseconds.

    >>> epoch_seconds(pa.array([datetime(2016, 4, 8, tzinfo=UTC)])).to_pylist()
    [1460073600]
    """
    micros = pc.cast(pc.cast(values, pa.timestamp("us", tz="UTC")), pa.int64())
    return pc.divide(micros, 1_000_000)


def epoch_seconds_of(times: pd.Series) -> pd.Series:
    """A pandas column of UTC times as integer epoch seconds, on the same index."""
    seconds = epoch_seconds(pa.array(times.array))
    return pd.Series(seconds.to_numpy(zero_copy_only=False), index=times.index, dtype="int64")


def local_dates(values: pa.Array | pa.ChunkedArray, zone: str) -> pa.Array | pa.ChunkedArray:
    """UTC timestamps as calendar days (date32) in ``zone``: the days the period rule and the
    den figures count in.

    >>> local_dates(pa.array([datetime(2016, 4, 8, 22, tzinfo=UTC)]), "Asia/Shanghai")
    <pyarrow.lib.Date32Array object at ...>
    [
      2016-04-09
    ]
    """
    zoned = pc.cast(pc.cast(values, pa.timestamp("us", tz="UTC")), pa.timestamp("us", zone))
    return pc.cast(pc.local_timestamp(zoned), pa.date32())
