"""Telegram Desktop JSON exports: a single chat and a whole account, written under tmp_path."""

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


def rejects_of(result: ReadResult) -> list[tuple[object, ...]]:
    frame = result.rejects
    return list(
        zip(
            col(frame, "source_sheet"),
            col(frame, "source_row"),
            col(frame, "reason"),
            col(frame, "column"),
            col(frame, "value"),
            strict=True,
        )
    )


def utc(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz="UTC")


MANAGER_CHAT = {
    "name": "老周",
    "type": "personal_chat",
    "id": 5012345678,
    "messages": [
        {
            "id": 101,
            "type": "message",
            "date": "2023-04-02T21:15:07",
            "date_unixtime": "1680441307",
            "from": "老周",
            "from_id": "user5012345678",
            "text": "今晚三线换话术",
            "text_entities": [{"type": "plain", "text": "今晚三线换话术"}],
        },
        {
            "id": 102,
            "type": "message",
            "date": "2023-04-02T21:16:40",
            "date_unixtime": "1680441400",
            "from": "Ah Wei",
            "from_id": "user777000111",
            "text": [
                "卡号 ",
                {"type": "code", "text": "6222 0202 0000 1234"},
                " 见 ",
                {"type": "link", "text": "https://t.me/+AbC"},
            ],
        },
        {
            "id": 103,
            "type": "service",
            "date": "2023-04-02T21:20:00",
            "date_unixtime": "1680441600",
            "actor": "Ah Wei",
            "actor_id": "user777000111",
            "action": "phone_call",
            "duration_seconds": 62,
            "discard_reason": "hangup",
            "text": "",
        },
        {
            "id": 104,
            "type": "message",
            "date": "2023-04-03T09:00:00",
            "from": "老周",
            "from_id": "user5012345678",
            "text": "old exporter, no unixtime",
        },
        {"id": 105, "type": "message", "from": "老周", "from_id": "user5012345678", "text": "?"},
        {
            "id": 106,
            "type": "message",
            "date": "2023-04-03T09:01:00",
            "date_unixtime": "16804416xx",
            "from_id": "user5012345678",
            "text": "bad stamp",
        },
        {
            "id": 107,
            "type": "message",
            "date": "1970-01-01T08:00:00",
            "date_unixtime": "0",
            "from_id": "user5012345678",
            "text": "epoch zero",
        },
        {
            "id": 108,
            "type": "message",
            "date": "2023-04-03T09:02:00",
            "date_unixtime": "1680483720",
            "from": "Deleted Account",
            "from_id": None,
            "text": "who",
        },
        "not a message",
    ],
}


def write(folder: Path, name: str, document: object) -> Path:
    path = folder / name
    path.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def test_single_chat(tmp_path: Path, read_source: Reader) -> None:
    write(tmp_path, "result.json", MANAGER_CHAT)
    result = read_source(tmp_path, "result.json", "telegram_json")
    assert result.rows_read == 9
    assert result.files == ("result.json",)
    table = result.table
    assert col(table, "source_row") == [1, 2, 3, 4]
    assert set(col(table, "source_sheet")) == {"5012345678"}
    assert set(col(table, "source_file")) == {"result.json"}
    assert set(col(table, "channel")) == {"telegram"}
    assert set(col(table, "conversation")) == {"老周"}
    assert col(table, "message_id") == ["101", "102", "103", "104"]
    assert col(table, "sender") == [
        "user5012345678",
        "user777000111",
        "user777000111",
        "user5012345678",
    ]
    assert col(table, "sender_name") == ["老周", "Ah Wei", "Ah Wei", "老周"]
    assert col(table, "sent_at") == [
        utc("2023-04-02 13:15:07"),
        utc("2023-04-02 13:16:40"),
        utc("2023-04-02 13:20:00"),
        utc("2023-04-03 01:00:00"),  # `date` read as Asia/Shanghai wall clock
    ]
    assert col(table, "body") == [
        "今晚三线换话术",
        "卡号 6222 0202 0000 1234 见 https://t.me/+AbC",
        None,
        "old exporter, no unixtime",
    ]
    body_raw = col(table, "body_raw")
    assert body_raw[0] == "今晚三线换话术"
    assert json.loads(str(body_raw[1])) == MANAGER_CHAT["messages"][1]["text"]  # type: ignore[index]
    assert json.loads(str(body_raw[2])) == {
        "action": "phone_call",
        "duration_seconds": 62,
        "discard_reason": "hangup",
        "text": "",
    }
    assert col(table, "message_type") == ["message", "message", "phone_call", "message"]
    assert col(table, "recipient") == [None] * 4
    assert rejects_of(result) == [
        ("5012345678", 5, "missing_value", "date", ""),
        ("5012345678", 6, "unparseable_time", "date_unixtime", "16804416xx"),
        ("5012345678", 7, "time_out_of_range", "date_unixtime", "0"),
        ("5012345678", 8, "empty_identifier", "from_id", ""),
        ("5012345678", 9, "malformed_row", None, 'message is not an object: "not a message"'),
    ]
    assert set(col(result.rejects, "kind")) == {"messages"}


