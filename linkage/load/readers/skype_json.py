"""Skype ``messages.json`` (the account export Microsoft hands out): chats as messages.

When the den's PCs are wiped, the managers' Skype history can still come from the account
export: ``{userId, exportDate, conversations: [{id, displayName, MessageList: [...]}]}``
(FORMATS.md §2). Each conversation is read as its own table, by the standard :mod:`json` module
only; a file that is not valid JSON stops the load with an error naming it.

Provenance
    ``source_sheet`` is the conversation ``id`` (``8:live:…`` for a one-to-one chat,
    ``19:…@thread.skype`` for a group) and ``source_row`` the message's 1-based position in the
    ``MessageList``, for good and unreadable entries alike, so no two rows share a number; the
    message ``id`` (a number Skype writes as a string, to search the file for) is kept in
    ``message_id``. An entry that is not an object or has no numeric id is ``malformed_row``.

Messages
    ``originalarrivaltime`` is ISO 8601 UTC (``…Z``); a message without one is rejected as
    ``missing_value``, an unreadable one as ``unparseable_time``, one before 1990 or after the
    plausible end as ``time_out_of_range``. ``from`` is ``8:live:…`` (sometimes a contacts URL
    ending in it); ``sender`` is the normalized handle (``8:`` stripped, ``live:`` kept), and a
    message without a sender is rejected as ``empty_identifier``. ``content`` holds HTML/XML
    markup (``<a href>``, ``<ss>`` emoticons, ``<partlist>`` call notices) and entities
    (``&apos;``): ``body`` is the text with tags stripped and entities unescaped, for matching;
    ``body_raw`` is ``content`` as stored. Every ``messagetype`` is kept (``RichText``,
    ``Event/Call``, ``ThreadActivity/AddMember``…) as ``message_type``. In a one-to-one
    conversation the ``recipient`` is the other party: the conversation's handle when the
    account owner (``userId``) wrote, the owner otherwise; in groups it stays null.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from linkage.errors import InvalidIdentifier, SourceError
from linkage.load.context import ReadResult, SourceContext
from linkage.load.formats import Format, register
from linkage.load.json_export import (
    as_text,
    json_files,
    load_json,
    message_records,
    message_table,
    text_times,
)
from linkage.load.raw import RawTable
from linkage.load.readers.skype import message_text
from linkage.load.tabular import Rows, read_tables
from linkage.normalize import normalize_handle
from linkage.rejects import RejectReason

CELLS = (
    "id",
    "originalarrivaltime",
    "messagetype",
    "content",
    "from",
    "displayName",
    "conversation",
    "recipient",
)


def handle(raw: object) -> str | None:
    """A Skype identity as a join key, or None; a contacts URL is cut to its last part.

    >>> handle("8:live:.cid.7F3A")
    'live:.cid.7f3a'
    >>> handle("https://client-s.gateway.messenger.live.com/v1/users/ME/contacts/8:chen.wei")
    'chen.wei'
    >>> handle("") is None
    True
    """
    text = as_text(raw)
    if text is None:
        return None
    try:
        return normalize_handle(text.rsplit("/", 1)[-1])
    except InvalidIdentifier:
        return None


def conversation_table(
    conversation: dict[str, object], position: int, owner: str | None
) -> RawTable:
    """One conversation's ``MessageList`` as a raw table, rows numbered by position in it.

    The position is what a person counts in the exported list, good and bad entries alike, so
    no two rows share a number; the export's own id stays in ``message_id``.
    """
    conversation_id = as_text(conversation.get("id"))
    sheet = (
        conversation_id or as_text(conversation.get("displayName")) or f"conversation {position}"
    )
    one_to_one = conversation_id is not None and conversation_id.startswith("8:")
    partner = handle(conversation_id) if one_to_one else None
    messages = conversation.get("MessageList")
    assert isinstance(messages, list)

    def message_cells(message: dict[str, object]) -> dict[str, object]:
        cells = {c: message.get(c) for c in CELLS}
        cells["conversation"] = conversation_id
        sender = handle(message.get("from"))
        if partner is not None and sender is not None:
            cells["recipient"] = (
                partner if sender == owner else owner if sender == partner else None
            )
        return cells

    records, problems = message_records(messages, message_cells)
    return message_table(records, problems, CELLS, sheet)


def conversations_of(document: object, name: str) -> tuple[list[dict[str, object]], str | None]:
    """The conversation objects of an export and the account owner's handle.

    Raises
    ------
    SourceError
        If the document has no ``conversations`` list of objects with a ``MessageList``.
    """
    if not isinstance(document, dict) or not isinstance(document.get("conversations"), list):
        raise SourceError(f"{name}: not a Skype messages.json (no conversations list)")
    conversations = document["conversations"]
    for position, conversation in enumerate(conversations, start=1):
        if not isinstance(conversation, dict) or not isinstance(
            conversation.get("MessageList"), list
        ):
            raise SourceError(f"{name}: conversation {position} has no MessageList")
    return conversations, handle(document.get("userId"))


def interpret(rows: Rows) -> pd.DataFrame:
    """Map one conversation's messages onto the canonical messages table."""
    sent_at = text_times(rows, "originalarrivaltime")
    sender = rows.identifier(handle_or_fail, "from", required=True)
    cells = rows.raw.cells
    return pd.DataFrame(
        {
            "channel": "skype",
            "message_id": rows.text("id"),
            "conversation": cells["conversation"],
            "sender": sender,
            "sender_raw": rows.text("from"),
            "sender_name": rows.text("displayName"),
            "recipient": cells["recipient"],
            "sent_at": sent_at,
            "body": cells["content"].map(lambda c: message_text(c if isinstance(c, str) else None)),
            "body_raw": cells["content"].map(lambda c: c if isinstance(c, str) and c else None),
            "message_type": rows.text("messagetype"),
        },
        index=rows.index,
    )


def handle_or_fail(raw: str) -> str:
    """:func:`handle` for the ledger: raises instead of returning None.

    Raises
    ------
    InvalidIdentifier
        ``reason="empty_identifier"`` when nothing usable is left.
    """
    result = handle(raw)
    if result is None:
        raise InvalidIdentifier(f"{raw!r} is no Skype handle", reason=RejectReason.EMPTY_IDENTIFIER)
    return result


def tables(context: SourceContext, files: list[Path]) -> Iterator[tuple[str, RawTable]]:
    """Every conversation of every export document of the source, named by its file."""
    for file in files:
        name = context.name_of(file)
        conversations, owner = conversations_of(load_json(file, name), name)
        for position, conversation in enumerate(conversations, start=1):
            yield name, conversation_table(conversation, position, owner)


def read(context: SourceContext) -> ReadResult:
    """Read a Skype ``messages.json`` account export."""
    files = json_files(context, "messages.json")
    result = read_tables(context, "chats", interpret, tables(context, files))
    return dataclasses.replace(result, files=tuple(context.name_of(f) for f in files))


FORMAT = register(
    Format(
        name="skype_json",
        kind="chats",
        title="Skype account export messages.json",
        read=read,
        container="json",
        json_keys=frozenset({"userId", "conversations", "MessageList"}),
    )
)
