"""Stays abroad from entry/exit records, each placed at the den the member worked at.

The participation period starts where the member joined the den and ends where they left it or
the den was seized (DOMAIN.md §3, §5b). Border records say when someone crossed, not where they
went to work, so each stay is placed at the den of their group that was active (seized calls
and chats) for most of the stay; a stay that overlaps no active den of the group is a trip, not
a period. Mainland members are followed by Chinese records (exit starts a stay, entry back ends
it); members known only to the den country's records (a Taiwan permit holder, a foreign
passport) by that country's entry and exit. Days are calendar days in the den's zone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd

__all__ = ["STAY_COLUMNS", "DenFacts", "find_stays"]

STAY_COLUMNS = [
    "person_id", "group_id", "den", "start_day", "end_day", "start_at", "end_at",
    "start_basis", "start_source_file", "start_source_row",
    "end_basis", "end_source_file", "end_source_row", "conflict",
]  # fmt: skip


@dataclass(frozen=True)
class DenFacts:
    """What is known of each den: its group, its clock, when it was active."""

    group_of: dict[str, str]
    zone_of: dict[str, ZoneInfo]
    active: dict[str, tuple[int, int]]
    """First and last seized call or chat at the den, epoch seconds."""
    seized_at: dt.datetime | None

    def zone(self, den: str, fallback: ZoneInfo) -> ZoneInfo:
        return self.zone_of.get(den, fallback)


@dataclass(frozen=True)
class _Crossing:
    at: int
    """Epoch seconds; a record with its date only counts from noon UTC of that day."""
    precise: dt.datetime | None
    day: dt.date
    basis: str
    source_file: str
    source_row: int


def find_stays(
    persons: pd.DataFrame,
    travel: pd.DataFrame,
    person_groups: dict[str, str],
    dens: DenFacts,
    case_zone: ZoneInfo,
    presence: pd.DataFrame,
) -> pd.DataFrame:
    """One row per stay spent working at a den (``STAY_COLUMNS``), in person and time order.

    ``presence`` (person_id, den, t) are the member's own acts (calls on an extension they
    list, their messages): a stay is placed at the den where they acted during it, else at
    the den of their group active for most of it.
    """
    rows: list[dict[str, object]] = []
    by_person = {key: part for key, part in travel.groupby("person_id", sort=False)}
    acts_of = {key: part for key, part in presence.groupby("person_id", sort=False)}
    for person in persons.itertuples(index=False):
        records = by_person.get(person.person_id)
        if records is None:
            continue
        group = person_groups.get(person.person_id)
        if group is None:  # travel alone never places anyone at a den
            continue
        noted = _noted_dens(person)
        for start, end, conflict in _intervals(records, dens.seized_at):
            acted = _acts_in(acts_of.get(person.person_id), start.at, end.at)
            den = _den_for(start.at, end.at, group, noted, dens, acted)
            if den is None:
                continue
            zone = dens.zone(den, case_zone)
            rows.append(
                {
                    "person_id": person.person_id,
                    "group_id": dens.group_of.get(den),
                    "den": den,
                    "start_day": _day(start, zone),
                    "end_day": _day(end, zone),
                    "start_at": start.at,
                    "end_at": end.at,
                    "start_basis": start.basis,
                    "start_source_file": start.source_file or None,
                    "start_source_row": start.source_row or None,
                    "end_basis": end.basis,
                    "end_source_file": end.source_file or None,
                    "end_source_row": end.source_row or None,
                    "conflict": conflict or None,
                }
            )
    return pd.DataFrame(rows, columns=STAY_COLUMNS)


def _noted_dens(person: Any) -> list[str]:
    """The roster's den first, then dens its note names (``曾在den-a、den-b``)."""
    noted = [person.den] if isinstance(person.den, str) else []
    note = person.note
    if isinstance(note, str):
        noted += [part for part in note.replace("曾在", "").replace(",", "、").split("、") if part]
    return noted


