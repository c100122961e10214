"""Rows that leave empty trailing fields off, one format of each family through its reader.

Real exports drop the empty fields at a row's end. Such a row is a transaction (or a call) with
those cells empty; a row that stops before a column its format needs stays a reject, as
``malformed_row`` naming that column.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
from frames import records

from linkage.load.context import ReadResult

Reader = Callable[..., ReadResult]


def write(path: Path, lines: list[str], encoding: str = "gb18030") -> None:
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))


def test_a_bank_statement_row_without_its_channel_and_note(
    tmp_path: Path, read_source: Reader
) -> None:
    """The ABC row a peer's parse of a real export found missing: 7 of its 9 fields."""
    write(
        tmp_path / "abc.csv",
        [
            "交易日期,交易时间,交易摘要,交易金额,本次余额,对手信息,日 志 号,交易渠道,交易附言",
            "20240102,101500,转账,+500.00,14288.01,李四,AB1,网上银行,--",
            "20240103,,正常还款,-12345.89,1943.12,12341234123412341,111222333",
            "20240104,090000,转账",  # stops before 交易金额
        ],
    )
    result = read_source(tmp_path, "abc.csv", "abc_statement", origin="victim")
    assert records(result.table, ["source_row", "amount_fen", "direction", "channel"]) == [
        {"source_row": 2, "amount_fen": 50000, "direction": "in", "channel": "网上银行"},
        {"source_row": 3, "amount_fen": 1234589, "direction": "out", "channel": None},
    ]
    assert records(result.rejects, ["source_row", "reason", "column", "value"]) == [
        {
            "source_row": 4,
            "reason": "malformed_row",
            "column": "交易金额",
            "value": "3 of 9 fields: 20240104,090000,转账",
        }
    ]
    assert any("1 rows left trailing fields off" in note for note in result.notes)


def test_a_bank_return_row_that_ends_after_the_counterparty(
    tmp_path: Path, read_source: Reader
) -> None:
    header = (
        "交易卡号,交易账号,交易方户名,交易方证件号码,交易时间,交易金额,交易余额,收付标志,交易对手账卡号,"
        "现金标志,对手户名,对手身份证号,对手开户银行,摘要说明,交易币种,交易网点名称,交易发生地,交易是否成功"
    )
    write(
        tmp_path / "return.csv",
        [
            header,
            "6222020200001234567,,王小明,,2016-03-10 10:40:00,100.00,,进,6217000011112222333",
            "6222020200001234567,,王小明,,2016-03-10 11:40:00",  # stops before 交易金额
        ],
    )
    result = read_source(tmp_path, "return.csv", "bank_transactions")
    assert records(
        result.table, ["source_row", "amount_fen", "direction", "counterparty_account"]
    ) == [
        {
            "source_row": 2,
            "amount_fen": 10000,
            "direction": "in",
            "counterparty_account": "6217000011112222333",
        }
    ]
    assert records(result.rejects, ["source_row", "reason", "column"]) == [
        {"source_row": 3, "reason": "malformed_row", "column": "交易金额"}
    ]


def test_a_payment_bill_row_without_its_order_number_and_note(
    tmp_path: Path, read_source: Reader
) -> None:
    write(
        tmp_path / "w.csv",
        [
            "交易时间,交易类型,交易对方,商品,收/支,金额(元),支付方式,当前状态,交易单号,商户单号,备注",
            "2024-05-01 20:15:00,转账,张三,/,支出,¥500.00,零钱,对方已收钱,1000050001",
        ],
        encoding="utf-8",
    )
    result = read_source(tmp_path, "w.csv", "wechat_bill", origin="victim", owner="wxid_Abc")
    assert records(result.table, ["source_row", "amount_fen", "direction", "serial_no"]) == [
        {"source_row": 2, "amount_fen": 50000, "direction": "out", "serial_no": "1000050001"}
    ]
    assert result.rejects.empty


