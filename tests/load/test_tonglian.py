"""通联 forms: calls and texts of one number in one table, directions from 通联类型."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from linkage.load.sniff import sniff

UTC = dt.UTC

HEADER = "通联类型,本端号码,对端号码,通话开始/短信发送时间,通话结束时间,通话时长（秒）,本端号码通联位置,对端号码通联位置,本端卡号,本端机身码,本端号码归属地,对端号码归属地,本端运营商,LAC,CI,经度,纬度,短信内容\n"
FORM = HEADER + (
    "主叫,13912345678,13800138000,2019-07-01 09:00:00,2019-07-01 09:02:00,120,广东深圳,广东广州,460001234567890,861234567890123,广东深圳,广东广州,中国移动,9527,0,114.05,22.54,\n"
    "被叫,13912345678,+86 138 0013 8000,2019-07-01 10:00:00,2019-07-01 10:00:00,0,广东深圳,,460001234567890,861234567890123,广东深圳,,中国移动,9527,12345,,,\n"
    "接收短信,13912345678,95555,2019-07-01 11:00:00,,,广东深圳,,460001234567890,861234567890123,广东深圳,,中国移动,9527,12345,,,【某银行】您的验证码是123456\n"
    '发送短信,13912345678,13800138000,2019-07-01 11:05:00,,,广东深圳,,,,,,,,,,,"好的,马上转"\n'
    "彩铃,13912345678,13800138000,2019-07-01 12:00:00,,5,,,,,,,,,,,,\n"
    ",13912345678,13800138000,2019-07-01 12:10:00,,5,,,,,,,,,,,,\n"
    "主叫,13912345678,13800138000,2019/07/01 25:00,,5,,,,,,,,,,,,\n"
    "主叫,,13800138000,2019-07-01 12:30:00,,5,,,,,,,,,,,,\n"
)


def test_tonglian_form_calls_and_sms(tmp_path: Path, read_source) -> None:
    (tmp_path / "tl.csv").write_bytes(FORM.encode("gb18030"))
    result = read_source(tmp_path, "tl.csv", "tonglian", origin="police")
    calls = result.table
    assert calls["source_row"].tolist() == [2, 3, 4, 5]
    assert calls["direction"].tolist() == ["out", "in", "in", "out"]
    assert calls["call_type"].tolist() == ["voice", "voice", "sms", "sms"]
    assert calls["caller"].tolist() == [
        "+8613912345678",
        "+8613800138000",
        pd.NA,  # 95555 short code: not a phone, kept raw
        "+8613912345678",
    ]
    assert calls["caller_raw"].iloc[2] == "95555"
    assert calls["callee"].tolist() == [
        "+8613800138000",
        "+8613912345678",
        "+8613912345678",
        "+8613800138000",
    ]
    assert calls["own_number"].unique().tolist() == ["+8613912345678"]
    assert calls["started_at"].iloc[0] == pd.Timestamp("2019-07-01 01:00:00", tz=UTC)
    assert calls["duration_s"].iloc[0] == 120 and calls["duration_s"].iloc[1] == 0
    assert pd.isna(calls["duration_s"].iloc[2])
    assert calls["answered"].tolist()[:2] == [True, False]
    assert calls["answered"].iloc[2:].isna().all()  # texts are not answered or missed
    assert calls["body"].iloc[2] == "【某银行】您的验证码是123456"
    assert calls["body"].iloc[3] == "好的,马上转"
    first = calls.iloc[0]
    assert (first["lac"], first["imsi"], first["imei"]) == (
        "9527",
        "460001234567890",
        "861234567890123",
    )
    assert pd.isna(first["ci"])  # 0 = unknown
    assert first["place"] == "广东深圳" and first["result_raw"] == "主叫"
    rejects = result.rejects[["source_row", "reason", "column", "value"]].to_dict("records")
    assert rejects == [
        {"source_row": 6, "reason": "bad_direction", "column": "通联类型", "value": "彩铃"},
        {"source_row": 7, "reason": "missing_value", "column": "通联类型", "value": ""},
        {
            "source_row": 8,
            "reason": "unparseable_time",
            "column": "通话开始/短信发送时间",
            "value": "2019/07/01 25:00",
        },
        {"source_row": 9, "reason": "empty_identifier", "column": "本端号码", "value": ""},
    ]


def test_sniffed_as_tonglian_only(tmp_path: Path) -> None:
    path = tmp_path / "tl.csv"
    path.write_bytes(FORM.encode("gb18030"))
    assert sniff(path, "tl.csv", "calls").format.name == "tonglian"
    assert sniff(path, "tl.csv").format.name == "tonglian"
