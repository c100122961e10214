"""CCB personal statement (.xls): split date/time, numeric 支出/收入 sides, preamble card, trailer."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
import xlwt
from frames import records

from linkage.errors import SourceError
from linkage.load.context import ReadResult
from linkage.load.sniff import sniff

DEG = "double-entry-generator"
PUBLIC = [
    ("icbc/debit-v1/example-icbc-debit-v1-records.csv", "icbc_statement"),
    ("icbc/credit/example-icbc-credit-records.csv", "icbc_statement"),
    ("wechat/example-wechat-records.csv", "wechat_bill"),
    ("wechat/example-wechat-records.xlsx", "wechat_bill"),
    ("alipay/example-alipay-records.csv", "alipay_bill"),
]
HEADER: list[object] = [
    " 记账日 ",
    "  交易日期",
    "交易时间  ",
    " 支出 ",
    " 收入 ",
    "账户余额 ",
    "币种",
    "摘要",
    "对方账号",
    "对方户名",
    "交易地点",
]


def ccb_file(path: Path, card: str) -> None:
    """A CCB download: 5 preamble rows, a padded header, data rows (numeric amounts), trailer."""
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("交易明细")
    preamble: list[list[object]] = [
        ["中国建设银行个人活期账户交易明细"],
        ["账　　号：", card, "", "币　　种：", "人民币"],
        ["户　　名：", "张 三"],
        ["起始日期：", "20250101", "", "结束日期：", "20250131"],
        ["打印日期：", "20250201"],
    ]
    data: list[list[object]] = [
        HEADER,
        # Money out at 18:53:19 Beijing = 10:53:19 UTC, counterparty with a full card.
        [
            "20250101",
            "20250101",
            "18:53:19",
            2600.0,
            "",
            7400.5,
            "人民币",
            "转账取款",
            "6222021234567890123",
            "李 四",
            "手机银行",
        ],
        # Money in, just after local midnight: still the previous day in UTC.
        [
            "20250103",
            "20250103",
            "00:05:00",
            "",
            10000.25,
            17400.75,
            "人民币",
            "跨行转入",
            "",
            "王五",
            "网上银行",
        ],
        # A zero interest line moved no money.
        ["20250104", "20250104", "09:00:00", 0.0, "", 17400.75, "人民币", "结息", "", "", ""],
        # Money on both sides cannot be read.
        ["20250105", "20250105", "09:00:00", 1.0, 2.0, 17401.75, "人民币", "转账", "", "", ""],
        # An unreadable time.
        ["20250106", "20250106", "25:61:00", 5.0, "", 17396.75, "人民币", "消费", "", "", ""],
        ["合计", "", "", 2606.0, 10002.25, "", "", "", "", "", ""],
    ]
    for r, row in enumerate(preamble + data):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    book.save(str(path))


def test_ccb_statement(tmp_path: Path, read_source: Callable[..., ReadResult]) -> None:
    ccb_file(tmp_path / "ccb.xls", "6217000010012345678")
    result = read_source(tmp_path, "ccb.xls", "ccb_statement", origin="victim")
    assert records(
        result.table,
        [
            "source_row",
            "account",
            "account_raw",
            "holder_name",
            "counterparty_account",
            "counterparty_name",
            "occurred_at",
            "amount_fen",
            "direction",
            "balance_fen",
            "currency",
            "channel",
            "summary",
            "bank",
            "origin",
        ],
    ) == [
        {
            "source_row": 7,
            "account": "6217000010012345678",
            "account_raw": "6217000010012345678",
            "holder_name": "张三",
            "counterparty_account": "6222021234567890123",
            "counterparty_name": "李四",
            "occurred_at": pd.Timestamp("2025-01-01 10:53:19", tz="UTC"),
            "amount_fen": 260000,
            "direction": "out",
            "balance_fen": 740050,
            "currency": "人民币",
            "channel": "转账取款",
            "summary": "手机银行",
            "bank": "中国建设银行",
            "origin": "victim",
        },
        {
            "source_row": 8,
            "account": "6217000010012345678",
            "account_raw": "6217000010012345678",
            "holder_name": "张三",
            "counterparty_account": None,
            "counterparty_name": "王五",
            "occurred_at": pd.Timestamp("2025-01-02 16:05", tz="UTC"),
            "amount_fen": 1000025,
            "direction": "in",
            "balance_fen": 1740075,
            "currency": "人民币",
            "channel": "跨行转入",
            "summary": "网上银行",
            "bank": "中国建设银行",
            "origin": "victim",
        },
    ]
    assert records(result.rejects, ["source_row", "reason", "column"]) == [
        {"source_row": 9, "reason": "no_money_moved", "column": "收入"},
        {"source_row": 10, "reason": "malformed_row", "column": "支出"},
        {"source_row": 11, "reason": "unparseable_time", "column": "交易日期"},
        {"source_row": 12, "reason": "summary_row", "column": None},
    ]


def test_ccb_masked_card_and_owner(tmp_path: Path, read_source: Callable[..., ReadResult]) -> None:
    ccb_file(tmp_path / "masked.xls", "6217********5678")
    masked = read_source(tmp_path, "masked.xls", "ccb_statement")
    assert masked.table["account"].isna().all()
    assert set(masked.table["account_raw"]) == {"6217********5678"}
    owned = read_source(tmp_path, "masked.xls", "ccb_statement", owner="6217000010012345678")
    assert set(owned.table["account"]) == {"6217000010012345678"}


def test_ccb_sniffed(tmp_path: Path) -> None:
    ccb_file(tmp_path / "ccb.xls", "6217000010012345678")
    assert sniff(tmp_path / "ccb.xls", "ccb.xls", "transactions").format.name == "ccb_statement"


@pytest.mark.parametrize(("relative", "expected"), PUBLIC)
def test_public_samples_still_sniff(samples: Path, relative: str, expected: str) -> None:
    path = samples / DEG / relative
    try:
        found = sniff(path, relative, "transactions").format.name
    except SourceError as error:  # pragma: no cover - the message says which formats collided
        pytest.fail(str(error))
    assert found == expected
