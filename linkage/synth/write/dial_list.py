"""A den's VoIP dial list (GB18030 CSV, den-local clock): every call the den placed.

Rows are the victims' forwarded call chains and repeat calls, the auto-dialer's broadcasts to
numbers that never became victims (a few of them answered with 1 pressed and handed to the
den's callers), and operators' hand-dialled calls to people who hung up.
The file is written in time slices, one chunk at a time, so a ten-million-row list never sits
in memory; each slice is sorted by start time, as a gateway's export is.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from linkage.synth.files import CaseFolder, Source
from linkage.synth.noise import Chunk, chunks, noise_phones, office_seconds
from linkage.synth.text import delimited_bytes, local_times, month_days
from linkage.synth.world import Call, Den, Person, World

__all__ = ["HEADER", "write_dial_list"]

HEADER = (
    "任务ID,线路号,分机号,主叫号码,被叫号码,开始时间,应答时间,结束时间,通话时长,呼叫结果,"
    "按键,转接分机"
)
NOT_ANSWERED = np.array(["未接", "忙", "失败"])
ENCODING = "gb18030"


@dataclass
class _Rows:
    """One slice of the list, column-wise (all text except the sort key)."""

    start: np.ndarray
    columns: dict[str, np.ndarray]
    person: np.ndarray
    """Staff key on the extension, or "" (broadcast noise)."""
    noise: np.ndarray

    def __len__(self) -> int:
        return len(self.start)


COLUMNS = (
    "task",
    "line",
    "extension",
    "caller",
    "callee",
    "answer",
    "end",
    "duration",
    "result",
    "key",
    "forward",
)


def _signal(calls: list[Call]) -> _Rows:
    start = np.array([int(c.started_at.timestamp()) for c in calls], dtype=np.int64)
    answer = start + 15
    duration = np.array([c.duration_s for c in calls], dtype=np.int64)
    answered = np.array([c.answered for c in calls], dtype=bool)
    end = np.where(answered, answer + duration, start + 35)
    return _Rows(
        start,
        {
            "task": np.array([c.task_id for c in calls], dtype=object),
            "line": np.array([c.line.line_id for c in calls], dtype=object),
            "extension": np.array([c.extension for c in calls], dtype=object),
            "caller": np.array([c.line.displayed for c in calls], dtype=object),
            "callee": np.array([c.dialled for c in calls], dtype=object),
            "answer": np.where(answered, answer, -1),
            "end": end,
            "duration": np.where(answered, duration, 0).astype(str),
            "result": np.where(answered, "接通", "未接"),
            "key": np.array([c.key_pressed for c in calls], dtype=object),
            "forward": np.array([c.forwarded_to for c in calls], dtype=object),
        },
        np.array([c.person or "" for c in calls], dtype=object),
        np.zeros(len(calls), dtype=bool),
    )


def _optional_times(seconds: np.ndarray, zone: str) -> pa.Array:
    """Local times, empty where ``seconds`` is -1 (a call nobody answered has no answer time)."""
    text = local_times(np.maximum(seconds.astype(np.int64), 0), zone)
    return pc.if_else(pa.array(seconds.astype(np.int64) >= 0), text, "")


def _task_ids(begin: np.ndarray, line_ids: np.ndarray, zone: str) -> np.ndarray:
    """The dialer's task per line and day: ``T``, the den-local ``MMDD``, the line's number."""
    day = np.array(month_days(begin, zone).to_pylist(), dtype=object)
    number = np.char.lstrip(line_ids.astype(str), "L").astype(object)
    return np.asarray("T" + day + number, dtype=object)


def _broadcasts(chunk: Chunk, den: Den, start: dt.datetime, end: dt.datetime) -> _Rows:
    """Auto-dialer calls to numbers that are never victims; a few answer and hang up."""
    rng, rows = chunk.rng, chunk.rows
    zone = den.plan.zone
    begin = office_seconds(rng, rows, start, end)
    lines = rng.integers(len(den.lines), size=rows)
    line_ids = np.array([line.line_id for line in den.lines], dtype=object)[lines]
    displayed = np.array([line.displayed for line in den.lines], dtype=object)[lines]
    picked_up = rng.random(rows) < 0.05
    duration = np.where(picked_up, rng.integers(3, 40, size=rows), 0)
    answer = begin + rng.integers(5, 20, size=rows)
    end_s = np.where(picked_up, answer + duration, begin + rng.integers(20, 45, size=rows))
    result = np.where(picked_up, "接通", NOT_ANSWERED[rng.integers(3, size=rows)])
    return _Rows(
        begin,
        {
            "task": _task_ids(begin, line_ids, zone),
            "line": line_ids,
            "extension": np.full(rows, "", dtype=object),
            "caller": displayed,
            "callee": noise_phones(rng, rows).astype(object),
            "answer": np.where(picked_up, answer, -1),
            "end": end_s,
            "duration": duration.astype(str),
            "result": result,
            "key": np.full(rows, "", dtype=object),
            "forward": np.full(rows, "", dtype=object),
        },
        np.full(rows, "", dtype=object),
        np.ones(rows, dtype=bool),
    )


def _stays_of(
    staff: list[Person], den: Den, role: str
) -> tuple[np.ndarray, np.ndarray, list[Person]]:
    """The stays at ``den`` of the staff in ``role``: epoch seconds they start and end working,
    and whose each one is."""
    stays = [
        (int(s.works_from.timestamp()), int(s.works_until.timestamp()), p)
        for p in staff
        if p.role == role
        for s in p.stays
        if s.den is den
    ]
    starts = np.array([s[0] for s in stays], dtype=np.int64)
    ends = np.array([s[1] for s in stays], dtype=np.int64)
    return starts, ends, [s[2] for s in stays]


def _present_pick(
    rng: np.random.Generator, staff: list[Person], den: Den, role: str, at: np.ndarray
) -> tuple[np.ndarray, list[Person]]:
    """One staff member in ``role`` working at ``den`` at each instant, drawn at random.

    Returns the positions in ``at`` where someone in that role was there, and who was drawn.
    """
    starts, ends, people = _stays_of(staff, den, role)
    if not people or not len(at):
        return np.zeros(0, dtype=np.int64), []
    present = (starts[None, :] <= at[:, None]) & (at[:, None] <= ends[None, :])
    draw = np.where(present, rng.random(present.shape), -1.0)
    found = np.flatnonzero(present.any(axis=1))
    return found, [people[j] for j in draw.argmax(axis=1)[found].tolist()]


HANDOFF_ROLES = ("first_line", "second_line", "third_line")
FORWARD_ON = 0.3
"""Share of a handoff's legs at one line passed on to the next."""


