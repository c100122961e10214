"""SPDB personal statement (.xls): label/value first row, two-space date-times, split 存入/取出."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import xlwt
from frames import records

from linkage.load.context import ReadResult
from linkage.load.sniff import sniff

HEADER = ["顺序号", "交易日期", "交易类型", "存入金额", "取出金额", "余额", "交易对手名称",
          "交易对手账号", "附言"]  # fmt: skip


def spdb_file(path: Path, account: str) -> None:
    """An SPDB download: one sheet named ``sheet``, every cell text, the unused side empty."""
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("sheet")
    rows = [
        ["账号", account, "账户类型", "借记卡", "日期范围", "20251201-20251231", "", "", ""],
        HEADER,
        # Money out at 14:06:51 Beijing = 06:06:51 UTC, to a merchant with an account.
        ["1", "2025/12/03  14:06:51", "网上支付-支付宝", "", "3.88", "1981.33",
         "基金销售有限公司", "12345678901236500", ""],
        # Money in just after local midnight (the previous day in UTC), thousands comma.
        ["2", "2025/12/04  00:10:00", "汇入外", "10,000.00", "", "11981.33", "张 三",
         "6217001234567890123", "还款"],
        # Nothing on either side; both sides; an unreadable date.
        ["3", "2025/12/05  09:00:00", "结息", "0.00", "", "11981.33", "", "", ""],
        ["4", "2025/12/06  09:00:00", "转账", "1.00", "2.00", "11982.33", "", "", ""],
        ["5", "2025/13/06  09:00:00", "转账", "", "5.00", "11977.33", "", "", ""],
        ["合计", "", "", "10,001.00", "10.88", "", "", "", ""],
    ]  # fmt: skip
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    book.save(str(path))


def test_spdb_statement(tmp_path: Path, read_source: Callable[..., ReadResult]) -> None:
    spdb_file(tmp_path / "spdb.xls", "6225880012345678")
    result = read_source(tmp_path, "spdb.xls", "spdb_statement", origin="victim")
    assert records(
        result.table,
        [
            "source_row",
            "account",
            "account_raw",
            "counterparty_account",
            "counterparty_name",
            "occurred_at",
            "amount_fen",
            "direction",
            "balance_fen",
            "channel",
            "summary",
            "bank",
            "origin",
        ],
    ) == [
        {
            "source_row": 3,
            "account": "6225880012345678",
            "account_raw": "6225880012345678",
            "counterparty_account": "12345678901236500",
            "counterparty_name": "基金销售有限公司",
            "occurred_at": pd.Timestamp("2025-12-03 06:06:51", tz="UTC"),
            "amount_fen": 388,
            "direction": "out",
            "balance_fen": 198133,
            "channel": "网上支付-支付宝",
            "summary": None,
            "bank": "上海浦东发展银行",
            "origin": "victim",
        },
        {
            "source_row": 4,
            "account": "6225880012345678",
            "account_raw": "6225880012345678",
            "counterparty_account": "6217001234567890123",
            "counterparty_name": "张三",
            "occurred_at": pd.Timestamp("2025-12-03 16:10", tz="UTC"),
            "amount_fen": 1000000,
            "direction": "in",
            "balance_fen": 1198133,
            "channel": "汇入外",
            "summary": "还款",
            "bank": "上海浦东发展银行",
            "origin": "victim",
        },
    ]
    assert records(result.rejects, ["source_row", "reason", "column"]) == [
        {"source_row": 5, "reason": "no_money_moved", "column": "存入金额"},
        {"source_row": 6, "reason": "malformed_row", "column": "取出金额"},
        {"source_row": 7, "reason": "unparseable_time", "column": "交易日期"},
        {"source_row": 8, "reason": "summary_row", "column": None},
    ]


def test_spdb_masked_account_and_owner(
    tmp_path: Path, read_source: Callable[..., ReadResult]
) -> None:
    spdb_file(tmp_path / "masked.xls", "6225********5678")
    masked = read_source(tmp_path, "masked.xls", "spdb_statement")
    assert masked.table["account"].isna().all()
    assert set(masked.table["account_raw"]) == {"6225********5678"}
    owned = read_source(tmp_path, "masked.xls", "spdb_statement", owner="6225880012345678")
    assert set(owned.table["account"]) == {"6225880012345678"}


def test_spdb_sniffed(tmp_path: Path) -> None:
    spdb_file(tmp_path / "spdb.xls", "6225880012345678")
    found = sniff(tmp_path / "spdb.xls", "spdb.xls", "transactions")
    assert found.format.name == "spdb_statement"
