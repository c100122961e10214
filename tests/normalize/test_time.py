from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linkage.errors import ConfigError, InvalidTime, InvalidValue
from linkage.normalize import (
    check_time_range,
    combine_date_time,
    excel_serial_to_time,
    parse_epoch,
    parse_epochs,
    parse_time,
    parse_times,
)
from linkage.rejects import RejectReason

SH = "Asia/Shanghai"
ZONES = [
    "Asia/Shanghai",
    "Asia/Taipei",
    "Asia/Jakarta",
    "Asia/Kolkata",
    "Africa/Nairobi",
    "America/New_York",
    "America/Sao_Paulo",
    "Europe/London",
    "Europe/Dublin",
    "Australia/Lord_Howe",
    "Pacific/Apia",
    "UTC",
]


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


# --- parse_time -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2022-01-19 17:25:28", utc(2022, 1, 19, 9, 25, 28)),
        ("2022-01-19T17:25:28", utc(2022, 1, 19, 9, 25, 28)),
        ("2022/01/19 17:25:28", utc(2022, 1, 19, 9, 25, 28)),
        ("2022-01-19 17:25:28.5", utc(2022, 1, 19, 9, 25, 28, 500000)),
        ("2022-01-19 17:25:28.123456789", utc(2022, 1, 19, 9, 25, 28, 123456)),
        ("2016-03-10 10:00", utc(2016, 3, 10, 2, 0)),
        ("2016/3/10 9:05", utc(2016, 3, 10, 1, 5)),
        ("2016/3/10 9:05:07", utc(2016, 3, 10, 1, 5, 7)),
        ("2025/12/03  14:06:51", utc(2025, 12, 3, 6, 6, 51)),
        (" 2025/12/03\t14:06:51 ", utc(2025, 12, 3, 6, 6, 51)),
        ("20220119172528", utc(2022, 1, 19, 9, 25, 28)),
        ("20220119 172528", utc(2022, 1, 19, 9, 25, 28)),
        ("2022-01-19", utc(2022, 1, 18, 16)),
        ("20220119", utc(2022, 1, 18, 16)),
        ("2022/1/9", utc(2022, 1, 8, 16)),
        ("2021-03-04-10.23.45.123456", utc(2021, 3, 4, 2, 23, 45, 123456)),
        ("2021-03-04-10.23.45", utc(2021, 3, 4, 2, 23, 45)),
        ("2016年3月10日 10:00", utc(2016, 3, 10, 2)),
        ("2016年3月10日 10:00:00", utc(2016, 3, 10, 2)),
        ("2016年3月10日10:00", utc(2016, 3, 10, 2)),
        ("2016年3月10日", utc(2016, 3, 9, 16)),
        ("２０２２－０１－１９　１７：２５：２８", utc(2022, 1, 19, 9, 25, 28)),
        ("2022-01-19T17:25:28Z", utc(2022, 1, 19, 17, 25, 28)),
        ("2022-01-19 17:25:28+03:00", utc(2022, 1, 19, 14, 25, 28)),
        ("2022-01-19 17:25:28 -0500", utc(2022, 1, 19, 22, 25, 28)),
        ("2022-01-19T17:25+08", utc(2022, 1, 19, 9, 25)),
        ("2024-02-29 00:00:00", utc(2024, 2, 28, 16)),
    ],
)
def test_formats(raw: str, expected: datetime) -> None:
    assert parse_time(raw, SH) == expected
    times, errors = parse_times(pd.Series([raw]), SH)
    assert times[0] == expected and errors[0] is None


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("", RejectReason.MISSING_VALUE),
        ("  ", RejectReason.MISSING_VALUE),
        ("--", RejectReason.MISSING_VALUE),
        ("\\N", RejectReason.MISSING_VALUE),
        ("2022-02-29 00:00:00", RejectReason.UNPARSEABLE_TIME),
        ("2022-02-30", RejectReason.UNPARSEABLE_TIME),
        ("2022-13-01 00:00:00", RejectReason.UNPARSEABLE_TIME),
        ("2022-01-19 24:00:00", RejectReason.UNPARSEABLE_TIME),
        ("2022-01-19 23:59:60", RejectReason.UNPARSEABLE_TIME),
        ("2022-01-19 23:60:00", RejectReason.UNPARSEABLE_TIME),
        ("19/01/2022 17:25:28", RejectReason.UNPARSEABLE_TIME),
        ("01/19/2022", RejectReason.UNPARSEABLE_TIME),
        ("2022-01-19 17:25:28+25:00", RejectReason.UNPARSEABLE_TIME),
        ("1642584328", RejectReason.UNPARSEABLE_TIME),
        ("yesterday", RejectReason.UNPARSEABLE_TIME),
        ("0001-01-01 00:00:00", RejectReason.UNPARSEABLE_TIME),
    ],
)
def test_rejects(raw: str, reason: RejectReason) -> None:
    with pytest.raises(InvalidTime) as caught:
        parse_time(raw, SH)
    assert caught.value.reason == reason
    times, errors = parse_times(pd.Series([raw]), SH)
    assert pd.isna(times[0]) and errors[0] == reason


