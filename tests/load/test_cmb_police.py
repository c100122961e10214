"""CMB statements for police: split date and time, D/C direction codes, exact rows and rejects."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from linkage.load.sniff import sniff

UTC = dt.UTC

STATEMENT = (
    "交易日期,交易时间,客户名称,交易卡号,交易方向(D:借|C:贷),交易金额,联机余额,对方帐号,对方客户名称,交易摘要,账号\n"
    '20200105,103045,张三,\t6214830123456789,D,"1,000.00",5000.00,6222021234567890123,李四,转账,755912345610001\n'
    "20200105,10:31:00,张三,6214830123456789,C,250.50,5250.50,6228480011112222333_156_1,王五,汇入,755912345610001\n"
    "20200106,,张三,6214830123456789,C,10.00,5260.50,,,利息,755912345610001\n"
    "20200107,090000,张三,6214830123456789,D,12.3.4,5260.50,6222021234567890123,李四,转账,755912345610001\n"
    "20200107,090100,张三,6214830123456789,X,5.00,5255.50,6222021234567890123,李四,转账,755912345610001\n"
    "20200230,090200,张三,6214830123456789,D,5.00,5250.50,6222021234567890123,李四,转账,755912345610001\n"
    "20200108,090300,张三,6214830123456789,C,0.00,5250.50,,,冲正,755912345610001\n"
    "20200108,090400,张三,6214830123456789,D,-300.00,4950.50,6222021234567890123,李 四,转账,755912345610001\n"
    "20200108,090500,张三,,借,20.00,4930.50,,,手续费,755912345610001\n"
)


def test_cmb_police_rows_and_rejects(tmp_path: Path, read_source) -> None:
    (tmp_path / "cmb.csv").write_bytes(STATEMENT.encode("gb18030"))
    result = read_source(tmp_path, "cmb.csv", "cmb_police", origin="bank")
    trades = result.table
    assert trades["source_row"].tolist() == [2, 3, 4, 9, 10]
    assert trades["direction"].tolist() == ["out", "in", "in", "out", "out"]
    assert trades["amount_fen"].tolist() == [100000, 25050, 1000, 30000, 2000]
    assert trades["balance_fen"].tolist() == [500000, 525050, 526050, 495050, 493050]
    assert trades["occurred_at"].tolist() == [
        pd.Timestamp("2020-01-05 02:30:45", tz=UTC),
        pd.Timestamp("2020-01-05 02:31:00", tz=UTC),
        pd.Timestamp("2020-01-05 16:00:00", tz=UTC),  # no time: the day's start
        pd.Timestamp("2020-01-08 01:04:00", tz=UTC),
        pd.Timestamp("2020-01-08 01:05:00", tz=UTC),
    ]
    # The card is the account; the bank-internal 账号 only when the card is empty.
    assert trades["account"].tolist() == ["6214830123456789"] * 4 + ["755912345610001"]
    assert trades["counterparty_account"].tolist()[:2] == [
        "6222021234567890123",
        "6228480011112222333",
    ]
    assert pd.isna(trades["counterparty_account"].iloc[2])
    assert trades["counterparty_name"].tolist()[:2] == ["李四", "王五"]
    assert trades["counterparty_name"].iloc[3] == "李四"
    assert trades["holder_name"].unique().tolist() == ["张三"]
    assert trades["summary"].tolist()[0] == "转账" and (trades["bank"] == "招商银行").all()
    rejects = result.rejects[["source_row", "reason", "column", "value"]].to_dict("records")
    assert rejects == [
        {"source_row": 5, "reason": "bad_amount", "column": "交易金额", "value": "12.3.4"},
        {"source_row": 6, "reason": "bad_direction", "column": "交易方向(D:借|C:贷)", "value": "X"},
        {"source_row": 7, "reason": "unparseable_time", "column": "交易日期", "value": "20200230"},
        {"source_row": 8, "reason": "no_money_moved", "column": "交易金额", "value": "0.00"},
    ]


def test_sniffed_as_cmb_police_only(tmp_path: Path) -> None:
    path = tmp_path / "cmb.csv"
    path.write_bytes(STATEMENT.encode("gb18030"))
    assert sniff(path, "cmb.csv", "transactions").format.name == "cmb_police"
    assert sniff(path, "cmb.csv").format.name == "cmb_police"
