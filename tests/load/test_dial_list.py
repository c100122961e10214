"""Den dial lists (群呼/VoIP): GB18030 CSV and xlsx, with the quirks seized exports have."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pandas as pd

from linkage.load.context import ReadResult
from linkage.load.formats import FORMATS

HEADER = (
    "任务ID,线路号,分机号,主叫号码,被叫号码,开始时间,"
    "应答时间,结束时间,通话时长,呼叫结果,按键,转接分机"
)

Reader = Callable[..., ReadResult]


def utc(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz="UTC")


def col(frame: pd.DataFrame, name: str) -> list[object]:
    """A column as plain Python values, with None for every kind of null."""
    return [None if pd.api.types.is_scalar(v) and pd.isna(v) else v for v in frame[name]]


def rejects_of(result: ReadResult) -> list[tuple[object, ...]]:
    frame = result.rejects
    return list(
        zip(col(frame, "source_row"), col(frame, "reason"), col(frame, "column"), strict=True)
    )


def write_csv(path: Path, lines: list[str]) -> None:
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("gb18030"))


def test_csv_gb18030_in_den_time(tmp_path: Path, read_source: Reader) -> None:
    header = HEADER.replace("分机号", "分机号*").replace("被叫号码", "\t被叫号码")
    write_csv(
        tmp_path / "dial.csv",
        [
            "A窝点 群呼系统 通话记录导出",
            header,
            # line 3: broadcast, answered, forwarded to the second line
            "T001,L01,8001,\t02112345678,\t008613800138000,2016-03-10 09:15:00,"
            "2016-03-10 09:15:05,2016-03-10 09:15:40,35,接通,1,8101",
            # line 4: the forward: same callee, manual
            ",L01,8101,02112345678,8613800138000,2016-03-10 09:15:41,"
            "2016-03-10 09:15:41,2016-03-10 09:20:41,300,接通,,",
            # line 5: IP-dial prefix, busy
            "T001,L02,8002,95555,17951 13700137000,2016-03-10 09:16:00,,,0,忙,,",
            # line 6: a short code: kept, flagged (callee null, raw kept)
            "T001,L02,8002,,10086,2016-03-10 09:17:00,,,0,未接,,",
            # line 7: empty callee
            "T001,L02,8002,02112345678,,2016-03-10 09:18:00,,,0,失败,,",
            # line 8: callee through a spreadsheet float
            "T001,L02,8002,02112345678,1.38001E+10,2016-03-10 09:19:00,,,0,失败,,",
            # line 9: unparseable start
            "T001,L02,8002,02112345678,13900139000,2016-13-45 99:00,,,0,失败,,",
            # line 10: a start after the plausible range
            "T001,L02,8002,02112345678,13900139000,2035-01-01 10:00:00,,,0,失败,,",
            # line 11: blank
            ",,,,,,,,,,,",
        ],
    )
    result = read_source(tmp_path, "dial.csv", "dial_list", timezone="Asia/Jakarta", den="den-a")
    table = result.table
    assert col(table, "source_row") == [3, 4, 5, 6]
    assert table["source_file"].unique().tolist() == ["dial.csv"]
    assert col(table, "callee") == [
        "+8613800138000",
        "+8613800138000",
        "+8613700137000",
        None,
    ]
    assert col(table, "callee_raw") == [
        "008613800138000",
        "8613800138000",
        "17951 13700137000",
        "10086",
    ]
    assert col(table, "caller") == ["+862112345678", "+862112345678", None, None]
    assert col(table, "caller_raw") == ["02112345678", "02112345678", "95555", None]
    assert col(table, "started_at") == [
        utc("2016-03-10 02:15:00"),
        utc("2016-03-10 02:15:41"),
        utc("2016-03-10 02:16:00"),
        utc("2016-03-10 02:17:00"),
    ]
    assert col(table, "duration_s") == [35, 300, 0, 0]
    assert col(table, "answered") == [True, True, False, False]
    assert col(table, "result_raw") == ["接通", "接通", "忙", "未接"]
    assert col(table, "call_type") == ["broadcast", "voice", "broadcast", "broadcast"]
    assert col(table, "task_id") == ["T001", None, "T001", "T001"]
    assert col(table, "line") == ["L01", "L01", "L02", "L02"]
    assert col(table, "extension") == ["8001", "8101", "8002", "8002"]
    assert col(table, "forwarded_to") == ["8101", None, None, None]
    assert col(table, "key_pressed") == ["1", None, None, None]
    assert table["direction"].isna().all()
    assert table["den"].unique().tolist() == ["den-a"]
    assert rejects_of(result) == [
        (7, "empty_identifier", "被叫号码"),
        (8, "id_mangled", "被叫号码"),
        (9, "unparseable_time", "开始时间"),
        (10, "time_out_of_range", "开始时间"),
        (11, "blank_row", None),
    ]
    assert result.rows_read == 9
    assert result.notes == ("dial.csv: 1 preamble lines before the header",)


def test_xlsx_typed_cells(tmp_path: Path, read_source: Reader) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "通话记录"
    sheet.append(["群呼任务导出 2016-03"])
    sheet.append(HEADER.split(","))
    start = dt.datetime(2016, 3, 10, 9, 15)
    sheet.append(
        ["T9", "L1", 8001, "+254712345678", 13800138000, start, None, None, 12, "接通", 2, 8101]
    )
    sheet.append(
        [
            None,
            "L1",
            8003,
            None,
            "\t0712345678",
            "2016-03-10 10:00:00",
            None,
            None,
            0,
            "未接",
            None,
            None,
        ]
    )
    sheet.append(
        ["T9", "L1", 8001, None, 1.38001380001e19, start, None, None, 0, "失败", None, None]
    )
    sheet.append(["T9", "L1", 8001, None, 13800138001, 1e9, None, None, 0, "失败", None, None])
    workbook.save(tmp_path / "dial.xlsx")
    result = read_source(tmp_path, "dial.xlsx", "dial_list", timezone="Africa/Nairobi", region="KE")
    table = result.table
    assert col(table, "source_row") == [3, 4]
    assert table["source_sheet"].unique().tolist() == ["通话记录"]
    # A bare eleven-digit Chinese mobile is not a Kenyan number: flagged, not guessed.
    assert col(table, "callee") == [None, "+254712345678"]
    assert col(table, "callee_raw") == ["13800138000", "0712345678"]
    assert col(table, "caller") == ["+254712345678", None]
    assert col(table, "started_at") == [utc("2016-03-10 06:15:00"), utc("2016-03-10 07:00:00")]
    assert col(table, "extension") == ["8001", "8003"]
    assert col(table, "forwarded_to") == ["8101", None]
    assert col(table, "key_pressed") == ["2", None]
    assert col(table, "answered") == [True, False]
    assert col(table, "call_type") == ["broadcast", "voice"]
    assert rejects_of(result) == [
        (5, "id_mangled", "被叫号码"),
        (6, "unparseable_time", "开始时间"),
    ]
    assert result.rejects["source_sheet"].unique().tolist() == ["通话记录"]


def test_unknown_result_falls_back_to_talk_time(tmp_path: Path, read_source: Reader) -> None:
    write_csv(
        tmp_path / "d.csv",
        [
            HEADER,
            ",L1,8001,,13800138000,2016-03-10 09:15:00,,,20,已挂机,,",
            ",L1,8001,,13800138000,2016-03-10 09:16:00,,,,,,",
        ],
    )
    table = read_source(tmp_path, "d.csv", "dial_list").table
    assert col(table, "answered") == [True, None]
    assert col(table, "result_raw") == ["已挂机", None]


def test_signature_tells_dial_lists_from_carrier_records() -> None:
    words = {w.replace("*", "") for w in HEADER.split(",")}
    assert FORMATS["dial_list"].header.matched(words) is not None  # type: ignore[union-attr]
    assert FORMATS["call_records"].header.matched(words) is None  # type: ignore[union-attr]
