"""查询反馈 templates and offline bank xls statements: exact rows, rejects and sniffing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import xlwt

from linkage.load.sniff import sniff

UTC = dt.UTC

TEMPLATE = (
    "序号,查询对象,反馈单位,查询项,查询账户,查询卡号,交易类型,借贷标志,币种,交易金额,账户余额,"
    "交易时间,交易流水号,本方账号,本方卡号,交易对方姓名,交易对方账户,交易对方卡号,交易对方证件号码,"
    "交易对手余额,交易对方账号开户行,交易摘要,交易网点名称,交易网点代码,日志号,传票号,凭证种类,凭证号,"
    "现金标志,终端号,交易是否成功,交易发生地,商户名称,商户号,IP地址,MAC,交易柜员号,备注\n"
)
LINES = [
    # 2: out, card given, counterparty card preferred over account
    "1,张三,中国银行北京分行,交易明细,,6216601234567890123,转账,借,CNY,1000.00,5000.00,"
    "2021-03-04 10:23:45,SN001,,,李四,31009999000011112222,6222021234567890123,,,工商银行,网银转账,"
    ",,,,,,,,成功",
    # 3: in, DB2 stamp, only the account number
    "2,张三,中国银行北京分行,交易明细,40001234567890,,转账,贷,CNY,250.50,5250.50,"
    "2021-03-04-11.20.00.123456,SN002,,,王五,6228480011112222333,,,,,,,,,,,,,,成功",
    # 4: bad amount
    "3,张三,中国银行北京分行,交易明细,,6216601234567890123,转账,借,CNY,abc,5250.50,"
    "2021-03-04 12:00:00,SN003,,,李四,,,,,,,,,,,,,,,成功",
    # 5: unknown flag
    "4,张三,中国银行北京分行,交易明细,,6216601234567890123,转账,?,CNY,5.00,5245.50,"
    "2021-03-04 12:01:00,SN004,,,李四,,,,,,,,,,,,,,,成功",
    # 6: no own account
    "5,张三,中国银行北京分行,交易明细,,,转账,借,CNY,5.00,5245.50,"
    "2021-03-04 12:02:00,SN005,,,李四,,,,,,,,,,,,,,,成功",
]


def template_csv() -> bytes:
    """The template as GB18030 text, every value behind a tab as banks often write it."""
    lines = [TEMPLATE.rstrip("\n"), *LINES]
    cells = [(line.split(",") + [""] * 38)[:38] for line in lines]
    fixed = [",".join("\t" + c for c in row) for row in cells]
    return ("\r\n".join(fixed) + "\r\n").encode("gb18030")


def test_template_rows_and_rejects(tmp_path: Path, read_source) -> None:
    (tmp_path / "反馈.csv").write_bytes(template_csv())
    result = read_source(tmp_path, "反馈.csv", "inquiry_feedback", origin="bank")
    trades = result.table
    assert trades["source_row"].tolist() == [2, 3]
    assert trades["account"].tolist() == ["6216601234567890123", "40001234567890"]
    assert trades["counterparty_account"].tolist() == [
        "6222021234567890123",
        "6228480011112222333",
    ]
    assert trades["counterparty_name"].tolist() == ["李四", "王五"]
    assert trades["occurred_at"].tolist() == [
        pd.Timestamp("2021-03-04 02:23:45", tz=UTC),
        pd.Timestamp("2021-03-04 03:20:00.123456", tz=UTC),
    ]
    assert trades["amount_fen"].tolist() == [100000, 25050]
    assert trades["direction"].tolist() == ["out", "in"]
    assert trades["balance_fen"].tolist() == [500000, 525050]
    assert trades["holder_name"].tolist() == ["张三", "张三"]
    assert (trades["bank"] == "中国银行北京分行").all()
    assert trades["serial_no"].tolist() == ["SN001", "SN002"]
    rejects = result.rejects[["source_row", "reason", "column", "value"]].to_dict("records")
    assert rejects == [
        {"source_row": 4, "reason": "bad_amount", "column": "交易金额", "value": "abc"},
        {"source_row": 5, "reason": "bad_direction", "column": "借贷标志", "value": "?"},
        {"source_row": 6, "reason": "empty_identifier", "column": "查询卡号", "value": ""},
    ]


def test_template_sniffed_only_as_inquiry_feedback(tmp_path: Path) -> None:
    path = tmp_path / "反馈.csv"
    path.write_bytes(template_csv())
    assert sniff(path, "反馈.csv", "transactions").format.name == "inquiry_feedback"


OFFLINE_HEADER = [
    "交易日期",
    "交易时间",
    "摘要",
    "借方发生额",
    "贷方发生额",
    "余额",
    "对方账号",
    "对方户名",
]
OFFLINE_ROWS: list[list[object]] = [
    # row 4: debit (out), text amount with thousands comma
    ["2021-03-04", "10:23:45", "转账", "1,000.00", "", 5000.0, "6222021234567890123", "李四"],
    # row 5: credit (in), DB2 stamp in 交易时间, numeric amount
    [
        "2021-03-04",
        "2021-03-04-11.20.00.123456",
        "汇入",
        "",
        250.5,
        5250.5,
        "6228480011112222333",
        "王五",
    ],
    # row 6: both sides filled
    ["2021-03-05", "09:00:00", "转账", "5.00", "5.00", 5250.5, "6222021234567890123", "李四"],
    # row 7: bad amount
    ["2021-03-05", "09:01:00", "转账", "1.2.3", "", 5250.5, "6222021234567890123", "李四"],
    # row 8: DB2 stamp contradicting 交易日期
    ["2021-03-06", "2021-03-04-11.20.00.000000", "转账", "5.00", "", 5245.5, "", ""],
    # row 9: nothing moved
    ["2021-03-06", "09:02:00", "结息", "", "", 5245.5, "", ""],
]


def write_offline(path: Path) -> None:
    """An offline statement xls: a title and an account line above the header."""
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("明细")
    sheet.write(0, 0, "中国农业银行账户交易明细")
    sheet.write(1, 0, "账号：6228480099998888777")
    for column, word in enumerate(OFFLINE_HEADER):
        sheet.write(2, column, word)
    for row, values in enumerate(OFFLINE_ROWS, start=3):
        for column, value in enumerate(values):
            sheet.write(row, column, value)
    book.save(str(path))


def test_offline_xls_rows_and_rejects(tmp_path: Path, read_source) -> None:
    write_offline(tmp_path / "明细.xls")
    result = read_source(tmp_path, "明细.xls", "offline_bank_xls", origin="bank")
    trades = result.table
    assert trades["source_row"].tolist() == [4, 5]
    assert trades["account"].tolist() == ["6228480099998888777"] * 2
    assert trades["counterparty_account"].tolist() == [
        "6222021234567890123",
        "6228480011112222333",
    ]
    assert trades["counterparty_name"].tolist() == ["李四", "王五"]
    assert trades["occurred_at"].tolist() == [
        pd.Timestamp("2021-03-04 02:23:45", tz=UTC),
        pd.Timestamp("2021-03-04 03:20:00.123456", tz=UTC),
    ]
    assert trades["amount_fen"].tolist() == [100000, 25050]
    assert trades["direction"].tolist() == ["out", "in"]
    assert trades["balance_fen"].tolist() == [500000, 525050]
    rejects = result.rejects[["source_row", "reason", "column"]].to_dict("records")
    assert rejects == [
        {"source_row": 6, "reason": "malformed_row", "column": "贷方发生额"},
        {"source_row": 7, "reason": "bad_amount", "column": "借方发生额"},
        {"source_row": 8, "reason": "unparseable_time", "column": "交易日期"},
        {"source_row": 9, "reason": "missing_value", "column": "借方发生额"},
    ]


def test_offline_xls_sniffed_only_as_offline_bank_xls(tmp_path: Path) -> None:
    path = tmp_path / "明细.xls"
    write_offline(path)
    assert sniff(path, "明细.xls", "transactions").format.name == "offline_bank_xls"
