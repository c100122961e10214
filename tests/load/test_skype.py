"""Skype desktop main.db: messages and calls, from the public sample and a synthetic database."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pandas as pd
import pytest

from linkage.errors import SourceError
from linkage.load.context import ReadResult
from linkage.load.readers.skype import message_text

Reader = Callable[..., ReadResult]


def col(frame: pd.DataFrame, name: str) -> list[object]:
    """A column as plain Python values, with None for every kind of null."""
    return [None if pd.api.types.is_scalar(v) and pd.isna(v) else v for v in frame[name]]


def rejects_of(result: ReadResult) -> list[tuple[object, ...]]:
    frame = result.rejects
    return list(
        zip(col(frame, "source_row"), col(frame, "reason"), col(frame, "column"), strict=True)
    )


def utc(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz="UTC")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- the public sample (plaso test data), read in place ---------------------------------------


def test_sample_messages(samples: Path, read_source: Reader) -> None:
    before = digest(samples / "plaso" / "skype_main.db")
    result = read_source(samples, "plaso/skype_main.db", "skype_messages", timezone="UTC")
    table = result.table.set_index(pd.Index(col(result.table, "source_row")))
    assert result.rows_read == 15
    assert len(table) == 14
    assert rejects_of(result) == [(61, "time_out_of_range", "timestamp")]
    assert col(result.rejects, "source_sheet") == ["Messages"]
    assert col(result.rejects, "value") == ["13727168620"]
    assert sorted(table.index) == [39, 43, 47, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 62]
    chat = table.loc[43]
    assert chat["sent_at"] == utc("2013-07-30 21:27:11")
    assert chat["body"] == "need to know if you got it this time."
    assert chat["sender"] == "gen.beringer"
    assert chat["sender_name"] == "Gen Beringer"
    assert chat["recipient"] == "european.bbq.competitor"
    assert chat["message_id"] == "43"
    assert chat["message_type"] == "61"
    assert chat["channel"] == "skype"
    assert chat["conversation"] == "#gen.beringer/$european.bbq.competitor;83bdbe9bddc6d2d2"
    assert chat["source_file"] == "plaso/skype_main.db"
    assert chat["source_sheet"] == "Messages"
    request = table.loc[47]
    assert request["body"] == (
        "Hi European Competitor, I'd like to add you as a contact. Gen Beringer"
    )
    assert request["body_raw"] == (
        "Hi European Competitor, I&apos;d like to add you as a contact. Gen Beringer"
    )
    assert request["message_type"] == "50"
    assert table.loc[52, "body"] == "I'm here"
    assert table.loc[54, "body"] == "https://www.dropbox.com/s/3t95y5d8j64azsj/Recipes.docx"
    assert table.loc[54, "body_raw"].startswith('<a href="https://www.dropbox.com/')
    assert pd.isna(table.loc[51, "body"])
    assert table.loc[39, "sent_at"] == utc("2013-07-30 21:26:28")
    assert table.loc[62, "sent_at"] == utc("2013-10-27 15:29:19")
    assert table.loc[62, "body"] == "He is our new employee"
    assert set(table["sender"]) == {"gen.beringer", "european.bbq.competitor"}
    assert digest(samples / "plaso" / "skype_main.db") == before


def test_sample_call(samples: Path, read_source: Reader) -> None:
    result = read_source(samples, "plaso/skype_main.db", "skype_calls", timezone="UTC")
    assert result.rows_read == 1
    assert rejects_of(result) == []
    call = result.table.iloc[0]
    assert call["caller_raw"] == "gen.beringer"
    assert call["callee_raw"] == "european.bbq.competitor"
    assert pd.isna(call["caller"]) and pd.isna(call["callee"])
    assert call["started_at"] == utc("2013-07-01 22:12:17")
    assert call["duration_s"] == 646
    assert call["started_at"] + pd.Timedelta(seconds=call["duration_s"]) == utc(
        "2013-07-01 22:23:03"
    )
    assert call["answered"]
    assert call["call_type"] == "voice"
    assert call["direction"] == "out"
    assert call["source_sheet"] == "CallMembers"
    assert call["source_row"] == 20
    assert result.notes == ("plaso/skype_main.db: Skype account gen.beringer",)


# --- a synthetic main.db --------------------------------------------------------------------

SCHEMA = """
CREATE TABLE Accounts (id INTEGER PRIMARY KEY, skypename TEXT, fullname TEXT);
CREATE TABLE Conversations (id INTEGER PRIMARY KEY, identity TEXT, displayname TEXT);
CREATE TABLE Messages (id INTEGER PRIMARY KEY, convo_id INTEGER, chatname TEXT, author TEXT,
    from_dispname TEXT, dialog_partner TEXT, timestamp INTEGER, type INTEGER, body_xml TEXT);