def test_a_dial_list_row_without_key_and_forward(tmp_path: Path, read_source: Reader) -> None:
    write(
        tmp_path / "dial.csv",
        [
            "任务ID,线路号,分机号,主叫号码,被叫号码,开始时间,应答时间,结束时间,通话时长,呼叫结果,按键,转接分机",
            "T0310,L01,8001,02161592816,13912345678,2016-03-10 10:00:00,2016-03-10 10:00:15,"
            "2016-03-10 10:05:15,300,接通",
            "T0310,L01,8001,02161592816",  # stops before 被叫号码
        ],
    )
    result = read_source(tmp_path, "dial.csv", "dial_list", den="den-a", timezone="Africa/Nairobi")
    assert records(result.table, ["source_row", "callee", "duration_s", "forwarded_to"]) == [
        {"source_row": 2, "callee": "+8613912345678", "duration_s": 300, "forwarded_to": None}
    ]
    assert records(result.rejects, ["source_row", "reason", "column"]) == [
        {"source_row": 3, "reason": "malformed_row", "column": "被叫号码"}
    ]


def test_a_carrier_record_without_the_names(tmp_path: Path, read_source: Reader) -> None:
    write(
        tmp_path / "cdr.csv",
        [
            "己方号码,截获时间,呼叫类型,对方号码,己方位置区,己方小区,己方卡号,己方机身码,时长,己方姓名,对方姓名",
            "13912345678,2016-03-10 10:00:05,被叫,+254 20 1234567,0,0,460001234567890,"
            "861234567890123,1180",
        ],
        encoding="gbk",
    )
    result = read_source(tmp_path, "cdr.csv", "call_records", origin="telecom")
    calls = result.table
    assert calls["source_row"].tolist() == [2]
    assert calls["duration_s"].tolist() == [1180]
    assert calls["started_at"].tolist() == [pd.Timestamp("2016-03-10 02:00:05", tz="UTC")]
    assert result.rejects.empty


def test_footers_of_two_fields_stay_malformed(tmp_path: Path, read_source: Reader) -> None:
    """A footer is no record: a victim list and a roster never let a row stop early (they keep
    any row naming somebody), and a carrier record must reach the other party's number."""
    write(
        tmp_path / "victims.csv",
        [
            "序号,被害人姓名,身份证号码,联系电话,报案时间,被骗金额(元),被害人账号,收款账号",
            "1,张三,110101199003074258,13912345678,2024-02-01 10:00:00,50000,,",
            "填表人：李四,联系电话：13800000000",
        ],
    )
    victims = read_source(tmp_path, "victims.csv", "victim_list", origin="police")
    assert victims.table["source_row"].tolist() == [2]
    assert records(victims.rejects, ["source_row", "reason", "column"]) == [
        {"source_row": 3, "reason": "malformed_row", "column": "身份证号码"}
    ]
    write(
        tmp_path / "cdr.csv",
        [
            "己方号码,截获时间,呼叫类型,对方号码,己方位置区,己方小区,己方卡号,己方机身码,时长,己方姓名,对方姓名",
            "13912345678,2016-03-10 10:00:05",
        ],
    )
    calls = read_source(tmp_path, "cdr.csv", "call_records", origin="telecom")
    assert calls.table.empty
    assert records(calls.rejects, ["source_row", "reason", "column"]) == [
        {"source_row": 2, "reason": "malformed_row", "column": "呼叫类型"}
    ]


def test_money_read_from_a_short_row_stays_exact(tmp_path: Path, read_source: Reader) -> None:
    write(
        tmp_path / "abc.csv",
        [
            "交易日期,交易时间,交易摘要,交易金额,本次余额,对手信息,日 志 号,交易渠道,交易附言",
            "20240103,,正常还款,-12345.89,1943.12",
        ],
    )
    table = read_source(tmp_path, "abc.csv", "abc_statement", origin="victim").table
    assert str(table["amount_fen"].dtype) == "int64[pyarrow]"
    assert table["amount_fen"].tolist() == [1234589]
    assert table["balance_fen"].tolist() == [194312]
