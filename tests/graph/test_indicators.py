"""Every legal threshold at, just below and just above its boundary (amounts in fen, ``>=``)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from linkage import AttributionParams, ConfigError
from linkage.graph.indicators import amount_band, attempt_band, overseas_days, principal

P = AttributionParams()


@pytest.mark.parametrize(
    ("fen", "band"),
    [
        (299_999, ""), (300_000, "large"), (300_001, "large"),
        (2_999_999, "large"), (3_000_000, "huge"), (3_000_001, "huge"),
        (49_999_999, "huge"), (50_000_000, "very_huge"), (50_000_001, "very_huge"),
        (0, ""),
    ],
)  # fmt: skip
def test_amount_bands_are_inclusive(fen: int, band: str) -> None:
    assert amount_band(fen, P)[0] == band


@pytest.mark.parametrize(
    ("fen", "near"),
    [(239_999, False), (240_000, True), (2_399_999, False), (2_400_000, True),
     (39_999_999, False), (40_000_000, True), (60_000_000, False)],
)  # fmt: skip
def test_near_the_next_band_is_a_flag_at_80_percent(fen: int, near: bool) -> None:
    assert amount_band(fen, P)[1] is near


@pytest.mark.parametrize(
    ("calls", "messages", "band"),
    [
        (499, 0, ""), (500, 0, "serious"), (501, 0, "serious"),
        (4_999, 0, "serious"), (5_000, 0, "very_serious"), (5_001, 0, "very_serious"),
        (0, 4_999, ""), (0, 5_000, "serious"), (0, 5_001, "serious"),
        (0, 49_999, "serious"), (0, 50_000, "very_serious"), (499, 4_999, ""),
    ],
)  # fmt: skip
def test_attempt_bands_from_calls_or_messages(calls: int, messages: int, band: str) -> None:
    assert attempt_band(calls, messages, P) == band


def _stay(first: str, days: int) -> dict[str, dt.date]:
    start = dt.date.fromisoformat(first)
    return {"start_day": start, "end_day": start + dt.timedelta(days=days - 1)}


@pytest.mark.parametrize("days", [29, 30, 31])
def test_overseas_days_count_both_ends(days: int) -> None:
    counted = overseas_days(pd.DataFrame([_stay("2015-06-01", days)]))
    assert counted == days
    assert (counted >= P.overseas_days) is (days >= 30)


def test_overseas_days_are_counted_within_one_year() -> None:
    """15 + 15 days a year apart are two short stays; 15 + 15 within a year make 30."""
    apart = pd.DataFrame([_stay("2015-01-01", 15), _stay("2016-01-16", 15)])
    close = pd.DataFrame([_stay("2015-01-01", 15), _stay("2015-12-17", 15)])
    assert overseas_days(apart) == 15
    assert overseas_days(close) == 30
    overlapping = pd.DataFrame([_stay("2015-01-01", 20), _stay("2015-01-11", 20)])
    assert overseas_days(overlapping) == 30, "a day in two records is one day"


@pytest.mark.parametrize(("dens", "suggested"), [(1, False), (2, True), (3, True)])
def test_first_liner_in_two_dens_is_a_principal_suggestion(dens: int, suggested: bool) -> None:
    assert principal("first_line", None, dens, 30, 10, "", P)[0] is suggested
    off = AttributionParams(first_line_dens_principal=0)
    assert principal("first_line", None, dens, 30, 10, "", off) == (False, "")


@pytest.mark.parametrize(
    ("tenure", "calls", "band", "suggested"),
    [(179, 300, "huge", False), (180, 300, "huge", True), (180, 299, "huge", False),
     (180, 300, "large", False), (400, 900, "very_huge", True)],
)  # fmt: skip
def test_long_tenure_many_calls_large_amount(
    tenure: int, calls: int, band: str, suggested: bool
) -> None:
    assert principal("second_line", None, 1, tenure, calls, band, P)[0] is suggested


def test_organisers_are_always_suggested_with_the_reason() -> None:
    assert principal("organiser", "trainer", 1, 1, 0, "", P) == (
        True,
        "organiser who trained callers",
    )


def test_attribution_table_in_case_toml_is_checked() -> None:
    assert AttributionParams.from_toml({"band_large_fen": 400_000}).band_large_fen == 400_000
    assert AttributionParams.from_toml({"near_band_share": 1}).near_band_share == 1
    with pytest.raises(ConfigError, match="unknown keys"):
        AttributionParams.from_toml({"band_large": 1})
    with pytest.raises(ConfigError, match="is not of type int"):
        AttributionParams.from_toml({"band_large_fen": "3000"})
    with pytest.raises(ConfigError, match="period_start"):
        AttributionParams.from_toml({"period_start": "arrival"})


@pytest.mark.parametrize(
    ("fen", "transfers", "serious"),
    [
        (9_999_999, 1, False), (10_000_000, 1, True), (10_000_001, 1, True),
        (0, 9, False), (0, 10, True), (0, 11, True),
        (4_999_999, 3, False), (5_000_000, 3, True), (5_000_000, 2, False),
        (5_000_001, 4, True),
    ],
)  # fmt: skip
def test_mule_thresholds(fen: int, transfers: int, serious: bool) -> None:
    from linkage.graph.indicators import mule_indicator

    assert bool(mule_indicator(fen, transfers, P)) is serious
