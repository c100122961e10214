"""ABC personal statement (GB18030 CSV): yyyyMMdd + HHmmss, signed ``+10000.00``, ``--`` nulls."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
from frames import records

from linkage.load.context import ReadResult
from linkage.load.sniff import sniff

HEADER = "交易日期,交易时间,交易摘要,交易金额,本次余额,对手信息,日 志 号,交易渠道,交易附言"


def abc_file(path: Path, card: str) -> None:
    lines = [
        "中国农业银行账户明细",
        f"账户：{card},户名：张三",
        "起止日期：20240101-20240131",
        HEADER,
        # Money in at 12:34:56 Beijing; counterparty name + account in one cell.
        "20240101,123456,转账,+10000.00,10000.00,李四 6228480000000000018,AB123,网上银行,--",
        # Money out, no time of day: the day's start in Beijing (16:00 UTC the day before).
        "20240102,,消费,-2600.50,7399.50,财付通支付科技有限公司,AB124,电子商务,--",
        # Masked counterparty account: kept raw, never a key.
        "20240103,080000,转账,-100.00,7299.50,王五 6228********1234,AB125,手机银行,还款",
        # A zero amount, an empty one, an unreadable time.
        "20240104,090000,结息,0.00,7299.50,--,AB126,--,--",
        "20240105,090000,转账,--,7299.50,--,AB127,--,--",
        "20240106,256000,转账,-1.00,7298.50,--,AB128,--,--",
        "合计,,,,,,,,",
    ]
    path.write_bytes(("\n".join(lines) + "\n").encode("gb18030"))


def test_abc_statement(tmp_path: Path, read_source: Callable[..., ReadResult]) -> None:
    abc_file(tmp_path / "abc.csv", "6228480000000000000")
    result = read_source(tmp_path, "abc.csv", "abc_statement", origin="victim")
    assert records(
        result.table,
        [
            "source_row",
            "account",
            "holder_name",
            "counterparty_account",
            "counterparty_account_raw",
            "counterparty_name",
            "occurred_at",
            "amount_fen",
            "direction",
            "balance_fen",
            "channel",
            "summary",
            "serial_no",
            "bank",
        ],
    ) == [
        {
            "source_row": 5,
            "account": "6228480000000000000",
            "holder_name": "张三",
            "counterparty_account": "6228480000000000018",
            "counterparty_account_raw": "6228480000000000018",
            "counterparty_name": "李四",
            "occurred_at": pd.Timestamp("2024-01-01 04:34:56", tz="UTC"),
            "amount_fen": 1000000,
            "direction": "in",
            "balance_fen": 1000000,
            "channel": "网上银行",
            "summary": "转账",
            "serial_no": "AB123",
            "bank": "中国农业银行",
        },
        {
            "source_row": 6,
            "account": "6228480000000000000",
            "holder_name": "张三",
            "counterparty_account": None,
            "counterparty_account_raw": None,
            "counterparty_name": "财付通支付科技有限公司",
            "occurred_at": pd.Timestamp("2024-01-01 16:00", tz="UTC"),
            "amount_fen": 260050,
            "direction": "out",
            "balance_fen": 739950,
            "channel": "电子商务",
            "summary": "消费",
            "serial_no": "AB124",
            "bank": "中国农业银行",
        },
        {
            "source_row": 7,
            "account": "6228480000000000000",
            "holder_name": "张三",
            "counterparty_account": None,
            "counterparty_account_raw": "6228********1234",
            "counterparty_name": "王五",
            "occurred_at": pd.Timestamp("2024-01-03 00:00", tz="UTC"),
            "amount_fen": 10000,
            "direction": "out",
            "balance_fen": 729950,
            "channel": "手机银行",
            "summary": "转账 | 还款",
            "serial_no": "AB125",
            "bank": "中国农业银行",
        },
    ]
    assert records(result.rejects, ["source_row", "reason", "column"]) == [
        {"source_row": 8, "reason": "no_money_moved", "column": "交易金额"},
        {"source_row": 9, "reason": "missing_value", "column": "交易金额"},
        {"source_row": 10, "reason": "unparseable_time", "column": "交易日期"},
        {"source_row": 11, "reason": "summary_row", "column": "交易日期"},
    ]


def test_abc_masked_preamble_card(tmp_path: Path, read_source: Callable[..., ReadResult]) -> None:
    abc_file(tmp_path / "abc.csv", "6228********0000")
    result = read_source(tmp_path, "abc.csv", "abc_statement")
    assert result.table["account"].isna().all()
    assert set(result.table["account_raw"]) == {"6228********0000"}


def test_abc_sniffed(tmp_path: Path, samples: Path) -> None:
    abc_file(tmp_path / "abc.csv", "6228480000000000000")
    assert sniff(tmp_path / "abc.csv", "abc.csv", "transactions").format.name == "abc_statement"
    deg = samples / "double-entry-generator"
    for relative, expected in [
        ("icbc/debit-v1/example-icbc-debit-v1-records.csv", "icbc_statement"),
        ("wechat/example-wechat-records.xlsx", "wechat_bill"),
        ("alipay/example-alipay-records.csv", "alipay_bill"),
    ]:
        assert sniff(deg / relative, relative, "transactions").format.name == expected
