"""Victims' call detail records as carriers return them (GBK CSV, Beijing time, one per carrier).

A carrier answers for every number it was asked about in one file: the police-platform layout
with ``*``-suffixed headers and every cell prefixed with a tab. Each victim whose records were
requested shows the den's answered calls as 被叫 from the spoofed number they saw, sometimes a
call back (主叫) to it, and their everyday calls to numbers that have nothing to do with the case.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np

from linkage.synth.files import CaseFolder, Source
from linkage.synth.noise import noise_phones
from linkage.synth.text import local_times
from linkage.synth.world import Call, Victim, World

__all__ = ["write_carrier_records"]

HEADER = (
    "己方号码*,截获时间*,呼叫类型*,对方号码*,己方位置区*,己方小区*,己方卡号*,己方机身码*,时长*,"
    "己方姓名*,对方姓名*"
)
CARRIERS = (
    ("中国移动", ("139", "138", "137", "136", "135", "150", "158")),
    ("中国联通", ("186", "185")),
    ("中国电信", ("133", "189")),
)
ENCODING = "gbk"


def _carrier(phone: str) -> str:
    return next(name for name, prefixes in CARRIERS if phone[:3] in prefixes)


def _connected(calls: list[Call]) -> list[Call]:
    """Answered calls as the victim's carrier saw them: a forwarded chain is one call.

    The den passes the victim from line to line without hanging up, so its dial list has a
    row per leg while the carrier logs one call lasting as long as all the legs together.
    """
    merged: list[Call] = []
    for call in calls:
        if not call.answered:
            continue
        if merged and not call.task_id and merged[-1].forwarded_to == call.extension:
            previous = merged[-1]
            ended = previous.started_at + dt.timedelta(seconds=previous.duration_s + 15)
            if call.started_at - ended < dt.timedelta(minutes=2):
                held = int((call.started_at - previous.started_at).total_seconds())
                merged[-1] = dataclasses.replace(
                    previous,
                    duration_s=held + call.duration_s,
                    forwarded_to=call.forwarded_to,
                )
                continue
        merged.append(call)
    return merged


def _victim_rows(
    victim: Victim, calls: list[Call], rng: np.random.Generator
) -> list[tuple[int, str, str, int]]:
    rows: list[tuple[int, str, str, int]] = []
    for call in _connected(calls):
        drift = int(rng.integers(0, 4))
        rows.append(
            (
                int(call.started_at.timestamp()) + 15 + drift,
                "被叫",
                call.line.displayed,
                call.duration_s - drift,
            )
        )
    if calls and rng.random() < 0.35:
        last = calls[-1]
        back = last.started_at + dt.timedelta(hours=int(rng.integers(2, 20)))
        rows.append(
            (int(back.timestamp()), "主叫", last.line.displayed, int(rng.integers(30, 300)))
        )
    everyday = int(rng.integers(4, 12))
    if calls:
        middle = int(calls[0].started_at.timestamp())
        seconds = middle + rng.integers(-10 * 86400, 10 * 86400, size=everyday)
        for at, other in zip(seconds, noise_phones(rng, everyday), strict=True):
            rows.append(
                (
                    int(at),
                    "主叫" if rng.random() < 0.5 else "被叫",
                    str(other),
                    int(rng.integers(10, 600)),
                )
            )
    return sorted(rows)


def write_carrier_records(folder: CaseFolder, world: World, seed: np.random.SeedSequence) -> None:
    """Write ``telecom/<carrier>_话单.csv`` for every carrier holding a requested victim."""
    rng = np.random.default_rng(seed)
    by_victim: dict[str, list[Call]] = {}
    for call in world.calls:
        if call.victim is not None:
            by_victim.setdefault(call.victim, []).append(call)
    asked = [v for v in world.victims if v.carrier_records]
    for carrier, _ in CARRIERS:
        victims = [v for v in asked if _carrier(v.phone) == carrier]
        if not victims:
            continue
        relative = f"telecom/{carrier}_话单.csv"
        lines = [HEADER]
        for victim in victims:
            rows = _victim_rows(
                victim, sorted(by_victim.get(victim.key, []), key=lambda c: c.started_at), rng
            )
            imsi = f"46000{rng.integers(10**10):010d}"
            imei = f"86{rng.integers(10**13):013d}"
            lac, ci = str(rng.integers(4000, 5000)), str(rng.integers(10000, 40000))
            times = local_times(np.array([r[0] for r in rows], dtype=np.int64), "Asia/Shanghai")
            for (_, direction, other, seconds), when in zip(rows, times.to_pylist(), strict=True):
                cells = [
                    victim.phone,
                    when,
                    direction,
                    other,
                    lac,
                    ci,
                    imsi,
                    imei,
                    str(max(seconds, 1)),
                    victim.name,
                    "",
                ]
                lines.append(",".join("\t" + c for c in cells))
        for _ in range(world.profile.malformed_per_source):
            cells = [
                "1.39E+10",
                "2016-03-01 10:00:00",
                "主叫",
                "18700000000",
                "4100",
                "20000",
                "",
                "",
                "60",
                "",
                "",
            ]
            lines.append(",".join("\t" + c for c in cells))
            folder.plant(relative, len(lines), "id_mangled", "己方号码 went through a float")
        folder.count("calls", len(lines) - 1)
        folder.write_text(relative, lines, ENCODING)
        folder.add(Source(relative, "calls", "telecom"))
