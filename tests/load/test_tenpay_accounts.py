"""Tenpay registrations and card bindings: one account row per input row, holders leniently."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
from frames import records

from linkage.load.sniff import sniff

REGISTRATION = [
    "账户状态", "账号", "注册姓名", "注册时间", "注册身份证号", "绑定手机", "绑定状态",
    "开户行信息", "银行账号",
]  # fmt: skip
BINDINGS = [
    "账号", "银行卡号", "银行名称", "证件号", "证件类型", "手机号", "绑定状态", "绑定时间",
    "解绑时间",
]  # fmt: skip
ID_A = "110101199003071233"
ID_B = "440304198512123013"
CARD = "6222021234567890123"


def write_registration(path: Path) -> None:
    book = openpyxl.Workbook()
    cover = book.active
    assert cover is not None
    cover.title = "说明"
    cover.append(["财付通协查反馈"])
    cover.append(["本文件仅供办案使用"])
    sheet = book.create_sheet("注册信息")
    sheet.append(["财付通支付科技有限公司 注册信息"])
    sheet.append(REGISTRATION)
    sheet.append(["正常", "wxid_abc123", "張三", "2018-03-01 10:00:00", ID_A, "13800138000",
                  "已绑定", "中国工商银行", CARD])  # fmt: skip
    sheet.append(["冻结", 1300012345, "李四", "2019-07-02 08:15:00", ID_B[:-1] + "0",
                  13900139000, "未绑定", "", ""])  # fmt: skip
    sheet.append([None] * 9)
    sheet.append(["正常", "", "王五", "2019-07-02 08:15:00", ID_A, "", "", "", ""])
    sheet.append(["正常", 6.22e18, "赵六", "19000101", ID_A, "", "", "", ""])
    book.save(path)


def test_registration_workbook(tmp_path: Path, read_source) -> None:
    write_registration(tmp_path / "注册信息.xlsx")
    result = read_source(tmp_path, "注册信息.xlsx", "tenpay_registration", origin="platform")
    assert (
        records(
            result.table,
            ["account", "holder_name", "holder_id", "holder_id_raw", "phone", "status", "bank"],
        )
        == [
            {
                "account": "wxid_abc123",
                "holder_name": "张三",
                "holder_id": ID_A,
                "holder_id_raw": ID_A,
                "phone": "+8613800138000",
                "status": "正常",
                "bank": "财付通",
            },
            {
                "account": "1300012345",
                "holder_name": "李四",
                "holder_id": None,  # wrong check character: kept raw, flagged by the null
                "holder_id_raw": ID_B[:-1] + "0",
                "phone": "+8613900139000",
                "status": "冻结",
                "bank": "财付通",
            },
        ]
    )
    assert result.table["opened_at"].tolist() == [
        pd.Timestamp("2018-03-01 02:00:00", tz="UTC"),
        pd.Timestamp("2019-07-02 00:15:00", tz="UTC"),
    ]
    assert result.table["closed_at"].isna().all()
    assert records(result.table, ["bound_cards_raw"]) == [
        {"bound_cards_raw": v} for v in (CARD, None)
    ]
    assert result.table["bound_to"].isna().all()
    assert result.table["source_row"].tolist() == [3, 4]
    assert result.table["source_sheet"].unique().tolist() == ["注册信息"]
    rejects = result.rejects[["source_sheet", "source_row", "reason", "column"]]
    assert rejects.astype(object).where(rejects.notna(), None).to_dict("records") == [
        {"source_sheet": "说明", "source_row": 1, "reason": "malformed_row", "column": None},
        {"source_sheet": "说明", "source_row": 2, "reason": "malformed_row", "column": None},
        {"source_sheet": "注册信息", "source_row": 5, "reason": "blank_row", "column": None},
        {"source_sheet": "注册信息", "source_row": 6, "reason": "empty_identifier", "column": "账号"},
        {"source_sheet": "注册信息", "source_row": 7, "reason": "id_mangled", "column": "账号"},
    ]  # fmt: skip


def write_bindings(path: Path) -> None:
    rows = [
        ",".join(BINDINGS),
        f"wxid_abc123,\t{CARD},中国工商银行,{ID_A},身份证,13800138000,已绑定,2018-03-01 10:05:00,",
        f"wxid_abc123,6217 0000 1111 2222 333,中国建设银行,{ID_A.lower()},居民身份证,"
        "+86 139 0013 9000,已解绑,2018-04-01 09:00:00,2019-01-01 12:00:00",
        "1300012345,6226******5669,招商银行,E12345678,护照,,已绑定,2019-07-02 08:20:00,",
        f"1300012345,,招商银行,{ID_B},身份证,,已绑定,2019-07-02 08:20:00,",
        f"1300012345,6228480000000000000,农业银行,{ID_B},身份证,148,已绑定,not a time,--",
    ]
    path.write_bytes(("\r\n".join(rows) + "\r\n").encode("gb18030"))


def test_bindings_csv(tmp_path: Path, read_source) -> None:
    write_bindings(tmp_path / "绑定银行卡.csv")
    result = read_source(tmp_path, "绑定银行卡.csv", "tenpay_bindings", origin="platform")
    assert records(
        result.table, ["account", "holder_name", "holder_id", "bank", "phone", "status"]
    ) == [
        {
            "account": CARD,
            "holder_name": None,
            "holder_id": ID_A,
            "bank": "中国工商银行",
            "phone": "+8613800138000",
            "status": "已绑定",
        },
        {
            "account": "6217000011112222333",
            "holder_name": None,
            "holder_id": ID_A,
            "bank": "中国建设银行",
            "phone": "+8613900139000",
            "status": "已解绑",
        },
        {
            "account": "6228480000000000000",
            "holder_name": None,
            "holder_id": ID_B,
            "bank": "农业银行",
            "phone": None,  # 148 is no phone: kept only in the file
            "status": "已绑定",
        },
    ]
    assert result.table["opened_at"].tolist()[:2] == [
        pd.Timestamp("2018-03-01 02:05:00", tz="UTC"),
        pd.Timestamp("2018-04-01 01:00:00", tz="UTC"),
    ]
    assert pd.isna(result.table["opened_at"].iloc[2])  # unreadable: null, row kept
    closed = result.table["closed_at"].tolist()
    assert pd.isna(closed[0]) and pd.isna(closed[2])
    assert closed[1] == pd.Timestamp("2019-01-01 04:00:00", tz="UTC")
    assert result.table["source_row"].tolist() == [2, 3, 6]
    # Each card names the WeChat Pay account it is bound to.
    assert result.table["bound_to"].tolist() == ["wxid_abc123", "wxid_abc123", "1300012345"]
    assert result.rejects[["source_row", "reason", "column"]].to_dict("records") == [
        {"source_row": 4, "reason": "masked_identifier", "column": "银行卡号"},
        {"source_row": 5, "reason": "empty_identifier", "column": "银行卡号"},
    ]


def test_sniffed_as_tenpay_accounts_only(tmp_path: Path) -> None:
    registration = tmp_path / "注册信息.xlsx"
    write_registration(registration)
    bindings = tmp_path / "绑定银行卡.csv"
    write_bindings(bindings)
    for path, name in ((registration, "tenpay_registration"), (bindings, "tenpay_bindings")):
        assert sniff(path, path.name, "accounts").format.name == name
        assert sniff(path, path.name).format.name == name
