"""Chat records exported by forensic tools (美亚柏科, 盘古石) as xlsx or CSV tables.

Phone extractions reach the case as the examiner's report workbook, not as the app's database:
one row per message with 发送人, 接收人, 发送时间 and 内容, and often 会话/群名称, 消息类型 and
应用 (FORMATS.md §2). No public header list exists, so the reader takes the columns by their
usual names and sniffs on 发送人 + 发送时间 (§9); the table machinery finds the header below any
title rows, and ``source_row`` is the sheet row a person sees in Excel.

Times are the phone's wall clock, local to the source's ``timezone``; Excel date cells and text
are both read. ``channel`` comes from the 应用 column (微信 → ``wechat``, QQ → ``qq``, 短信 →
``sms``, Skype, Telegram; another app's name is kept lowercased). Without an 应用 column the
channel is not known and stays null rather than being guessed. Senders and recipients are
normalized handles; on SMS rows a phone number becomes E.164 so it joins with call records.
A row without a sender is rejected as ``empty_identifier``, one without a usable time as
``missing_value``, ``unparseable_time`` or ``time_out_of_range``.
"""

from __future__ import annotations

import pandas as pd

from linkage.errors import InvalidIdentifier
from linkage.load import columns
from linkage.load.context import ReadResult, SourceContext
from linkage.load.formats import Format, register, signature
from linkage.load.tabular import Rows, read_tabular
from linkage.normalize import normalize_handle, normalize_phone
from linkage.rejects import RejectReason

SENDER = ("发送人", "发送者", "发送方")
RECIPIENT = ("接收人", "接收者", "接收方")
TIME = ("发送时间",)
BODY = ("内容", "消息内容", "聊天内容")
CONVERSATION = ("会话", "群名称", "会话名称")
MESSAGE_TYPE = ("消息类型",)
APP = ("应用", "应用名称", "软件名称")
MESSAGE_ID = ("消息ID", "消息id")
SENDER_NAME = ("发送人昵称",)

APPS = {
    "微信": "wechat",
    "wechat": "wechat",
    "qq": "qq",
    "短信": "sms",
    "sms": "sms",
    "信息": "sms",
    "skype": "skype",
    "telegram": "telegram",
    "纸飞机": "telegram",
}


def channel_of(app: str | None) -> str | None:
    """The canonical channel of an 应用 cell; another app's name lowercased; None if empty.

    >>> [channel_of(a) for a in ("微信", "QQ", "短信", "Line", None)]
    ['wechat', 'qq', 'sms', 'line', None]
    """
    if app is None:
        return None
    key = app.strip().lower()
    return APPS.get(key, key) or None


def party(raw: str | None, channel: str | None, region: str) -> str | None:
    """A sender or recipient as a join key: E.164 on SMS rows when it is a phone, else a handle.

    >>> party("138 0013 8000", "sms", "CN"), party("WXID_Ab12", "wechat", "CN")
    ('+8613800138000', 'wxid_ab12')
    """
    if raw is None:
        return None
    try:
        if channel == "sms":
            try:
                return normalize_phone(raw, region)
            except InvalidIdentifier:
                pass
        return normalize_handle(raw)
    except InvalidIdentifier:
        return None


def interpret(rows: Rows) -> pd.DataFrame:
    """Map one chat table onto the canonical messages table."""
    region = rows.context.region
    sender_raw = rows.identifier_raw(*SENDER)
    rows.ledger.require(
        sender_raw,
        rows.pick(*SENDER) or SENDER[0],
        rows.cells(*SENDER),
        RejectReason.EMPTY_IDENTIFIER,
    )
    sent_at = rows.time(*TIME)
    recipient_raw = rows.identifier_raw(*RECIPIENT)
    channel = columns.each(rows.text(*APP), channel_of)
    body = rows.text(*BODY)
    return pd.DataFrame(
        {
            "channel": channel,
            "message_id": rows.identifier_raw(*MESSAGE_ID),
            "conversation": rows.text(*CONVERSATION),
            "sender": [party(s, c, region) for s, c in zip(_py(sender_raw), channel, strict=True)],
            "sender_raw": sender_raw,
            "sender_name": rows.text(*SENDER_NAME),
            "recipient": [
                party(r, c, region) for r, c in zip(_py(recipient_raw), channel, strict=True)
            ],
            "sent_at": sent_at,
            "body": body,
            "body_raw": body,
            "message_type": rows.text(*MESSAGE_TYPE),
        },
        index=rows.index,
    )


def _py(values: pd.Series) -> list[str | None]:
    """Cells as Python strings, None for every kind of null (Arrow ``<NA>`` included)."""
    return [None if v is None or v is pd.NA else str(v) for v in values]


def read(context: SourceContext) -> ReadResult:
    """Read a forensic tool's chat table (xlsx, xls or CSV)."""
    return read_tabular(context, "chats", interpret)


FORMAT = register(
    Format(
        name="chat_xlsx",
        kind="chats",
        title="Forensic-tool chat export (美亚/盘古石 xlsx or CSV: 发送人, 接收人, 发送时间, 内容)",
        read=read,
        header=signature(SENDER, TIME),
        vocabulary=frozenset(
            SENDER
            + RECIPIENT
            + TIME
            + BODY
            + CONVERSATION
            + MESSAGE_TYPE
            + APP
            + MESSAGE_ID
            + SENDER_NAME
        ),
    )
)
