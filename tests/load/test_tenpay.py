"""Tenpay police returns: amounts in fen, repeated header names, xls and tab-separated txt."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import xlwt

from linkage.load.sniff import sniff

UTC = dt.UTC

HEADER = [
    "用户ID", "交易单号", "大单号", "用户侧账号名称", "借贷类型", "交易业务类型", "交易用途类型",
    "交易时间", "交易金额(分)", "账户余额(分)", "用户银行卡号", "用户侧银行名称", "用户侧网银联单号",
    "网联/银联", "第三方账户名称", "对手方ID", "对手侧账户名称", "对手方银行卡号", "对手侧银行名称",
    "对手侧网银联单号", "网联/银联", "第三方账户名称", "对手方接收时间", "对手方接收金额(分)",
    "备注1", "备注2",
]  # fmt: skip


def trade(
    user: object,
    serial: str,
    flag: str,
    business: str,
    when: str,
    amount: object,
    balance: object,
    counterparty_id: str = "",
    counterparty_name: str = "",
    card: str = "",
    bank: str = "",
    clearing: str = "",
    note: str = "",
) -> list[object]:
    """One Tenpay row in file order; the user side pays from its balance (no card)."""
    return [
        user, serial, "", "张三", flag, business, "转账", when, amount, balance, "", "", "", "",
        "", counterparty_id, counterparty_name, card, bank, "", clearing, "", when, amount, note, "",
    ]  # fmt: skip


ROWS = [
    trade("1300012345", "T0001", "出", "转账", "2020-01-05 10:30:45", 100000, 500000, "1300067890", "李四", note="还款"),
    trade("1300012345", "T0002", "入", "红包", "2020-01-05 11:00:00", 20000, 520000, "1300011111", "王五"),
    trade("1300012345", "T0003", "出", "提现", "2020-01-06 09:00:00", 300000, 220000, "", "张三", "6222021234567890123", "中国工商银行", "网联"),
    trade("1300012345", "T0004", "出", "转账", "2020-01-06 09:10:00", "12.5", 220000, "1300067890", "李四"),
    trade("1300012345", "T0005", "其他", "转账", "2020-01-06 09:20:00", 500, 219500, "1300067890", "李四"),
    trade("1300012345", "T0006", "出", "转账", "2020-13-06 09:30:00", 500, 219000, "1300067890", "李四"),
    trade(6.22e18, "T0007", "出", "转账", "2020-01-06 09:40:00", 500, 218500, "1300067890", "李四"),
    trade("1300012345", "T0008", "入", "转账", "2020-01-06 09:50:00", 0, 218500, "1300067890", "李四"),
]  # fmt: skip


def write_xls(path: Path) -> None:
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("TenpayTrades")
    for row, values in enumerate([HEADER, *ROWS]):
        for column, value in enumerate(values):
            sheet.write(row, column, value)
    book.save(str(path))


def test_tenpay_xls_rows_and_rejects(tmp_path: Path, read_source) -> None:
    write_xls(tmp_path / "TenpayTrades.xls")
    result = read_source(tmp_path, "TenpayTrades.xls", "tenpay_trades", origin="platform")
    trades = result.table
    assert trades["source_row"].tolist() == [2, 3, 4]
    assert trades["account"].unique().tolist() == ["1300012345"]
    assert trades["holder_name"].unique().tolist() == ["张三"]
    assert trades["direction"].tolist() == ["out", "in", "out"]
    assert trades["amount_fen"].tolist() == [100000, 20000, 300000]  # fen, not yuan
    assert trades["balance_fen"].tolist() == [500000, 520000, 220000]
    # The counterparty is its Tenpay id, or the bank card a withdrawal went to.
    assert trades["counterparty_account"].tolist() == [
        "1300067890",
        "1300011111",
        "6222021234567890123",
    ]
    assert trades["counterparty_name"].tolist() == ["李四", "王五", "张三"]
    assert trades["counterparty_bank"].tolist()[2] == "中国工商银行"
    assert trades["occurred_at"].iloc[0] == pd.Timestamp("2020-01-05 02:30:45", tz=UTC)
    assert trades["serial_no"].tolist() == ["T0001", "T0002", "T0003"]
    assert trades["channel"].tolist() == ["转账", "红包", "提现"]
    assert trades["summary"].iloc[0] == "转账 | 还款"
    assert trades["source_sheet"].unique().tolist() == ["TenpayTrades"]
    rejects = result.rejects[["source_row", "reason", "column"]].to_dict("records")
    assert rejects == [
        {"source_row": 5, "reason": "bad_amount", "column": "交易金额(分)"},
        {"source_row": 6, "reason": "bad_direction", "column": "借贷类型"},
        {"source_row": 7, "reason": "unparseable_time", "column": "交易时间"},
        {"source_row": 8, "reason": "id_mangled", "column": "用户ID"},
        {"source_row": 9, "reason": "no_money_moved", "column": "交易金额(分)"},
    ]


def test_tenpay_tab_separated_txt(tmp_path: Path, read_source) -> None:
    lines = ["\t".join(HEADER)]
    for values in ROWS[:3]:
        lines.append("\t".join(f"{v} " if isinstance(v, str) and v else str(v) for v in values))
    lines.append("\t".join(str(v) for v in ROWS[4]))
    (tmp_path / "TenpayTrades.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = read_source(tmp_path, "TenpayTrades.txt", "tenpay_trades", origin="platform")
    trades = result.table
    assert trades["source_row"].tolist() == [2, 3, 4]
    assert trades["amount_fen"].tolist() == [100000, 20000, 300000]
    assert trades["counterparty_account"].tolist()[2] == "6222021234567890123"
    assert trades["account_raw"].unique().tolist() == ["1300012345"]
    assert result.rejects[["source_row", "reason"]].to_dict("records") == [
        {"source_row": 5, "reason": "bad_direction"}
    ]


def test_sniffed_as_tenpay_only(tmp_path: Path) -> None:
    xls = tmp_path / "TenpayTrades.xls"
    write_xls(xls)
    txt = tmp_path / "TenpayTrades.txt"
    txt.write_text("\t".join(HEADER) + "\n" + "\t".join(map(str, ROWS[0])) + "\n", "utf-8")
    for path in (xls, txt):
        assert sniff(path, path.name, "transactions").format.name == "tenpay_trades"
        assert sniff(path, path.name).format.name == "tenpay_trades"
