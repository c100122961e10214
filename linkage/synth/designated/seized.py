"""What was seized at each den: the gateway's dial list and the Skype database.

The dial list repeats the session's 任务ID on every row of a forwarded call: the dialer's own
leg (no extension; 转接分机 names the first-line extension), then one row per forward. Besides
the victims' chains, one broadcast in ten is answered with 1 pressed and handed to the callers
present, who lose them (nobody there pays), so every caller shows on the list. It starts
where the recovered log starts, so calls before that are in no seized file. The layouts are the
first world's (a layout is a layout); the rows are this world's.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from contextlib import closing
from html import escape

import numpy as np

from linkage.synth.designated import wording
from linkage.synth.designated.events import (
    ANSWER_S,
    RING_S,
    STAFF_ROLES,
    Den,
    Leg,
    Line,
    Person,
    World,
    is_present,
)
from linkage.synth.files import CaseFolder, Source
from linkage.synth.noise import noise_phones, office_seconds
from linkage.synth.text import local_times
from linkage.synth.write.dial_list import ENCODING as DIAL_ENCODING
from linkage.synth.write.dial_list import HEADER as DIAL_HEADER
from linkage.synth.write.skype import SCHEMA

__all__ = ["write_dial_list", "write_skype"]

_Row = tuple[int, int, int, list[str], str, bool]
"""Start, answer (-1: nobody answered) and end in epoch seconds, the text cells but the three
times, the staff key on the extension, and whether the row is noise (the dialer's broadcasts)."""


def _leg_row(leg: Leg) -> _Row:
    start = int(leg.started_at.timestamp())
    pickup = ANSWER_S if leg.extension else RING_S
    answer = start + pickup if leg.answered else -1
    end = answer + leg.duration_s if leg.answered else start + 30
    cells = [
        leg.task_id,
        leg.line.line_id,
        leg.extension,
        leg.line.displayed,
        leg.dialled,
        str(leg.duration_s if leg.answered else 0),
        "接通" if leg.answered else "未接",
        leg.key_pressed,
        leg.forwarded_to,
    ]
    return start, answer, end, cells, leg.person or "", False


HANDOFF_SHARE = 0.1
"""Broadcasts answered by someone who presses 1 and is handed to a first-line extension: most
hang up on the caller within minutes, a few are passed on and drop out later (they never pay,
so they are nobody's victim). Every caller at a den thus shows on its dial list, as they do on
a real one, whether or not one of their calls ended in a payment."""
FORWARD_ON = {"first_line": 0.3, "second_line": 0.3}
"""Share of a handoff's legs at each line passed on to the next."""


def _broadcasts(den: Den, count: int, staff: list[Person], rng: np.random.Generator) -> list[_Row]:
    """The dialer ringing numbers that never became victims: one in twenty hangs up at once,
    one in ten presses 1 and is handed to the den's callers."""
    starts = office_seconds(rng, count, den.dial_log_from, den.closes_at - dt.timedelta(hours=1))
    phones = noise_phones(rng, count)
    rows = []
    for start, phone in zip(starts.tolist(), phones.tolist(), strict=True):
        line = den.lines[int(rng.integers(len(den.lines)))]
        local = dt.datetime.fromtimestamp(start, den.zone)
        task = f"{local:%Y%m%d}{line.line_id}{int(rng.integers(100)):02d}"
        if rng.random() < HANDOFF_SHARE:
            rows += _handoff(den, staff, line, task, phone, start, rng)
            continue
        picked = bool(rng.random() < 0.05)
        duration = int(rng.integers(3, 30)) if picked else 0
        answer = start + 9 if picked else -1
        end = answer + duration if picked else start + int(rng.integers(20, 45))
        result = "接通" if picked else str(rng.choice(["未接", "忙", "失败"]))
        cells = [task, line.line_id, "", line.displayed, phone, str(duration), result, "", ""]
        rows.append((start, answer, end, cells, "", True))
    return rows


def _handoff(
    den: Den,
    staff: list[Person],
    line: Line,
    task: str,
    phone: str,
    start: int,
    rng: np.random.Generator,
) -> list[_Row]:
    """A broadcast answered with 1 pressed: the dialer's leg and one leg per caller it reaches,
    every row repeating the session's 任务ID, as the victims' chains do."""
    recording = int(rng.integers(15, 40))
    chain: list[tuple[Person, int, int]] = []  # who, when their leg began, how long they talked
    at = start + RING_S + recording + 1
    for role in STAFF_ROLES:
        moment = dt.datetime.fromtimestamp(at, dt.UTC)
        present = [p for p in staff if p.role == role and is_present(p, den, moment)]
        if not present or (chain and rng.random() >= FORWARD_ON[chain[-1][0].role]):
            break
        talk = int(rng.integers(30, 600))
        chain.append((present[int(rng.integers(len(present)))], at, talk))
        at += ANSWER_S + talk + 1
    first = chain[0][0].extensions[den.name] if chain else ""
    answer = start + RING_S
    rows: list[_Row] = [
        (start, answer, answer + recording,
         [task, line.line_id, "", line.displayed, phone, str(recording), "接通", "1", first],
         "", False)
    ]  # fmt: skip
    for position, (person, begins, talk) in enumerate(chain):
        following = chain[position + 1][0].extensions[den.name] if position + 1 < len(chain) else ""
        cells = [task, line.line_id, person.extensions[den.name], line.displayed, phone,
                 str(talk), "接通", "", following]  # fmt: skip
        rows.append((begins, begins + ANSWER_S, begins + ANSWER_S + talk, cells, person.key,
                     False))  # fmt: skip
    return rows


def write_dial_list(
    folder: CaseFolder, world: World, den: Den, seed: np.random.SeedSequence
) -> dict[str, int]:
    """Write ``seized/<den>/dial_list.csv``; returns the rows on each member's extension."""
    rng = np.random.default_rng(seed)
    relative = f"seized/{den.name}/dial_list.csv"
    victims = sum(1 for v in world.victims if v.den == den.name)
    rows = [_leg_row(leg) for leg in world.legs if leg.den == den.name and leg.logged]
    staff = [p for p in world.people if any(s.den is den for s in p.stays)]
    rows += _broadcasts(den, world.plan.broadcasts_per_victim * max(victims, 1), staff, rng)
    rows.sort(key=lambda r: (r[0], r[3][4], r[3][2]))
    starts = local_times(np.array([r[0] for r in rows], dtype=np.int64), den.plan.zone).to_pylist()
    answers = local_times(
        np.array([max(r[1], 0) for r in rows], dtype=np.int64), den.plan.zone
    ).to_pylist()
    ends = local_times(np.array([r[2] for r in rows], dtype=np.int64), den.plan.zone).to_pylist()
    damage = (
        ("unparseable_time", "开始时间 holds an impossible date (day 32)"),
        ("id_mangled", "被叫号码 went through a spreadsheet float (1.87E+10)"),
        ("empty_identifier", "被叫号码 is empty"),
    )
    to_damage = [n for n, r in enumerate(rows) if r[5]][: world.plan.malformed_per_source * 3]
    lines = [DIAL_HEADER]
    placed: dict[str, int] = {}
    for number, (_, answer_s, _, cells, person, _) in enumerate(rows):
        task, line, extension, caller, callee, duration, result, key, forward = cells
        start = starts[number]
        if number in to_damage:
            reason, why = damage[to_damage.index(number) % len(damage)]
            if reason == "unparseable_time":
                start = start[:8] + "32" + start[10:]
            else:
                callee = "1.87E+10" if reason == "id_mangled" else ""
            folder.plant(relative, len(lines) + 1, reason, why)
        elif person:
            placed[person] = placed.get(person, 0) + 1
        answer = answers[number] if answer_s >= 0 else ""
        lines.append(
            ",".join([task, line, extension, caller, callee, start, answer, ends[number],
                      duration, result, key, forward])
        )  # fmt: skip
    folder.write_text(relative, lines, DIAL_ENCODING)
    folder.count("calls", len(lines) - 1)
    folder.add(Source(relative, "calls", "seized", den.plan.zone, den.name))
    return placed


def write_skype(
    folder: CaseFolder, world: World, den: Den, seed: np.random.SeedSequence
) -> dict[str, int]:
    """Write ``seized/<den>/main.db``: the den's work chat; returns messages per member."""
    rng = np.random.default_rng(seed)
    relative = f"seized/{den.name}/main.db"
    target = folder.path(relative)
    target.unlink(missing_ok=True)
    by_key = {p.key: p for p in world.people}
    staff = [p for p in world.people if any(s.den is den for s in p.stays)]
    rows = [
        (int(m.sent_at.timestamp()), by_key[m.sender], m.body)
        for m in world.messages
        if m.den == den.name
    ]
    victims = sum(1 for v in world.victims if v.den == den.name)
    span = int((den.closes_at - den.opens_at).total_seconds())
    for _ in range(world.plan.chatter_per_victim * max(victims, 1)):
        for _ in range(50):
            at = den.opens_at + dt.timedelta(seconds=int(rng.integers(span)))
            present = [p for p in staff if is_present(p, den, at)]
            if present:
                rows.append((int(at.timestamp()), present[int(rng.integers(len(present)))],
                             wording.chatter(rng)))  # fmt: skip
                break
    rows.sort(key=lambda r: (r[0], r[1].key, r[2]))
    owner = next((p for p in staff if p.role == "organiser"), staff[0])
    with closing(sqlite3.connect(target)) as db, db:
        db.executescript(SCHEMA)
        db.execute("INSERT INTO Accounts VALUES (1, ?, ?)", (owner.skype, owner.name))
        db.execute("INSERT INTO Conversations VALUES (1, ?, ?)", (den.chat, den.chat_title))
        db.executemany(
            "INSERT INTO Messages VALUES (?, 1, ?, ?, ?, NULL, ?, 61, 3, ?)",
            (
                (number, den.chat, person.skype, person.name, at, escape(body, quote=False))
                for number, (at, person, body) in enumerate(rows, start=1)
            ),
        )
    sent: dict[str, int] = {}
    for _, person, _ in rows:
        sent[person.key] = sent.get(person.key, 0) + 1
    folder.count("chats", len(rows))
    folder.add(Source(relative, "chats", "seized", None, den.name))
    return sent
