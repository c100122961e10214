"""WeChat chats: the WeChatMsg CSV export and the decrypted Windows and Android databases.

WeChat is how dens recruit and pay their staff and how victims are first approached, so a
seized phone's or PC's WeChat history ties handles (``wxid_…``) to people and chat rooms
(``…@chatroom``) to dens (FORMATS.md §2). Three layouts hold the same facts:

``wechat_csv``
    WeChatMsg's CSV export (utf-8-sig): ``TalkerId``, ``IsSender``, ``CreateTime`` (Unix s),
    ``Type``, ``StrContent``, ``localId``; ``NickName`` names the other side.
``wechat_windows``
    A decrypted Windows ``MSG*.db``, table ``MSG``: ``StrTalker``, ``IsSender``, ``CreateTime``
    (Unix s), ``Type``, ``StrContent``.
``wechat_android``
    A decrypted Android ``EnMicroMsg.db``, table ``message``: ``talker``, ``isSend``,
    ``createTime`` (Unix **ms**), ``type``, ``content``.

In every layout the talker is the conversation (the contact, or the chat room). A message the
owner sent (flag 1) is from the owner, ``owner`` in case.toml (null when not given); any other
is from the talker, except in a chat room, where a received message's text starts with the
member who wrote it (``wxid_x:\\n``): that prefix is the sender and is split off the body
(``body_raw`` keeps the stored text). The Windows client stores the text bare and the writer in
``BytesExtra`` (``wechat_extra.py``). A chat-room message naming its writer in neither has no
known sender. Handles are compared lower-case (:func:`linkage.normalize.normalize_handle`).

Rows without a talker are ``empty_identifier``; times are checked as in every reader
(``unparseable_time``, ``time_out_of_range``); a sender flag other than 0/1 is
``bad_direction``. Databases are read through :func:`linkage.load.sqlite.open_readonly`, with
``source_sheet`` the table and ``source_row`` its primary key; the CSV's ``source_row`` is the
line number.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pandas as pd

from linkage.errors import InvalidIdentifier
from linkage.load.context import ReadResult, SourceContext
from linkage.load.formats import Format, register, signature
from linkage.load.raw import RawTable
from linkage.load.readers.android import (
    cell_text,
    epoch_times,
    ints,
    read_sqlite,
    table_rows,
    texts,
)
from linkage.load.readers.wechat_extra import group_writer
from linkage.load.tabular import Interpret, Rows, read_tabular
from linkage.normalize import normalize_handle
from linkage.rejects import RejectReason

CSV_HEADER = (
    "localId",
    "TalkerId",
    "Type",
    "SubType",
    "IsSender",
    "CreateTime",
    "Status",
    "StrContent",
    "StrTime",
    "Remark",
    "NickName",
    "Sender",
)
MEMBER_PREFIX = re.compile(r"([^\s:]+):\n(.*)", re.DOTALL)
"""A chat-room message as stored on the handset: ``wxid_x:\\n`` then the text."""
ROOM_SUFFIX = "@chatroom"


@dataclass(frozen=True)
class Layout:
    """Where one WeChat layout keeps each fact, and the unit of its time stamps."""

    key: str
    talker: str
    is_sender: str
    time: str
    per_second: int
    type: str
    content: str
    name: str | None = None
    member: str | None = None
    """A column naming who sent a received message (WeChatMsg's ``Sender``), when there is one."""
    extra: str | None = None
    """A protobuf column naming a chat-room message's writer (Windows ``BytesExtra``)."""


CSV = Layout(
    "localId", "TalkerId", "IsSender", "CreateTime", 1, "Type", "StrContent", "NickName", "Sender"
)
WINDOWS = Layout(
    "localId", "StrTalker", "IsSender", "CreateTime", 1, "Type", "StrContent", extra="BytesExtra"
)
ANDROID = Layout("msgId", "talker", "isSend", "createTime", 1000, "type", "content")


def handle(raw: object) -> str | None:
    """A WeChat id as a join key (lower case), or None when there is none.

    >>> handle(" WXID_Abc "), handle("123@chatroom"), handle(None)
    ('wxid_abc', '123@chatroom', None)
    """
    text = cell_text(raw)
    if text is None:
        return None
    try:
        return normalize_handle(text)
    except InvalidIdentifier:
        return None


def split_member(
    talker: str | None, sent: bool, content: str | None
) -> tuple[str | None, str | None]:
    """``(member, text)`` of a message: the chat-room member prefix split off a received text.

    >>> split_member("1@chatroom", False, "wxid_b:\\nhello")
    ('wxid_b', 'hello')
    >>> split_member("wxid_b", False, "note:\\nnot a prefix")
    (None, 'note:\\nnot a prefix')
    """
    if content is None or sent or talker is None or not talker.endswith(ROOM_SUFFIX):
        return None, content
    match = MEMBER_PREFIX.fullmatch(content)
    if match is None:
        return None, content
    return match.group(1), match.group(2)


def interpreter(layout: Layout) -> Interpret:
    """The interpret function that reads one layout's rows into canonical messages."""

    def interpret(rows: Rows) -> pd.DataFrame:
        owner_raw = cell_text(rows.context.spec.owner)
        index = rows.raw.cells.index
        talker = texts(rows.raw.column(layout.talker))
        rows.reject(talker.isna(), RejectReason.EMPTY_IDENTIFIER, layout.talker)
        sent_at = epoch_times(rows, layout.time, layout.per_second)
        flag = ints(rows.raw.column(layout.is_sender))
        rows.reject(flag.isna(), RejectReason.MISSING_VALUE, layout.is_sender)
        rows.reject(flag.notna() & ~flag.isin([0, 1]), RejectReason.BAD_DIRECTION, layout.is_sender)
        sent = flag.eq(1)
        stored = rows.raw.column(layout.content)
        content = [None if c is None or c is pd.NA else str(c) for c in stored]
        parts = [split_member(t, s, c) for t, s, c in zip(talker, sent, content, strict=True)]
        member = pd.Series([p[0] for p in parts], index=index, dtype=object)
        if layout.extra:
            # The Windows client keeps a group message's text bare and its writer aside.
            stored_writer = [group_writer(b) for b in rows.raw.column(layout.extra)]
            member = member.where(member.notna(), pd.Series(stored_writer, index=index))
        room = talker.map(lambda t: t is not None and t.endswith(ROOM_SUFFIX))
        other = member.where(room, talker)
        if layout.member:
            # The export names the sender of each received message: in a group that is the
            # member, and it beats a talker id that may be WeChatMsg's own number.
            named = texts(rows.raw.column(layout.member)).astype(object)
            other = named.where(named.notna() & ~sent, other)
        sender_raw = other.where(~sent, owner_raw)
        recipient_raw = pd.Series(owner_raw, index=index, dtype=object).where(~sent, talker)
        names = texts(rows.raw.column(layout.name)) if layout.name else None
        return pd.DataFrame(
            {
                "channel": "wechat",
                "message_id": texts(rows.raw.column(layout.key)),
                "conversation": talker,
                "sender": sender_raw.map(handle).astype(object),
                "sender_raw": sender_raw,
                "sender_name": names.where(~sent & ~room) if names is not None else None,
                "recipient": recipient_raw.where(~room).map(handle).astype(object),
                "sent_at": sent_at,
                "body": pd.Series([p[1] for p in parts], index=index, dtype=object),
                "body_raw": pd.Series(content, index=index, dtype=object),
                "message_type": texts(rows.raw.column(layout.type)),
            },
            index=index,
        )

    return interpret


def _columns(layout: Layout) -> tuple[str, ...]:
    return (layout.talker, layout.is_sender, layout.time, layout.type, layout.content)


def windows_tables(context: SourceContext) -> Iterator[tuple[str, RawTable]]:
    """The ``MSG`` table of each decrypted Windows ``MSG*.db`` of a source."""
    needed = _columns(WINDOWS)
    wanted = (WINDOWS.key, *needed, *filter(None, [WINDOWS.extra]))
    return table_rows(context, "MSG*.db", "MSG", needed, wanted, "a WeChat MSG.db")


def android_tables(context: SourceContext) -> Iterator[tuple[str, RawTable]]:
    """The ``message`` table of each decrypted Android ``EnMicroMsg.db`` of a source."""
    needed = _columns(ANDROID)
    wanted = (ANDROID.key, *needed)
    return table_rows(
        context, "EnMicroMsg*.db", "message", needed, wanted, "a WeChat EnMicroMsg.db"
    )


def read_csv(context: SourceContext) -> ReadResult:
    """Read a WeChatMsg CSV export."""
    return read_tabular(context, "chats", interpreter(CSV))


def read_windows(context: SourceContext) -> ReadResult:
    """Read the messages of decrypted Windows WeChat ``MSG*.db`` files."""
    return read_sqlite(context, "chats", interpreter(WINDOWS), windows_tables)


def read_android(context: SourceContext) -> ReadResult:
    """Read the messages of a decrypted Android WeChat ``EnMicroMsg.db``."""
    return read_sqlite(context, "chats", interpreter(ANDROID), android_tables)


CSV_FORMAT = register(
    Format(
        name="wechat_csv",
        kind="chats",
        title="WeChatMsg CSV export of WeChat chats",
        zoned=False,
        read=read_csv,
        header=signature("localId", "TalkerId", "IsSender", "CreateTime", "StrContent"),
        vocabulary=frozenset(CSV_HEADER),
    )
)

WINDOWS_FORMAT = register(
    Format(
        name="wechat_windows",
        kind="chats",
        title="WeChat for Windows MSG.db (decrypted), table MSG",
        zoned=False,
        read=read_windows,
        container="sqlite",
        sqlite_tables=frozenset({"MSG"}),
    )
)

ANDROID_FORMAT = register(
    Format(
        name="wechat_android",
        kind="chats",
        title="WeChat for Android EnMicroMsg.db (decrypted), table message",
        zoned=False,
        read=read_android,
        container="sqlite",
        sqlite_tables=frozenset({"message"}),
    )
)
