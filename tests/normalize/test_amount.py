from __future__ import annotations

import math
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linkage.errors import ConfigError, InvalidAmount, InvalidValue
from linkage.normalize import format_fen, number_to_fen, parse_fen
from linkage.normalize.amount import FEN_MAX
from linkage.rejects import RejectReason


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0", 0),
        ("12", 1200),
        ("12.5", 1250),
        ("12.05", 1205),
        ("1.500", 150),
        ("1,234.50", 123450),
        ("1,234,567.89", 123456789),
        ("¥28.16", 2816),
        ("￥50.0", 5000),
        ("+10000.00", 1000000),
        ('"-2,600.00"', -260000),
        ("'-2,600.00", -260000),
        ("CNY 12.00", 1200),
        ("cny12.00", 1200),
        ("12.00(CN)", 1200),
        ("(CN)12.00", 1200),
        ("12.00（CN）", 1200),
        ("RMB 5", 500),
        ("100元", 10000),
        ("-¥28.16", -2816),
        ("¥-28.16", -2816),
        ("１２３．４５", 12345),
        ("－12.00", -1200),
        ("\u221212.00", -1200),
        (" 12.00\t", 1200),
        ("1 234.50", 123450),
        ("\u00a01,234.50\u3000", 123450),
        (".5", 50),
        ("5.", 500),
        ("-0.00", 0),
        ("007.10", 710),
    ],
)
def test_parse_yuan(raw: str, expected: int) -> None:
    assert parse_fen(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), [("2816", 2816), ("-2,816", -2816), ("0", 0)])
def test_parse_fen_unit(raw: str, expected: int) -> None:
    assert parse_fen(raw, unit="fen") == expected


@pytest.mark.parametrize(
    ("raw", "unit", "reason"),
    [
        ("", "yuan", RejectReason.MISSING_VALUE),
        ("   ", "yuan", RejectReason.MISSING_VALUE),
        ("-", "yuan", RejectReason.MISSING_VALUE),
        ("--", "yuan", RejectReason.MISSING_VALUE),
        ('""', "yuan", RejectReason.MISSING_VALUE),
        ("28.165", "yuan", RejectReason.BAD_AMOUNT),
        ("1,2O0.00", "yuan", RejectReason.BAD_AMOUNT),
        ("1.2.3", "yuan", RejectReason.BAD_AMOUNT),
        ("1,2345.00", "yuan", RejectReason.BAD_AMOUNT),
        ("1.234,50", "yuan", RejectReason.BAD_AMOUNT),
        ("12,34", "yuan", RejectReason.BAD_AMOUNT),
        ("$12.00", "yuan", RejectReason.BAD_AMOUNT),
        ("USD 12.00", "yuan", RejectReason.BAD_AMOUNT),
        ("1CNY2", "yuan", RejectReason.BAD_AMOUNT),
        ("1e5", "yuan", RejectReason.BAD_AMOUNT),
        ("(12.00)", "yuan", RejectReason.BAD_AMOUNT),
        ("12.00-", "yuan", RejectReason.BAD_AMOUNT),
        ("--12", "yuan", RejectReason.BAD_AMOUNT),
        ("+-12", "yuan", RejectReason.BAD_AMOUNT),
        ("¥", "yuan", RejectReason.BAD_AMOUNT),
        (".", "yuan", RejectReason.BAD_AMOUNT),
        ("nan", "yuan", RejectReason.BAD_AMOUNT),
        ("inf", "yuan", RejectReason.BAD_AMOUNT),
        ("1" * 30, "yuan", RejectReason.BAD_AMOUNT),
        ("92233720368547758.08", "yuan", RejectReason.BAD_AMOUNT),
        ("12.50", "fen", RejectReason.BAD_AMOUNT),
        ("12.", "fen", RejectReason.BAD_AMOUNT),
        ("9223372036854775808", "fen", RejectReason.BAD_AMOUNT),
    ],
)
def test_parse_rejects(raw: str, unit: str, reason: RejectReason) -> None:
    with pytest.raises(InvalidAmount) as caught:
        parse_fen(raw, unit)
    assert caught.value.reason == reason
    assert repr(raw)[:20] in str(caught.value)


def test_largest_amounts() -> None:
    assert parse_fen("9223372036854775807", unit="fen") == FEN_MAX
    assert parse_fen("92233720368547758.07") == FEN_MAX
    assert parse_fen("-92233720368547758.07") == -FEN_MAX


