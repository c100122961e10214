"""The suspects' roster: IDs, multi-value cells, roles, and no suspect lost to a clerical slip."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pandas as pd

from linkage.load.context import ReadResult

HEADER = (
    "序号,姓名,性别,证件类型,证件号码,出生日期,国籍,"
    "手机号码,Skype账号,微信号,QQ号,窝点,分机号,角色,备注"
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


def test_csv_roster(tmp_path: Path, read_source: Reader) -> None:
    header = HEADER.replace("姓名", "姓名*").replace("证件号码", "\t证件号码*")
    lines = [
        "柬埔寨西港窝点人员名单（截至2016-04-08）",
        header,
        # 3: traditional name, resident ID with lower-case x, several phones and handles
        '1,張偉,男,居民身份证,\t11010519491231002x,1949-12-31,中国,"138 0013 8000；13900139000",'
        "Live:Zhang.Wei、zw_2016,wxid_ABC,123456789/987654321,den-a,8001/8002,一线,话务员",
        # 4: passport, organiser, junk in the phone cell is left out
        "2,李强,男,护照,e1234 5678,1980/5/6,中国,10086;+855 12 345 678,,,,den-a,,组织者,",
        # 5: a resident ID with a wrong check character: kept as written, flagged in note
        "3,王芳,女,居民身份证,110105194912310021,1985年6月1日,中国,13700137000,,,,den-b,8101,取款,",
        # 6: no ID at all
        "4,赵六,男,居民身份证,,1990-01-01,中国,13600136000,,,,den-b,8102,二线,",
        # 7: Taiwan permit, role not noted, unreadable birth date
        "5,陳志明,男,台湾居民来往大陆通行证,12345678,不详,中国台湾,0912345678,,,,den-b,,,",
        # 8: role words mapped, no document type given
        "6,孙七,男,,11010519491231002X,,中国,,,,,den-c,8201,技术(后勤),",
        # 9: an ID a spreadsheet wrote in scientific notation: no key, flagged, kept
        "7,周八,男,居民身份证,1.10105E+17,,中国,,,,,den-c,,,",
    ]
    (tmp_path / "roster.csv").write_bytes("\n".join(lines).encode("gb18030"))
    result = read_source(tmp_path, "roster.csv", "roster")
    table = result.table
    assert col(table, "source_row") == [3, 4, 5, 7, 8, 9]
    assert col(table, "person_id") == [
        "11010519491231002X",
        "E12345678",
        "110105194912310021",
        "12345678",
        "11010519491231002X",
        None,
    ]
    assert col(table, "person_id_raw") == [
        "11010519491231002x",
        "e1234 5678",
        "110105194912310021",
        "12345678",
        "11010519491231002X",
        "1.10105E+17",
    ]
    assert col(table, "id_type") == [
        "resident_id",
        "passport",
        "resident_id",
        "permit",
        "resident_id",
        "resident_id",
    ]
    assert col(table, "name") == ["张伟", "李强", "王芳", "陈志明", "孙七", "周八"]
    assert col(table, "name_raw") == ["張偉", "李强", "王芳", "陳志明", "孙七", "周八"]
    assert col(table, "gender") == ["male", "male", "female", "male", "male", "male"]
    assert col(table, "birth_date") == [
        dt.date(1949, 12, 31),
        dt.date(1980, 5, 6),
        dt.date(1985, 6, 1),
        None,
        None,
        None,
    ]
    assert lists(table, "phones") == [
        ["+8613800138000", "+8613900139000"],
        ["+85512345678"],
        ["+8613700137000"],
        [],
        [],
        [],
    ]
    assert lists(table, "skype") == [["live:zhang.wei", "zw_2016"], [], [], [], [], []]
    assert lists(table, "wechat") == [["wxid_abc"], [], [], [], [], []]
    assert lists(table, "qq") == [["123456789", "987654321"], [], [], [], [], []]
    assert lists(table, "extensions") == [["8001", "8002"], [], ["8101"], [], ["8201"], []]
    assert col(table, "den") == ["den-a", "den-a", "den-b", "den-b", "den-c", "den-c"]
    assert col(table, "role_noted") == ["一线", "组织者", "取款", None, "技术(后勤)", None]
    assert col(table, "role") == [
        "first_line",
        "organiser",
        "money_mule",
        "unknown",
        "support",
        "unknown",
    ]
    assert col(table, "note") == [
        "话务员",
        None,
        "证件号码 kept as written: not a valid resident id",
        None,
        None,
        "证件号码 was stored as a number and lost its digits",
    ]
    assert rejects_of(result) == [(6, "empty_identifier", "证件号码")]


def test_xlsx_roster_typed_cells(tmp_path: Path, read_source: Reader) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "名单"
    sheet.append(HEADER.split(","))
    sheet.append(
        [
            1,
            "張偉",
            "男",
            "居民身份证",
            "11010519491231002X",
            dt.datetime(1949, 12, 31),
            "中国",
            13800138000,
            None,
            None,
            123456789,
            "den-a",
            8001,
            "三线",
            None,
        ]
    )
    # An 18-digit ID typed as a number: the digits are gone, the suspect stays, flagged.
    sheet.append(
        [
            2,
            "李强",
            "男",
            "居民身份证",
            110105194912310029,
            None,
            "中国",
            None,
            None,
            None,
            None,
            "den-a",
            8002,
            "二线",
            "主管",
        ]
    )
    sheet.append(
        [3, None, None, None, None, None, None, None, None, None, None, None, None, None, None]
    )
    workbook.save(tmp_path / "roster.xlsx")
    result = read_source(tmp_path, "roster.xlsx", "roster")
    table = result.table
    assert col(table, "source_row") == [2, 3]
    assert col(table, "source_sheet") == ["名单", "名单"]
    assert col(table, "person_id") == ["11010519491231002X", None]
    assert col(table, "person_id_raw") == ["11010519491231002X", "1.1010519491231e+17"]
    assert col(table, "birth_date") == [dt.date(1949, 12, 31), None]
    assert lists(table, "phones") == [["+8613800138000"], []]
    assert lists(table, "qq") == [["123456789"], []]
    assert lists(table, "extensions") == [["8001"], ["8002"]]
    assert col(table, "role") == ["third_line", "second_line"]
    assert col(table, "note") == [None, "主管; 证件号码 was stored as a number and lost its digits"]
    assert rejects_of(result) == [(4, "empty_identifier", "证件号码")]
