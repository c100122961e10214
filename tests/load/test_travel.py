"""Border crossings: Chinese immigration queries and transcribed foreign records."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pandas as pd

from linkage.load.context import ReadResult

HEADER = (
    "姓名,性别,出生日期,国籍,证件类型,证件号码,"
    "出入境类型,出入境日期,出入境时间,口岸,前往地/出发地,交通工具,航班号"
)

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


def test_immigration_csv(tmp_path: Path, read_source: Reader) -> None:
    lines = [
        "出入境记录查询结果",
        "\t" + HEADER.replace("口岸", "口岸*"),
        # 3: exit just after midnight Beijing: UTC is the day before, the port's day is not
        "張偉,男,1949-12-31,中国,居民身份证,\t11010519491231002x,出境,2016-03-01,00:35,上海浦东,"
        "柬埔寨,飞机,MU1234",
        # 4: entry, no time recorded: the day is still known
        "张伟,男,1949-12-31,中国,居民身份证,11010519491231002X,入境,2016/4/9,,深圳湾,香港,汽车,",
        # 5: a passport that fails our shape check: kept as written
        "李强,男,1980-05-06,中国,护照,E-1234#,出境,2016-03-02,23:10,广州白云,金边,飞机,CZ324",
        # 6: an unreadable time
        "李强,男,1980-05-06,中国,护照,E12345678,入境,2016-04-10,25:99,广州白云,金边,飞机,",
        # 7: a direction immigration does not use
        "李强,男,1980-05-06,中国,护照,E12345678,过境,2016-04-11,10:00,广州白云,金边,飞机,",
        # 8: no document number
        "王芳,女,1985-06-01,中国,居民身份证,,出境,2016-03-03,10:00,昆明,老挝,汽车,",
        # 9: a date before 1990
        "王芳,女,1985-06-01,中国,居民身份证,110105194912310021,出境,1985-03-03,10:00,昆明,"
        "老挝,汽车,",
        # 10: an unreadable date
        "王芳,女,1985-06-01,中国,居民身份证,110105194912310021,出境,三月三日,10:00,昆明,老挝,汽车,",
    ]
    (tmp_path / "crossings.csv").write_bytes("\n".join(lines).encode("gb18030"))
    result = read_source(tmp_path, "crossings.csv", "immigration_records", origin="immigration")
    table = result.table
    assert col(table, "source_row") == [3, 4, 5]
    assert col(table, "person_id") == ["11010519491231002X", "11010519491231002X", "E-1234#"]
    assert col(table, "person_id_raw") == ["11010519491231002x", "11010519491231002X", "E-1234#"]
    assert col(table, "name") == ["张伟", "张伟", "李强"]
    assert col(table, "direction") == ["exit", "entry", "exit"]
    assert col(table, "crossed_at") == [utc("2016-02-29 16:35"), None, utc("2016-03-02 15:10")]
    assert col(table, "crossed_on") == [
        dt.date(2016, 3, 1),
        dt.date(2016, 4, 9),
        dt.date(2016, 3, 2),
    ]
    assert col(table, "port") == ["上海浦东", "深圳湾", "广州白云"]
    assert col(table, "destination") == ["柬埔寨", "香港", "金边"]
    assert col(table, "transport") == ["飞机", "汽车", "飞机"]
    assert col(table, "flight_no") == ["MU1234", None, "CZ324"]
    assert col(table, "country") == ["CN", "CN", "CN"]
    assert col(table, "record_source") == ["immigration"] * 3
    assert col(table, "origin") == ["immigration"] * 3
    assert rejects_of(result) == [
        (6, "unparseable_time", "出入境时间"),
        (7, "bad_direction", "出入境类型"),
        (8, "empty_identifier", "证件号码"),
        (9, "time_out_of_range", "出入境日期"),
        (10, "unparseable_time", "出入境日期"),
    ]


def test_immigration_xlsx_typed_cells(tmp_path: Path, read_source: Reader) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "出入境"
    sheet.append(HEADER.split(","))
    sheet.append(
        [
            "陳志明",
            "男",
            dt.datetime(1970, 1, 2),
            "中国",
            "台湾居民来往大陆通行证",
            12345678,
            "出境",
            dt.datetime(2016, 3, 5),
            dt.time(7, 5),
            "厦门高崎",
            "台北",
            "飞机",
            "MF881",
        ]
    )
    sheet.append(
        [
            "王芳",
            "女",
            None,
            "中国",
            "居民身份证",
            110105194912310029,
            "出境",
            dt.datetime(2016, 3, 5),
            "07:05",
            "昆明",
            "老挝",
            "汽车",
            None,
        ]
    )
    workbook.save(tmp_path / "crossings.xlsx")
    result = read_source(
        tmp_path, "crossings.xlsx", "immigration_records", timezone="Asia/Shanghai"
    )
    table = result.table
    assert col(table, "source_row") == [2]
    assert col(table, "source_sheet") == ["出入境"]
    assert col(table, "person_id") == ["12345678"]
    assert col(table, "crossed_at") == [utc("2016-03-04 23:05")]
    assert col(table, "crossed_on") == [dt.date(2016, 3, 5)]
    assert rejects_of(result) == [(3, "id_mangled", "证件号码")]


def test_transcribed_foreign_records(tmp_path: Path, read_source: Reader) -> None:
    lines = [
        "name,passport_no,nationality,country,direction,date,source",
        "WANG Wei,e1234 5678,CHN,KH,entry,2016-03-02,passport",
        "WANG Wei,E12345678,CHN,KH,Exit,2016/4/8,foreign_police",
        "LI Qiang,,CHN,KH,entry,2016-03-02,passport",
        "LI Qiang,1.23457E+08,CHN,KH,entry,2016-03-02,passport",
        "LI Qiang,G87654321,CHN,KH,arrival,2016-03-02,passport",
        "LI Qiang,G87654321,CHN,KH,entry,2 March,passport",
        "LI Qiang,G8765#,CHN,KH,exit,2016-04-01,passport",
    ]
    (tmp_path / "stamps.csv").write_text("\n".join(lines), encoding="utf-8")
    result = read_source(
        tmp_path, "stamps.csv", "travel_transcribed", origin="police", timezone="Asia/Phnom_Penh"
    )
    table = result.table
    assert col(table, "source_row") == [2, 3, 8]
    assert col(table, "person_id") == ["E12345678", "E12345678", "G8765#"]
    assert col(table, "person_id_raw") == ["e1234 5678", "E12345678", "G8765#"]
    assert col(table, "name") == ["WANGWei", "WANGWei", "LIQiang"]
    assert col(table, "direction") == ["entry", "exit", "exit"]
    assert col(table, "crossed_at") == [None, None, None]
    assert col(table, "crossed_on") == [
        dt.date(2016, 3, 2),
        dt.date(2016, 4, 8),
        dt.date(2016, 4, 1),
    ]
    assert col(table, "country") == ["KH", "KH", "KH"]
    assert col(table, "record_source") == ["passport", "foreign_police", "passport"]
    assert col(table, "origin") == ["police"] * 3
    assert rejects_of(result) == [
        (4, "empty_identifier", "passport_no"),
        (5, "id_mangled", "passport_no"),
        (6, "bad_direction", "direction"),
        (7, "unparseable_time", "date"),
    ]
