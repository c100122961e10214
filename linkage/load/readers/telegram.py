"""Telegram Desktop JSON exports (``result.json``): chats of a seized account, as messages.

Dens move their managers to Telegram when Skype is watched (FORMATS.md §2). Telegram Desktop's
"Export chat history" writes one chat as ``{name, type, id, messages}``; "Export Telegram data"
writes the whole account with the chats under ``chats.list`` (and ``left_chats.list``). Both are
read, every chat as its own table, by the standard :mod:`json` module only: a file that is not
valid JSON stops the load with an error naming it.

Provenance
    ``source_sheet`` is the chat's ``id`` (its name when it has none) and ``source_row`` is the
    message's 1-based position in that chat's ``messages`` list (its own ``id`` is kept in
    ``message_id``), so good and unreadable entries never share a number. An entry of the list
    that is not an object, or has no integer id, is rejected as ``malformed_row``.

Times
    ``date_unixtime`` (a string of Unix seconds, UTC) is used when present. Older exports have
    only ``date``, the exporting computer's wall clock without a zone: it is read as local to
    the source's ``timezone``, which should therefore be that computer's zone. A message with
    neither is rejected as ``missing_value``; an unreadable stamp as ``unparseable_time``; one
    before 1990 or after the plausible end as ``time_out_of_range``.

Messages
    ``sender`` is the normalized ``from_id`` (``user123…``, ``channel…``), or ``actor_id`` for a
    service message; a message naming nobody is rejected as ``empty_identifier``. ``text`` is a
    string or a list of strings and ``{type, text}`` entities (links, bold, mentions); ``body``
    joins them into plain text, and ``body_raw`` keeps the string as written or the list as
    compact JSON. Service messages (``phone_call``, ``invite_members``, ``pin_message``…) are
    kept with ``message_type`` set to their ``action``; their ``body_raw`` is the JSON of their
    service fields (``action``, ``duration_seconds``, ``discard_reason``…), so a call's length
    is not lost. Ordinary messages have ``message_type`` ``message``. ``conversation`` is the
    chat's name, or its id when it has no name.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from linkage.errors import SourceError
from linkage.load.context import ReadResult, SourceContext
from linkage.load.formats import Format, register
from linkage.load.json_export import (
    as_text,
    in_range,
    json_files,
    load_json,
    message_records,
    message_table,
    whole_number,
)
from linkage.load.raw import RawTable
from linkage.load.tabular import EARLIEST, Rows, read_tables
from linkage.normalize import normalize_handle
from linkage.normalize.time import parse_times
from linkage.rejects import RejectReason

CELLS = (
    "id",
    "type",
    "date",
    "date_unixtime",
    "from",
    "from_id",
    "body",
    "body_raw",
    "message_type",
    "conversation",
)
"""The cells of a chat's raw table; ``from``/``from_id`` hold ``actor``/``actor_id`` for service
messages."""

COMMON_FIELDS = frozenset(
    {"id", "type", "date", "date_unixtime", "edited", "edited_unixtime", "text_entities"}
    | {"from", "from_id", "actor", "actor_id"}
)
"""Fields every message has; the rest of a service message is its ``body_raw``."""


def plain_text(text: object) -> str | None:
    """The plain text of a message's ``text``: a string, or strings and entities joined.

    >>> plain_text(["Pay to ", {"type": "bold", "text": "6222 0202"}, " today"])
    'Pay to 6222 0202 today'
    >>> plain_text("") is None
    True
    """
    if isinstance(text, str):
        joined = text
    elif isinstance(text, list):
        parts = []
        for part in text:
            if isinstance(part, str):
                parts.append(part)
            elif isinstance(part, dict) and isinstance(part.get("text"), str):
                parts.append(part["text"])
        joined = "".join(parts)
    else:
        return None
    return joined if joined.strip() else None


def raw_text(text: object) -> str | None:
    """``text`` as stored: the string itself, or a list as compact JSON.

    >>> raw_text(["a ", {"type": "link", "text": "t.me/x"}])
    '["a ", {"type": "link", "text": "t.me/x"}]'
    """
    if isinstance(text, str):
        return text or None
    if text is None:
        return None
    return json.dumps(text, ensure_ascii=False)


def chats_of(document: object, name: str) -> list[dict[str, object]]:
    """The chat objects of an export: the document itself, or its ``chats``/``left_chats`` lists.

    Raises
    ------
    SourceError
        If the document is neither a single-chat nor a full-account export.
    """
    if isinstance(document, dict) and isinstance(document.get("messages"), list):
        return [document]
    if isinstance(document, dict) and isinstance(document.get("chats"), dict):
        chats: list[dict[str, object]] = []
        for section in ("chats", "left_chats"):
            listed = document.get(section)
            entries = listed.get("list") if isinstance(listed, dict) else None
            if listed is not None and not isinstance(entries, list):
                raise SourceError(f"{name}: {section} holds no list of chats")
            for position, chat in enumerate(entries or [], start=1):
                if not isinstance(chat, dict) or not isinstance(chat.get("messages"), list):
                    raise SourceError(
                        f"{name}: {section} entry {position} is not a chat with messages"
                    )
                chats.append(chat)
        return chats
    raise SourceError(f"{name}: not a Telegram Desktop export (no messages list and no chats.list)")


def chat_table(chat: dict[str, object], position: int) -> RawTable:
    """One chat's messages as a raw table whose rows are numbered by position in the list.

    The position is what a person counts in the exported list, good and bad entries alike, so
    no two rows share a number; the export's own id stays in ``message_id``.
    """
    chat_id = as_text(chat.get("id"))
    chat_name = as_text(chat.get("name"))
    sheet = chat_id or chat_name or f"chat {position}"
    conversation = chat_name or chat_id
    messages = chat.get("messages")
    assert isinstance(messages, list)
    records, problems = message_records(messages, lambda m: message_cells(m, conversation))
    return message_table(records, problems, CELLS, sheet)


def message_cells(message: dict[str, object], conversation: str | None) -> dict[str, object]:
    """The cells of one message object."""
    service = message.get("type") == "service"
    text = message.get("text")
    if service:
        extra = {k: v for k, v in message.items() if k not in COMMON_FIELDS}
        body_raw = json.dumps(extra, ensure_ascii=False) if extra else None
        message_type = as_text(message.get("action")) or "service"
    else:
        body_raw = raw_text(text)
        message_type = as_text(message.get("type")) or "message"
    return {
        "id": message.get("id"),
        "type": message.get("type"),
        "date": message.get("date"),
        "date_unixtime": message.get("date_unixtime"),
        "from": message.get("actor" if service else "from"),
        "from_id": message.get("actor_id" if service else "from_id"),
        "body": plain_text(text),
        "body_raw": body_raw,
        "message_type": message_type,
        "conversation": conversation,
    }


def message_times(rows: Rows) -> pd.Series:
    """UTC send times: ``date_unixtime`` where present, else ``date`` in the source's zone."""
    cells = rows.raw.cells
    index = cells.index
    unix_text = pd.Series([as_text(v) for v in cells["date_unixtime"]], index=index, dtype=object)
    local_text = pd.Series([as_text(v) for v in cells["date"]], index=index, dtype=object)
    has_unix = unix_text.notna()
    seconds = [whole_number(v) for v in unix_text]
    bad_unix = has_unix & pd.Series([s is None for s in seconds], index=index)
    rows.reject(bad_unix, RejectReason.UNPARSEABLE_TIME, "date_unixtime")
    earliest_s = int(EARLIEST.timestamp())
    latest_s = int(pd.Timestamp(rows.context.latest).timestamp())
    outside = pd.Series(
        [s is not None and not earliest_s <= s <= latest_s for s in seconds], index=index
    )
    rows.reject(outside, RejectReason.TIME_OUT_OF_RANGE, "date_unixtime")
    usable = [
        s if s is not None and not out else None for s, out in zip(seconds, outside, strict=True)
    ]
    from_unix = pd.Series(
        [pd.Timestamp(s, unit="s", tz="UTC") if s is not None else pd.NaT for s in usable],
        index=index,
        dtype="datetime64[us, UTC]",
    )
    rows.reject(~has_unix & local_text.isna(), RejectReason.MISSING_VALUE, "date")
    local, errors = parse_times(local_text.where(~has_unix, None), rows.context.timezone)
    rows.reject(~has_unix & errors.notna(), errors.astype(object), "date")
    from_local = in_range(rows, local.where(~has_unix & errors.isna()), "date")
    return from_unix.where(has_unix, from_local)