def test_unknown_zone_is_a_config_error() -> None:
    with pytest.raises(ConfigError):
        parse_time("2022-01-19", "Mars/Olympus")
    with pytest.raises(ConfigError):
        parse_times(pd.Series(["2022-01-19"]), "")


@pytest.mark.parametrize(
    ("raw", "tz", "expected"),
    [
        # Skipped hours (spring forward) take the offset in force before the change (fold=0).
        ("2021-03-14 02:30:00", "America/New_York", utc(2021, 3, 14, 7, 30)),
        ("1990-04-15 02:30:00", SH, utc(1990, 4, 14, 18, 30)),
        ("2021-10-03 02:15:00", "Australia/Lord_Howe", utc(2021, 10, 2, 15, 45)),
        ("2011-12-30 12:00:00", "Pacific/Apia", utc(2011, 12, 30, 22)),
        # Repeated hours (fall back) take the first reading (fold=0).
        ("2021-11-07 01:30:00", "America/New_York", utc(2021, 11, 7, 5, 30)),
        ("1990-09-16 01:30:00", SH, utc(1990, 9, 15, 16, 30)),
        ("2021-10-31 01:30:00", "Europe/London", utc(2021, 10, 31, 0, 30)),
    ],
)
def test_dst_resolves_with_fold_0(raw: str, tz: str, expected: datetime) -> None:
    local = datetime.fromisoformat(raw).replace(tzinfo=ZoneInfo(tz), fold=0)
    assert local.astimezone(UTC) == expected
    assert parse_time(raw, tz) == expected
    times, errors = parse_times(pd.Series([raw, raw.replace("-", "/")]), tz)
    assert times.tolist() == [expected, expected]
    assert errors.tolist() == [None, None]


