"""查控 账户信息 tables: one canonical row per account, holders identified leniently."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from frames import records

HEADER = [
    "账户开户名称", "开户人证件号码", "交易卡号", "交易账号", "账号开户时间", "账户余额",
    "可用余额", "币种", "开户网点代码", "开户网点", "账户状态", "销户日期", "账户类型",
    "账号开户银行", "查询反馈结果原因",
]  # fmt: skip
CARD = "6222021234567890123"
INTERNAL = "12345678901234567890"


def write(path: Path, rows: list[dict[str, str]]) -> None:
    lines = [",".join(h + "*" if h == "交易卡号" else h for h in HEADER)]
    lines += [",".join(row.get(h, "") for h in HEADER) for row in rows]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("gb18030"))


def test_accounts(tmp_path: Path, read_source) -> None:
    write(
        tmp_path / "账户信息.csv",
        [
            {
                "账户开户名称": "張三",
                "开户人证件号码": "\t440304198512123013",
                "交易卡号": f"\t{CARD}_156_1",
                "交易账号": f"\t{INTERNAL}_156_1",
                "账号开户时间": "2015-01-01 09:30:00",
                "账户状态": "正常",
                "销户日期": r"\N",
                "账号开户银行": "中国工商银行",
                "查询反馈结果原因": r"\N",
            },
            # No card: the internal account is the key. ID with a wrong check character: kept raw.
            {
                "账户开户名称": "李四",
                "开户人证件号码": "440304198512123014",
                "交易卡号": "-",
                "交易账号": "\t6217000000000000011",
                "账号开户时间": "19000101",
                "账户状态": "销户",
                "销户日期": "2020-05-06",
                "账号开户银行": "中国建设银行",
            },
            {"交易卡号": CARD, "查询反馈结果原因": "查无此账户"},
            {"账户开户名称": "王五", "交易卡号": r"\N", "交易账号": ""},
            {"账户开户名称": "赵六", "交易卡号": "6226****5669"},
        ],
    )
    result = read_source(tmp_path, "账户信息.csv", "bank_accounts", origin="bank")
    assert result.rows_read == 5
    assert records(
        result.table,
        [
            "account",
            "account_raw",
            "holder_name",
            "holder_id",
            "holder_id_raw",
            "bank",
            "opened_at",
            "closed_at",
            "status",
            "origin",
            "source_file",
            "source_row",
        ],
    ) == [
        {
            "account": CARD,
            "account_raw": f"{CARD}_156_1",
            "holder_name": "张三",
            "holder_id": "440304198512123013",
            "holder_id_raw": "440304198512123013",
            "bank": "中国工商银行",
            "opened_at": pd.Timestamp("2015-01-01 01:30", tz="UTC"),
            "closed_at": None,
            "status": "正常",
            "origin": "bank",
            "source_file": "账户信息.csv",
            "source_row": 2,
        },
        {
            "account": "6217000000000000011",
            "account_raw": "6217000000000000011",
            "holder_name": "李四",
            "holder_id": None,
            "holder_id_raw": "440304198512123014",
            "bank": "中国建设银行",
            "opened_at": None,
            "closed_at": pd.Timestamp("2020-05-05 16:00", tz="UTC"),
            "status": "销户",
            "origin": "bank",
            "source_file": "账户信息.csv",
            "source_row": 3,
        },
    ]
    assert records(result.rejects, ["source_row", "reason", "column", "value"]) == [
        {
            "source_row": 4,
            "reason": "failed_status",
            "column": "查询反馈结果原因",
            "value": "查无此账户",
        },
        {"source_row": 5, "reason": "empty_identifier", "column": "交易卡号", "value": ""},
        {
            "source_row": 6,
            "reason": "masked_identifier",
            "column": "交易卡号",
            "value": "6226****5669",
        },
    ]
