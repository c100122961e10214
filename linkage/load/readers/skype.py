"""Skype desktop ``main.db``: the den's chats and Skype calls, read straight from the database.

Skype was the den managers' channel (FORMATS.md §1, §2): who told whom to call which victim, and
which handle belongs to which suspect, is in ``Messages``; Skype-to-Skype and Skype-to-phone
calls are in ``Calls`` and ``CallMembers``. The same file is listed twice in case.toml, once as
``chats`` (format ``skype_messages``) and once as ``calls`` (format ``skype_calls``).

The database is evidence: it is opened read-only through an SQLite URI (``mode=ro``), never
written, never "repaired". Provenance is what an examiner cites when they open the file in a
SQLite browser: ``source_sheet`` is the table, ``source_row`` the table's primary key
(``Messages`` id 43), not a position that depends on the query.

Messages
    ``timestamp`` is Unix seconds, UTC. A time before 1990 or more than a year after the newest
    input file is rejected as ``time_out_of_range`` (the public sample stores one SMS as
    ``13727168620``, ten times its real value, which would be the year 2404). ``body`` is the
    text with markup removed and entities unescaped (``I&apos;d`` reads ``I'd``), so it can be
    searched; ``body_raw`` is ``body_xml`` exactly as stored. For an SMS sent through Skype
    (``<sms>`` XML) the body is the message chunks, not the billing XML around them.
    ``conversation`` is ``chatname``, else the conversation's identity, else ``convo_id``.
    Every message type is kept (contact requests, call notices): ``message_type`` tells them
    apart. A message without an author is rejected as ``empty_identifier``.

Calls
    One canonical row per ``CallMembers`` row (a conference call has one per member), with the
    call's ``begin_timestamp`` and the member's ``call_duration``. ``is_incoming`` 0 means the
    account owner (``host_identity``) called the member; 1 means the member called the owner.
    ``direction`` says which, seen from the account owner. Skype handles are not phone numbers:
    they go into ``caller_raw``/``callee_raw`` and ``caller``/``callee`` stay null, except for a
    member that is a telephone number (a Skype-out call to ``+34…``), which is normalized to
    E.164 so it joins with carrier records. A call with no member rows is read from ``Calls``
    alone (partner handle or PSTN number), so no call attempt is lost.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import html
import re
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from linkage.errors import InvalidIdentifier, SourceError
from linkage.load.context import ReadResult, SourceContext
from linkage.load.formats import Format, register
from linkage.load.ledger import RowLedger
from linkage.load.raw import ROW_COLUMN, RawTable
from linkage.load.sqlite import open_readonly
from linkage.load.tabular import EARLIEST, coerced_note
from linkage.normalize import normalize_handle, normalize_phone
from linkage.rejects import RejectReason
from linkage.schema import CALLS, MESSAGES, REJECTS, Table

PHONE_LIKE = re.compile(r"\+?[0-9][0-9 ()\-]{4,}")
"""A Skype identity that is a telephone number; Skype names must start with a letter."""

TAG = re.compile(r"<[^>]*>")
SMS_CHUNK = re.compile(r"<chunk[^>]*>(.*?)</chunk>", re.DOTALL)


# --- opening the database -------------------------------------------------------------------


def database_files(context: SourceContext) -> list[Path]:
    """The databases of a source: the file itself, or every ``main.db`` under a folder."""
    path = context.path
    if path.is_file():
        return [path]
    if path.is_dir():
        files = sorted(path.rglob("main.db"))
        if not files:
            raise SourceError(f"{context.spec.path}: folder holds no Skype main.db")
        return files
    raise SourceError(f"{context.spec.path}: no such file or folder")


def connect_read_only(path: Path, name: str) -> sqlite3.Connection:
    """Open an SQLite file read-only (the evidence is never written).

    Raises
    ------
    SourceError
        If the file is not an SQLite database, or a damaged one: ``PRAGMA quick_check`` reads
        every page first, since a page overwritten inside a table can otherwise drop or garble
        rows without any error.
    """
    try:
        connection = open_readonly(path)
    except sqlite3.Error as error:
        raise SourceError(f"{name}: not a readable SQLite database ({error})") from error
    try:
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        problems = [row[0] for row in connection.execute("PRAGMA quick_check(5)").fetchall()]
    except sqlite3.DatabaseError as error:
        connection.close()
        raise SourceError(f"{name}: not a readable SQLite database ({error})") from error
    if problems != ["ok"]:
        connection.close()
        raise SourceError(
            f"{name}: a damaged SQLite database ({'; '.join(problems)}); its rows cannot be "
            "trusted: ask for a fresh image of the device"
        )
    return connection


def table_columns(connection: sqlite3.Connection, table: str) -> set[str]:
    """The column names of ``table`` (empty when the table does not exist)."""
    return {row[1] for row in connection.execute(f'PRAGMA table_info("{table}")')}


def fetch(connection: sqlite3.Connection, sql: str) -> tuple[list[str], list[dict[str, Any]]]:
    """The column names of a query and its rows as dicts keyed by them."""
    cursor = connection.execute(sql)
    names = [d[0] for d in cursor.description]
    return names, [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def require_tables(connection: sqlite3.Connection, name: str, tables: tuple[str, ...]) -> None:
    """Raise when the database lacks a table the format needs."""
    missing = [t for t in tables if not table_columns(connection, t)]
    if missing:
        raise SourceError(f"{name}: not a Skype main.db (no {', '.join(missing)} table)")


def sqlite_raw(names: list[str], records: list[dict[str, Any]], table: str, key: str) -> RawTable:
    """Rows of one database table as a raw table whose row numbers are the primary key.

    Values are kept as SQLite typed them (integers stay integers, NULL stays None), so the
    time and identifier checks see what is stored, not a rendering of it.
    """
    frame = pd.DataFrame({n: pd.Series([r[n] for r in records], dtype=object) for n in names})
    frame[ROW_COLUMN] = pd.Series([r[key] for r in records], dtype="int64").to_numpy()
    return RawTable(header=names, cells=frame, header_row=0, encoding="sqlite", sheet=table)


# --- values -----------------------------------------------------------------------------------


def epoch_seconds(
    ledger: RowLedger, column: str, values: pd.Series, latest: dt.datetime
) -> pd.Series:
    """UTC times from Unix seconds; rejects missing, unreadable and implausible stamps.

    The range is the one every reader applies: 1990-01-01 to ``latest`` (a year after the
    newest input file). The check runs on the integers, so a stamp far out of range is
    rejected before anything tries to represent it as a time.
    """
    earliest_s = int(EARLIEST.timestamp())
    latest_s = int(pd.Timestamp(latest).timestamp())
    index = values.index
    seconds = [_as_int(v) for v in values]
    missing = pd.Series([_text(v) is None for v in values], index=index)
    unreadable = pd.Series([s is None for s in seconds], index=index) & ~missing
    outside = pd.Series(
        [s is not None and not earliest_s <= s <= latest_s for s in seconds], index=index
    )
    ledger.reject(missing, RejectReason.MISSING_VALUE, column, values)
    ledger.reject(unreadable, RejectReason.UNPARSEABLE_TIME, column, values)
    ledger.reject(outside, RejectReason.TIME_OUT_OF_RANGE, column, values)
    usable = ~(missing | unreadable | outside)
    kept = np.array([s if ok else 0 for s, ok in zip(seconds, usable, strict=True)], np.int64)
    times = pd.Series(kept.astype("datetime64[s]"), index=index).dt.tz_localize("UTC")
    return times.astype("datetime64[us, UTC]").where(usable)


def _as_int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def message_text(body_xml: str | None) -> str | None:
    """Searchable text of a ``body_xml``: SMS chunks only, tags removed, entities unescaped.

    >>> message_text("Hi, I&apos;d like <b>that</b>")
    "Hi, I'd like that"
    >>> message_text('<a href="https://x.test/a">https://x.test/a</a>')
    'https://x.test/a'
    >>> message_text('<sms><price>1 EUR</price><body><chunk id="0">pay</chunk></body></sms>')
    'pay'
    """
    if body_xml is None:
        return None
    text = str(body_xml)
    if text.lstrip().startswith("<sms"):
        chunks = SMS_CHUNK.findall(text)
        if chunks:
            text = "".join(chunks)
    text = html.unescape(TAG.sub("", text))
    return text if text.strip() else None


def party(raw: object, region: str) -> str | None:
    """A Skype identity as a join key: E.164 for a phone number, else the normalized handle."""
    if raw is None or str(raw).strip() == "":
        return None
    text = str(raw).strip()
    try:
        if PHONE_LIKE.fullmatch(text):
            return normalize_phone(text, region)
        return normalize_handle(text)
    except InvalidIdentifier:
        return None


def parties(raws: pd.Series, region: str, phones_only: bool = False) -> pd.Series:
    """``party`` (or ``phone_only``) of every cell, worked out once per distinct identity: a
    database of a million messages holds a few hundred senders."""
    identify = phone_only if phones_only else party
    return _per_distinct(raws, lambda raw: identify(raw, region))


def phone_only(raw: object, region: str) -> str | None:
    """E.164 for an identity that is a telephone number; None for a Skype handle."""
    if raw is None or not PHONE_LIKE.fullmatch(str(raw).strip()):
        return None
    return party(raw, region)


def _text(value: object) -> str | None:
    if value is None or (isinstance(value, float) and value != value):
        return None
    text = str(value).strip()
    return text or None


def _texts(values: pd.Series) -> pd.Series:
    """Cells as trimmed text, None for NULL or blank."""
    return _per_distinct(values, _text)


def _per_distinct(values: pd.Series, fn: Callable[[Any], Any]) -> pd.Series:
    """``fn`` of every cell, called once per distinct cell value (a column of a million
    messages holds a few hundred senders or chats). Built as a list: ``map`` makes NaN.

    Values are told apart by type too: ``1`` and ``1.0`` are equal as keys, not as text.
    """
    keys = [(value.__class__, value) for value in values]
    known = {key: fn(key[1]) for key in set(keys)}
    return pd.Series([known[key] for key in keys], index=values.index, dtype=object)


# --- reading ----------------------------------------------------------------------------------


Part = tuple[RawTable, RowLedger, pd.DataFrame]
Interpret = Callable[[sqlite3.Connection, str, SourceContext], list[Part]]


def read_database(context: SourceContext, table: Table, interpret: Interpret) -> ReadResult:
    """Read every database of a source with ``interpret`` and assemble the result.

    ``interpret`` returns, per database table it read, the raw rows, their ledger and a frame of
    canonical columns aligned to the raw rows; this function keeps the rows the ledger kept,
    adds provenance and source facts, and gathers the rejects.
    """
    frames, rejects, files, notes, coerced = [], [], [], [], []
    rows_read = 0
    for file in database_files(context):
        name = context.name_of(file)
        files.append(name)
        with contextlib.closing(connect_read_only(file, name)) as connection:
            parts = interpret(connection, name, context)
            owner = account_owner(connection)
        if owner:
            notes.append(f"{name}: Skype account {owner}")
        for raw, ledger, frame in parts:
            kept = ledger.kept
            frame = frame.loc[kept].copy()
            frame["source_file"] = name
            frame["source_row"] = raw.cells.loc[kept, ROW_COLUMN]
            frame["source_sheet"] = raw.sheet
            frame["origin"] = context.spec.origin
            frame["den"] = context.spec.den
            frames.append(table.conform(frame))
            rejects.append(ledger.rejects())
            rows_read += ledger.rows_read()
            left_empty = ledger.coerced()
            if len(left_empty):
                coerced.append(left_empty)
                notes.append(coerced_note(f"{name} table {raw.sheet}", left_empty))
    combined = pd.concat(frames, ignore_index=True) if frames else table.empty()
    all_rejects = pd.concat(rejects, ignore_index=True) if rejects else REJECTS.empty()
    left = pd.concat(coerced, ignore_index=True) if coerced else None
    return ReadResult(combined, all_rejects, rows_read, tuple(files), tuple(notes), left)


def account_owner(connection: sqlite3.Connection) -> str | None:
    """The Skype name of the account the database belongs to, when ``Accounts`` says."""
    if "skypename" not in table_columns(connection, "Accounts"):
        return None
    row = connection.execute(
        "SELECT skypename FROM Accounts WHERE skypename IS NOT NULL ORDER BY id LIMIT 1"
    ).fetchone()
    return _text(row[0]) if row else None


def interpret_messages(
    connection: sqlite3.Connection, name: str, context: SourceContext
) -> list[Part]:
    """The ``Messages`` table as canonical messages."""
    require_tables(connection, name, ("Messages",))
    have = table_columns(connection, "Messages")
    wanted = (
        "id",
        "convo_id",
        "chatname",
        "author",
        "from_dispname",
        "dialog_partner",
        "timestamp",
        "type",
        "body_xml",
    )
    select = ", ".join(f"m.{c}" if c in have else f"NULL AS {c}" for c in wanted)
    if "id" not in have:
        select = select.replace("NULL AS id", "m.rowid AS id", 1)
    join, identity = "", "NULL"
    if {"id", "identity"} <= table_columns(connection, "Conversations"):
        join = "LEFT JOIN Conversations c ON c.id = m.convo_id"
        identity = "c.identity"
    names, records = fetch(
        connection,
        f"SELECT {select}, {identity} AS convo_identity FROM Messages m {join} ORDER BY m.id",
    )
    raw = sqlite_raw(names, records, "Messages", "id")
    ledger = RowLedger(raw, name, MESSAGES.name)
    cells = raw.cells
    region = context.region
    author = _texts(cells["author"])
    ledger.reject(author.isna(), RejectReason.EMPTY_IDENTIFIER, "author", cells["author"])
    sent_at = epoch_seconds(ledger, "timestamp", cells["timestamp"], context.latest)
    conversation = _texts(cells["chatname"])
    conversation = conversation.fillna(_texts(cells["convo_identity"]))
    conversation = conversation.fillna(_texts(cells["convo_id"]))
    frame = pd.DataFrame(
        {
            "channel": "skype",
            "message_id": _texts(cells["id"]),
            "conversation": conversation,
            "sender": parties(author, region),
            "sender_raw": author,
            "sender_name": _texts(cells["from_dispname"]),
            "recipient": parties(cells["dialog_partner"], region),
            "sent_at": sent_at,
            "body": cells["body_xml"].map(message_text),
            "body_raw": cells["body_xml"].map(lambda b: None if b is None else str(b)),
            "message_type": _texts(cells["type"]),
        },
        index=cells.index,
    )
    return [(raw, ledger, frame)]


def interpret_calls(
    connection: sqlite3.Connection, name: str, context: SourceContext
) -> list[Part]:
    """``CallMembers`` rows joined to their call, plus calls that have no member rows."""
    require_tables(connection, name, ("Calls", "CallMembers"))
    owner = account_owner(connection)
    call_cols = table_columns(connection, "Calls")
    member_cols = table_columns(connection, "CallMembers")

    def col(alias: str, have: set[str], column: str, as_name: str | None = None) -> str:
        label = as_name or column
        return f"{alias}.{column} AS {label}" if column in have else f"NULL AS {label}"

    call_fields = [
        col("c", call_cols, "id", "call_id"),
        col("c", call_cols, "begin_timestamp"),
        col("c", call_cols, "host_identity"),
        col("c", call_cols, "is_incoming"),
        col("c", call_cols, "duration", "call_total_s"),
    ]
    if "call_db_id" in member_cols:
        link = "c.id = m.call_db_id"
    elif {"call_name"} <= member_cols and "name" in call_cols:
        link = "c.name = m.call_name"
    else:
        raise SourceError(f"{name}: CallMembers has neither call_db_id nor call_name")
    members = fetch(
        connection,
        "SELECT m.id AS id, "
        + ", ".join(
            [
                col("m", member_cols, "identity"),
                col("m", member_cols, "call_duration"),
                col("m", member_cols, "start_timestamp", "member_start"),
                *call_fields,
            ]
        )
        + f" FROM CallMembers m LEFT JOIN Calls c ON {link} ORDER BY m.id",
    )
    lonely = fetch(
        connection,
        "SELECT c.id AS id, "
        + ", ".join(
            [
                "COALESCE("
                + ", ".join(
                    [f"c.{n}" for n in ("partner_handle", "pstn_number") if n in call_cols]
                    + ["NULL", "NULL"]
                )
                + ") AS identity",
                "NULL AS call_duration",
                "NULL AS member_start",
                *call_fields,
            ]
        )
        + f" FROM Calls c WHERE NOT EXISTS (SELECT 1 FROM CallMembers m WHERE {link})"
        + " ORDER BY c.id",
    )
    parts = [_call_rows(*members, "CallMembers", "identity", name, owner, context)]
    if lonely[1]:
        parts.append(_call_rows(*lonely, "Calls", "partner_handle", name, owner, context))
    return parts


def _call_rows(
    names: list[str],
    records: list[dict[str, Any]],
    table: str,
    member_column: str,
    name: str,
    owner: str | None,
    context: SourceContext,
) -> Part:
    """Canonical calls for member rows (or member-less calls) joined to their call."""
    raw = sqlite_raw(names, records, table, "id")
    ledger = RowLedger(raw, name, CALLS.name)
    cells = raw.cells
    region = context.region
    member = _texts(cells["identity"])
    ledger.reject(member.isna(), RejectReason.EMPTY_IDENTIFIER, member_column, cells["identity"])
    stamps = cells["begin_timestamp"].where(cells["begin_timestamp"].notna(), cells["member_start"])
    started = epoch_seconds(ledger, "begin_timestamp", stamps, context.latest)
    incoming = cells["is_incoming"].map(_as_int)
    ends = [
        _parties(_text(h), m, i, owner)
        for h, m, i in zip(cells["host_identity"], member, incoming, strict=True)
    ]
    caller_raw = pd.Series([p[0] for p in ends], index=cells.index, dtype=object)
    callee_raw = pd.Series([p[1] for p in ends], index=cells.index, dtype=object)
    seconds = cells["call_duration"].where(cells["call_duration"].notna(), cells["call_total_s"])
    duration = seconds.map(_as_int).astype("Int64")
    frame = pd.DataFrame(
        {
            "caller": parties(caller_raw, region, phones_only=True),
            "caller_raw": caller_raw,
            "callee": parties(callee_raw, region, phones_only=True),
            "callee_raw": callee_raw,
            "started_at": started,
            "duration_s": duration,
            "direction": incoming.map({0: "out", 1: "in"}.get).astype(object),
            "call_type": "voice",
            "answered": duration.map(lambda d: None if pd.isna(d) else bool(d > 0)).astype(object),
        },
        index=cells.index,
    )
    return raw, ledger, frame


def _parties(
    host: str | None, member: str | None, incoming: int | None, owner: str | None
) -> tuple[str | None, str | None]:
    """(caller, callee) handles of one member row.

    Outgoing (or unknown): the host (the account owner) called the member. Incoming: the member
    called the owner; ``host_identity`` then names the remote side, so the owner comes from
    ``Accounts`` when the database has it.
    """
    if incoming == 1:
        return member, owner or (host if host != member else None)
    return host or owner, member


def read_messages(context: SourceContext) -> ReadResult:
    """Read the chat messages of a Skype ``main.db``."""
    return read_database(context, MESSAGES, interpret_messages)


def read_calls(context: SourceContext) -> ReadResult:
    """Read the calls of a Skype ``main.db``."""
    return read_database(context, CALLS, interpret_calls)


MESSAGES_FORMAT = register(
    Format(
        name="skype_messages",
        kind="chats",
        title="Skype desktop main.db, Messages",
        zoned=False,
        read=read_messages,
        container="sqlite",
        sqlite_tables=frozenset({"Messages", "Conversations"}),
    )
)

CALLS_FORMAT = register(
    Format(
        name="skype_calls",
        kind="calls",
        title="Skype desktop main.db, Calls and CallMembers",
        zoned=False,
        read=read_calls,
        container="sqlite",
        sqlite_tables=frozenset({"Calls", "CallMembers"}),
    )
)