# Written forms of a local time, each with the precision it keeps.
FORMS: list[tuple[Callable[[datetime], str], Callable[[datetime], datetime]]] = [
    (lambda t: f"{t:%Y-%m-%d %H:%M:%S}", lambda t: t.replace(microsecond=0)),
    (lambda t: f"{t:%Y/%m/%d %H:%M:%S}", lambda t: t.replace(microsecond=0)),
    (lambda t: f"{t:%Y-%m-%dT%H:%M:%S}", lambda t: t.replace(microsecond=0)),
    (lambda t: f"{t:%Y-%m-%d %H:%M:%S.%f}", lambda t: t),
    (
        lambda t: f"{t:%Y-%m-%d %H:%M:%S}.{t.microsecond // 1000:03d}",
        lambda t: t.replace(microsecond=t.microsecond // 1000 * 1000),
    ),
    (
        lambda t: f"{t:%Y-%m-%d %H:%M:%S}.{t.microsecond // 10000:02d}",
        lambda t: t.replace(microsecond=t.microsecond // 10000 * 10000),
    ),
    (lambda t: f"{t:%Y-%m-%d %H:%M}", lambda t: t.replace(second=0, microsecond=0)),
    (
        lambda t: f"{t.year:04d}/{t.month}/{t.day} {t.hour}:{t.minute:02d}",
        lambda t: t.replace(second=0, microsecond=0),
    ),
    (
        lambda t: f"{t.year:04d}/{t.month}/{t.day} {t.hour}:{t.minute:02d}:{t.second:02d}",
        lambda t: t.replace(microsecond=0),
    ),
    (lambda t: f"{t:%Y/%m/%d  %H:%M:%S}", lambda t: t.replace(microsecond=0)),
    (lambda t: f" {t:%Y-%m-%d %H:%M:%S}\t", lambda t: t.replace(microsecond=0)),
    (lambda t: f"{t:%Y%m%d%H%M%S}", lambda t: t.replace(microsecond=0)),
    (lambda t: f"{t:%Y%m%d %H%M%S}", lambda t: t.replace(microsecond=0)),
    (lambda t: f"{t:%Y-%m-%d}", lambda t: datetime(t.year, t.month, t.day)),
    (lambda t: f"{t:%Y%m%d}", lambda t: datetime(t.year, t.month, t.day)),
    (lambda t: f"{t.year:04d}/{t.month}/{t.day}", lambda t: datetime(t.year, t.month, t.day)),
    (lambda t: f"{t:%Y-%m-%d-%H.%M.%S.%f}", lambda t: t),
    (lambda t: f"{t:%Y-%m-%d-%H.%M.%S}", lambda t: t.replace(microsecond=0)),
    (
        lambda t: f"{t.year:04d}年{t.month}月{t.day}日 {t:%H:%M}",
        lambda t: t.replace(second=0, microsecond=0),
    ),
    (
        lambda t: f"{t.year:04d}年{t.month}月{t.day}日 {t.hour}:{t:%M:%S}",
        lambda t: t.replace(microsecond=0),
    ),
    (lambda t: f"{t.year:04d}年{t.month}月{t.day}日", lambda t: datetime(t.year, t.month, t.day)),
]

local_times = st.one_of(
    st.datetimes(min_value=datetime(1985, 1, 1), max_value=datetime(2035, 12, 31)),
    st.datetimes(min_value=datetime(1899, 1, 1), max_value=datetime(2101, 12, 31)),
    st.datetimes(min_value=datetime(1000, 1, 1)),
)
forms = st.integers(0, len(FORMS) - 1)


def expected_utc(local: datetime, tz: str) -> datetime | None:
    try:
        return local.replace(tzinfo=ZoneInfo(tz), fold=0).astimezone(UTC)
    except OverflowError:
        return None


@settings(deadline=None)
@given(local_times, forms, st.sampled_from(ZONES))
def test_written_times_read_back(local: datetime, form: int, tz: str) -> None:
    write, keep = FORMS[form]
    expected = expected_utc(keep(local), tz)
    if expected is None:
        return
    assert parse_time(write(local), tz) == expected


@settings(deadline=None)
@given(st.text(), st.sampled_from(ZONES))
def test_junk_never_crashes_and_is_idempotent(raw: str, tz: str) -> None:
    try:
        at = parse_time(raw, tz)
    except InvalidValue:
        return
    assert at.tzinfo is UTC
    # Normalized again (written as ISO with its offset), the time is the same.
    assert parse_time(at.isoformat(), tz) == at
    assert parse_time(f"{at:%Y-%m-%d %H:%M:%S.%f}", "UTC") == at


cells = st.one_of(
    st.tuples(local_times, forms).map(lambda pair: FORMS[pair[1]][0](pair[0])),
    st.text(max_size=30),
    st.from_regex(r"\A[0-9]{4}[-/][0-9]{1,2}[-/][0-9]{1,2}( [0-9]{1,2}:[0-9]{2}(:[0-9]{2})?)?\Z"),
    st.sampled_from(["", " ", "-", "2021-03-14 02:30:00", "2021-11-07 01:30:00"]),
    st.none(),
)


@settings(deadline=None)
@given(st.lists(cells, max_size=16), st.sampled_from(ZONES))
def test_parse_times_equals_parse_time(raw: list[str | None], tz: str) -> None:
    values = pd.Series(raw, index=np.arange(len(raw)) * 3 + 7, dtype=object)
    times, errors = parse_times(values, tz)
    assert str(times.dtype) == "datetime64[us, UTC]"
    assert times.index.equals(values.index) and errors.index.equals(values.index)
    for value, at, error in zip(raw, times, errors, strict=True):
        try:
            expected = parse_time(value if value is not None else "", tz)
        except InvalidTime as exc:
            assert pd.isna(at) and error == exc.reason
        else:
            assert at == expected and error is None


def test_parse_times_column_types() -> None:
    raw = ["2022-01-19 17:25:28", None, "", "2022/01/19 17:25:28", "junk"] * 3
    expected_times = [utc(2022, 1, 19, 9, 25, 28), None, None, utc(2022, 1, 19, 9, 25, 28), None]
    expected_errors = [None, "missing_value", "missing_value", None, "unparseable_time"]
    for values in (
        pd.Series(raw, dtype=object),
        pd.Series(raw, dtype="str"),
        pd.Series(raw, dtype="string[pyarrow]"),
        pd.Series(raw, dtype="category"),
        pd.Series(raw, dtype=object).iloc[5:],  # a slice: Arrow buffers with an offset
    ):
        times, errors = parse_times(values, SH)
        n = len(values)
        got = [None if pd.isna(t) else t for t in times]
        assert got == (expected_times * 3)[-n:]
        assert errors.tolist() == (expected_errors * 3)[-n:]


def test_parse_times_of_nothing() -> None:
    times, errors = parse_times(pd.Series([], dtype=object), SH)
    assert len(times) == 0 and str(times.dtype) == "datetime64[us, UTC]"
    times, errors = parse_times(pd.Series([None, None]), SH)
    assert times.isna().all() and errors.tolist() == ["missing_value"] * 2


# --- combine_date_time ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("date_raw", "time_raw", "expected"),
    [
        ("20220119", "18:53:19", utc(2022, 1, 19, 10, 53, 19)),
        ("20220119", "185319", utc(2022, 1, 19, 10, 53, 19)),
        ("20220119", "1853", utc(2022, 1, 19, 10, 53)),
        ("20220119", "18:53", utc(2022, 1, 19, 10, 53)),
        ("20220119", "8:05:00", utc(2022, 1, 19, 0, 5)),
        ("20220119", "", utc(2022, 1, 18, 16)),
        ("20220119", "  ", utc(2022, 1, 18, 16)),
        ("2022-01-19", "18:53:19", utc(2022, 1, 19, 10, 53, 19)),
        ("2022/1/19", "18:53:19", utc(2022, 1, 19, 10, 53, 19)),
        ("2022年1月19日", "18:53:19", utc(2022, 1, 19, 10, 53, 19)),
        ("2022-01-19 00:00:00", "18:53:19", utc(2022, 1, 19, 10, 53, 19)),
        ("20220119", "18:53:19.5", utc(2022, 1, 19, 10, 53, 19, 500000)),
    ],
)
def test_combine_date_time(date_raw: str, time_raw: str, expected: datetime) -> None:
    assert combine_date_time(date_raw, time_raw, SH) == expected


@pytest.mark.parametrize(
    ("date_raw", "time_raw", "reason"),
    [
        ("", "18:53:19", RejectReason.MISSING_VALUE),
        ("20220230", "18:53:19", RejectReason.UNPARSEABLE_TIME),
        ("2022-01-19 12:00:00", "18:53:19", RejectReason.UNPARSEABLE_TIME),
        ("20220119", "85319", RejectReason.UNPARSEABLE_TIME),
        ("20220119", "853", RejectReason.UNPARSEABLE_TIME),
        ("20220119", "2500", RejectReason.UNPARSEABLE_TIME),
        ("20220119", "18:61", RejectReason.UNPARSEABLE_TIME),
        ("20220119", "noon", RejectReason.UNPARSEABLE_TIME),
    ],
)
def test_combine_date_time_rejects(date_raw: str, time_raw: str, reason: RejectReason) -> None:
    with pytest.raises(InvalidTime) as caught:
        combine_date_time(date_raw, time_raw, SH)
    assert caught.value.reason == reason


@settings(deadline=None)
@given(
    st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2040, 1, 1)),
    st.sampled_from(ZONES),
)
def test_combine_date_time_agrees_with_parse_time(local: datetime, tz: str) -> None:
    local = local.replace(microsecond=0)
    whole = parse_time(f"{local:%Y-%m-%d %H:%M:%S}", tz)
    assert combine_date_time(f"{local:%Y%m%d}", f"{local:%H%M%S}", tz) == whole
    assert combine_date_time(f"{local:%Y-%m-%d}", f"{local:%H:%M:%S}", tz) == whole


