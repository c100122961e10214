"""Alipay 注册信息: one account per 2088 user id, holders read by their document type."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from frames import records

from linkage.load.sniff import sniff

HEADER = [
    "用户ID", "登录邮箱", "登录手机", "账户名称", "证件类型", "证件号", "可用余额", "绑定手机",
    "绑定银行卡", "关联账户", "对应的协查数据",
]  # fmt: skip
USER = "2088000000000001"
ID_A = "110101199003071233"


def write_csv(path: Path) -> None:
    rows = [
        ",".join(HEADER),
        f"{USER}\t,zhang@example.com,13800138000,张三,身份证,{ID_A},12.50,13800138001,"
        f"6222021234567890123,,{USER}",
        f'2088000000000002,,13900139000,李 四,护照,e1234567 8,0.00,,"6217000011112222333;6228480000000000000",2088000000000009,{USER}',
        f"2088000000000003,,,王五,身份证,{ID_A[:-1]}0,0.00,,,,{USER}",
        f",,13700137000,赵六,身份证,{ID_A},0.00,,,,{USER}",
        f"6.22E+15,,,钱七,身份证,{ID_A},0.00,,,,{USER}",
        f"对应的协查数据：{USER},,,,,,,,,,",
    ]
    path.write_bytes(("\ufeff" + "\r\n".join(rows) + "\r\n").encode("utf-8"))


def test_registration_csv(tmp_path: Path, read_source) -> None:
    write_csv(tmp_path / "注册信息.csv")
    result = read_source(tmp_path, "注册信息.csv", "alipay_registration", origin="platform")
    assert (
        records(
            result.table, ["account", "holder_name", "holder_id", "holder_id_raw", "phone", "bank"]
        )
        == [
            {
                "account": USER,
                "holder_name": "张三",
                "holder_id": ID_A,
                "holder_id_raw": ID_A,
                "phone": "+8613800138001",  # 绑定手机 before 登录手机
                "bank": "支付宝",
            },
            {
                "account": "2088000000000002",
                "holder_name": "李四",
                "holder_id": "E12345678",
                "holder_id_raw": "e1234567 8",
                "phone": "+8613900139000",  # no bound phone: the login phone
                "bank": "支付宝",
            },
            {
                "account": "2088000000000003",
                "holder_name": "王五",
                "holder_id": None,  # bad check character: raw kept, flagged by the null
                "holder_id_raw": ID_A[:-1] + "0",
                "phone": None,
                "bank": "支付宝",
            },
        ]
    )
    assert result.table["opened_at"].isna().all()
    # Bound cards and linked accounts, kept as written: a list in a cell is not a key.
    assert [r["bound_cards_raw"] for r in records(result.table, ["bound_cards_raw"])] == [
        "6222021234567890123",
        "6217000011112222333;6228480000000000000 | 2088000000000009",
        None,
    ]
    assert result.table["source_row"].tolist() == [2, 3, 4]
    rejects = result.rejects.sort_values("source_row")
    assert records(rejects, ["source_row", "reason", "column"]) == [
        {"source_row": 5, "reason": "empty_identifier", "column": "用户ID"},
        {"source_row": 6, "reason": "id_mangled", "column": "用户ID"},
        {"source_row": 7, "reason": "summary_row", "column": None},
    ]


def write_workbook(path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "注册信息"
    sheet.append(["支付宝（中国）网络技术有限公司 注册信息"])
    sheet.append([h.replace("ID", " ID") for h in HEADER])  # spaced header cells
    # A 19-digit card typed as a number: the float lost its last digits.
    sheet.append([USER, "", 13800138000, "張三", "身份证", ID_A, 1.5, "", 6222021234567890123,
                  "2088000000000009", USER])  # fmt: skip
    sheet.append([f"对应的协查数据：{USER}"])
    extra = book.create_sheet("登录日志")
    extra.append(["登陆账号", "操作发生时间"])
    extra.append(["zhang@example.com", "2021-03-04 10:00:00"])
    book.save(path)


def test_registration_workbook(tmp_path: Path, read_source) -> None:
    write_workbook(tmp_path / "注册信息.xlsx")
    result = read_source(tmp_path, "注册信息.xlsx", "alipay_registration", origin="platform")
    assert records(result.table, ["account", "holder_name", "phone", "source_row"]) == [
        {"account": USER, "holder_name": "张三", "phone": "+8613800138000", "source_row": 3}
    ]
    # Never a plausible wrong card: the mangled one is left out, the linked account kept.
    assert records(result.table, ["bound_cards_raw"]) == [{"bound_cards_raw": "2088000000000009"}]
    rejects = result.rejects.sort_values(["source_sheet", "source_row"])
    assert records(rejects, ["source_sheet", "source_row", "reason"]) == [
        {"source_sheet": "注册信息", "source_row": 4, "reason": "summary_row"},
        {"source_sheet": "登录日志", "source_row": 1, "reason": "malformed_row"},
        {"source_sheet": "登录日志", "source_row": 2, "reason": "malformed_row"},
    ]


def test_sniffed_as_alipay_registration_only(tmp_path: Path) -> None:
    csv, xlsx = tmp_path / "注册信息.csv", tmp_path / "注册信息.xlsx"
    write_csv(csv)
    write_workbook(xlsx)
    for path in (csv, xlsx):
        assert sniff(path, path.name, "accounts").format.name == "alipay_registration"
        assert sniff(path, path.name).format.name == "alipay_registration"


def test_bank_accounts_not_confused(tmp_path: Path) -> None:
    """A 查控 账户信息 table still sniffs as bank_accounts."""
    path = tmp_path / "账户信息.csv"
    path.write_text("账户开户名称,开户人证件号码,交易卡号,交易账号,账户状态\n", encoding="utf-8")
    assert sniff(path, path.name, "accounts").format.name == "bank_accounts"