def _working_times(
    rng: np.random.Generator,
    den: Den,
    staff: list[Person],
    rate: float,
    start: dt.datetime,
    end: dt.datetime,
) -> Iterator[tuple[Person, np.ndarray]]:
    """For each stay of ``staff`` at ``den`` between ``start`` and ``end``: the person, and
    office-hour instants inside it, ``rate`` per working day on average (never an empty set).

    Lazy on purpose: a caller draws its own values for one stay before the next is drawn, so
    the random stream is consumed in one fixed order.
    """
    for person in staff:
        for stay in person.stays:
            if stay.den is not den:
                continue
            low, high = max(start, stay.works_from), min(end, stay.works_until)
            if low >= high:
                continue
            count = int(rng.poisson(rate * (high - low).total_seconds() / 86_400))
            if count:
                yield person, office_seconds(rng, count, low, high)


def _first_legs(
    rng: np.random.Generator,
    den: Den,
    staff: list[Person],
    rate: float,
    start: dt.datetime,
    end: dt.datetime,
) -> _Rows:
    """Broadcasts answered with 1 pressed and handed to a first-liner, inside their stays.

    As in the victims' chains, the first-liner's leg is the row that carries the 任务ID and
    the key; the dialer's own leg is not listed.
    """
    parts = []
    first_liners = [p for p in staff if p.role == HANDOFF_ROLES[0]]
    for person, begin in _working_times(rng, den, first_liners, rate, start, end):
        count = len(begin)
        lines = rng.integers(len(den.lines), size=count)
        line_ids = np.array([line.line_id for line in den.lines], dtype=object)[lines]
        talk = rng.integers(30, 600, size=count)
        parts.append(
            _Rows(
                begin,
                {
                    "task": _task_ids(begin, line_ids, den.plan.zone),
                    "line": line_ids,
                    "extension": np.full(count, person.extensions[den.name], dtype=object),
                    "caller": np.array([ln.displayed for ln in den.lines], dtype=object)[lines],
                    "callee": noise_phones(rng, count).astype(object),
                    "answer": begin + 15,
                    "end": begin + 15 + talk,
                    "duration": talk.astype(str),
                    "result": np.full(count, "接通", dtype=object),
                    "key": np.full(count, "1", dtype=object),
                    "forward": np.full(count, "", dtype=object),
                },
                np.full(count, person.key, dtype=object),
                np.zeros(count, dtype=bool),
            )
        )
    return _concat(parts)


