"""CMB debit statement (GB18030 CSV): signed amounts, date only, 对手信息 = name + account."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
from frames import records

from linkage.load.context import ReadResult
from linkage.load.sniff import sniff

HEADER = "记账日期,货币,交易金额,联机余额,交易摘要,对手信息,客户摘要"


def cmb_file(path: Path, card: str) -> None:
    lines = [
        "# 招商银行交易记录",
        f"# 账号: [{card}]",
        "# 币种: [人民币]",
        "# 起始日期: [20240501]    终止日期: [20240531]",
        HEADER,
        # Money out to a person: name and account split; date only = Beijing midnight.
        "2024-05-01,人民币,-2600.00,7400.00,转账汇款,张三 66666666666666,借款",
        # Money in, yyyyMMdd date, thousands comma.
        '20240502,人民币,"10,000.00","17,400.00",银联渠道转入,李四 6214830000000007,',
        # A merchant without an account; a masked account.
        "2024-05-03,人民币,-38.50,17361.50,快捷支付,财付通-微信支付,",
        "2024-05-04,人民币,-1.00,17360.50,转账汇款,王五 6214********0007,",
        # Zero, unreadable amount, unreadable date.
        "2024-05-05,人民币,0.00,17360.50,结息,,",
        "2024-05-06,人民币,abc,17360.50,转账汇款,,",
        "2024-13-45,人民币,-1.00,17359.50,转账汇款,,",
    ]
    path.write_bytes(("\n".join(lines) + "\n").encode("gb18030"))


def test_cmb_statement(tmp_path: Path, read_source: Callable[..., ReadResult]) -> None:
    cmb_file(tmp_path / "cmb.csv", "6214830000000001")
    result = read_source(tmp_path, "cmb.csv", "cmb_statement", origin="victim")
    assert records(
        result.table,
        [
            "source_row",
            "account",
            "counterparty_account",
            "counterparty_account_raw",
            "counterparty_name",
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
            "source_row": 6,
            "account": "6214830000000001",
            "counterparty_account": "66666666666666",
            "counterparty_account_raw": "66666666666666",
            "counterparty_name": "张三",
            "occurred_at": pd.Timestamp("2024-04-30 16:00", tz="UTC"),
            "amount_fen": 260000,
            "direction": "out",
            "balance_fen": 740000,
            "currency": "人民币",
            "channel": "转账汇款",
            "summary": "借款",
            "bank": "招商银行",
        },
        {
            "source_row": 7,
            "account": "6214830000000001",
            "counterparty_account": "6214830000000007",
            "counterparty_account_raw": "6214830000000007",
            "counterparty_name": "李四",
            "occurred_at": pd.Timestamp("2024-05-01 16:00", tz="UTC"),
            "amount_fen": 1000000,
            "direction": "in",
            "balance_fen": 1740000,
            "currency": "人民币",
            "channel": "银联渠道转入",
            "summary": None,
            "bank": "招商银行",
        },
        {
            "source_row": 8,
            "account": "6214830000000001",
            "counterparty_account": None,
            "counterparty_account_raw": None,
            "counterparty_name": "财付通-微信支付",
            "occurred_at": pd.Timestamp("2024-05-02 16:00", tz="UTC"),
            "amount_fen": 3850,
            "direction": "out",
            "balance_fen": 1736150,
            "currency": "人民币",
            "channel": "快捷支付",
            "summary": None,
            "bank": "招商银行",
        },
        {
            "source_row": 9,
            "account": "6214830000000001",
            "counterparty_account": None,
            "counterparty_account_raw": "6214********0007",
            "counterparty_name": "王五",
            "occurred_at": pd.Timestamp("2024-05-03 16:00", tz="UTC"),
            "amount_fen": 100,
            "direction": "out",
            "balance_fen": 1736050,
            "currency": "人民币",
            "channel": "转账汇款",
            "summary": None,
            "bank": "招商银行",
        },
    ]
    assert records(result.rejects, ["source_row", "reason", "column"]) == [
        {"source_row": 10, "reason": "no_money_moved", "column": "交易金额"},
        {"source_row": 11, "reason": "bad_amount", "column": "交易金额"},
        {"source_row": 12, "reason": "unparseable_time", "column": "记账日期"},
    ]


def test_cmb_masked_card_needs_owner(
    tmp_path: Path, read_source: Callable[..., ReadResult]
) -> None:
    cmb_file(tmp_path / "cmb.csv", "6214********0001")
    masked = read_source(tmp_path, "cmb.csv", "cmb_statement")
    assert masked.table["account"].isna().all()
    assert set(masked.table["account_raw"]) == {"6214********0001"}
    owned = read_source(tmp_path, "cmb.csv", "cmb_statement", owner="6214830000000001")
    assert set(owned.table["account"]) == {"6214830000000001"}


def test_cmb_sniffed(tmp_path: Path, samples: Path) -> None:
    cmb_file(tmp_path / "cmb.csv", "6214830000000001")
    assert sniff(tmp_path / "cmb.csv", "cmb.csv", "transactions").format.name == "cmb_statement"
    deg = samples / "double-entry-generator"
    for relative, expected in [
        ("icbc/credit/example-icbc-credit-records.csv", "icbc_statement"),
        ("wechat/example-wechat-records.csv", "wechat_bill"),
        ("alipay/example-alipay-records.csv", "alipay_bill"),
    ]:
        assert sniff(deg / relative, relative, "transactions").format.name == expected
