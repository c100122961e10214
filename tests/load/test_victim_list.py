"""The case officers' victim list: no victim dropped for a bad ID or phone."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pandas as pd

from linkage.load.context import ReadResult

HEADER = (
    "序号,被害人姓名,身份证号码,联系电话,报案时间,"
    "报案地点,被骗金额（元）,被害人账号,收款账号,首次被骗时间,被骗经过"
)

Reader = Callable[..., ReadResult]


def col(frame: pd.DataFrame, name: str) -> list[object]:
    """A column as plain Python values, with None for every kind of null."""
    return [None if pd.api.types.is_scalar(v) and pd.isna(v) else v for v in frame[name]]


def lists(frame: pd.DataFrame, name: str) -> list[list[str]]:
    return [list(v) for v in frame[name]]


def rejects_of(result: ReadResult) -> list[tuple[object, ...]]:
    frame = result.rejects
    return list(
        zip(col(frame, "source_row"), col(frame, "reason"), col(frame, "column"), strict=True)
    )


def utc(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz="UTC")


def test_csv_victim_list(tmp_path: Path, read_source: Reader) -> None:
    lines = [
        "“3·10”专案被害人名单",
        HEADER.replace("被害人姓名", "被害人姓名*"),
        # 3: everything present; a masked payee account is left out of the list
        '1,李娜,\t11010519491231002x,\t13800138000,2016-03-15 10:30,上海市浦东分局,"150,000.00",'
        '"6222021234567890123;6222 0212 3456 7890 124","6222****1234；6217001234567890",'
        "2016-03-10 09:00,冒充公检法",
        # 4: an invalid ID and a short code as phone: kept, flagged
        "2,陳小明,110105194912310021,10086,2016-03-16 08:00,杭州市西湖分局,5000,,,,",
        # 5: nobody: rejected
        "3,,,,2016-03-16 09:00,杭州市西湖分局,100,,,,只有经过",
        # 6: only a phone: kept; an unreadable report time is left null
        "4,,,13900139000,昨天下午,,,,,,",
        # 7: report time after the plausible range
        "5,王五,,13700137000,2035-01-01 10:00,,,,,,",
    ]
    (tmp_path / "victims.csv").write_bytes("\n".join(lines).encode("gb18030"))
    result = read_source(tmp_path, "victims.csv", "victim_list", timezone="Asia/Shanghai")
    table = result.table
    assert col(table, "source_row") == [3, 4, 6]
    assert col(table, "name") == ["李娜", "陈小明", None]
    assert col(table, "name_raw") == ["李娜", "陳小明", None]
    assert col(table, "id_number") == ["11010519491231002X", None, None]
    assert col(table, "id_number_raw") == ["11010519491231002x", "110105194912310021", None]
    assert col(table, "phone") == ["+8613800138000", None, "+8613900139000"]
    assert col(table, "phone_raw") == ["13800138000", "10086", "13900139000"]
    assert lists(table, "accounts") == [["6222021234567890123", "6222021234567890124"], [], []]
    assert lists(table, "payee_accounts") == [["6217001234567890"], [], []]
    assert col(table, "reported_at") == [utc("2016-03-15 02:30"), utc("2016-03-16 00:00"), None]
    assert col(table, "report_place") == ["上海市浦东分局", "杭州市西湖分局", None]
    assert col(table, "reported_loss_fen") == [15_000_000, 500_000, None]
    assert col(table, "first_defrauded_at") == [utc("2016-03-10 01:00"), None, None]
    assert col(table, "narrative") == ["冒充公检法", None, None]
    assert rejects_of(result) == [
        (5, "empty_identifier", None),
        (7, "time_out_of_range", "报案时间"),
    ]


def test_xlsx_victim_list_beijing_time(tmp_path: Path, read_source: Reader) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "被害人"
    sheet.append(HEADER.split(","))
    sheet.append(
        [
            1,
            "張三",
            110105194912310029,
            13800138000,
            dt.datetime(2016, 3, 15, 10, 30),
            "北京市朝阳分局",
            150000,
            6222021234567890123,
            None,
            None,
            None,
        ]
    )
    sheet.append(
        [
            2,
            "李四",
            "11010519491231002X",
            "0086 139 0013 9000",
            "2016-03-15 11:00",
            None,
            2600.5,
            "6222021234567890123",
            None,
            dt.datetime(2016, 3, 1, 20, 0),
            None,
        ]
    )
    workbook.save(tmp_path / "victims.xlsx")
    # No zone on the source: the list is the police's, in Beijing time.
    result = read_source(tmp_path, "victims.xlsx", "victim_list", timezone="Asia/Shanghai")
    table = result.table
    assert col(table, "source_row") == [2, 3]
    assert col(table, "source_sheet") == ["被害人", "被害人"]
    assert col(table, "name") == ["张三", "李四"]
    # An 18-digit ID typed as a number has lost its digits: flagged, victim kept.
    assert col(table, "id_number") == [None, "11010519491231002X"]
    assert col(table, "id_number_raw") == ["1.1010519491231e+17", "11010519491231002X"]
    assert col(table, "phone") == ["+8613800138000", "+8613900139000"]
    assert col(table, "phone_raw") == ["13800138000", "0086 139 0013 9000"]
    # A 19-digit card typed as a number is left out of the list, never repaired.
    assert lists(table, "accounts") == [[], ["6222021234567890123"]]
    assert col(table, "reported_at") == [utc("2016-03-15 02:30"), utc("2016-03-15 03:00")]
    assert col(table, "first_defrauded_at") == [None, utc("2016-03-01 12:00")]
    assert col(table, "reported_loss_fen") == [15_000_000, 260_050]
    assert rejects_of(result) == []