@settings(deadline=None)
@given(st.text(max_size=12), st.text(max_size=10), st.sampled_from(ZONES))
def test_combine_date_time_never_crashes(date_raw: str, time_raw: str, tz: str) -> None:
    try:
        at = combine_date_time(date_raw, time_raw, tz)
    except InvalidValue:
        return
    assert at.tzinfo is UTC


# --- epochs -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1642584328", utc(2022, 1, 19, 9, 25, 28)),
        (" 1642584328 ", utc(2022, 1, 19, 9, 25, 28)),
        (1642584328, utc(2022, 1, 19, 9, 25, 28)),
        ("1642584328123", utc(2022, 1, 19, 9, 25, 28, 123000)),
        (1642584328123, utc(2022, 1, 19, 9, 25, 28, 123000)),
        ("999999999", utc(2001, 9, 9, 1, 46, 39)),
        (1642584328.0, utc(2022, 1, 19, 9, 25, 28)),
    ],
)
def test_parse_epoch(raw: str | int, expected: datetime) -> None:
    assert parse_epoch(raw) == expected


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("", RejectReason.MISSING_VALUE),
        (float("nan"), RejectReason.MISSING_VALUE),
        ("16425843281", RejectReason.UNPARSEABLE_TIME),
        ("164258432812", RejectReason.UNPARSEABLE_TIME),
        ("1642584328.5", RejectReason.UNPARSEABLE_TIME),
        ("1.642584328E9", RejectReason.UNPARSEABLE_TIME),
        ("-1642584328", RejectReason.UNPARSEABLE_TIME),
        (-1642584328, RejectReason.UNPARSEABLE_TIME),
        (1642584328.5, RejectReason.UNPARSEABLE_TIME),
        (12345, RejectReason.UNPARSEABLE_TIME),
        (True, RejectReason.UNPARSEABLE_TIME),
    ],
)
def test_parse_epoch_rejects(raw: str | int, reason: RejectReason) -> None:
    with pytest.raises(InvalidTime) as caught:
        parse_epoch(raw)
    assert caught.value.reason == reason


