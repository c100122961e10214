"""Android contacts2.db call log and mmssms.db texts: the public samples and synthetic databases."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pandas as pd
import pytest

from linkage.errors import InvalidIdentifier, SourceError
from linkage.load.context import ReadResult
from linkage.load.sniff import sniff
from linkage.normalize import normalize_phone

Reader = Callable[..., ReadResult]


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


def utc(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz="UTC")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_db(path: Path, schema: str, table: str, rows: list[tuple[object, ...]]) -> Path:
    """A small SQLite database with one table of ``rows``."""
    with closing(sqlite3.connect(path)) as db:
        db.execute(schema)
        marks = ", ".join("?" * len(rows[0]))
        db.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)
        db.commit()
    return path


CALLS_SCHEMA = (
    "CREATE TABLE calls (_id INTEGER PRIMARY KEY, number TEXT, date INTEGER, duration INTEGER,"
    " type INTEGER, name TEXT, countryiso TEXT, geocoded_location TEXT)"
)
SMS_SCHEMA = (
    "CREATE TABLE sms (_id INTEGER PRIMARY KEY, thread_id INTEGER, address TEXT, date INTEGER,"
    " date_sent INTEGER, type INTEGER, read INTEGER, body TEXT)"
)


# --- contacts2.db: the public sample ----------------------------------------------------------


def test_sample_calls_take_their_region_from_countryiso(samples: Path, read_source: Reader) -> None:
    before = digest(samples / "plaso" / "contacts2.db")
    # The case's region is CN; each row's countryiso (US) decides how its number reads.
    result = read_source(samples, "plaso/contacts2.db", "android_calls", region="CN")
    table = result.table
    assert result.rows_read == 3
    assert rejects_of(result) == []
    assert result.files == ("plaso/contacts2.db",)
    assert col(table, "source_row") == [714, 715, 717]
    assert col(table, "source_sheet") == ["calls"] * 3
    assert col(table, "started_at") == [
        utc("2013-11-06 21:17:16.690"),
        utc("2013-11-06 21:18:53.283"),
        utc("2013-11-07 00:03:36.690"),
    ]
    assert col(table, "duration_s") == [0, 126, 639]
    assert col(table, "direction") == ["in", "out", "in"]
    assert col(table, "answered") == [False, True, True]
    assert col(table, "result_raw") == ["3", "2", "1"]
    assert col(table, "call_type") == ["voice"] * 3
    assert col(table, "caller") == ["+15404561685", None, "+15404561685"]
    assert col(table, "caller_raw") == ["5404561685", None, "5404561685"]
    assert col(table, "callee") == [None, "+15404561685", None]
    assert col(table, "callee_raw") == [None, "5404561685", None]
    assert col(table, "other_number") == ["+15404561685"] * 3
    assert col(table, "own_number") == [None] * 3
    assert col(table, "place") == ["Bedrock"] * 3
    assert col(table, "origin") == ["seized"] * 3
    assert digest(samples / "plaso" / "contacts2.db") == before


def test_sample_calls_with_the_owner_from_case_toml(samples: Path, read_source: Reader) -> None:
    result = read_source(
        samples, "plaso/contacts2.db", "android_calls", region="US", owner="(202) 555-0143"
    )
    table = result.table
    assert col(table, "own_number") == ["+12025550143"] * 3
    assert col(table, "caller") == ["+15404561685", "+12025550143", "+15404561685"]
    assert col(table, "caller_raw") == ["5404561685", "(202) 555-0143", "5404561685"]
    assert col(table, "callee") == ["+12025550143", "+15404561685", "+12025550143"]


def test_an_owner_that_is_no_phone_number_stops_the_read(
    samples: Path, read_source: Reader
) -> None:
    with pytest.raises(SourceError, match="owner '10086' is not a valid phone number in region CN"):
        read_source(samples, "plaso/contacts2.db", "android_calls", owner="10086")


# --- mmssms.db: the public sample -------------------------------------------------------------


def test_the_sample_number_is_invalid_in_the_us_and_a_mobile_in_china() -> None:
    for raw in ("1 555-521-5554", "15555215554"):
        with pytest.raises(InvalidIdentifier):
            normalize_phone(raw, "US")
        assert normalize_phone(raw, "CN") == "+8615555215554"


def test_sample_sms_under_the_handsets_region(samples: Path, read_source: Reader) -> None:
    before = digest(samples / "plaso" / "mmssms.db")
    result = read_source(samples, "plaso/mmssms.db", "android_sms", region="US", owner="5404561685")
    table = result.table
    assert result.rows_read == 9
    assert rejects_of(result) == []
    assert col(table, "source_row") == list(range(1, 10))
    assert col(table, "source_sheet") == ["sms"] * 9
    assert col(table, "message_id") == [str(i) for i in range(1, 10)]
    assert col(table, "channel") == ["sms"] * 9
    assert col(table, "conversation") == ["1"] * 9
    sent = [True, True, False, False, True, False, True, False, True]
    assert col(table, "message_type") == ["2" if s else "1" for s in sent]
    # 555-0100…0199-style numbers are fictional: under US the address is no valid number, so
    # the key is null and the raw text stays.
    assert col(table, "sender") == ["+15404561685" if s else None for s in sent]
    assert col(table, "sender_raw") == ["5404561685" if s else "15555215554" for s in sent]
    assert col(table, "recipient") == [None if s else "+15404561685" for s in sent]
    assert table["sent_at"].iloc[0] == utc("2013-10-29 16:56:28.038")
    assert table["sent_at"].iloc[-1] == utc("2013-10-29 17:16:17.250")
    assert table["body"].iloc[0] == "Yo Fred this is my new number."
    assert col(table, "body") == col(table, "body_raw")
    assert digest(samples / "plaso" / "mmssms.db") == before


def test_sample_sms_region_decides_the_number(samples: Path, read_source: Reader) -> None:
    result = read_source(samples, "plaso/mmssms.db", "android_sms", region="CN")
    table = result.table
    sent = col(table, "message_type")
    # Under CN both spellings become one valid (wrong) Chinese mobile: why region must come
    # from the source.
    assert col(table, "sender") == [None if t == "2" else "+8615555215554" for t in sent]
    assert col(table, "recipient") == ["+8615555215554" if t == "2" else None for t in sent]
    assert col(table, "sender_raw")[:3] == [None, None, "15555215554"]


# --- synthetic databases: rejects -------------------------------------------------------------


def test_call_rejects(tmp_path: Path, read_source: Reader) -> None:
    write_db(
        tmp_path / "contacts2.db",
        CALLS_SCHEMA,
        "calls",
        [
            (1, "13800138000", 1457600000000, 30, 1, "", "CN", ""),
            (2, "", 1457600000000, 30, 1, "", "CN", ""),
            (3, "13800138000", "yesterday", 30, 2, "", "CN", ""),
            (4, "13800138000", 99999999999999, 30, 2, "", "CN", ""),
            (5, "13800138000", None, 30, 2, "", "CN", ""),
            (6, "13800138000", 1457600000000, 30, 9, "", "CN", ""),
            (7, "13900139000", 1457600001000, None, 2, "", None, ""),
            (8, "10086", 1457600002000, 0, 5, "", "", ""),
            (9, None, 5, 0, 3, "", "CN", ""),
        ],
    )
    result = read_source(tmp_path, "contacts2.db", "android_calls", owner="13700137000")
    assert rejects_of(result) == [
        (2, "empty_identifier", "number", ""),
        (3, "unparseable_time", "date", "yesterday"),
        (4, "time_out_of_range", "date", "99999999999999"),
        (5, "missing_value", "date", ""),
        (6, "bad_direction", "type", "9"),
        (9, "empty_identifier", "number", ""),
    ]
    table = result.table
    assert col(table, "source_row") == [1, 7, 8]
    assert col(table, "started_at") == [
        utc("2016-03-10 08:53:20"),
        utc("2016-03-10 08:53:21"),
        utc("2016-03-10 08:53:22"),
    ]
    # No countryiso: the source's region (CN) applies; a short code keeps its row, key null.
    assert col(table, "other_number") == ["+8613800138000", "+8613900139000", None]
    assert col(table, "direction") == ["in", "out", "in"]
    assert col(table, "caller") == ["+8613800138000", "+8613700137000", None]
    assert col(table, "caller_raw") == ["13800138000", "13700137000", "10086"]
    assert col(table, "callee") == ["+8613700137000", "+8613900139000", "+8613700137000"]
    assert col(table, "duration_s") == [30, None, 0]
    assert col(table, "answered") == [True, None, False]


def test_sms_rejects(tmp_path: Path, read_source: Reader) -> None:
    write_db(
        tmp_path / "mmssms.db",
        SMS_SCHEMA,
        "sms",
        [
            (1, 4, "13800138000", 1457600000000, 0, 1, 1, "你好"),
            (2, 4, "  ", 1457600000000, 0, 1, 1, "x"),
            (3, 4, "13800138000", "1457600000000.5", 0, 2, 1, "x"),
            (4, 4, "13800138000", 1000, 0, 2, 1, "x"),
            (5, None, "+8613900139000", 1457600003000, 0, 2, 1, None),
        ],
    )
    result = read_source(tmp_path, "mmssms.db", "android_sms")
    assert rejects_of(result) == [
        (2, "empty_identifier", "address", "  "),
        (3, "unparseable_time", "date", "1457600000000.5"),
        (4, "time_out_of_range", "date", "1000"),
    ]
    table = result.table
    assert col(table, "source_row") == [1, 5]
    assert col(table, "sender") == ["+8613800138000", None]
    assert col(table, "recipient") == [None, "+8613900139000"]
    assert col(table, "conversation") == ["4", "+8613900139000"]
    assert col(table, "body") == ["你好", None]


def test_a_skype_database_is_no_android_call_log(samples: Path, read_source: Reader) -> None:
    # SQLite table names ignore case: "calls" finds Skype's Calls, so the columns decide.
    with pytest.raises(SourceError, match=r"not an Android call log \(table calls lacks number"):
        read_source(samples, "plaso/skype_main.db", "android_calls")


# --- sniffing ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("relative", "kind", "expected"),
    [
        ("plaso/contacts2.db", "calls", "android_calls"),
        ("plaso/contacts2.db", None, "android_calls"),
        ("plaso/mmssms.db", "chats", "android_sms"),
        ("plaso/mmssms.db", None, "android_sms"),
        ("plaso/skype_main.db", "calls", "skype_calls"),
        ("plaso/skype_main.db", "chats", "skype_messages"),
    ],
)
def test_samples_sniff(samples: Path, relative: str, kind: str | None, expected: str) -> None:
    assert sniff(samples / relative, relative, kind).format.name == expected


def test_synthetic_databases_sniff(tmp_path: Path) -> None:
    calls = write_db(
        tmp_path / "contacts2.db", CALLS_SCHEMA, "calls", [(1, "1", 1, 1, 1, "", "", "")]
    )
    sms = write_db(tmp_path / "mmssms.db", SMS_SCHEMA, "sms", [(1, 1, "1", 1, 1, 1, 1, "")])
    assert sniff(calls, "contacts2.db").format.name == "android_calls"
    assert sniff(sms, "mmssms.db").format.name == "android_sms"