def _handoffs(
    rng: np.random.Generator,
    den: Den,
    staff: list[Person],
    rate: float,
    start: dt.datetime,
    end: dt.datetime,
) -> _Rows:
    """Calls the dialer handed to the den's callers, ``rate`` per first-liner's working day.

    Three in ten first legs are passed on to a second-liner present, and three in ten of those
    to a third-liner; the legs passed to carry neither 任务ID nor key. Nobody handed on this way
    pays: the callees are never victims. Every caller at a den thus shows on its dial list, as
    on a real one, whether or not one of their calls ended in a payment. A leg that would begin
    after ``end`` is not placed (the slice ends there).
    """
    first = _first_legs(rng, den, staff, rate, start, end)
    parts = [first]
    leg = first
    for role in HANDOFF_ROLES[1:]:
        begins = leg.columns["end"].astype(np.int64) + 20
        passed = np.flatnonzero(
            (rng.random(len(leg)) < FORWARD_ON) & (begins < int(end.timestamp()))
        )
        found, hands = _present_pick(rng, staff, den, role, begins[passed])
        if not hands:
            break
        reached = passed[found]
        leg.columns["forward"][reached] = [p.extensions[den.name] for p in hands]
        count = len(hands)
        at = begins[reached]
        talk = rng.integers(60, 1200, size=count)
        leg = _Rows(
            at,
            {
                "task": np.full(count, "", dtype=object),
                "line": leg.columns["line"][reached],
                "extension": np.array([p.extensions[den.name] for p in hands], dtype=object),
                "caller": leg.columns["caller"][reached],
                "callee": leg.columns["callee"][reached],
                "answer": at + 15,
                "end": at + 15 + talk,
                "duration": talk.astype(str),
                "result": np.full(count, "接通", dtype=object),
                "key": np.full(count, "", dtype=object),
                "forward": np.full(count, "", dtype=object),
            },
            np.array([p.key for p in hands], dtype=object),
            np.zeros(count, dtype=bool),
        )
        parts.append(leg)
    return _concat(parts)


def _manual(
    rng: np.random.Generator,
    den: Den,
    staff: list[Person],
    rate: float,
    start: dt.datetime,
    end: dt.datetime,
) -> _Rows:
    """Calls operators dialled by hand, inside their own stays, to people who hung up."""
    parts = []
    for person, begin in _working_times(rng, den, staff, rate, start, end):
        count = len(begin)
        duration = np.where(rng.random(count) < 0.3, rng.integers(5, 90, size=count), 0)
        line = den.lines[int(rng.integers(len(den.lines)))]
        parts.append(
            _Rows(
                begin,
                {
                    "task": np.full(count, "", dtype=object),
                    "line": np.full(count, line.line_id, dtype=object),
                    "extension": np.full(count, person.extensions[den.name], dtype=object),
                    "caller": np.full(count, line.displayed, dtype=object),
                    "callee": noise_phones(rng, count).astype(object),
                    "answer": np.where(duration > 0, begin + 8, -1),
                    "end": begin + 8 + np.maximum(duration, 25),
                    "duration": duration.astype(str),
                    "result": np.where(duration > 0, "接通", "未接"),
                    "key": np.full(count, "", dtype=object),
                    "forward": np.full(count, "", dtype=object),
                },
                np.full(count, person.key, dtype=object),
                np.zeros(count, dtype=bool),
            )
        )
    return _concat(parts)


def _concat(parts: list[_Rows]) -> _Rows:
    if not parts:
        return _Rows(
            np.zeros(0, dtype=np.int64),
            {name: np.zeros(0, dtype=object) for name in COLUMNS},
            np.zeros(0, dtype=object),
            np.zeros(0, dtype=bool),
        )
    return _Rows(
        np.concatenate([p.start for p in parts]),
        {name: np.concatenate([p.columns[name] for p in parts]) for name in COLUMNS},
        np.concatenate([p.person for p in parts]),
        np.concatenate([p.noise for p in parts]),
    )