epoch_cells = st.one_of(
    st.integers(10**8, 10**10 - 1).map(str),
    st.integers(10**12, 10**13 - 1).map(str),
    st.text("0123456789 .", max_size=15),
    st.text(max_size=5),
    st.none(),
)


def check_epochs(raw: list[object], values: pd.Series) -> None:
    times, errors = parse_epochs(values)
    assert str(times.dtype) == "datetime64[us, UTC]"
    assert times.index.equals(values.index)
    for value, at, error in zip(raw, times, errors, strict=True):
        try:
            expected = parse_epoch(value if value is not None else "")  # type: ignore[arg-type]
        except InvalidTime as exc:
            assert pd.isna(at) and error == exc.reason
        else:
            assert at == expected and error is None


@settings(deadline=None)
@given(st.lists(epoch_cells, max_size=20))
def test_parse_epochs_equals_parse_epoch_on_text(raw: list[str | None]) -> None:
    check_epochs(raw, pd.Series(raw, dtype=object))


@settings(deadline=None)
@given(st.lists(st.integers(-(10**14), 10**14), max_size=20))
def test_parse_epochs_equals_parse_epoch_on_integers(raw: list[int]) -> None:
    check_epochs(raw, pd.Series(raw, dtype="int64"))


def test_parse_epochs_column_types() -> None:
    raw = [1642584328, None, 1642584328123]
    expected = [utc(2022, 1, 19, 9, 25, 28), None, utc(2022, 1, 19, 9, 25, 28, 123000)]
    for values in (pd.Series(raw, dtype="Int64"), pd.Series(raw, dtype=float), pd.Series(raw)):
        times, errors = parse_epochs(values)
        assert [None if pd.isna(t) else t for t in times] == expected
        assert errors.tolist() == [None, "missing_value", None]


