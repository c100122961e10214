"""WeChat chats: WeChatMsg CSV, Windows MSG.db and Android EnMicroMsg.db, written synthetically."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pandas as pd
import pytest

from linkage.errors import SourceError
from linkage.load.context import ReadResult
from linkage.load.sniff import sniff

Reader = Callable[..., ReadResult]
OWNER = "wxid_Owner"
T0 = 1457600000
"""2016-03-10 08:53:20 UTC."""


def col(frame: pd.DataFrame, name: str) -> list[object]:
    """A column as plain Python values, with None for every kind of null."""
    return [None if pd.api.types.is_scalar(v) and pd.isna(v) else v for v in frame[name]]


def rejects_of(result: ReadResult) -> list[tuple[object, ...]]:
    frame = result.rejects
    return list(
        zip(
            col(frame, "source_row"),
            col(frame, "reason"),
            col(frame, "column"),
            col(frame, "value"),
            strict=True,
        )
    )


def utc(seconds: int) -> pd.Timestamp:
    return pd.Timestamp(seconds, unit="s", tz="UTC")


# The same conversation in every layout: (is_sender, talker, time offset s, type, content).
MESSAGES: list[tuple[object, object, object, object, object]] = [
    (1, "wxid_Friend", 0, 1, "钱到了吗"),
    (0, "wxid_Friend", 60, 1, "到了"),
    (0, "123@chatroom", 120, 1, "wxid_b:\n明天开工"),
    (1, "123@chatroom", 180, 1, "收到"),
    (0, "123@chatroom", 240, 10000, "wxid_c 邀请你加入了群聊"),
    (0, "", 300, 1, "no talker"),
    (0, "wxid_friend", "abc", 1, "bad time"),
    (0, "wxid_friend", -T0 + 5, 1, "1970"),
    (7, "wxid_friend", 360, 1, "odd flag"),
]
REJECTS = [
    (6, "empty_identifier", None, ""),
    (7, "unparseable_time", None, "abc"),
    (8, "time_out_of_range", None, "5"),
    (9, "bad_direction", None, "7"),
]


def stamp(offset: object, per_second: int) -> object:
    return (T0 + offset) * per_second if isinstance(offset, int) else offset


def check_conversation(
    result: ReadResult,
    names: tuple[str, str, str],
    per_second: int,
    rows: list[int] | None = None,
) -> None:
    """The canonical rows and rejects every layout of ``MESSAGES`` must give.

    ``rows`` are the source rows of the messages (the primary keys 1…9 by default).
    """
    at = rows or list(range(1, 10))
    talker, time, flag = names
    columns = {6: talker, 7: time, 8: time, 9: flag}
    expected_rejects = [(r, why, columns[r], v) for r, why, _, v in REJECTS]
    if per_second == 1000:
        expected_rejects[2] = (8, "time_out_of_range", time, "5000")
    expected_rejects = [(at[r - 1], why, c, v) for r, why, c, v in expected_rejects]
    assert rejects_of(result) == expected_rejects
    assert col(result.table, "source_row") == at[:5]
    table = result.table
    assert col(table, "channel") == ["wechat"] * 5
    assert col(table, "conversation") == [
        "wxid_Friend",
        "wxid_Friend",
        "123@chatroom",
        "123@chatroom",
        "123@chatroom",
    ]
    assert col(table, "sender") == ["wxid_owner", "wxid_friend", "wxid_b", "wxid_owner", None]
    assert col(table, "sender_raw") == [OWNER, "wxid_Friend", "wxid_b", OWNER, None]
    assert col(table, "recipient") == ["wxid_friend", "wxid_owner", None, None, None]
    assert col(table, "sent_at") == [utc(T0 + 60 * i) for i in range(5)]
    assert col(table, "body") == ["钱到了吗", "到了", "明天开工", "收到", "wxid_c 邀请你加入了群聊"]
    assert col(table, "body_raw")[2] == "wxid_b:\n明天开工"
    assert col(table, "message_type") == ["1", "1", "1", "1", "10000"]


def write_db(path: Path, schema: str, table: str, rows: list[tuple[object, ...]]) -> Path:
    with closing(sqlite3.connect(path)) as db:
        db.execute(schema)
        marks = ", ".join("?" * len(rows[0]))
        db.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)
        db.commit()
    return path


def windows_db(path: Path) -> Path:
    rows = [
        (i, talker, flag, stamp(offset, 1), kind, 0, content)
        for i, (flag, talker, offset, kind, content) in enumerate(MESSAGES, start=1)
    ]
    schema = (
        "CREATE TABLE MSG (localId INTEGER PRIMARY KEY AUTOINCREMENT, StrTalker TEXT,"
        " IsSender INT, CreateTime INT, Type INT, SubType INT, StrContent TEXT)"
    )
    return write_db(path, schema, "MSG", rows)


def android_db(path: Path) -> Path:
    rows = [
        (i, 1, flag, talker, stamp(offset, 1000), kind, content)
        for i, (flag, talker, offset, kind, content) in enumerate(MESSAGES, start=1)
    ]
    schema = (
        "CREATE TABLE message (msgId INTEGER PRIMARY KEY, status INT, isSend INT, talker TEXT,"
        " createTime INTEGER, type INT, content TEXT)"
    )
    return write_db(path, schema, "message", rows)


def wechat_csv(path: Path) -> Path:
    lines = [
        "localId,TalkerId,Type,SubType,IsSender,CreateTime,Status,StrContent,StrTime,Remark,"
        "NickName,Sender"
    ]
    for i, (flag, talker, offset, kind, content) in enumerate(MESSAGES, start=1):
        text = str(content).replace('"', '""')
        lines.append(
            f'{i},{talker},{kind},0,{flag},{stamp(offset, 1)},2,"{text}",,,{"" if flag else "阿明"},'
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    return path


def test_windows_msg_db(tmp_path: Path, read_source: Reader) -> None:
    windows_db(tmp_path / "MSG0.db")
    result = read_source(tmp_path, "MSG0.db", "wechat_windows", owner=OWNER)
    assert result.rows_read == 9
    check_conversation(result, ("StrTalker", "CreateTime", "IsSender"), 1)
    assert col(result.table, "source_row") == [1, 2, 3, 4, 5]
    assert col(result.table, "source_sheet") == ["MSG"] * 5
    assert col(result.table, "message_id") == ["1", "2", "3", "4", "5"]


def test_a_folder_of_msg_databases(tmp_path: Path, read_source: Reader) -> None:
    (tmp_path / "Multi").mkdir()
    windows_db(tmp_path / "Multi" / "MSG0.db")
    windows_db(tmp_path / "Multi" / "MSG1.db")
    result = read_source(tmp_path, "Multi", "wechat_windows", owner=OWNER)
    assert result.files == ("Multi/MSG0.db", "Multi/MSG1.db")
    assert result.rows_read == 18
    assert col(result.table, "source_file") == ["Multi/MSG0.db"] * 5 + ["Multi/MSG1.db"] * 5


def test_android_enmicromsg_db(tmp_path: Path, read_source: Reader) -> None:
    android_db(tmp_path / "EnMicroMsg.db")
    result = read_source(tmp_path, "EnMicroMsg.db", "wechat_android", owner=OWNER)
    assert result.rows_read == 9
    check_conversation(result, ("talker", "createTime", "isSend"), 1000)
    assert col(result.table, "source_sheet") == ["message"] * 5


def test_android_times_keep_milliseconds(tmp_path: Path, read_source: Reader) -> None:
    schema = "CREATE TABLE message (msgId INTEGER PRIMARY KEY, isSend INT, talker TEXT, createTime INTEGER, type INT, content TEXT)"
    write_db(
        tmp_path / "EnMicroMsg.db", schema, "message", [(3, 0, "wxid_a", 1457600000123, 1, "hi")]
    )
    result = read_source(tmp_path, "EnMicroMsg.db", "wechat_android")
    assert col(result.table, "sent_at") == [pd.Timestamp("2016-03-10 08:53:20.123", tz="UTC")]
    assert col(result.table, "recipient") == [None]  # no owner in case.toml


def test_wechatmsg_csv(tmp_path: Path, read_source: Reader) -> None:
    wechat_csv(tmp_path / "chat.csv")
    result = read_source(tmp_path, "chat.csv", "wechat_csv", owner=OWNER)
    assert result.rows_read == 9
    # Source rows are the lines a row starts on: the header is line 1, and the third message's
    # text holds a line break (the chat-room member prefix), so it spans lines 4 and 5.
    check_conversation(
        result, ("TalkerId", "CreateTime", "IsSender"), 1, [2, 3, 4, 6, 7, 8, 9, 10, 11]
    )
    assert col(result.table, "sender_name") == [None, "阿明", None, None, None]


def test_the_wrong_layout_is_refused(tmp_path: Path, read_source: Reader) -> None:
    schema = "CREATE TABLE MSG (localId INTEGER PRIMARY KEY, StrTalker TEXT)"
    write_db(tmp_path / "MSG.db", schema, "MSG", [(1, "wxid_a")])
    with pytest.raises(SourceError, match=r"not a WeChat MSG\.db \(table MSG lacks IsSender"):
        read_source(tmp_path, "MSG.db", "wechat_windows")


def test_fixtures_sniff(tmp_path: Path, samples: Path) -> None:
    found = {
        "wechat_windows": windows_db(tmp_path / "MSG0.db"),
        "wechat_android": android_db(tmp_path / "EnMicroMsg.db"),
        "wechat_csv": wechat_csv(tmp_path / "chat.csv"),
    }
    for expected, path in found.items():
        assert sniff(path, path.name, "chats").format.name == expected
        assert sniff(path, path.name).format.name == expected
    skype = samples / "plaso" / "skype_main.db"
    assert sniff(skype, "skype_main.db", "chats").format.name == "skype_messages"


def test_wechatmsg_csv_names_the_group_member_who_sent(tmp_path: Path, read_source: Reader) -> None:
    """WeChatMsg's Sender column names who sent a received message; the talker id may be a number."""
    header = "localId,TalkerId,Type,SubType,IsSender,CreateTime,Status,StrContent,StrTime,Remark,NickName,Sender"
    row = f"1,12,1,0,0,{stamp(0, 1)},2,被害人已转账,,,群聊A,wxid_Member"
    (tmp_path / "group.csv").write_text(f"{header}\n{row}\n", encoding="utf-8-sig")
    table = read_source(tmp_path, "group.csv", "wechat_csv", owner=OWNER).table
    assert table["sender"].tolist() == ["wxid_member"]
    assert table["sender_raw"].tolist() == ["wxid_Member"]


