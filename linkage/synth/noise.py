"""The bulk of a case, drawn in chunks: calls nobody answered, chatter, everyday money.

Real evidence is mostly noise: an auto-dialer rings a thousand numbers per victim, a den chat is
mostly small talk, a mule account relays other people's money. This noise is what makes
matching hard and cases large, and it is never about a victim, so it is drawn column-wise with
numpy, chunk by chunk, and written as it is drawn: memory stays flat however large the case.

Noise never touches a victim's identifiers: its phone numbers come from prefixes the
identities module never hands out, its money moves at night when no victim pays, and its chat
lines contain no digits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

__all__ = [
    "CHATTER",
    "NOISE_PREFIXES",
    "Chunk",
    "chunks",
    "night_seconds",
    "noise_phones",
    "office_seconds",
]

CHUNK_ROWS = 200_000
"""Rows drawn and written at a time: a few tens of MB, whatever the case size."""

NOISE_PREFIXES = np.array(["187", "188", "159", "152", "182", "177"])
"""Mobile prefixes reserved for people who are never victims (see identities.MOBILE_PREFIXES)."""

CHATTER = (
    "今天线路正常吗",
    "正常，继续打",
    "收到",
    "好的",
    "吃饭了没",
    "下午开会，都到",
    "网络有点卡",
    "耳机坏了，谁有多的",
    "老板说这周加油",
    "话术再背一遍",
    "明天早点起",
    "谁去买水",
    "注意别用自己手机",
    "线路断了，等一下",
    "今天打得怎么样",
    "辛苦了",
    "收到 & 辛苦",
    "晚上加班",
    "记得关电脑",
    "護照放好",
    "今天業績不好",
)
"""Den small talk that names nobody and holds no number."""


@dataclass(frozen=True)
class Chunk:
    """How many rows one chunk holds, and its own random stream."""

    rows: int
    rng: np.random.Generator


def chunks(total: int, seed: np.random.SeedSequence) -> Iterator[Chunk]:
    """``total`` rows as chunks of at most ``CHUNK_ROWS``, each with an independent stream.

    The chunking depends on ``total`` only, so the same seed gives the same rows.
    """
    count = max(1, -(-total // CHUNK_ROWS))
    for number, child in enumerate(seed.spawn(count)):
        rows = min(CHUNK_ROWS, total - number * CHUNK_ROWS)
        if rows > 0:
            yield Chunk(rows, np.random.default_rng(child))


def noise_phones(rng: np.random.Generator, rows: int) -> np.ndarray:
    """Eleven-digit mobile numbers from the reserved prefixes, as strings."""
    prefixes = NOISE_PREFIXES[rng.integers(len(NOISE_PREFIXES), size=rows)]
    subscribers = np.char.zfill(rng.integers(0, 10**8, size=rows).astype(str), 8)
    return np.char.add(prefixes, subscribers)


def _in_hours(
    rng: np.random.Generator,
    rows: int,
    start: dt.datetime,
    end: dt.datetime,
    first_hour: float,
    last_hour: float,
) -> np.ndarray:
    """Epoch seconds between two Beijing clock hours on days between two instants, sorted.

    Days are drawn among those whose hours overlap the window (both ends included), and each
    time inside that overlap, so no time is pushed onto the window's edge.
    """
    beijing = dt.timezone(dt.timedelta(hours=8))
    low, high = int(start.timestamp()), int(end.timestamp())
    first = start.astimezone(beijing).date()
    base = int(dt.datetime.combine(first, dt.time(), tzinfo=beijing).timestamp())
    days = np.arange((end.astimezone(beijing).date() - first).days + 1, dtype=np.int64)
    opens = np.maximum(base + days * 86_400 + int(first_hour * 3600), low)
    closes = np.minimum(base + days * 86_400 + int(last_hour * 3600), high)
    usable = closes > opens
    if not usable.any():
        return np.sort(rng.integers(low, max(high, low + 1), size=rows))
    opens, closes = opens[usable], closes[usable]
    weights = (closes - opens).astype(float)
    pick = rng.choice(len(opens), size=rows, p=weights / weights.sum())
    offsets = (rng.random(rows) * (closes[pick] - opens[pick])).astype(np.int64)
    return np.sort(opens[pick] + offsets)


def office_seconds(
    rng: np.random.Generator, rows: int, start: dt.datetime, end: dt.datetime
) -> np.ndarray:
    """Epoch seconds in Beijing office hours (09:00-18:00) between two instants, sorted."""
    return _in_hours(rng, rows, start, end, 9, 18)


def night_seconds(
    rng: np.random.Generator, rows: int, start: dt.datetime, end: dt.datetime
) -> np.ndarray:
    """Epoch seconds between 00:30 and 05:30 Beijing time: when relayed money moves, sorted."""
    return _in_hours(rng, rows, start, end, 0.5, 5.5)
