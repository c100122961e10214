"""CMB credit card bill as a table: MM/DD days dated by the title's month, bank-side signs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from frames import records

from linkage.errors import SourceError
from linkage.load.context import ReadResult
from linkage.load.sniff import sniff

TITLE = "招商银行信用卡对账单（个人消费卡账户 2024年01月）（补）"
HEADER = "交易日,记账日,交易摘要,人民币金额,卡号末四位,交易地金额"
ROWS = [
    # A December purchase in the January bill: the year before. Money out of the holder.
    '12/28,12/29,财付通-张三,"8,000.00",1234,"8,000.00(CN)"',
    # A repayment has no 交易日: dated by 记账日; negative is money in.
    ",01/02,掌上生活还款,-1.23,1234,-1.23",
    # A refund (negative) in the bill's own month.
    "01/05,01/06,退款-某商户,-38.50,1234,-38.50(CN)",
    # Nothing moved; an unreadable amount; a day that does not exist.
    "01/07,01/07,调整,0.00,1234,0.00",
    "01/08,01/08,消费,abc,1234,",
    "13/45,01/09,消费,5.00,1234,5.00",
]


def bill(path: Path, title: str | None = TITLE, rows: list[str] = ROWS) -> None:
    lines = ([title] if title else []) + [HEADER, *rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_cmb_credit(tmp_path: Path, read_source: Callable[..., ReadResult]) -> None:
    bill(tmp_path / "cmb_credit.csv")
    result = read_source(tmp_path, "cmb_credit.csv", "cmb_credit", origin="victim")
    assert records(
        result.table,
        [
            "source_row",
            "account",
            "account_raw",
            "occurred_at",
            "time_resolution_s",
            "amount_fen",
            "direction",
            "currency",
            "channel",
            "summary",
            "bank",
        ],
    ) == [
        {
            "source_row": 3,
            "account": None,
            "account_raw": "1234",
            "occurred_at": pd.Timestamp("2023-12-27 16:00", tz="UTC"),
            "time_resolution_s": 86400,
            "amount_fen": 800000,
            "direction": "out",
            "currency": "人民币",
            "channel": "财付通-张三",
            "summary": "8,000.00(CN)",
            "bank": "招商银行",
        },
        {
            "source_row": 4,
            "account": None,
            "account_raw": "1234",
            "occurred_at": pd.Timestamp("2024-01-01 16:00", tz="UTC"),
            "time_resolution_s": 86400,
            "amount_fen": 123,
            "direction": "in",
            "currency": "人民币",
            "channel": "掌上生活还款",
            "summary": "-1.23",
            "bank": "招商银行",
        },
        {
            "source_row": 5,
            "account": None,
            "account_raw": "1234",
            "occurred_at": pd.Timestamp("2024-01-04 16:00", tz="UTC"),
            "time_resolution_s": 86400,
            "amount_fen": 3850,
            "direction": "in",
            "currency": "人民币",
            "channel": "退款-某商户",
            "summary": "-38.50(CN)",
            "bank": "招商银行",
        },
    ]
    assert records(result.rejects, ["source_row", "reason", "column", "value"]) == [
        {"source_row": 6, "reason": "no_money_moved", "column": "人民币金额", "value": "0.00"},
        {"source_row": 7, "reason": "bad_amount", "column": "人民币金额", "value": "abc"},
        {"source_row": 8, "reason": "unparseable_time", "column": "交易日", "value": "13/45"},
    ]


def test_cmb_credit_owner_and_email_days(
    tmp_path: Path, read_source: Callable[..., ReadResult]
) -> None:
    """case.toml ``owner`` names the card; the e-mail bill's ``MMDD`` days and English title."""
    bill(
        tmp_path / "bill.csv", "CMB Credit Card Statement (2025.02)", ["0130,0131,消费,10.00,1234,"]
    )
    result = read_source(tmp_path, "bill.csv", "cmb_credit", owner="6225768712345678")
    assert records(result.table, ["account", "account_raw", "occurred_at"]) == [
        {
            "account": "6225768712345678",
            "account_raw": "6225768712345678",
            "occurred_at": pd.Timestamp("2025-01-29 16:00", tz="UTC"),
        }
    ]


def test_cmb_credit_without_title_is_refused(
    tmp_path: Path, read_source: Callable[..., ReadResult]
) -> None:
    bill(tmp_path / "bill.csv", title=None)
    with pytest.raises(SourceError, match=r"bill.csv: .*must name the bill's month"):
        read_source(tmp_path, "bill.csv", "cmb_credit")


def test_cmb_credit_sniffed(tmp_path: Path) -> None:
    bill(tmp_path / "bill.csv")
    assert sniff(tmp_path / "bill.csv", "bill.csv", "transactions").format.name == "cmb_credit"


def test_cmb_credit_rejects_name_the_day_used(
    tmp_path: Path, read_source: Callable[..., ReadResult]
) -> None:
    """A row without 交易日 is dated by 记账日, so its reject names 记账日."""
    rows = [
        ",13/45,掌上生活还款,-1.00,1234,",
        ",,掌上生活还款,-2.00,1234,",
        "13/45,01/02,消费,3.00,1234,",
    ]
    bill(tmp_path / "bill.csv", rows=rows)
    result = read_source(tmp_path, "bill.csv", "cmb_credit")
    assert result.table.empty
    assert records(result.rejects, ["source_row", "reason", "column", "value"]) == [
        {"source_row": 3, "reason": "unparseable_time", "column": "记账日", "value": "13/45"},
        {"source_row": 4, "reason": "missing_value", "column": "记账日", "value": ""},
        {"source_row": 5, "reason": "unparseable_time", "column": "交易日", "value": "13/45"},
    ]


def test_cmb_credit_workbook_dates_keep_the_bill_year(
    tmp_path: Path, read_source: Callable[..., ReadResult]
) -> None:
    """Excel turns a typed ``12/28`` into a date of a year of its own: only month and day count;
    a ``1229`` typed as a number is a day too."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append([TITLE])
    sheet.append(HEADER.split(","))
    sheet.append([dt.datetime(2024, 12, 28), 1229, "财付通-张三", 8000, 1234, "8,000.00(CN)"])
    book.save(tmp_path / "bill.xlsx")
    result = read_source(tmp_path, "bill.xlsx", "cmb_credit")
    assert records(result.table, ["occurred_at", "amount_fen", "direction"]) == [
        {
            "occurred_at": pd.Timestamp("2023-12-27 16:00", tz="UTC"),
            "amount_fen": 800000,
            "direction": "out",
        }
    ]
