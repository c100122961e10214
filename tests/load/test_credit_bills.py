"""BOC and BOCOM credit card bills: victims who paid from a credit card hand these in.

Each file is written here in the bank's layout with its quirks: a title line, dates without a
time, the card named by its last four digits only (BOC) or not at all (BOCOM), merchant text
with a country code, amounts in two columns (BOC) or currency and number in one cell (BOCOM), a
purchase abroad settled in yuan, summary and trailer lines, and rows that leave trailing fields
off.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from frames import records

from linkage import load_case
from linkage.cli import main
from linkage.load.context import ReadResult
from linkage.load.sniff import sniff

Reader = Callable[..., ReadResult]
BEIJING_MIDNIGHT = "16:00"  # a date without a time is the day's start in Beijing: 16:00 UTC before
CARD = "6259650871772098"
BOC = [
    "中国银行信用卡账单(2024年01月)",
    "交易日,银行记账日,卡号后四位,交易描述,存入,支出,币种",
    # A purchase through a payment platform, spent in China.
    "2024-01-03,2024-01-04,2098,财付通-美团 CHN,,58.00,人民币",
    # A card transfer to a stranger: the money a victim sent.
    '2024-01-05,2024-01-05,2098,网银跨行转账 CHN,,"50,000.00",人民币',
    # A repayment, posted by the bank with no 交易日; the empty 支出 and 币种 are left off.
    ",2024-01-20,2098,还款-感谢您,50058.00",
    # A supplementary card on the same bill: not the main card.
    "2024-01-06,2024-01-07,5511,APPLE.COM/BILL USA,,6.00,人民币",
    # Nothing moved; money on both sides; a day that does not exist.
    "2024-01-07,2024-01-07,2098,调整 CHN,,0.00,人民币",
    "2024-01-08,2024-01-08,2098,冲正 CHN,1.00,1.00,人民币",
    "2024-02-30,2024-02-30,2098,消费 CHN,,5.00,人民币",
    "本期应还金额,50058.00",
    "合计,,,,50058.00,50064.00",
]
BOCOM = [
    "交易日期,记账日期,交易说明,交易币种/金额,入账币种/金额",
    "2024-01-03,2024-01-04,消费 支付宝-某商户,CNY 123.18,CNY 123.18",
    # A purchase abroad: 12 dollars settled as 86.50 yuan.
    "2024/01/05,2024/01/06,消费 AMAZON.COM SEATTLE,USD 12.00,CNY 86.50",
    # A refund and a repayment are money in, whatever their sign.
    "2024-01-08,2024-01-08,退货 某商户,CNY 23.18,CNY -23.18",
    "2024-01-20,2024-01-20,还款,,CNY 186.50",
    # A cash advance that stops after its description: both amounts are left off.
    "2024-01-21,2024-01-21,取现 ATM",  # malformed: every BOCOM row writes its amounts
    "2024-01-22,2024-01-22,消费,CNY 1.00,CNY abc",
    "合计,,,,CNY 186.50",
]


def write(path: Path, lines: list[str], encoding: str) -> Path:
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def test_boc_credit_bill(tmp_path: Path, read_source: Reader) -> None:
    write(tmp_path / f"中行信用卡_{CARD}.csv", BOC, "gb18030")
    result = read_source(tmp_path, f"中行信用卡_{CARD}.csv", "boc_credit", origin="victim")
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
            "summary",
            "bank",
        ],
    ) == [
        {
            "source_row": 3,
            "account": CARD,
            "account_raw": CARD,
            "occurred_at": pd.Timestamp(f"2024-01-02 {BEIJING_MIDNIGHT}", tz="UTC"),
            "time_resolution_s": 86400,
            "amount_fen": 5800,
            "direction": "out",
            "currency": "人民币",
            "summary": "财付通-美团 | CHN",
            "bank": "中国银行",
        },
        {
            "source_row": 4,
            "account": CARD,
            "account_raw": CARD,
            "occurred_at": pd.Timestamp(f"2024-01-04 {BEIJING_MIDNIGHT}", tz="UTC"),
            "time_resolution_s": 86400,
            "amount_fen": 5000000,
            "direction": "out",
            "currency": "人民币",
            "summary": "网银跨行转账 | CHN",
            "bank": "中国银行",
        },
        {
            "source_row": 5,
            "account": CARD,
            "account_raw": CARD,
            "occurred_at": pd.Timestamp(f"2024-01-19 {BEIJING_MIDNIGHT}", tz="UTC"),
            "time_resolution_s": 86400,
            "amount_fen": 5005800,
            "direction": "in",
            "currency": None,
            "summary": "还款-感谢您",
            "bank": "中国银行",
        },
        {
            "source_row": 6,
            "account": None,
            "account_raw": "5511",
            "occurred_at": pd.Timestamp(f"2024-01-05 {BEIJING_MIDNIGHT}", tz="UTC"),
            "time_resolution_s": 86400,
            "amount_fen": 600,
            "direction": "out",
            "currency": "人民币",
            "summary": "APPLE.COM/BILL | USA",
            "bank": "中国银行",
        },
    ]
    assert records(result.rejects, ["source_row", "reason", "column"]) == [
        {"source_row": 7, "reason": "no_money_moved", "column": "存入"},
        {"source_row": 8, "reason": "malformed_row", "column": "支出"},
        {"source_row": 9, "reason": "unparseable_time", "column": "交易日"},
        {"source_row": 10, "reason": "summary_row", "column": None},
        {"source_row": 11, "reason": "summary_row", "column": None},
    ]
    assert result.rows_read == len(BOC) - 2
    assert any("1 rows name their card by its last four digits only (5511)" in n
               for n in result.notes)  # fmt: skip


def test_boc_credit_card_from_case_toml_and_unknown(tmp_path: Path, read_source: Reader) -> None:
    write(tmp_path / "bill.csv", BOC, "gb18030")
    named = read_source(tmp_path, "bill.csv", "boc_credit", origin="victim", owner=CARD)
    assert named.table["account"].tolist() == [CARD] * 4  # the supplementary card too
    unknown = read_source(tmp_path, "bill.csv", "boc_credit", origin="victim")
    assert unknown.table["account"].isna().all()
    assert unknown.table["account_raw"].tolist() == ["2098", "2098", "2098", "5511"]
    (note,) = unknown.notes[-1:]
    assert "4 rows name their card by its last four digits only (2098, 5511)" in note
    assert 'owner = "<card number>"' in note


def test_bocom_credit_bill(tmp_path: Path, read_source: Reader) -> None:
    write(tmp_path / "bocom.csv", BOCOM, "utf-8")
    result = read_source(tmp_path, "bocom.csv", "bocom_credit", origin="victim", owner=CARD)
    assert records(
        result.table,
        [
            "source_row",
            "account",
            "occurred_at",
            "amount_fen",
            "direction",
            "currency",
            "original_amount_fen",
            "original_currency",
            "summary",
            "bank",
        ],
    ) == [
        {
            "source_row": 2,
            "account": CARD,
            "occurred_at": pd.Timestamp(f"2024-01-02 {BEIJING_MIDNIGHT}", tz="UTC"),
            "amount_fen": 12318,
            "direction": "out",
            "currency": "CNY",
            "original_amount_fen": None,
            "original_currency": None,
            "summary": "消费 支付宝-某商户",
            "bank": "交通银行",
        },
        {
            "source_row": 3,
            "account": CARD,
            "occurred_at": pd.Timestamp(f"2024-01-04 {BEIJING_MIDNIGHT}", tz="UTC"),
            "amount_fen": 8650,
            "direction": "out",
            "currency": "CNY",
            "original_amount_fen": 1200,
            "original_currency": "USD",
            "summary": "消费 AMAZON.COM SEATTLE",
            "bank": "交通银行",
        },
        {
            "source_row": 4,
            "account": CARD,
            "occurred_at": pd.Timestamp(f"2024-01-07 {BEIJING_MIDNIGHT}", tz="UTC"),
            "amount_fen": 2318,
            "direction": "in",
            "currency": "CNY",
            "original_amount_fen": None,
            "original_currency": None,
            "summary": "退货 某商户",
            "bank": "交通银行",
        },
        {
            "source_row": 5,
            "account": CARD,
            "occurred_at": pd.Timestamp(f"2024-01-19 {BEIJING_MIDNIGHT}", tz="UTC"),
            "amount_fen": 18650,
            "direction": "in",
            "currency": "CNY",
            "original_amount_fen": None,
            "original_currency": None,
            "summary": "还款",
            "bank": "交通银行",
        },
    ]
    assert records(result.rejects, ["source_row", "reason", "column"]) == [
        {"source_row": 6, "reason": "malformed_row", "column": "交易币种/金额"},
        {"source_row": 7, "reason": "bad_amount", "column": "入账币种/金额"},
        {"source_row": 8, "reason": "summary_row", "column": "交易日期"},
    ]
    assert result.rows_read == len(BOCOM) - 1
    for money in ("amount_fen", "original_amount_fen"):  # integer fen, never float
        assert str(result.table[money].dtype) == "int64[pyarrow]"


def test_init_names_both_bills_and_run_loads_every_row(tmp_path: Path) -> None:
    """A new user's folder: one bill of each bank and the victim list. ``linkage init`` names
    both formats and takes them for the victim's own; ``linkage run`` keeps or rejects every
    row, with the amounts to the fen, and says what to add for the card nobody named."""
    folder = tmp_path / "case"
    (folder / "victim").mkdir(parents=True)
    write(folder / "victim" / f"中行信用卡_{CARD}.csv", BOC, "gb18030")
    write(folder / "victim" / "交行信用卡.csv", BOCOM, "gb18030")
    write(
        folder / "victims.csv",
        ["序号,被害人姓名,身份证号码,联系电话,报案时间,被骗金额(元),被害人账号,收款账号",
         "1,张三,110101199003074258,13912345678,2024-02-01 10:00:00,50000,,"],
        "gb18030",
    )  # fmt: skip
    assert sniff(folder / "victim" / "交行信用卡.csv", "x.csv", "transactions").format.name == (
        "bocom_credit"
    )
    assert main(["init", str(folder)]) == 0
    draft = tomllib.loads((folder / "case.toml").read_text(encoding="utf-8"))
    drafted = {Path(s["path"]).name: (s.get("format"), s["origin"]) for s in draft["source"]}
    assert drafted[f"中行信用卡_{CARD}.csv"] == ("boc_credit", "victim")
    assert drafted["交行信用卡.csv"] == ("bocom_credit", "victim")
    transactions = load_case(folder).tables["transactions"]
    by_file = transactions.groupby("source_file")["amount_fen"].agg(["count", "sum"])
    assert by_file.loc[f"victim/中行信用卡_{CARD}.csv"].tolist() == [4, 5005800 + 5000000 + 6400]
    assert by_file.loc["victim/交行信用卡.csv"].tolist() == [4, 12318 + 8650 + 2318 + 18650]
    out = tmp_path / "out"
    assert main(["run", str(folder), "--out", str(out), "--quiet"]) == 0
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    rows = {s["path"]: (s["rows_read"], s["rows_kept"], s["rows_rejected"])
            for s in manifest["sources"]}  # fmt: skip
    assert rows[f"victim/中行信用卡_{CARD}.csv"] == (9, 4, 5)
    assert rows["victim/交行信用卡.csv"] == (7, 4, 3)
    victims = pd.read_csv(out / "victims.csv", dtype=str, keep_default_na=False)
    assert (  # the BOC bill too: its supplementary card's rows
        f"2 statements in the case belong to no known account, victim/中行信用卡_{CARD}.csv, "
        "victim/交行信用卡.csv: give each its owner in case.toml" in victims["missing"][0]
    )


def test_formats_lists_both_bills(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["formats", "--kind", "transactions"]) == 0
    listed = capsys.readouterr().out
    assert "boc_credit" in listed and "bocom_credit" in listed and "cmb_credit" in listed
