"""The seized den ledger: an xlsx written with openpyxl the way a den's bookkeeper keeps it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pandas as pd
from frames import records

HEADER = (
    "日期,时间,被害人,被害人电话,被害人卡号,金额(元),收款卡号,收款户名,收款银行,一线,二线,三线,备注"
)
GROUP_CARD = "6217000000000000011"
VICTIM_CARD = "6222021234567890123"


def month_sheet(workbook: openpyxl.Workbook, name: str, title: str, rows: list[list[object]]):
    sheet = workbook.create_sheet(name)
    sheet.append([title])
    sheet.merge_cells("A1:M1")
    sheet.append(HEADER.split(","))
    for row in rows:
        sheet.append(row)
        date = sheet.cell(row=sheet.max_row, column=1)
        if isinstance(date.value, dt.datetime):
            date.number_format = "yyyy-mm-dd"
    return sheet


def test_den_ledger(tmp_path: Path, read_source) -> None:
    workbook = openpyxl.Workbook()
    workbook.active.title = "说明"
    workbook.active.append(["本账本由窝点电脑提取"])
    month_sheet(
        workbook,
        "2016-03",
        "XX组 2016年3月业绩",
        [
            [
                dt.datetime(2016, 3, 5),
                "14:30",
                "陳小明",
                13800138000,
                VICTIM_CARD,
                50000,
                GROUP_CARD,
                "王五",
                "中国建设银行",
                "張三",
                "李四",
                8001,
                "首笔",
            ],
            # A 19-digit card typed as a number: its last digits went through a float.
            [
                dt.datetime(2016, 3, 6),
                "09:05",
                "李華",
                "13900139000",
                VICTIM_CARD,
                20000,
                6217000000000000011,
                "王五",
                "中国建设银行",
                "張三",
                None,
                None,
                None,
            ],
            [
                "2016-03-07",
                "23:59",
                "趙六",
                None,
                None,
                "150,000.00",
                GROUP_CARD,
                "王五",
                "中国建设银行",
                "張三",
                None,
                None,
                None,
            ],
            ["合计", None, None, None, None, 220000],
        ],
    )
    month_sheet(
        workbook,
        "2016-04",
        "XX组 2016年4月业绩",
        [
            [
                dt.datetime(2016, 4, 1),
                "08:00",
                "孙七",
                None,
                6222021234567890123,
                1000,
                GROUP_CARD,
                "王五",
                "中国建设银行",
                "張三",
                None,
                None,
                None,
            ],
            [
                dt.datetime(2016, 4, 2),
                "10:15",
                "周八",
                "0086 137 0013 7000",
                "6226****5669",
                "2,500.5",
                GROUP_CARD,
                "王五",
                "中国建设银行",
                None,
                None,
                None,
                "二次",
            ],
        ],
    )
    workbook.save(tmp_path / "ledger.xlsx")

    result = read_source(tmp_path, "ledger.xlsx", "den_ledger", den="KL-1")
    # The cover sheet's note has no header to read it by: kept visible as a reject.
    assert result.rows_read == 7
    assert records(
        result.table,
        [
            "source_sheet",
            "source_row",
            "account",
            "holder_name",
            "bank",
            "counterparty_account",
            "counterparty_account_raw",
            "counterparty_name",
            "counterparty_phone",
            "occurred_at",
            "amount_fen",
            "direction",
            "channel",
            "summary",
            "operators",
            "den",
            "source_file",
        ],
    ) == [
        {
            "source_sheet": "2016-03",
            "source_row": 3,
            "account": GROUP_CARD,
            "holder_name": "王五",
            "bank": "中国建设银行",
            "counterparty_account": VICTIM_CARD,
            "counterparty_account_raw": VICTIM_CARD,
            "counterparty_name": "陈小明",
            "counterparty_phone": "+8613800138000",
            "occurred_at": pd.Timestamp("2016-03-05 06:30", tz="UTC"),
            "amount_fen": 5000000,
            "direction": "in",
            "channel": "den_ledger",
            "summary": "首笔",
            "operators": "一线:张三;二线:李四;三线:8001",
            "den": "KL-1",
            "source_file": "ledger.xlsx",
        },
        {
            "source_sheet": "2016-03",
            "source_row": 5,
            "account": GROUP_CARD,
            "holder_name": "王五",
            "bank": "中国建设银行",
            "counterparty_account": None,
            "counterparty_account_raw": None,
            "counterparty_name": "赵六",
            "counterparty_phone": None,
            "occurred_at": pd.Timestamp("2016-03-07 15:59", tz="UTC"),
            "amount_fen": 15000000,
            "direction": "in",
            "channel": "den_ledger",
            "summary": None,
            "operators": "一线:张三",
            "den": "KL-1",
            "source_file": "ledger.xlsx",
        },
        {
            "source_sheet": "2016-04",
            "source_row": 4,
            "account": GROUP_CARD,
            "holder_name": "王五",
            "bank": "中国建设银行",
            "counterparty_account": None,
            "counterparty_account_raw": "6226****5669",
            "counterparty_name": "周八",
            "counterparty_phone": "+8613700137000",
            "occurred_at": pd.Timestamp("2016-04-02 02:15", tz="UTC"),
            "amount_fen": 250050,
            "direction": "in",
            "channel": "den_ledger",
            "summary": "二次",
            "operators": None,
            "den": "KL-1",
            "source_file": "ledger.xlsx",
        },
    ]
    assert records(result.rejects, ["source_sheet", "source_row", "reason", "column"]) == [
        {"source_sheet": "说明", "source_row": 1, "reason": "malformed_row", "column": None},
        {"source_sheet": "2016-03", "source_row": 4, "reason": "id_mangled", "column": "收款卡号"},
        {"source_sheet": "2016-03", "source_row": 6, "reason": "summary_row", "column": None},
        {
            "source_sheet": "2016-04",
            "source_row": 3,
            "reason": "id_mangled",
            "column": "被害人卡号",
        },
    ]
