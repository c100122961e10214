"""A den's Skype ``main.db`` (SQLite, UTC epochs): the group chat callers report victims in.

Holds the reports about victims drawn by the simulation and the den's small talk, each written
by a member who was at the den at that moment. Messages are inserted in time order with ids
counting from 1, the ``source_row`` an examiner cites.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from html import escape

import numpy as np

from linkage.synth.files import CaseFolder, Source
from linkage.synth.noise import CHATTER, chunks
from linkage.synth.world import Den, Message, Person, World

__all__ = ["write_skype"]

SCHEMA = """
CREATE TABLE Accounts (id INTEGER PRIMARY KEY, skypename TEXT, fullname TEXT);
CREATE TABLE Conversations (id INTEGER PRIMARY KEY, identity TEXT, displayname TEXT);
CREATE TABLE Messages (id INTEGER PRIMARY KEY, convo_id INTEGER, chatname TEXT,
    author TEXT, from_dispname TEXT, dialog_partner TEXT, timestamp INTEGER,
    type INTEGER, chatmsg_type INTEGER, body_xml TEXT);
CREATE TABLE Calls (id INTEGER PRIMARY KEY, begin_timestamp INTEGER,
    duration INTEGER, is_incoming INTEGER, host_identity TEXT);
CREATE TABLE CallMembers (id INTEGER PRIMARY KEY, call_db_id INTEGER,
    identity TEXT, call_duration INTEGER);
"""


def _presence(den: Den, people: list[Person]) -> list[tuple[Person, int, int]]:
    """(person, from, until) in epoch seconds for every stay at ``den``."""
    spans = []
    for person in people:
        for stay in person.stays:
            if stay.den is den:
                low, high = int(stay.works_from.timestamp()), int(stay.works_until.timestamp())
                if low < high:
                    spans.append((person, low, high))
    return spans


def _chatter(
    den: Den, people: list[Person], total: int, seed: np.random.SeedSequence
) -> list[tuple[int, Person, str]]:
    """Small talk, spread over members in proportion to the time they spent at the den."""
    spans = _presence(den, people)
    if not spans:
        return []
    weights = np.array([high - low for _, low, high in spans], dtype=float)
    out = []
    for chunk in chunks(total, seed):
        rng = chunk.rng
        who = rng.choice(len(spans), size=chunk.rows, p=weights / weights.sum())
        lows = np.array([spans[i][1] for i in who])
        highs = np.array([spans[i][2] for i in who])
        at = lows + (rng.random(chunk.rows) * (highs - lows)).astype(np.int64)
        lines = rng.integers(len(CHATTER), size=chunk.rows)
        out += [(int(t), spans[i][0], CHATTER[k]) for t, i, k in zip(at, who, lines, strict=True)]
    return out


def write_skype(
    folder: CaseFolder, world: World, den: Den, seed: np.random.SeedSequence
) -> dict[str, int]:
    """Write ``seized/<den>/main.db``; returns how many messages each member sent."""
    relative = f"seized/{den.name}/main.db"
    target = folder.path(relative)
    target.unlink(missing_ok=True)
    by_key = {p.key: p for p in world.people}
    staff = [p for p in world.people if any(s.den is den for s in p.stays)]
    reports: list[Message] = [m for m in world.messages if m.den == den.name]
    victims = sum(1 for v in world.victims if v.den == den.name)
    rows: list[tuple[int, Person, str]] = [
        (int(m.sent_at.timestamp()), by_key[m.sender], m.body) for m in reports
    ]
    rows += _chatter(den, staff, world.profile.chatter_per_victim * max(victims, 1), seed)
    rows.sort(key=lambda r: (r[0], r[1].key, r[2]))
    sent: dict[str, int] = {}
    with closing(sqlite3.connect(target)) as db, db:
        db.executescript(SCHEMA)
        owner = next((p for p in staff if p.role == "organiser"), staff[0] if staff else None)
        if owner is not None:
            db.execute("INSERT INTO Accounts VALUES (1, ?, ?)", (owner.skype, owner.name))
        db.execute("INSERT INTO Conversations VALUES (1, ?, ?)", (den.chat, den.chat_title))
        db.executemany(
            "INSERT INTO Messages VALUES (?, 1, ?, ?, ?, NULL, ?, 61, 3, ?)",
            (
                (number, den.chat, person.skype, person.name, at, escape(body, quote=False))
                for number, (at, person, body) in enumerate(rows, start=1)
            ),
        )
    for _, person, _ in rows:
        sent[person.key] = sent.get(person.key, 0) + 1
    folder.count("chats", len(rows))
    folder.add(Source(relative, "chats", "seized", None, den.name))
    return sent
