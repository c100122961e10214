from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linkage.errors import ConfigError, InvalidAmount, InvalidIdentifier, InvalidValue
from linkage.normalize import format_fen, map_distinct, normalize_phone, parse_fen, parse_fen_column
from linkage.rejects import RejectReason


def test_map_distinct_calls_once_per_distinct_value() -> None:
    calls: Counter[str] = Counter()

    def normalize(raw: str) -> str:
        calls[raw] += 1
        return normalize_phone(raw)

    raw = ["13800138000", "10086", "13800138000", None, "", "  ", "10086", np.nan, pd.NA]
    values = pd.Series(raw * 1000, dtype=object)
    results, errors = map_distinct(values, normalize)
    assert calls == Counter({"13800138000": 1, "10086": 1})
    assert results[:9].tolist() == ["+8613800138000", None, "+8613800138000"] + [None] * 6
    bad = "invalid_identifier"
    assert errors[:9].tolist() == [None, bad, None, None, None, None, bad, None, None]
    assert results.dtype == object and errors.dtype == object


def test_map_distinct_keeps_the_index() -> None:
    values = pd.Series(["a", "b", "a"], index=["x", "y", "z"])
    results, errors = map_distinct(values, str.upper)
    assert results.index.equals(values.index) and errors.index.equals(values.index)
    assert results.to_dict() == {"x": "A", "y": "B", "z": "A"}
    assert errors.isna().all()


def test_map_distinct_passes_non_text_as_text() -> None:
    values = pd.Series([13800138000, 6.22848e18, None], dtype=object)
    from linkage.normalize import normalize_account

    results, errors = map_distinct(values, normalize_account)
    assert results.tolist() == ["13800138000", None, None]
    assert errors.tolist() == [None, "id_mangled", None]


def test_map_distinct_lets_bugs_through() -> None:
    def broken(raw: str) -> str:
        raise KeyError(raw)

    with pytest.raises(KeyError):
        map_distinct(pd.Series(["a"]), broken)


def test_map_distinct_reason_of_each_error_kind() -> None:
    def strict(raw: str) -> str:
        if raw == "amount":
            raise InvalidAmount("no", reason=RejectReason.BAD_AMOUNT)
        raise InvalidIdentifier("no")

    _, errors = map_distinct(pd.Series(["amount", "id"]), strict)
    assert errors.tolist() == ["bad_amount", "invalid_identifier"]


def test_map_distinct_of_nothing() -> None:
    results, errors = map_distinct(pd.Series([], dtype=object), str.upper)
    assert len(results) == 0 and len(errors) == 0


@pytest.mark.parametrize("dtype", [object, "str", "string[pyarrow]"])
def test_parse_fen_column(dtype: object) -> None:
    raw = ["1.5", "-2600.50", "¥1,234.50", "", None, "28.165", "12", " 7 ", "-"]
    fen, errors = parse_fen_column(pd.Series(raw, dtype=dtype))  # type: ignore[call-overload]
    assert str(fen.dtype) == "Int64"
    assert fen.tolist() == [150, -260050, 123450, pd.NA, pd.NA, pd.NA, 1200, 700, pd.NA]
    bad, missing = "bad_amount", "missing_value"
    assert errors.tolist() == [None, None, None, None, None, bad, None, None, missing]


def test_parse_fen_column_thousands_commas() -> None:
    raw = ["1,234.50", "-12,345,678.9", "1,234", "12,34.00", "1,2345.00", "1,234.567"]
    fen, errors = parse_fen_column(pd.Series(raw))
    assert fen.tolist() == [123450, -1234567890, 123400, pd.NA, pd.NA, pd.NA]
    assert errors.tolist() == [None, None, None, "bad_amount", "bad_amount", "bad_amount"]


def test_parse_fen_column_in_fen() -> None:
    fen, errors = parse_fen_column(pd.Series(["2816", "-5", "1.50", "1,000"]), unit="fen")
    assert fen.tolist() == [2816, -5, pd.NA, 1000]
    assert errors.tolist() == [None, None, "bad_amount", None]


def test_parse_fen_column_limits() -> None:
    raw = ["9999999999999999.99", "-9999999999999999.99", "92233720368547758.07", "1" * 40]
    fen, errors = parse_fen_column(pd.Series(raw))
    assert fen.tolist() == [999999999999999999, -999999999999999999, 2**63 - 1, pd.NA]
    assert errors.tolist() == [None, None, None, "bad_amount"]


def test_parse_fen_column_non_text() -> None:
    fen, errors = parse_fen_column(pd.Series([12, 1.5, None, "3.00"], dtype=object))
    assert fen.tolist() == [1200, 150, pd.NA, 300]
    assert errors.tolist() == [None, None, None, None]


def test_parse_fen_column_keeps_the_index_and_slices() -> None:
    values = pd.Series(["1.00", "x", "2.00", "3"], index=[10, 20, 30, 40]).iloc[1:]
    fen, errors = parse_fen_column(values)
    assert fen.index.equals(values.index) and errors.index.equals(values.index)
    assert fen.tolist() == [pd.NA, 200, 300]
    assert errors.tolist() == ["bad_amount", None, None]


def test_parse_fen_column_bad_unit() -> None:
    with pytest.raises(ConfigError):
        parse_fen_column(pd.Series(["1"]), unit="jiao")


def grouped(fen: int) -> str:
    yuan, cents = divmod(abs(fen), 100)
    return f"{'-' if fen < 0 else ''}{yuan:,}.{cents:02d}"


amount_cells = st.one_of(
    st.from_regex(r"\A-?[0-9]{1,18}(\.[0-9]{1,3})?\Z"),
    st.integers(-(10**17), 10**17).map(format_fen),
    st.integers(-(10**12), 10**12).map(lambda fen: f"¥{fen / 100:,.2f}"),
    st.integers(-(10**20), 10**20).map(grouped),
    st.from_regex(r"\A-?[0-9]{1,4}(,[0-9]{2,4}){0,7}(\.[0-9]{0,3})?\Z"),
    st.text(max_size=12),
    st.sampled_from(["", " ", "-", "-0", "0.0", "00.10", "+1"]),
    st.none(),
)


@settings(deadline=None)
@given(st.lists(amount_cells, max_size=30), st.sampled_from(["yuan", "fen"]))
def test_parse_fen_column_equals_parse_fen(raw: list[str | None], unit: str) -> None:
    values = pd.Series(raw, dtype=object)
    fen, errors = parse_fen_column(values, unit)
    assert str(fen.dtype) == "Int64"
    for value, got, error in zip(raw, fen, errors, strict=True):
        if value is None or not value.strip():
            assert got is pd.NA and error is None
            continue
        try:
            expected = parse_fen(value, unit)
        except InvalidValue as exc:
            assert got is pd.NA and error == exc.reason
        else:
            assert got == expected and error is None


@settings(deadline=None)
@given(st.lists(st.one_of(st.text(max_size=8), st.none()), max_size=30))
def test_map_distinct_equals_the_function(raw: list[str | None]) -> None:
    values = pd.Series(raw, dtype=object)
    results, errors = map_distinct(values, normalize_phone)
    for value, got, error in zip(raw, results, errors, strict=True):
        if value is None or not value.strip():
            assert got is None and error is None
            continue
        try:
            expected = normalize_phone(value)
        except InvalidValue as exc:
            assert got is None and error == exc.reason
        else:
            assert got == expected and error is None
