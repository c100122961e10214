"""Random draws that read as the story they tell: a chance, a pick, a moment, an amount."""

from __future__ import annotations

import datetime as dt
from typing import TypeVar
from zoneinfo import ZoneInfo

import numpy as np

from linkage.synth.designated.events import BEIJING, UTC

__all__ = ["Draw", "local_midnight", "office_hours"]

T = TypeVar("T")


class Draw:
    """Helpers over one random stream; the same stream state gives the same story."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng

    def chance(self, share: float) -> bool:
        return bool(self.rng.random() < share)

    def pick(self, items: list[T] | tuple[T, ...]) -> T:
        return items[int(self.rng.integers(len(items)))]

    def seconds(self, low: float, high: float) -> dt.timedelta:
        return dt.timedelta(seconds=int(self.rng.integers(int(low), int(high) + 1)))

    def between(self, start: dt.datetime, end: dt.datetime) -> dt.datetime:
        span = max(0, int((end - start).total_seconds()))
        return start + dt.timedelta(seconds=int(self.rng.integers(0, span + 1)))

    def yuan(self, low: int, high: int) -> int:
        """Fen, log-uniform between two yuan figures: mostly round thousands, some odd sums."""
        value = float(np.exp(self.rng.uniform(np.log(low), np.log(high))))
        if self.chance(0.75):
            return round(value / 1000) * 1000 * 100
        return round(value * 100)


def local_midnight(day: dt.date, zone: ZoneInfo) -> dt.datetime:
    """The instant ``day`` begins in ``zone``."""
    return dt.datetime.combine(day, dt.time(), tzinfo=zone).astimezone(UTC)


def office_hours(draw: Draw, day: dt.date) -> dt.datetime:
    """09:30 to 17:00 Beijing time: when victims pick up and banks are open."""
    start = dt.datetime.combine(day, dt.time(9, 30), tzinfo=BEIJING)
    return draw.between(start, start + dt.timedelta(hours=7, minutes=30)).astimezone(UTC)