def test_bad_unit_is_a_config_error() -> None:
    with pytest.raises(ConfigError):
        parse_fen("1", unit="jiao")
    with pytest.raises(ConfigError):
        number_to_fen(1, unit="jiao")


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (12, "yuan", 1200),
        (12.5, "yuan", 1250),
        (0.1 + 0.2, "yuan", 30),
        (28.159999999999997, "yuan", 2816),
        (-2600.5, "yuan", -260050),
        (Decimal("1.500"), "yuan", 150),
        (Decimal("-0.01"), "yuan", -1),
        (np.float64(12.34), "yuan", 1234),
        (np.int64(7), "yuan", 700),
        (2816, "fen", 2816),
        (2816.0, "fen", 2816),
        (1e13, "yuan", 10**15),
    ],
)
def test_number_to_fen(value: float, unit: str, expected: int) -> None:
    assert number_to_fen(value, unit) == expected


@pytest.mark.parametrize(
    ("value", "unit"),
    [
        (28.165, "yuan"),
        (0.001, "yuan"),
        (math.nan, "yuan"),
        (math.inf, "yuan"),
        (-math.inf, "yuan"),
        (Decimal("NaN"), "yuan"),
        (Decimal("sNaN"), "yuan"),
        (Decimal("Infinity"), "yuan"),
        (True, "yuan"),
        (12.5, "fen"),
        (1e17, "yuan"),
        (Decimal("1e30"), "yuan"),
        (2**63, "fen"),
    ],
)
def test_number_to_fen_rejects(value: float, unit: str) -> None:
    with pytest.raises(InvalidAmount):
        number_to_fen(value, unit)


def test_number_to_fen_refuses_text() -> None:
    with pytest.raises(TypeError):
        number_to_fen("12.00")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("fen", "text"),
    [(0, "0.00"), (5, "0.05"), (-5, "-0.05"), (260050, "2600.50"), (-260050, "-2600.50")],
)
def test_format_fen(fen: int, text: str) -> None:
    assert format_fen(fen) == text


FULL_WIDTH = str.maketrans("0123456789.,-", "０１２３４５６７８９．，－")


def styles(fen: int) -> list[str]:
    """The ways sources write one amount in yuan."""
    plain = format_fen(fen)
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(fen), 100)
    grouped = f"{sign}{yuan:,}.{cents:02d}"
    written = [
        plain,
        grouped,
        f"¥{grouped}",
        f"￥{plain}",
        f"CNY {plain}",
        f"{plain}(CN)",
        f'"{grouped}"',
        f"\t{plain} ",
        plain + "0",
        grouped.translate(FULL_WIDTH),
        plain.replace("-", "\u2212"),
    ]
    if fen >= 0:
        written.append(f"+{plain}")
    if cents % 10 == 0:
        written.append(f"{sign}{yuan}.{cents // 10}")
    if cents == 0:
        written.append(f"{sign}{yuan}")
    return written


@settings(deadline=None)
@given(st.integers(-(10**17), 10**17))
def test_amounts_round_trip_to_the_fen(fen: int) -> None:
    for text in styles(fen):
        assert parse_fen(text) == fen, text


@settings(deadline=None)
@given(st.integers(-FEN_MAX, FEN_MAX))
def test_fen_unit_round_trips(fen: int) -> None:
    assert parse_fen(str(fen), unit="fen") == fen
    assert parse_fen(f"{fen:,}", unit="fen") == fen


@settings(deadline=None)
@given(st.integers(-(10**15) + 1, 10**15 - 1))
def test_spreadsheet_floats_round_trip(fen: int) -> None:
    # A spreadsheet cell holding an amount typed with two decimals is read back exactly.
    assert number_to_fen(float(format_fen(fen))) == fen
    assert number_to_fen(Decimal(format_fen(fen))) == fen


@settings(deadline=None)
@given(st.integers(-(10**15), 10**15))
def test_integer_cells(yuan: int) -> None:
    assert number_to_fen(yuan) == yuan * 100
    assert number_to_fen(yuan, unit="fen") == yuan


@settings(deadline=None)
@given(st.text(), st.sampled_from(["yuan", "fen"]))
def test_junk_never_crashes_and_is_idempotent(raw: str, unit: str) -> None:
    try:
        fen = parse_fen(raw, unit)
    except InvalidValue:
        return
    assert isinstance(fen, int) and abs(fen) <= FEN_MAX
    again = format_fen(fen) if unit == "yuan" else str(fen)
    assert parse_fen(again, unit) == fen


@settings(deadline=None)
@given(st.from_regex(r"\A[+-]?[0-9,]{0,8}(\.[0-9]{0,4})?\Z"))
def test_number_like_text(raw: str) -> None:
    try:
        fen = parse_fen(raw)
    except InvalidValue:
        return
    assert parse_fen(format_fen(fen)) == fen


@settings(deadline=None)
@given(st.floats(allow_nan=True, allow_infinity=True))
def test_any_float_cell(value: float) -> None:
    try:
        fen = number_to_fen(value)
    except InvalidAmount:
        return
    assert abs(Decimal(repr(value)) * 100 - fen) <= Decimal("1e-4")
