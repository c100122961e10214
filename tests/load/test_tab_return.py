"""Tab-prefixed 资金交易明细 returns: tab padding, 借贷标志 words, exact rows, rejects, sniffing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from linkage.load.sniff import sniff

UTC = dt.UTC
NAME = "资金交易明细20210305101500_1.csv"

HEADER_20 = (
    "交易卡号,交易账号,交易方户名,交易方证件号,交易账户开户银行,交易时间,交易金额,交易余额,"
    "交易币种,借贷标志,对手账号,对手户名,对手证件号,对手账户开户银行,对手交易余额,摘要说明,备注,"
    "批次,IP地址,MAC地址"
)
ROWS_20 = [
    # 2: out by 借
    "6217001234567890123,31001234567890000001,张三,110101199003071233,中国建设银行,"
    "2021-03-04 10:23:45,1000.00,5000.00,CNY,借,6222021234567890123,李四,,中国工商银行,,转账,,1,,",
    # 3: in by 进, signed amount, account suffix
    "6217001234567890123_156_1,,张三,,中国建设银行,20210304112000,-250.50,5250.50,CNY,进,"
    "6228480011112222333,王五,,中国农业银行,,汇入,,1,,",
    # 4: bad amount
    "6217001234567890123,,张三,,中国建设银行,2021-03-04 12:00:00,12.3.4,5250.50,CNY,贷,"
    "6222021234567890123,李四,,,,转账,,1,,",
    # 5: unknown flag
    "6217001234567890123,,张三,,中国建设银行,2021-03-04 12:01:00,5.00,5245.50,CNY,X,"
    "6222021234567890123,李四,,,,转账,,1,,",
    # 6: no own account at all
    ",,张三,,中国建设银行,2021-03-04 12:02:00,5.00,5240.50,CNY,D,6222021234567890123,李四,,,,转账,,1,,",
    # 7: only the bank-internal account, C = in
    ",31001234567890000001,张三,,中国建设银行,2021-03-04 12:03:00,8.00,5248.50,CNY,C,,,,,,利息,,1,,",
]


def tabbed(lines: list[str]) -> bytes:
    """The bank's layout: every header and value starts with a tab; GB18030 bytes."""
    out = [",".join("\t" + cell for cell in line.split(",")) for line in lines]
    return ("\r\n".join(out) + "\r\n").encode("gb18030")


def test_tab_return_rows_and_rejects(tmp_path: Path, read_source) -> None:
    (tmp_path / NAME).write_bytes(tabbed([HEADER_20, *ROWS_20]))
    result = read_source(tmp_path, NAME, "tab_return", origin="bank")
    trades = result.table
    assert trades["source_row"].tolist() == [2, 3, 7]
    assert trades["account"].tolist() == [
        "6217001234567890123",
        "6217001234567890123",
        "31001234567890000001",
    ]
    assert trades["direction"].tolist() == ["out", "in", "in"]
    assert trades["amount_fen"].tolist() == [100000, 25050, 800]
    assert trades["balance_fen"].tolist() == [500000, 525050, 524850]
    assert trades["occurred_at"].tolist() == [
        pd.Timestamp("2021-03-04 02:23:45", tz=UTC),
        pd.Timestamp("2021-03-04 03:20:00", tz=UTC),
        pd.Timestamp("2021-03-04 04:03:00", tz=UTC),
    ]
    assert trades["counterparty_account"].tolist()[:2] == [
        "6222021234567890123",
        "6228480011112222333",
    ]
    assert pd.isna(trades["counterparty_account"].iloc[2])
    assert trades["counterparty_name"].tolist()[:2] == ["李四", "王五"]
    assert trades["holder_name"].unique().tolist() == ["张三"]
    assert trades["holder_id"].iloc[0] == "110101199003071233"
    assert (trades["bank"] == "中国建设银行").all()
    rejects = result.rejects[["source_row", "reason", "column", "value"]].to_dict("records")
    assert rejects == [
        {"source_row": 4, "reason": "bad_amount", "column": "交易金额", "value": "12.3.4"},
        {"source_row": 5, "reason": "bad_direction", "column": "借贷标志", "value": "X"},
        {"source_row": 6, "reason": "empty_identifier", "column": "交易卡号", "value": ""},
    ]


def test_48_column_form_prefers_counterparty_card(tmp_path: Path, read_source) -> None:
    header = HEADER_20 + ",对手卡号,交易渠道,交易流水号,交易网点名称,交易发生地"
    row = (
        "6217001234567890123,,张三,,中国建设银行,2021-03-04 10:23:45,1000.00,5000.00,CNY,出,"
        "31009999000011112222,李四,,,,转账,,1,,,6222021234567890123,网银,SN0001,城东支行,北京"
    )
    (tmp_path / NAME).write_bytes(tabbed([header, row]))
    trades = read_source(tmp_path, NAME, "tab_return").table
    assert trades["counterparty_account"].tolist() == ["6222021234567890123"]
    assert trades[["channel", "serial_no", "direction"]].iloc[0].tolist() == [
        "网银",
        "SN0001",
        "out",
    ]


def test_sniffed_as_tab_return_only(tmp_path: Path) -> None:
    path = tmp_path / NAME
    path.write_bytes(tabbed([HEADER_20, *ROWS_20]))
    assert sniff(path, NAME, "transactions").format.name == "tab_return"
    assert sniff(path, NAME).format.name == "tab_return"
