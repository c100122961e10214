"""Carrier and police-platform call records: every alias, the platform's quirks, exact rows."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pandas as pd

from linkage.load.readers.call_records import classify_direction

UTC = dt.UTC

PLATFORM = (
    "己方号码*,截获时间*,呼叫类型*,对方号码*,己方位置区*,己方小区*,己方卡号*,己方机身码*,时长*,己方姓名*,对方姓名*\n"
    "\t13912345678,\t2016-03-10 10:00:05,\t被叫,\t+254 20 1234567,\t0,\t0,\t460001234567890,\t861234567890123,\t1180,\t张三,\t\n"
    "\t13912345678,\t2016-03-10 11:02:00,\t主叫,\t95555,\t1234,\t5678,\t460001234567890,\t861234567890123,\t35,\t张三,\t\n"
    "\t13912345678,\t2016-03-10 12:00:00,\t短信被叫,\t1069012345,\t1234,\t5678,\t,\t,\t0,\t张三,\t\n"
    "\t13912345678,\t2016-13-10 12:00:00,\t主叫,\t13800138000,\t,\t,\t,\t,\t3,\t,\t\n"
    "\t13912345678,\t2016-03-10 12:30:00,\t彩铃,\t13800138000,\t,\t,\t,\t,\t3,\t,\t\n"
    "\t,\t2016-03-10 12:40:00,\t主叫,\t13800138000,\t,\t,\t,\t,\t3,\t,\t\n"
    "\n"
)


def test_police_platform_export_in_gbk(tmp_path: Path, read_source) -> None:
    (tmp_path / "v1.csv").write_bytes(PLATFORM.encode("gbk"))
    result = read_source(tmp_path, "v1.csv", "call_records", origin="telecom")
    calls = result.table
    assert calls["source_row"].tolist() == [2, 3, 4]
    first = calls.iloc[0]
    assert first["caller"] == "+254201234567"  # the other party called the own number
    assert first["callee"] == "+8613912345678"
    assert first["own_number"] == "+8613912345678"
    assert first["other_number"] == "+254201234567"
    assert first["direction"] == "in" and first["call_type"] == "voice"
    assert first["started_at"] == pd.Timestamp("2016-03-10 02:00:05", tz=UTC)
    assert first["duration_s"] == 1180 and bool(first["answered"])
    assert pd.isna(first["lac"]) and pd.isna(first["ci"])  # 0 means unknown on the platform
    assert first["imsi"] == "460001234567890" and first["imei"] == "861234567890123"
    second = calls.iloc[1]
    # A short code is kept raw and flagged (null normalized), never guessed.
    assert second["direction"] == "out" and second["caller"] == "+8613912345678"
    assert pd.isna(second["callee"]) and second["callee_raw"] == "95555"
    assert (second["lac"], second["ci"]) == ("1234", "5678")
    assert calls.iloc[2]["call_type"] == "sms" and calls.iloc[2]["direction"] == "in"
    rejects = result.rejects[["source_row", "reason", "column"]].to_dict("records")
    assert rejects == [
        {"source_row": 5, "reason": "unparseable_time", "column": "截获时间"},
        {"source_row": 6, "reason": "bad_direction", "column": "呼叫类型"},
        {"source_row": 7, "reason": "empty_identifier", "column": "己方号码"},
        {"source_row": 8, "reason": "blank_row", "column": None},
    ]
    assert result.rejects.iloc[0]["value"] == "2016-13-10 12:00:00"


def test_carrier_aliases_with_split_date_and_time_in_xlsx(tmp_path: Path, read_source) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "话单"
    sheet.append(
        ["用户号码", "对方号码", "通话日期", "通话时间", "通信方式", "通话时长（s）", "基站"]
    )
    sheet.append([13912345678, "008613800138000", "20160310", "214951", "主叫", 61, "1234"])
    sheet.append(
        [13912345678, "17951 13800138000", dt.date(2016, 3, 11), "08:05:00", "被叫", "0", ""]
    )
    book.save(tmp_path / "carrier.xlsx")
    result = read_source(tmp_path, "carrier.xlsx", "call_records", origin="telecom")
    calls = result.table
    assert calls["started_at"].tolist() == [
        pd.Timestamp("2016-03-10 13:49:51", tz=UTC),
        pd.Timestamp("2016-03-11 00:05:00", tz=UTC),
    ]
    assert calls["other_number"].tolist() == ["+8613800138000", "+8613800138000"]
    assert calls["caller"].tolist() == ["+8613912345678", "+8613800138000"]
    assert calls["answered"].tolist() == [True, False]
    assert calls["source_sheet"].tolist() == ["话单", "话单"]
    assert calls["source_row"].tolist() == [2, 3]
    assert result.rejects.empty


def test_numbers_without_country_code_follow_the_source_region(tmp_path: Path, read_source) -> None:
    text = "本机号码,对方号码,开始时间,呼叫类型\n5404561685,15555215554,2013-11-06 21:17:16,主叫\n"
    (tmp_path / "us.csv").write_text(text, encoding="utf-8")
    calls = read_source(tmp_path, "us.csv", "call_records", region="US", timezone="UTC").table
    assert calls.iloc[0]["caller"] == "+15404561685"
    # 555-01xx-style fiction is not a valid US number: flagged (null), never read as a
    # Chinese mobile +8615555215554, which it would be under region CN.
    assert pd.isna(calls.iloc[0]["callee"]) and calls.iloc[0]["callee_raw"] == "15555215554"


def test_direction_words() -> None:
    assert classify_direction("呼出") == ("out", "voice")
    assert classify_direction("MT") == ("in", "voice")
    assert classify_direction("短信主叫") == ("out", "sms")


def test_a_date_cell_with_its_own_time_keeps_it(tmp_path: Path, read_source) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["本机号码", "对方号码", "通话日期", "通话时间", "呼叫类型"])
    sheet.append(["13912345678", "13800138000", dt.datetime(2016, 3, 10, 14, 30), None, "主叫"])
    sheet.append(
        ["13912345678", "13800138000", dt.datetime(2016, 3, 10, 14, 30), "15:00:00", "主叫"]
    )
    book.save(tmp_path / "dated.xlsx")
    result = read_source(tmp_path, "dated.xlsx", "call_records", origin="telecom")
    assert result.table["started_at"].tolist() == [pd.Timestamp("2016-03-10 06:30", tz=UTC)]
    assert result.rejects[["source_row", "reason"]].values.tolist() == [[3, "unparseable_time"]]


def test_without_a_direction_column_caller_and_callee_are_not_guessed(
    tmp_path: Path, read_source
) -> None:
    text = "本机号码,对方号码,开始时间\n13912345678,13800138000,2016-03-10 10:00:00\n"
    (tmp_path / "plain.csv").write_text(text, encoding="utf-8")
    calls = read_source(tmp_path, "plain.csv", "call_records", origin="telecom").table
    assert calls["own_number"].tolist() == ["+8613912345678"]
    assert calls["other_number"].tolist() == ["+8613800138000"]
    assert calls["caller"].isna().all() and calls["callee"].isna().all()
    assert calls["direction"].isna().all()
