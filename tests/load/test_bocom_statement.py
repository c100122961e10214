"""BOCOM debit statement (GB18030 CSV): unsigned amounts, direction from 借 Dr / 贷 Cr."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
from frames import records

from linkage.load.context import ReadResult
from linkage.load.sniff import sniff

HEADER = "序号,交易日期,交易时间,交易类型,借贷,交易金额,余额,对方账号,对方户名,交易地点,摘要"


def bocom_file(path: Path) -> None:
    """Rows shaped like double-entry-generator's public example, with bad rows added."""
    lines = [
        HEADER,
        "1,2024-02-02,13:15:12,信用卡转账还款,借 Dr,3.21,2334.62,6666666666666666,哈哈,其他,",
        '2,2024-04-04,11:46:44,其他交易,贷 Cr,"1,000.00",184.69,6222021234567890123,李四,'
        "网络支付,银联入账(李四/其它)转账",
        # Zero interest, an unknown flag, an unreadable amount, an unreadable date.
        "3,2024-05-01,00:00:00,存款利息,贷 Cr,0.00,184.69,1323132313211331313,应付利息,批处理,",
        "4,2024-05-02,10:00:00,其他交易,收,5.00,189.69,,,,",
        "5,2024-05-03,10:00:00,其他交易,借 Dr,five,189.69,,,,",
        "6,2024/13/03,10:00:00,其他交易,借 Dr,1.00,188.69,,,,",
        "合计,,,,,,,,,,",
    ]
    path.write_bytes(("\n".join(lines) + "\n").encode("gb18030"))


def test_bocom_statement(tmp_path: Path, read_source: Callable[..., ReadResult]) -> None:
    bocom_file(tmp_path / "bocom.csv")
    result = read_source(
        tmp_path, "bocom.csv", "bocom_statement", origin="victim", owner="6222600000000000001"
    )
    assert records(
        result.table,
        [
            "source_row",
            "account",
            "counterparty_account",
            "counterparty_name",
            "occurred_at",
            "amount_fen",
            "direction",
            "balance_fen",
            "channel",
            "summary",
            "bank",
        ],
    ) == [
        {
            "source_row": 2,
            "account": "6222600000000000001",
            "counterparty_account": "6666666666666666",
            "counterparty_name": "哈哈",
            "occurred_at": pd.Timestamp("2024-02-02 05:15:12", tz="UTC"),
            "amount_fen": 321,
            "direction": "out",
            "balance_fen": 233462,
            "channel": "信用卡转账还款",
            "summary": "其他",
            "bank": "交通银行",
        },
        {
            "source_row": 3,
            "account": "6222600000000000001",
            "counterparty_account": "6222021234567890123",
            "counterparty_name": "李四",
            "occurred_at": pd.Timestamp("2024-04-04 03:46:44", tz="UTC"),
            "amount_fen": 100000,
            "direction": "in",
            "balance_fen": 18469,
            "channel": "其他交易",
            "summary": "网络支付 | 银联入账(李四/其它)转账",
            "bank": "交通银行",
        },
    ]
    assert records(result.rejects, ["source_row", "reason", "column"]) == [
        {"source_row": 4, "reason": "no_money_moved", "column": "交易金额"},
        {"source_row": 5, "reason": "bad_direction", "column": "借贷"},
        {"source_row": 6, "reason": "bad_amount", "column": "交易金额"},
        {"source_row": 7, "reason": "unparseable_time", "column": "交易日期"},
        {"source_row": 8, "reason": "summary_row", "column": "序号"},
    ]


def test_bocom_without_owner(tmp_path: Path, read_source: Callable[..., ReadResult]) -> None:
    bocom_file(tmp_path / "bocom.csv")
    result = read_source(tmp_path, "bocom.csv", "bocom_statement")
    assert result.table["account"].isna().all()
    assert len(result.table) == 2


def test_bocom_sniffed(tmp_path: Path, samples: Path) -> None:
    bocom_file(tmp_path / "bocom.csv")
    found = sniff(tmp_path / "bocom.csv", "bocom.csv", "transactions")
    assert found.format.name == "bocom_statement"
    deg = samples / "double-entry-generator"
    for relative, expected in [
        ("icbc/debit-v1/example-icbc-debit-v1-records.csv", "icbc_statement"),
        ("wechat/example-wechat-records.csv", "wechat_bill"),
        ("alipay/example-alipay-records.csv", "alipay_bill"),
    ]:
        assert sniff(deg / relative, relative, "transactions").format.name == expected