def _intervals(
    records: pd.DataFrame, seized_at: dt.datetime | None
) -> list[tuple[_Crossing, _Crossing, str]]:
    """(start, end, conflict) of each stay; an open stay ends at the seizure.

    The den country's own records come first (DOMAIN.md §5b): a stay found from Chinese exit
    and entry records starts at the den country's entry inside it, and ends at its exit,
    when those records exist. Where the two disagree by more than a day, ``conflict`` says so.
    """
    chinese = records[records["country"] == "CN"]
    foreign = records[records["country"] != "CN"]
    if chinese.empty:
        return [(a, b, "") for a, b in _pairs(foreign, "entry", "exit", "the den's country",
                                              seized_at)]  # fmt: skip
    there = [_crossing(row, "the den's country") for row in foreign.itertuples(index=False)]
    stays = []
    for start, end in _pairs(chinese, "exit", "entry", "China", seized_at):
        entries = [c for d, c in there if d == "entry" and start.at - 86_400 <= c.at <= end.at]
        exits = [c for d, c in there if d == "exit" and start.at <= c.at <= end.at + 86_400]
        conflicts = []
        if entries:
            first = min(entries, key=lambda c: c.at)
            if abs(first.day - start.day).days > 1:
                conflicts.append(f"left China {start.day} but entered {first.day}")
            start = first
        if exits:
            last = max(exits, key=lambda c: c.at)
            if end.basis != "seizure" and abs(last.day - end.day).days > 1:
                conflicts.append(f"left {last.day} but entered China {end.day}")
            end = last
        stays.append((start, end, "; ".join(conflicts)))
    return stays


def _pairs(
    records: pd.DataFrame,
    leaving: str,
    returning: str,
    where: str,
    seized_at: dt.datetime | None,
) -> list[tuple[_Crossing, _Crossing]]:
    """Stays from one authority's records: a departure to the next return, or the seizure."""
    crossings = sorted(
        (_crossing(row, where) for row in records.itertuples(index=False)),
        key=lambda c: (c[1].at, c[0]),
    )
    seizure = _seizure(seized_at)
    stays: list[tuple[_Crossing, _Crossing]] = []
    opened: _Crossing | None = None
    for direction, crossing in crossings:
        if seizure is not None and crossing.at > seizure.at:
            break
        if direction == leaving:
            if opened is not None:  # a missing return record: the next departure closes it
                stays.append((opened, crossing))
            opened = crossing
        elif direction == returning and opened is not None:
            stays.append((opened, crossing))
            opened = None
    if opened is not None and seizure is not None:
        stays.append((opened, seizure))
    return stays


def _crossing(row: Any, where: str) -> tuple[str, _Crossing]:
    direction = str(row.direction)
    precise = row.crossed_at
    day = row.crossed_on
    if isinstance(precise, pd.Timestamp) and not pd.isna(precise):
        moment: dt.datetime | None = precise.to_pydatetime()
        at = int(precise.timestamp())
        day = precise.date()
    else:
        moment = None
        day = day if isinstance(day, dt.date) else pd.Timestamp(day).date()
        at = int(dt.datetime.combine(day, dt.time(12), dt.UTC).timestamp())
    verb = "left" if direction == "exit" else "entered"
    source = str(row.record_source or "")
    basis = f"{verb} {where} ({source} record)" if source else f"{verb} {where}"
    return direction, _Crossing(at, moment, day, basis, str(row.source_file), int(row.source_row))


def _seizure(seized_at: dt.datetime | None) -> _Crossing | None:
    if seized_at is None:
        return None
    return _Crossing(
        int(seized_at.timestamp()), seized_at, seized_at.date(), "seizure", "case.toml", 0
    )


def _acts_in(acts: pd.DataFrame | None, start: int, end: int) -> dict[str, tuple[int, int]]:
    """(chats, calls) of a member at each den between two moments (a day's slack)."""
    if acts is None:
        return {}
    inside = acts[(acts["t"] >= start - 86_400) & (acts["t"] <= end + 86_400)]
    counts = inside.groupby(["den", "kind"]).size()
    return {
        str(den): (int(counts.get((den, "chat"), 0)), int(counts.get((den, "call"), 0)))
        for den in inside["den"].unique()
    }


def _den_for(
    start: int,
    end: int,
    group: str,
    noted: list[str],
    dens: DenFacts,
    acted: dict[str, tuple[int, int]],
) -> str | None:
    """The den of ``group`` where the member chatted, else called, most during the stay, else
    the one active for most of it; None when none was active in it."""
    best: tuple[tuple[int, int], int, int, str] | None = None
    for den, (first, last) in dens.active.items():
        if dens.group_of.get(den) != group:
            continue
        overlap = min(end, last) - max(start, first)
        if overlap <= 0:
            continue
        rank = (acted.get(den, (0, 0)), overlap, 1 if den in noted else 0, den)
        if best is None or rank > best:
            best = rank
    return best[3] if best else None


def _day(crossing: _Crossing, zone: ZoneInfo) -> dt.date:
    """The crossing's calendar day in the den's zone (a date-only record keeps its date)."""
    if crossing.precise is None:
        return crossing.day
    return crossing.precise.astimezone(zone).date()
