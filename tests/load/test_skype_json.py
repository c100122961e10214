"""Skype messages.json account exports, written under tmp_path."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from linkage.errors import SourceError
from linkage.load.context import ReadResult
from linkage.load.sniff import sniff

Reader = Callable[..., ReadResult]


def col(frame: pd.DataFrame, name: str) -> list[object]:
    """A column as plain Python values, with None for every kind of null."""
    return [None if pd.api.types.is_scalar(v) and pd.isna(v) else v for v in frame[name]]


def utc(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz="UTC")


CALL_XML = (
    '<partlist type="ended" alt=""><part identity="live:.cid.7f3a"><name>Chen Wei</name>'
    "<duration>62</duration></part></partlist>"
)

EXPORT = {
    "userId": "8:live:.cid.7F3A",
    "exportDate": "2023-05-01T08:00",
    "conversations": [
        {
            "id": "8:live:zhou.boss",
            "displayName": "老周",
            "version": 1682900000000,
            "properties": {"conversationblocked": False},
            "threadProperties": None,
            "MessageList": [
                {
                    "id": "1680441307000",
                    "displayName": "Chen Wei",
                    "originalarrivaltime": "2023-04-02T13:15:07.123Z",
                    "messagetype": "RichText",
                    "version": 1680441307000,
                    "content": "I&apos;ll send the <b>list</b> &amp; cards tonight",
                    "conversationid": "8:live:zhou.boss",
                    "from": "8:live:.cid.7F3A",
                    "properties": None,
                    "amsreferences": None,
                },
                {
                    "id": "1680441400000",
                    "displayName": "老周",
                    "originalarrivaltime": "2023-04-02T13:16:40Z",
                    "messagetype": "RichText/UriObject",
                    "content": '<a href="https://x.test/a">https://x.test/a</a>',
                    "conversationid": "8:live:zhou.boss",
                    "from": "8:live:zhou.boss",
                },
                {
                    "id": "1680441600000",
                    "displayName": None,
                    "originalarrivaltime": "2023-04-02T13:20:00.000Z",
                    "messagetype": "Event/Call",
                    "content": CALL_XML,
                    "conversationid": "8:live:zhou.boss",
                    "from": "8:live:zhou.boss",
                },
                {
                    "id": "1680441700000",
                    "originalarrivaltime": "",
                    "messagetype": "RichText",
                    "content": "no time",
                    "from": "8:live:zhou.boss",
                },
                {
                    "id": "1680441800000",
                    "originalarrivaltime": "2023-04-02T13:23:20Z",
                    "messagetype": "RichText",
                    "content": "no sender",
                    "from": "",
                },
            ],
        },
        {
            "id": "19:abc123@thread.skype",
            "displayName": "二线",
            "MessageList": [
                {
                    "id": "1680500000000",
                    "displayName": "Chen Wei",
                    "originalarrivaltime": "2023-04-03T05:33:20Z",
                    "messagetype": "ThreadActivity/AddMember",
                    "content": "<addmember><eventtime>1680500000000</eventtime></addmember>",
                    "from": "8:live:.cid.7f3a",
                },
                {
                    "id": "1680500001000",
                    "originalarrivaltime": "next tuesday",
                    "messagetype": "RichText",
                    "content": "x",
                    "from": "8:live:.cid.7f3a",
                },
                {
                    "id": "1680500002000",
                    "originalarrivaltime": "2404-01-01T00:00:00Z",
                    "messagetype": "RichText",
                    "content": "far future",
                    "from": "8:live:.cid.7f3a",
                },
                {"originalarrivaltime": "2023-04-03T05:40:00Z", "content": "no id"},
            ],
        },
    ],
}


def write(folder: Path, document: object) -> Path:
    path = folder / "messages.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def test_messages_json(tmp_path: Path, read_source: Reader) -> None:
    write(tmp_path, EXPORT)
    result = read_source(tmp_path, "messages.json", "skype_json", timezone="Asia/Shanghai")
    assert result.rows_read == 9
    assert result.files == ("messages.json",)
    table = result.table
    assert col(table, "source_row") == [1, 2, 3, 1]
    assert col(table, "source_sheet") == ["8:live:zhou.boss"] * 3 + ["19:abc123@thread.skype"]
    assert col(table, "message_id") == [
        "1680441307000",
        "1680441400000",
        "1680441600000",
        "1680500000000",
    ]
    assert set(col(table, "channel")) == {"skype"}
    assert col(table, "conversation") == ["8:live:zhou.boss"] * 3 + ["19:abc123@thread.skype"]
    assert col(table, "sender") == [
        "live:.cid.7f3a",
        "live:zhou.boss",
        "live:zhou.boss",
        "live:.cid.7f3a",
    ]
    assert col(table, "sender_raw") == [
        "8:live:.cid.7F3A",
        "8:live:zhou.boss",
        "8:live:zhou.boss",
        "8:live:.cid.7f3a",
    ]
    assert col(table, "sender_name") == ["Chen Wei", "老周", None, "Chen Wei"]
    assert col(table, "recipient") == ["live:zhou.boss", "live:.cid.7f3a", "live:.cid.7f3a", None]
    assert col(table, "sent_at") == [
        utc("2023-04-02 13:15:07.123"),
        utc("2023-04-02 13:16:40"),
        utc("2023-04-02 13:20:00"),
        utc("2023-04-03 05:33:20"),
    ]
    assert col(table, "body") == [
        "I'll send the list & cards tonight",
        "https://x.test/a",
        "Chen Wei62",
        "1680500000000",
    ]
    assert col(table, "body_raw")[0] == "I&apos;ll send the <b>list</b> &amp; cards tonight"
    assert col(table, "body_raw")[2] == CALL_XML
    assert col(table, "message_type") == [
        "RichText",
        "RichText/UriObject",
        "Event/Call",
        "ThreadActivity/AddMember",
    ]
    rejects = result.rejects
    assert list(
        zip(
            col(rejects, "source_sheet"),
            col(rejects, "source_row"),
            col(rejects, "reason"),
            col(rejects, "column"),
            col(rejects, "value"),
            strict=True,
        )
    ) == [
        ("8:live:zhou.boss", 4, "missing_value", "originalarrivaltime", ""),
        ("8:live:zhou.boss", 5, "empty_identifier", "from", ""),
        ("19:abc123@thread.skype", 2, "unparseable_time", "originalarrivaltime", "next tuesday"),
        (
            "19:abc123@thread.skype",
            3,
            "time_out_of_range",
            "originalarrivaltime",
            "2404-01-01T00:00:00Z",
        ),
        ("19:abc123@thread.skype", 4, "malformed_row", None, col(rejects, "value")[4]),
    ]
    assert str(col(rejects, "value")[4]).startswith("message has no numeric id: {")


def test_sniff(tmp_path: Path) -> None:
    path = write(tmp_path, EXPORT)
    assert sniff(path, "messages.json", "chats").format.name == "skype_json"
    assert sniff(path, "messages.json").format.name == "skype_json"


def test_folder_and_errors(tmp_path: Path, read_source: Reader) -> None:
    (tmp_path / "export" / "media").mkdir(parents=True)
    write(tmp_path / "export", {"userId": "8:me", "exportDate": "", "conversations": []})
    result = read_source(tmp_path, "export", "skype_json")
    assert result.files == ("export/messages.json",)
    assert result.rows_read == 0
    (tmp_path / "messages.json").write_bytes(b'{"userId": "8:me", "conversations": [\xff')
    with pytest.raises(SourceError, match=r"^messages\.json: not UTF-8"):
        read_source(tmp_path, "messages.json", "skype_json")
    write(tmp_path, {"userId": "8:me", "conversations": [{"id": "8:x"}]})
    with pytest.raises(SourceError, match="conversation 1 has no MessageList"):
        read_source(tmp_path, "messages.json", "skype_json")