def interpret(rows: Rows) -> pd.DataFrame:
    """Map one chat's messages onto the canonical messages table."""
    sent_at = message_times(rows)
    sender = rows.identifier(normalize_handle, "from_id", required=True)
    return pd.DataFrame(
        {
            "channel": "telegram",
            "message_id": rows.text("id"),
            "conversation": rows.text("conversation"),
            "sender": sender,
            "sender_raw": rows.identifier_raw("from_id"),
            "sender_name": rows.text("from"),
            "recipient": None,
            "sent_at": sent_at,
            "body": rows.raw.cells["body"],
            "body_raw": rows.raw.cells["body_raw"],
            "message_type": rows.raw.cells["message_type"],
        },
        index=rows.index,
    )


def tables(context: SourceContext, files: list[Path]) -> Iterator[tuple[str, RawTable]]:
    """Every chat of every export document of the source, named by its file."""
    for file in files:
        name = context.name_of(file)
        for position, chat in enumerate(chats_of(load_json(file, name), name), start=1):
            yield name, chat_table(chat, position)


def read(context: SourceContext) -> ReadResult:
    """Read a Telegram Desktop JSON export (one chat or the whole account)."""
    files = json_files(context, "result.json")
    result = read_tables(context, "chats", interpret, tables(context, files))
    return dataclasses.replace(result, files=tuple(context.name_of(f) for f in files))


FORMAT = register(
    Format(
        name="telegram_json",
        kind="chats",
        title="Telegram Desktop JSON export (result.json), one chat or the whole account",
        read=read,
        container="json",
        json_keys=frozenset({"messages", "name", "type", "id"}),
    )
)