def test_full_export(tmp_path: Path, read_source: Reader) -> None:
    group = {
        "name": "三线组",
        "type": "private_supergroup",
        "id": 1798000001,
        "messages": [
            {
                "id": 7,
                "type": "service",
                "date": "2023-03-30T10:00:00",
                "date_unixtime": "1680141600",
                "actor": "老周",
                "actor_id": "user5012345678",
                "action": "invite_members",
                "members": ["Ah Wei"],
                "text": "",
            },
            {
                "id": 8,
                "type": "message",
                "date": "2023-03-30T10:01:00",
                "date_unixtime": "1680141660",
                "from": "频道",
                "from_id": "channel1798000001",
                "text": [{"type": "bold", "text": "名单"}, " 已发"],
            },
        ],
    }
    saved = {"type": "saved_messages", "id": 5012345678, "messages": []}
    export = {
        "about": "Here is the data you requested.",
        "personal_information": {"user_id": 5012345678, "first_name": "Zhou"},
        "contacts": {"about": "", "list": [{"first_name": "Wei", "phone_number": "+60 12"}]},
        "chats": {"about": "", "list": [group, saved]},
        "left_chats": {"about": "", "list": [MANAGER_CHAT]},
    }
    (tmp_path / "Telegram Export").mkdir()
    write(tmp_path / "Telegram Export", "result.json", export)
    result = read_source(tmp_path, "Telegram Export", "telegram_json")
    assert result.files == ("Telegram Export/result.json",)
    assert result.rows_read == 2 + 0 + 9
    assert len(result.table) == 6
    table = result.table.iloc[:2]
    assert col(table, "source_sheet") == ["1798000001", "1798000001"]
    assert col(table, "source_row") == [1, 2]
    assert col(table, "conversation") == ["三线组", "三线组"]
    assert col(table, "sender") == ["user5012345678", "channel1798000001"]
    assert col(table, "message_type") == ["invite_members", "message"]
    assert col(table, "body") == [None, "名单 已发"]
    assert json.loads(str(col(table, "body_raw")[0]))["members"] == ["Ah Wei"]
    assert col(table, "sent_at") == [utc("2023-03-30 02:00:00"), utc("2023-03-30 02:01:00")]
    assert len(result.rejects) == 5


@pytest.mark.parametrize("name", ["single", "full"])
def test_sniff(tmp_path: Path, name: str) -> None:
    document = (
        MANAGER_CHAT if name == "single" else {"about": "", "chats": {"list": [MANAGER_CHAT]}}
    )
    path = write(tmp_path, "result.json", document)
    assert sniff(path, "result.json", "chats").format.name == "telegram_json"
    assert sniff(path, "result.json").format.name == "telegram_json"


def test_invalid_json(tmp_path: Path, read_source: Reader) -> None:
    (tmp_path / "result.json").write_text('{"name": "x", "messages": [{"id": 1,', encoding="utf-8")
    with pytest.raises(SourceError, match=r"^result\.json: not valid JSON"):
        read_source(tmp_path, "result.json", "telegram_json")


def test_not_an_export(tmp_path: Path, read_source: Reader) -> None:
    write(tmp_path, "result.json", {"name": "x", "type": "y", "id": 1, "messages": "none"})
    with pytest.raises(SourceError, match="not a Telegram Desktop export"):
        read_source(tmp_path, "result.json", "telegram_json")
