"""BOC personal statement (GB18030 CSV): signed amounts, dash-run nulls, masked cards."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
from frames import records

from linkage.load.context import ReadResult
from linkage.load.sniff import sniff

HEADER = (
    "记账日期,记账时间,币别,金额,余额,交易名称,渠道,网点名称,附言,对方账户名,"
    "对方卡号/账号,对方开户行,借记卡号"
)


def boc_file(path: Path, card: str) -> None:
    lines = [
        "中国银行交易流水明细清单",
        HEADER,
        # Money out, thousands comma inside quotes; masked counterparty card.
        f'2024-05-01,20:15:00,人民币,"-2,600.00","7,400.00",网上快捷支付,网上银行,------,'
        f"转账,李四,6217******1234,中国银行北京分行,{card}",
        # Money in; dash runs are nulls (no branch, no note).
        f'2024-05-02,08:00:01,人民币,"10,000.50","17,400.50",转账汇入,手机银行,-----,---,'
        f"王五,6222021234567890123,中国工商银行,{card}",
        # A zero amount moved no money.
        f"2024-05-03,09:00:00,人民币,0.00,17400.50,结息,柜台,,,,,,{card}",
        # Empty amount and an unreadable one.
        f"2024-05-04,09:00:00,人民币,---,17400.50,转账,柜台,,,,,,{card}",
        f"2024-05-05,09:00:00,人民币,12.345,17400.50,转账,柜台,,,,,,{card}",
    ]
    path.write_bytes(("\n".join(lines) + "\n").encode("gb18030"))


def test_boc_statement(tmp_path: Path, read_source: Callable[..., ReadResult]) -> None:
    boc_file(tmp_path / "boc.csv", "6226******5669")
    result = read_source(tmp_path, "boc.csv", "boc_statement", origin="victim")
    assert records(
        result.table,
        [
            "source_row",
            "account",
            "account_raw",
            "counterparty_account",
            "counterparty_account_raw",
            "counterparty_name",
            "counterparty_bank",
            "occurred_at",
            "amount_fen",
            "direction",
            "balance_fen",
            "currency",
            "channel",
            "summary",
            "bank",
        ],
    ) == [
        {
            "source_row": 3,
            "account": None,
            "account_raw": "6226******5669",
            "counterparty_account": None,
            "counterparty_account_raw": "6217******1234",
            "counterparty_name": "李四",
            "counterparty_bank": "中国银行北京分行",
            "occurred_at": pd.Timestamp("2024-05-01 12:15", tz="UTC"),
            "amount_fen": 260000,
            "direction": "out",
            "balance_fen": 740000,
            "currency": "人民币",
            "channel": "网上银行",
            "summary": "网上快捷支付 | 转账",
            "bank": "中国银行",
        },
        {
            "source_row": 4,
            "account": None,
            "account_raw": "6226******5669",
            "counterparty_account": "6222021234567890123",
            "counterparty_account_raw": "6222021234567890123",
            "counterparty_name": "王五",
            "counterparty_bank": "中国工商银行",
            "occurred_at": pd.Timestamp("2024-05-02 00:00:01", tz="UTC"),
            "amount_fen": 1000050,
            "direction": "in",
            "balance_fen": 1740050,
            "currency": "人民币",
            "channel": "手机银行",
            "summary": "转账汇入",
            "bank": "中国银行",
        },
    ]
    assert records(result.rejects, ["source_row", "reason", "column"]) == [
        {"source_row": 5, "reason": "no_money_moved", "column": "金额"},
        {"source_row": 6, "reason": "missing_value", "column": "金额"},
        {"source_row": 7, "reason": "bad_amount", "column": "金额"},
    ]


def test_boc_full_card_and_owner(tmp_path: Path, read_source: Callable[..., ReadResult]) -> None:
    boc_file(tmp_path / "boc.csv", "6216612345678905669")
    full = read_source(tmp_path, "boc.csv", "boc_statement")
    assert set(full.table["account"]) == {"6216612345678905669"}
    owned = read_source(tmp_path, "boc.csv", "boc_statement", owner="6216600000000000001")
    assert set(owned.table["account"]) == {"6216600000000000001"}
    assert set(owned.table["account_raw"]) == {"6216600000000000001"}


def test_boc_sniffed(tmp_path: Path, samples: Path) -> None:
    boc_file(tmp_path / "boc.csv", "6226******5669")
    assert sniff(tmp_path / "boc.csv", "boc.csv", "transactions").format.name == "boc_statement"
    deg = samples / "double-entry-generator"
    for relative, expected in [
        ("icbc/debit-v2/example-icbc-debit-v2-records.csv", "icbc_statement"),
        ("wechat/example-wechat-records.csv", "wechat_bill"),
        ("alipay/example-alipay-records.csv", "alipay_bill"),
    ]:
        assert sniff(deg / relative, relative, "transactions").format.name == expected