def _sorted(rows: _Rows) -> _Rows:
    order = np.lexsort((rows.columns["callee"].astype(str), rows.start))
    return _Rows(
        rows.start[order],
        {name: values[order] for name, values in rows.columns.items()},
        rows.person[order],
        rows.noise[order],
    )


def _plant(
    rows: _Rows, starts: np.ndarray, folder: CaseFolder, relative: str, first_line: int, count: int
) -> None:
    """Break a few broadcast rows the way real exports are broken; the loader must reject them."""
    damage = (
        ("start", "unparseable_time", "开始时间 holds an impossible date (day 32)"),
        ("callee", "id_mangled", "被叫号码 went through a spreadsheet float (1.87E+10)"),
        ("callee", "empty_identifier", "被叫号码 is empty"),
    )
    noise_rows = np.flatnonzero(rows.noise)
    for number, position in enumerate(noise_rows[:count]):
        column, reason, why = damage[number % len(damage)]
        if column == "start":
            starts[position] = str(starts[position])[:8] + "32" + str(starts[position])[10:]
        elif reason == "id_mangled":
            rows.columns["callee"][position] = "1.87E+10"
        else:
            rows.columns["callee"][position] = ""
        rows.person[position] = ""
        folder.plant(relative, first_line + int(position), reason, why)


def write_dial_list(
    folder: CaseFolder, world: World, den: Den, seed: np.random.SeedSequence
) -> dict[str, int]:
    """Write ``seized/<den>/dial_list.csv``; returns how many rows each staff member placed.

    The count per person is the 人次 figure the ground truth states: every row on their
    extension (answered or not), the rows planted to be rejected excepted.
    """
    relative = f"seized/{den.name}/dial_list.csv"
    profile = world.profile
    victims = sum(1 for v in world.victims if v.den == den.name)
    total = max(1, profile.broadcasts_per_victim * max(victims, 1))
    calls = [c for c in world.calls if c.den == den.name]
    call_starts = [c.started_at for c in calls]
    staff = [
        p
        for p in world.people
        if den.name in p.extensions and p.role in ("first_line", "second_line", "third_line")
    ]
    placed: dict[str, int] = {}
    pieces = list(chunks(total, seed))
    span = (den.closes_at - den.opens_at) / len(pieces)
    line = 2
    with folder.path(relative).open("wb") as out:
        out.write((HEADER + "\n").encode(ENCODING))
        for number, chunk in enumerate(pieces):
            start = den.opens_at + span * number
            end = den.closes_at if number == len(pieces) - 1 else start + span
            first = bisect.bisect_left(call_starts, start)
            last = bisect.bisect_left(call_starts, end) if end < den.closes_at else len(calls)
            rows = _sorted(
                _concat(
                    [
                        _signal(calls[first:last]),
                        _broadcasts(chunk, den, start, end),
                        _handoffs(
                            chunk.rng, den, staff, profile.handoffs_per_operator_day, start, end
                        ),
                        _manual(
                            chunk.rng, den, staff, profile.manual_calls_per_operator_day, start, end
                        ),
                    ]
                )
            )
            starts: pa.Array | np.ndarray = local_times(rows.start, den.plan.zone)
            if number == 0:
                starts = np.array(local_times(rows.start, den.plan.zone).to_pylist(), dtype=object)
                _plant(rows, starts, folder, relative, line, profile.malformed_per_source * 3)
            for person in rows.person[rows.person != ""]:
                placed[person] = placed.get(person, 0) + 1
            c = rows.columns
            out.write(
                delimited_bytes(
                    [
                        c["task"],
                        c["line"],
                        c["extension"],
                        c["caller"],
                        c["callee"],
                        starts,
                        _optional_times(c["answer"], den.plan.zone),
                        local_times(c["end"], den.plan.zone),
                        c["duration"],
                        c["result"],
                        c["key"],
                        c["forward"],
                    ],
                    ENCODING,
                )
            )
            line += len(rows)
            folder.count("calls", len(rows))
    folder.add(Source(relative, "calls", "seized", den.plan.zone, den.name))
    return placed
