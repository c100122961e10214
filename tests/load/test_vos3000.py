"""VOS3000 CDR exports: clock-style talk times, spoofed caller ids, exact rows and rejects."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from linkage.load.sniff import sniff

UTC = dt.UTC

CDR = (
    "主叫号码,被叫号码,开始时间,结束时间,通话时长,主叫经由网关\n"
    "13800138000,008613912345678,2021-05-01 12:00:00,2021-05-01 12:01:05,00:01:05,GW-PH-01\n"
    "+1 202 555 0143,95555,2021-05-01 12:02:00,2021-05-01 12:02:00,00:00:00,GW-PH-01\n"
    "13800138000,13912345678,2021-05-32 12:03:00,2021-05-01 12:03:10,00:00:10,GW-PH-01\n"
    "13800138000,13912345678,2021-05-01 12:04:00,2021-05-01 12:04:10,1:5,GW-PH-01\n"
    "13800138000,,2021-05-01 12:05:00,2021-05-01 12:05:10,00:00:10,GW-PH-01\n"
    "13800138000,1.39123E+10,2021-05-01 12:06:00,2021-05-01 12:06:10,00:00:10,GW-PH-01\n"
    ",17951 13912345678,2021-05-01 12:07:00,2021-05-01 12:08:00,75,GW-PH-02\n"
)


def test_vos3000_rows_and_rejects(tmp_path: Path, read_source) -> None:
    (tmp_path / "cdr.csv").write_bytes(CDR.encode("gb18030"))
    result = read_source(tmp_path, "cdr.csv", "vos3000", origin="telecom")
    calls = result.table
    assert calls["source_row"].tolist() == [2, 3, 8]
    assert calls["caller"].tolist()[:2] == ["+8613800138000", "+12025550143"]
    assert pd.isna(calls["caller"].iloc[2]) and pd.isna(calls["caller_raw"].iloc[2])
    assert calls["callee"].iloc[0] == "+8613912345678"
    assert pd.isna(calls["callee"].iloc[1]) and calls["callee_raw"].iloc[1] == "95555"
    assert calls["callee"].iloc[2] == "+8613912345678"  # 17951 IP-dial prefix
    assert calls["duration_s"].tolist() == [65, 0, 75]
    assert calls["answered"].tolist() == [True, False, True]
    assert calls["started_at"].iloc[0] == pd.Timestamp("2021-05-01 04:00:00", tz=UTC)
    assert calls["direction"].isna().all() and (calls["call_type"] == "voice").all()
    rejects = result.rejects[["source_row", "reason", "column", "value"]].to_dict("records")
    assert rejects == [
        {
            "source_row": 4,
            "reason": "unparseable_time",
            "column": "开始时间",
            "value": "2021-05-32 12:03:00",
        },
        {"source_row": 5, "reason": "not_a_number", "column": "通话时长", "value": "1:5"},
        {"source_row": 6, "reason": "empty_identifier", "column": "被叫号码", "value": ""},
        {"source_row": 7, "reason": "id_mangled", "column": "被叫号码", "value": "1.39123E+10"},
    ]


def test_sniffed_as_vos3000_only(tmp_path: Path) -> None:
    path = tmp_path / "cdr.csv"
    path.write_bytes(CDR.encode("gb18030"))
    assert sniff(path, "cdr.csv", "calls").format.name == "vos3000"
    assert sniff(path, "cdr.csv").format.name == "vos3000"


def test_a_carrier_record_with_a_direction_flag_is_not_vos3000(tmp_path: Path) -> None:
    path = tmp_path / "carrier.csv"
    header = "主叫号码,被叫号码,开始时间,结束时间,通话时长,呼叫类型\n"
    row = "13800138000,13912345678,2021-05-01 12:00:00,2021-05-01 12:00:30,30,被叫\n"
    path.write_bytes((header + row).encode("gb18030"))
    assert sniff(path, "carrier.csv").format.name == "call_records"


def test_dial_list_is_not_vos3000(tmp_path: Path) -> None:
    path = tmp_path / "dial.csv"
    header = "任务ID,线路号,分机号,主叫号码,被叫号码,开始时间,应答时间,结束时间,通话时长,呼叫结果,按键,转接分机\n"
    row = "T1,L1,8001,13800138000,13912345678,2021-05-01 12:00:00,,2021-05-01 12:00:30,0,未接,,\n"
    path.write_bytes((header + row).encode("gb18030"))
    assert sniff(path, "dial.csv", "calls").format.name == "dial_list"
