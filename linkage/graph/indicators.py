"""The legal indicators of one defendant: amount band, attempt band, days abroad, principal.

Each is a flag with its reason for the prosecutor, never a verdict; the thresholds live in
``AttributionParams`` with their sources.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from linkage.graph.params import AttributionParams
from linkage.normalize.amount import format_fen

__all__ = ["amount_band", "attempt_band", "mule_indicator", "overseas_days", "principal"]


def amount_band(amount_fen: int, params: AttributionParams) -> tuple[str, bool]:
    """(band, near the next band): ``large`` / ``huge`` / ``very_huge`` or empty; inclusive.

    >>> p = AttributionParams()
    >>> amount_band(300_000, p), amount_band(299_999, p), amount_band(2_400_000, p)
    (('large', False), ('', True), ('large', True))
    """
    bands = (
        ("very_huge", params.band_very_huge_fen),
        ("huge", params.band_huge_fen),
        ("large", params.band_large_fen),
    )
    band = next((name for name, floor in bands if amount_fen >= floor), "")
    floors = [floor for _, floor in bands if floor > amount_fen]
    next_floor = min(floors) if floors else None
    near = next_floor is not None and amount_fen >= params.near_band_share * next_floor
    return band, near


def attempt_band(calls: int, messages: int, params: AttributionParams) -> str:
    """``very_serious`` / ``serious`` from call attempts or messages, else empty.

    >>> p = AttributionParams()
    >>> attempt_band(499, 0, p), attempt_band(500, 0, p), attempt_band(0, 50_000, p)
    ('', 'serious', 'very_serious')
    """
    factor = params.attempt_very_serious_factor
    if calls >= params.attempt_calls * factor or messages >= params.attempt_messages * factor:
        return "very_serious"
    if calls >= params.attempt_calls or messages >= params.attempt_messages:
        return "serious"
    return ""


def overseas_days(stays: pd.DataFrame) -> int:
    """The most days spent in the dens within any 365 consecutive days (both ends counted).

    >>> january = {"start_day": [dt.date(2015, 1, 1)], "end_day": [dt.date(2015, 1, 30)]}
    >>> overseas_days(pd.DataFrame(january))
    30
    """
    days = sorted(
        {
            stay.start_day + dt.timedelta(days=n)
            for stay in stays.itertuples(index=False)
            for n in range((stay.end_day - stay.start_day).days + 1)
        }
    )
    best, first = 0, 0
    for last, day in enumerate(days):
        while (day - days[first]).days >= 365:
            first += 1
        best = max(best, last - first + 1)
    return best


def principal(
    role: str,
    subrole: object,
    den_count: int,
    tenure_days: int,
    calls: int,
    band: str,
    params: AttributionParams,
) -> tuple[bool, str]:
    """(suggested, reasons): whether the indicators point to a principal (主犯), and why.

    >>> principal("first_line", None, 2, 40, 10, "large", AttributionParams())
    (True, 'first-line caller in 2 dens (检例67 argument)')
    >>> principal("first_line", None, 1, 40, 10, "large", AttributionParams())
    (False, '')
    """
    reasons = []
    if role == "organiser":
        reasons.append("organiser" if subrole != "trainer" else "organiser who trained callers")
    rule = params.first_line_dens_principal
    if rule and role == "first_line" and den_count >= rule:
        reasons.append(f"first-line caller in {den_count} dens (检例67 argument)")
    long_tenure = tenure_days >= params.principal_tenure_days
    if long_tenure and calls >= params.principal_calls and band in ("huge", "very_huge"):
        reasons.append(f"{tenure_days} days, {calls} calls and a {band} amount")
    return bool(reasons), "; ".join(reasons)


def mule_indicator(amount_fen: int, transfers: int, params: AttributionParams) -> str:
    """Why a money mule's laundering is 情节严重, in words; empty when no threshold is met.

    >>> p = AttributionParams()
    >>> mule_indicator(10_000_000, 1, p), mule_indicator(4_999_999, 9, p)
    ('received 100,000.00 yuan or more', '')
    >>> mule_indicator(5_000_000, 3, p)
    '3 or more transfers with 50,000.00 yuan or more'
    """
    reasons = []
    if amount_fen >= params.mule_amount_fen:
        amount = format_fen(params.mule_amount_fen, grouping=True)
        reasons.append(f"received {amount} yuan or more")
    if transfers >= params.mule_times:
        reasons.append(f"{params.mule_times} or more transfers received")
    if (
        transfers >= params.mule_times_with_amount
        and amount_fen >= params.mule_amount_with_times_fen
    ):
        reasons.append(
            f"{params.mule_times_with_amount} or more transfers with "
            f"{format_fen(params.mule_amount_with_times_fen, grouping=True)} yuan or more"
        )
    return "; ".join(reasons)