# --- Excel serials ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("serial", "expected"),
    [
        (44580.72601851852, utc(2022, 1, 19, 9, 25, 28)),
        (44580.726018, utc(2022, 1, 19, 9, 25, 28)),
        ("44580.72601851852", utc(2022, 1, 19, 9, 25, 28)),
        (44580, utc(2022, 1, 18, 16)),
        ("44580", utc(2022, 1, 18, 16)),
        (32874, utc(1989, 12, 31, 16)),
    ],
)
def test_excel_serial(serial: float | int | str, expected: datetime) -> None:
    assert excel_serial_to_time(serial, SH) == expected


@pytest.mark.parametrize(
    ("serial", "reason"),
    [
        ("", RejectReason.MISSING_VALUE),
        (float("nan"), RejectReason.MISSING_VALUE),
        (-1, RejectReason.UNPARSEABLE_TIME),
        (float("inf"), RejectReason.UNPARSEABLE_TIME),
        ("abc", RejectReason.UNPARSEABLE_TIME),
        (3e6, RejectReason.UNPARSEABLE_TIME),
        (True, RejectReason.UNPARSEABLE_TIME),
    ],
)
def test_excel_serial_rejects(serial: float | int | str, reason: RejectReason) -> None:
    with pytest.raises(InvalidTime) as caught:
        excel_serial_to_time(serial, SH)
    assert caught.value.reason == reason


@settings(deadline=None)
@given(
    st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1)),
    st.sampled_from(ZONES),
)
def test_excel_serial_round_trips_to_the_second(local: datetime, tz: str) -> None:
    local = local.replace(microsecond=0)
    serial = (local - datetime(1899, 12, 30)) / timedelta(days=1)
    expected = expected_utc(local, tz)
    assert excel_serial_to_time(serial, tz) == expected


@settings(deadline=None)
@given(st.one_of(st.floats(), st.text(max_size=20), st.integers()), st.sampled_from(ZONES))
def test_excel_serial_never_crashes(serial: float | int | str, tz: str) -> None:
    try:
        at = excel_serial_to_time(serial, tz)
    except InvalidValue:
        return
    assert at.tzinfo is UTC


# --- range ------------------------------------------------------------------------------------


def test_check_time_range() -> None:
    latest = utc(2026, 1, 1)
    at = utc(2022, 1, 19)
    assert check_time_range(at, latest) is at
    assert check_time_range(utc(1990, 1, 1), latest) == utc(1990, 1, 1)
    assert check_time_range(latest, latest) == latest
    for outside in (utc(1989, 12, 31, 23, 59, 59), utc(2026, 1, 1, 0, 0, 1), utc(1899, 12, 30)):
        with pytest.raises(InvalidTime) as caught:
            check_time_range(outside, latest)
        assert caught.value.reason == RejectReason.TIME_OUT_OF_RANGE
    assert check_time_range(utc(1980, 1, 1), latest, earliest=utc(1970, 1, 1)) == utc(1980, 1, 1)
    with pytest.raises(ValueError, match="tz-aware"):
        check_time_range(datetime(2022, 1, 19), latest)