CREATE TABLE Calls (id INTEGER PRIMARY KEY, begin_timestamp INTEGER, host_identity TEXT,
    is_incoming INTEGER, duration INTEGER, partner_handle TEXT, pstn_number TEXT, name TEXT);
CREATE TABLE CallMembers (id INTEGER PRIMARY KEY, identity TEXT, dispname TEXT,
    call_duration INTEGER, start_timestamp INTEGER, call_db_id INTEGER, call_name TEXT);
"""

MESSAGES = [
    # id, convo_id, chatname, author, from_dispname, dialog_partner, timestamp, type, body_xml
    (
        7,
        1,
        "#den.op1/$boss.li;1",
        "den.op1",
        "阿伟",
        "boss.li",
        1457572500,
        61,
        '收到 &lt;名单&gt; <ss type="smile">:)</ss>',
    ),
    (8, 1, None, "8:Boss.Li", "老板", None, 1457572560, 61, "今天打 <b>200</b> 个"),
    (9, 5, None, "den.op1", "阿伟", None, 1457572620, 61, "no conversation row"),
    (10, 1, "#den.op1/$boss.li;1", "", None, None, 1457572680, 61, "no author"),
    (11, 1, "#den.op1/$boss.li;1", "den.op1", None, None, None, 61, "no time"),
    (12, 1, "#den.op1/$boss.li;1", "den.op1", None, None, 0, 61, "1970"),
    (13, 1, "#den.op1/$boss.li;1", "den.op1", None, None, "soon", 61, "text stamp"),
    (
        14,
        1,
        "#den.op1/$boss.li;1",
        "den.op1",
        None,
        "+86 138 0013 8000",
        1457572800,
        64,
        '<sms alt="x"><price>0.1 EUR</price><body><chunk id="0">您好，</chunk>'
        '<chunk id="1">您的包裹</chunk></body></sms>',
    ),
]

CALLS = [
    # id, begin_timestamp, host_identity, is_incoming, duration, partner_handle, pstn, name
    (100, 1457572500, "den.op1", 0, 120, None, None, "c100"),
    (101, 1457576100, "boss.li", 1, 30, None, None, "c101"),
    (102, 1457579700, "den.op1", 0, 0, None, None, "c102"),
    (103, 99999999999, "den.op1", 0, 10, None, None, "c103"),
    (104, 1457583300, "den.op1", 0, None, "boss.li", None, "c104"),
    (105, 1457583400, "den.op1", 0, None, None, None, "c105"),
]

MEMBERS = [
    # id, identity, dispname, call_duration, start_timestamp, call_db_id, call_name
    (1, "+34 612 345 678", "+34612345678", 120, None, 100, "c100"),
    (2, "boss.li", "老板", 30, None, 101, "c101"),
    (3, "den.op2", "阿强", 0, None, 102, "c102"),
    (4, "den.op3", "阿明", 15, None, 102, "c102"),
    (5, "", None, 0, None, 102, "c102"),
    (6, "den.op2", None, 10, None, 103, "c103"),
]


def make_main_db(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with closing(sqlite3.connect(path)) as connection:
        connection.executescript(SCHEMA)
        connection.execute("INSERT INTO Accounts VALUES (1, 'den.op1', '阿伟')")
        connection.execute("INSERT INTO Conversations VALUES (1, 'boss.li', '老板')")
        connection.executemany("INSERT INTO Messages VALUES (?,?,?,?,?,?,?,?,?)", MESSAGES)
        connection.executemany("INSERT INTO Calls VALUES (?,?,?,?,?,?,?,?)", CALLS)
        connection.executemany("INSERT INTO CallMembers VALUES (?,?,?,?,?,?,?)", MEMBERS)
        connection.commit()
    return path


def test_synthetic_messages(tmp_path: Path, read_source: Reader) -> None:
    db = make_main_db(tmp_path / "seized" / "pc1" / "main.db")
    before = digest(db)
    result = read_source(tmp_path, "seized/pc1/main.db", "skype_messages", den="den-a")
    table = result.table
    assert col(table, "source_row") == [7, 8, 9, 14]
    assert col(table, "source_file") == ["seized/pc1/main.db"] * 4
    assert col(table, "sender") == ["den.op1", "boss.li", "den.op1", "den.op1"]
    assert col(table, "sender_raw") == ["den.op1", "8:Boss.Li", "den.op1", "den.op1"]
    assert col(table, "sender_name") == ["阿伟", "老板", "阿伟", None]
    assert col(table, "recipient") == ["boss.li", None, None, "+8613800138000"]
    assert col(table, "conversation") == [
        "#den.op1/$boss.li;1",
        "boss.li",
        "5",
        "#den.op1/$boss.li;1",
    ]
    assert col(table, "sent_at") == [
        utc("2016-03-10 01:15:00"),
        utc("2016-03-10 01:16:00"),
        utc("2016-03-10 01:17:00"),
        utc("2016-03-10 01:20:00"),
    ]
    assert col(table, "body") == [
        "收到 <名单> :)",
        "今天打 200 个",
        "no conversation row",
        "您好，您的包裹",
    ]
    assert col(table, "body_raw")[0] == '收到 &lt;名单&gt; <ss type="smile">:)</ss>'
    assert col(table, "message_type") == ["61", "61", "61", "64"]
    assert col(table, "den") == ["den-a"] * 4
    assert rejects_of(result) == [
        (10, "empty_identifier", "author"),
        (11, "missing_value", "timestamp"),
        (12, "time_out_of_range", "timestamp"),
        (13, "unparseable_time", "timestamp"),
    ]
    assert col(result.rejects, "kind") == ["messages"] * 4
    assert digest(db) == before


def test_synthetic_calls(tmp_path: Path, read_source: Reader) -> None:
    db = make_main_db(tmp_path / "main.db")
    before = digest(db)
    result = read_source(tmp_path, "main.db", "skype_calls", region="CN")
    table = result.table
    assert list(zip(col(table, "source_sheet"), col(table, "source_row"), strict=True)) == [
        ("CallMembers", 1),
        ("CallMembers", 2),
        ("CallMembers", 3),
        ("CallMembers", 4),
        ("Calls", 104),
    ]
    # A Skype-out call: the PSTN member is a phone number and joins as E.164.
    assert col(table, "caller") == [None, None, None, None, None]
    assert col(table, "callee") == ["+34612345678", None, None, None, None]
    assert col(table, "caller_raw") == ["den.op1", "boss.li", "den.op1", "den.op1", "den.op1"]
    assert col(table, "callee_raw") == [
        "+34 612 345 678",
        "den.op1",
        "den.op2",
        "den.op3",
        "boss.li",
    ]
    assert col(table, "direction") == ["out", "in", "out", "out", "out"]
    assert col(table, "started_at") == [
        utc("2016-03-10 01:15:00"),
        utc("2016-03-10 02:15:00"),
        utc("2016-03-10 03:15:00"),
        utc("2016-03-10 03:15:00"),
        utc("2016-03-10 04:15:00"),
    ]
    assert col(table, "duration_s") == [120, 30, 0, 15, None]
    assert col(table, "answered") == [True, True, False, True, None]
    assert col(table, "call_type") == ["voice"] * 5
    assert rejects_of(result) == [
        (5, "empty_identifier", "identity"),
        (6, "time_out_of_range", "begin_timestamp"),
        (105, "empty_identifier", "partner_handle"),
    ]
    assert col(result.rejects, "source_sheet") == ["CallMembers", "CallMembers", "Calls"]
    assert result.rows_read == 8
    assert digest(db) == before


def test_not_a_database(tmp_path: Path, read_source: Reader) -> None:
    (tmp_path / "main.db").write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(SourceError, match=r"main\.db: not a readable SQLite database"):
        read_source(tmp_path, "main.db", "skype_messages")


def test_not_skype(tmp_path: Path, read_source: Reader) -> None:
    with closing(sqlite3.connect(tmp_path / "other.db")) as connection:
        connection.execute("CREATE TABLE calls (_id INTEGER PRIMARY KEY, number TEXT)")
        connection.commit()
    with pytest.raises(SourceError, match=r"not a Skype main\.db"):
        read_source(tmp_path, "other.db", "skype_calls")


def test_message_text_keeps_literal_angle_brackets() -> None:
    assert message_text("a &lt;b&gt; c &amp; d") == "a <b> c & d"
    assert message_text("") is None
    assert message_text(None) is None
