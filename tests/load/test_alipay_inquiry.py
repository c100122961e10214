"""Alipay 协查 trade records and transfers: floating header, trailer line, closed trades."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pandas as pd

from linkage.load.sniff import sniff

TRADES = [
    "交易号", "外部交易号", "交易状态", "合作伙伴ID", "买家用户id", "买家信息", "卖家用户id",
    "卖家信息", "交易金额（元）", "收款时间", "最后修改时间", "创建时间", "交易类型", "来源地",
    "商品名称", "收货人地址",
]  # fmt: skip
TRANSFERS = [
    "交易号", "付款方支付宝账号", "收款方支付宝账号", "收款机构信息", "到账时间", "转账金额（元）",
    "转账产品名称", "交易发生地", "提现流水号", "对应的协查数据",
]  # fmt: skip
BUYER = "2088000000000001"
SELLER = "2088000000000002"


def trade(serial: str, status: str, buyer: object, amount: object, paid: object) -> list[object]:
    """One 交易记录 row in file order."""
    return [
        serial, f"OUT{serial}", status, "2088100000000000", buyer, "张三", SELLER, "李四",
        amount, paid, "2021-03-06 00:00:00", "2021-03-04 09:59:00", "即时到账交易", "网站",
        "游戏点卡", "",
    ]  # fmt: skip


def write_trades(path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "交易记录"
    sheet.append(["支付宝（中国）网络技术有限公司 协查数据：交易记录"])
    sheet.append(TRADES)
    sheet.append(trade("T1", "TRADE_SUCCESS", BUYER, 100.5, "2021-03-04 10:00:00"))
    sheet.append(trade("T2", "交易成功", f"\t{BUYER}", "2,000.00", dt.datetime(2021, 3, 5, 12)))
    sheet.append(trade("T3", "交易关闭", BUYER, 50, "2021-03-04 10:00:00"))
    sheet.append(trade("T4", "等待买家付款", BUYER, 50, None))
    sheet.append(trade("T5", "交易成功", BUYER, 0, "2021-03-04 10:00:00"))
    sheet.append(trade("T6", "交易成功", None, 50, "2021-03-04 10:00:00"))
    sheet.append(trade("T7", "交易失败", BUYER, 50, "2021-03-04 10:00:00"))
    sheet.append(
        trade("T8", "交易成功", int(BUYER), 50, "2021-03-04 10:00:00")
    )  # 16 digits: past Excel precision
    sheet.append([f"对应的协查数据：{BUYER}"])
    notes = book.create_sheet("说明")
    notes.append(["以上数据仅供公安机关办案使用"])
    book.save(path)


def test_trades_workbook(tmp_path: Path, read_source) -> None:
    write_trades(tmp_path / "交易记录.xlsx")
    result = read_source(tmp_path, "交易记录.xlsx", "alipay_trades", origin="platform")
    table = result.table
    assert table["source_row"].tolist() == [3, 4]
    assert table["account"].tolist() == [BUYER, BUYER]
    assert table["holder_name"].tolist() == ["张三", "张三"]
    assert table["counterparty_account"].tolist() == [SELLER, SELLER]
    assert table["counterparty_name"].tolist() == ["李四", "李四"]
    assert table["direction"].tolist() == ["out", "out"]
    assert table["amount_fen"].tolist() == [10050, 200000]
    assert table["occurred_at"].tolist() == [
        pd.Timestamp("2021-03-04 02:00:00", tz="UTC"),
        pd.Timestamp("2021-03-05 04:00:00", tz="UTC"),
    ]
    assert table["serial_no"].tolist() == ["T1", "T2"]
    assert table["status_raw"].tolist() == ["TRADE_SUCCESS", "交易成功"]
    assert table["channel"].tolist() == ["即时到账交易"] * 2
    assert table["summary"].tolist() == ["游戏点卡 | 网站"] * 2
    assert table["bank"].unique().tolist() == ["支付宝"]
    rejects = result.rejects.sort_values(["source_sheet", "source_row"])
    assert rejects[["source_sheet", "source_row", "reason"]].to_dict("records") == [
        {"source_sheet": "交易记录", "source_row": 5, "reason": "no_money_moved"},
        {"source_sheet": "交易记录", "source_row": 6, "reason": "no_money_moved"},
        {"source_sheet": "交易记录", "source_row": 7, "reason": "no_money_moved"},
        {"source_sheet": "交易记录", "source_row": 8, "reason": "empty_identifier"},
        {"source_sheet": "交易记录", "source_row": 9, "reason": "failed_status"},
        {"source_sheet": "交易记录", "source_row": 10, "reason": "id_mangled"},
        {"source_sheet": "交易记录", "source_row": 11, "reason": "summary_row"},
        {"source_sheet": "说明", "source_row": 1, "reason": "malformed_row"},
    ]
    trailer = rejects[rejects["reason"] == "summary_row"]
    assert trailer["value"].tolist() == [f"对应的协查数据：{BUYER}"]


def write_transfers(path: Path) -> None:
    rows = [
        "协查编号:2021XC0001",
        ",".join(TRANSFERS),
        f"T1,{BUYER},{SELLER},,2021-03-04 10:00:00,500.00,转账到支付宝账户,广东省深圳市,,{BUYER}",
        f'T2,{SELLER},,中国工商银行,2021-03-05 11:00:00,"1,000.00",提现,广东,W123456,{BUYER}',
        f"T3,{BUYER},{SELLER},,2021-13-01 10:00:00,10.00,转账到支付宝账户,,,{BUYER}",
        f"T4,{BUYER},Zhang@X.com,,2021-03-06 10:00:00,abc,转账到支付宝账户,,,{BUYER}",
        f"T5,{BUYER},{SELLER},,2021-03-06 10:00:00,0.00,转账到支付宝账户,,,{BUYER}",
        f"对应的协查数据：{BUYER}",
    ]
    path.write_bytes(("\r\n".join(rows) + "\r\n").encode("gb18030"))


def test_transfers_csv(tmp_path: Path, read_source) -> None:
    write_transfers(tmp_path / "转账明细.csv")
    result = read_source(tmp_path, "转账明细.csv", "alipay_transfers", origin="platform")
    table = result.table
    assert table["source_row"].tolist() == [3, 4]
    assert table["account"].tolist() == [BUYER, SELLER]
    assert table["direction"].tolist() == ["out", "out"]
    part = table[["counterparty_account", "counterparty_bank", "summary"]].astype(object)
    assert part.where(part.notna(), None).to_dict("records") == [
        {"counterparty_account": SELLER, "counterparty_bank": None, "summary": "广东省深圳市"},
        {
            "counterparty_account": None,
            "counterparty_bank": "中国工商银行",
            "summary": "广东 | 提现流水号 W123456",
        },
    ]
    assert table["amount_fen"].tolist() == [50000, 100000]
    assert table["channel"].tolist() == ["转账到支付宝账户", "提现"]
    assert table["occurred_at"].iloc[1] == pd.Timestamp("2021-03-05 03:00:00", tz="UTC")
    rejects = result.rejects.sort_values("source_row")
    assert rejects[["source_row", "reason", "column"]].astype(object).where(
        rejects[["source_row", "reason", "column"]].notna(), None
    ).to_dict("records") == [
        {"source_row": 5, "reason": "unparseable_time", "column": "到账时间"},
        {"source_row": 6, "reason": "bad_amount", "column": "转账金额(元)"},
        {"source_row": 7, "reason": "no_money_moved", "column": "转账金额(元)"},
        {"source_row": 8, "reason": "summary_row", "column": None},
    ]
    assert any("1 preamble lines" in note for note in result.notes)


def test_sniffed_as_inquiry_only(tmp_path: Path) -> None:
    trades, transfers = tmp_path / "交易记录.xlsx", tmp_path / "转账明细.csv"
    write_trades(trades)
    write_transfers(transfers)
    for path, name in ((trades, "alipay_trades"), (transfers, "alipay_transfers")):
        assert sniff(path, path.name, "transactions").format.name == name
        assert sniff(path, path.name).format.name == name


def test_neighbours_not_confused(tmp_path: Path) -> None:
    """The personal Alipay bill and Tenpay trades still sniff as themselves."""
    bill = tmp_path / "alipay_bill.csv"
    bill.write_text(
        "交易时间,交易分类,交易对方,对方账号,商品说明,收/支,金额,收/付款方式,交易状态,"
        "交易订单号,商家订单号,备注,\n",
        encoding="utf-8",
    )
    tenpay = tmp_path / "TenpayTrades.txt"
    tenpay.write_text("用户ID\t交易单号\t借贷类型\t交易时间\t交易金额(分)\n", encoding="utf-8")
    assert sniff(bill, bill.name).format.name == "alipay_bill"
    assert sniff(tenpay, tenpay.name).format.name == "tenpay_trades"