def varint(value: int) -> bytes:
    out = bytearray()
    while True:
        out.append((value & 0x7F) | (0x80 if value > 0x7F else 0))
        value >>= 7
        if not value:
            return bytes(out)


def field(number: int, value: int | bytes) -> bytes:
    if isinstance(value, int):
        return varint(number << 3) + varint(value)
    return varint(number << 3 | 2) + varint(len(value)) + value


def bytes_extra(*entries: tuple[int, str]) -> bytes:
    """A ``BytesExtra`` blob as the Windows client writes it: a header message, then one
    field-3 entry ``{1: kind, 2: value}`` per fact (kind 1: the writer's wxid)."""
    blob = field(1, field(1, 0) + field(2, 0))
    for kind, value in entries:
        blob += field(3, field(1, kind) + field(2, value.encode("utf-8")))
    return blob


def test_windows_group_writer_from_bytes_extra(tmp_path: Path, read_source: Reader) -> None:
    """The Windows client stores a group message's text bare and its writer in ``BytesExtra``.

    A text prefix, where an older client wrote one, still wins; a truncated blob, or one
    without a writer, leaves the sender unknown and keeps the message.
    """
    source = "<msgsource><silence>0</silence></msgsource>"
    long_id = "wxid_" + "x" * 150  # a length that takes two varint bytes
    rows = [
        (1, "123@chatroom", 0, T0, 1, 0, "明天开工", bytes_extra((7, source), (1, "wxid_B"))),
        (2, "123@chatroom", 0, T0 + 60, 1, 0, "wxid_c:\n收到", bytes_extra((1, "wxid_b"))),
        (3, "123@chatroom", 0, T0 + 120, 1, 0, "好的", bytes_extra((1, "wxid_d"))[:-3]),
        (4, "123@chatroom", 0, T0 + 180, 1, 0, "在吗", bytes_extra((7, source))),
        (5, "123@chatroom", 1, T0 + 240, 1, 0, "收到", bytes_extra((1, "wxid_b"))),
        (6, "123@chatroom", 0, T0 + 300, 1, 0, "到账", bytes_extra((1, long_id))),
        (7, "wxid_friend", 0, T0 + 360, 1, 0, "到了", None),
    ]
    schema = (
        "CREATE TABLE MSG (localId INTEGER PRIMARY KEY, StrTalker TEXT, IsSender INT,"
        " CreateTime INT, Type INT, SubType INT, StrContent TEXT, BytesExtra BLOB)"
    )
    write_db(tmp_path / "MSG0.db", schema, "MSG", rows)
    table = read_source(tmp_path, "MSG0.db", "wechat_windows", owner=OWNER).table
    assert col(table, "sender") == [
        "wxid_b",
        "wxid_c",
        None,
        None,
        "wxid_owner",
        long_id,
        "wxid_friend",
    ]
    assert col(table, "sender_raw")[0] == "wxid_B"
    assert col(table, "body") == ["明天开工", "收到", "好的", "在吗", "收到", "到账", "到了"]
