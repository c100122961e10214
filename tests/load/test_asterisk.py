"""Asterisk Master.csv: headerless CDR lines, 16 or 18 fields, every line accounted for."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from linkage.load.readers.asterisk import looks_like_master_csv
from linkage.load.sniff import sniff

UTC = dt.UTC

MASTER = (
    '"","1001","13800138000","from-internal","""Op 1"" <1001>","SIP/1001-00000001","SIP/trunk-00000002","Dial","SIP/trunk/13800138000,60,tT","2016-03-10 10:00:05","2016-03-10 10:00:12","2016-03-10 10:05:12",307,300,"ANSWERED","DOCUMENTATION","1457575205.1",""\n'
    '"","1002","0086 139 1234 5678","from-internal","""Op 2"" <1002>","SIP/1002-00000003","","Dial","SIP/trunk/008613912345678,60","2016-03-10 10:01:00","","2016-03-10 10:01:30",30,0,"NO ANSWER","DOCUMENTATION"\n'
    '"","1001","95555","from-internal","","SIP/1001-00000004","SIP/trunk-00000005","Dial","SIP/trunk/95555","2016-03-10 10:02:00","","2016-03-10 10:02:03",3,0,"BUSY","DOCUMENTATION"\n'
    '"","1001","13800138000","from-internal","","SIP/1001-00000006","","Dial","","2016-13-10 10:03:00","","",0,0,"FAILED","DOCUMENTATION"\n'
    '"","1001","13800138000","from-internal","SIP/1001"\n'
    "\n"
    '"","1001","","from-internal","","SIP/1001-00000007","","Hangup","","2016-03-10 10:04:00","","2016-03-10 10:04:00",0,0,"FAILED","DOCUMENTATION"\n'
    '"","1001","13800138000","from-internal","","SIP/1001-00000008","","Dial","","2016-03-10 10:05:00","","2016-03-10 10:05:09",9,"abc","ANSWERED","DOCUMENTATION"\n'
    '"","s","+62 812 3456 7890","from-trunk","","SIP/trunk-00000009","","Dial","","2016-03-10 10:06:00","","2016-03-10 10:06:05",5,0,"CONGESTION","DOCUMENTATION"\n'
)


def test_master_csv_rows_and_rejects(tmp_path: Path, read_source) -> None:
    (tmp_path / "Master.csv").write_text(MASTER, encoding="utf-8")
    result = read_source(tmp_path, "Master.csv", "asterisk_cdr", timezone="Asia/Jakarta")
    calls = result.table
    assert result.rows_read == 9
    assert calls["source_row"].tolist() == [1, 2, 3, 9]
    first = calls.iloc[0]
    assert first["caller"] is None or pd.isna(first["caller"])  # extension 1001: kept raw
    assert first["caller_raw"] == "1001"
    assert first["callee"] == "+8613800138000"
    assert first["started_at"] == pd.Timestamp("2016-03-10 03:00:05", tz=UTC)  # WIB = UTC+7
    assert first["duration_s"] == 300  # billsec, not the 307 s including ringing
    assert bool(first["answered"]) and first["result_raw"] == "ANSWERED"
    assert first["line"] == "SIP/1001-00000001"
    assert first["call_type"] == "voice" and pd.isna(first["direction"])
    assert calls["callee"].tolist()[1] == "+8613912345678"
    assert calls["answered"].tolist() == [True, False, False, False]
    third = calls.iloc[2]
    assert pd.isna(third["callee"]) and third["callee_raw"] == "95555"
    last = calls.iloc[3]
    assert last["caller_raw"] == "s" and pd.isna(last["caller"])
    assert last["callee"] == "+6281234567890" and last["result_raw"] == "CONGESTION"
    rejects = result.rejects[["source_row", "reason", "column", "value"]].to_dict("records")
    assert rejects == [
        {
            "source_row": 4,
            "reason": "unparseable_time",
            "column": "start",
            "value": "2016-13-10 10:03:00",
        },
        {
            "source_row": 5,
            "reason": "malformed_row",
            "column": None,
            "value": ",1001,13800138000,from-internal,SIP/1001",
        },
        {"source_row": 6, "reason": "blank_row", "column": None, "value": ""},
        {"source_row": 7, "reason": "empty_identifier", "column": "dst", "value": ""},
        {"source_row": 8, "reason": "not_a_number", "column": "billsec", "value": "abc"},
    ]


def test_undecodable_line_is_rejected_not_dropped(tmp_path: Path, read_source) -> None:
    good = MASTER.splitlines(keepends=True)[0].encode("utf-8")
    damaged = good.replace(b"Op 1", b"Op \xff")
    (tmp_path / "Master.csv").write_bytes(good + damaged + good)
    result = read_source(tmp_path, "Master.csv", "asterisk_cdr")
    assert result.table["source_row"].tolist() == [1, 3]
    assert result.rejects[["source_row", "reason"]].to_dict("records") == [
        {"source_row": 2, "reason": "undecodable_row"}
    ]


def test_sniffed_by_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "Master.csv"
    path.write_text(MASTER, encoding="utf-8")
    assert sniff(path, "Master.csv", "calls").format.name == "asterisk_cdr"
    assert sniff(path, "Master.csv").format.name == "asterisk_cdr"


def test_row_test_wants_the_first_row_and_most_rows() -> None:
    rows = [line.split(",") for line in ["a,b,c"] * 3]
    assert not looks_like_master_csv(rows)
    assert not looks_like_master_csv([])
