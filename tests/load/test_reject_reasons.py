"""One malformed input per reject reason, through the real readers, with the ledger reconciled.

Every RejectReason must be reachable from real input: a reason nobody can produce is dead
vocabulary, and a bad row nobody rejects is a row silently lost.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from linkage import load_case
from linkage.rejects import RejectReason

HEADER = (
    "交易卡号,交易账号,交易方户名,交易方证件号码,交易时间,交易金额,交易余额,收付标志,交易对手账卡号,现金标志,"
    "对手户名,对手身份证号,对手开户银行,摘要说明,交易币种,交易网点名称,交易发生地,交易是否成功,传票号,IP地址,"
    "MAC地址,对手交易余额,交易流水号,日志号,凭证种类,凭证号,交易柜员号,备注,商户名称,交易类型,查询反馈结果原因"
)
TAIL = ",其它,李四,,,转账,CNY,,,01,,,,,{serial},,,,,,,转账,{feedback}"


def bank_row(
    card: str = "6222020200001234567",
    when: str = "2016-03-10 10:40:00",
    amount: str = "100.00",
    flag: str = "进",
    serial: str = "S1",
    feedback: str = "",
) -> str:
    return f"{card},,王小明,,{when},{amount},,{flag},6217000011112222333" + TAIL.format(
        serial=serial, feedback=feedback
    )


BANK_ROWS = {
    "good": bank_row(serial="S0"),
    RejectReason.UNPARSEABLE_TIME: bank_row(when="2016-03-32 10:00:00", serial="S1"),
    RejectReason.TIME_OUT_OF_RANGE: bank_row(when="1985-01-01 10:00:00", serial="S2"),
    RejectReason.BAD_AMOUNT: bank_row(amount='"1,2O0.00"', serial="S3"),
    RejectReason.ID_MANGLED: bank_row(card="6.22202E+18", serial="S4"),
    RejectReason.MASKED_IDENTIFIER: bank_row(card="6222****4567", serial="S5"),
    RejectReason.INVALID_IDENTIFIER: bank_row(card="6222#0202", serial="S6"),
    RejectReason.EMPTY_IDENTIFIER: bank_row(card="", serial="S7"),
    RejectReason.MISSING_VALUE: bank_row(when="", serial="S8"),
    RejectReason.BAD_DIRECTION: bank_row(flag="收", serial="S9"),
    RejectReason.FAILED_STATUS: bank_row(serial="S10", feedback="查询失败"),
    RejectReason.NO_MONEY_MOVED: bank_row(amount="0.00", serial="S11"),
    RejectReason.MALFORMED_ROW: bank_row(serial="S12") + ",extra,fields",
    RejectReason.BLANK_ROW: ",,,,",
    RejectReason.SUMMARY_ROW: "合计,,,,,100.00",
}

DIAL_ROWS = (
    "主叫号码,被叫号码,开始时间,结束时间,通话时长,主叫经由网关",
    "13800138000,13912345678,2016-04-08 12:00:00,2016-04-08 12:01:05,00:01:05,GW-1",
    "13800138000,13912345678,2016-04-08 12:04:00,2016-04-08 12:04:10,1:5,GW-1",
    "13800138000,13912345678,2016-04-08 13:00:00,2016-04-08 13:01:05,00:01:05,GW-1",
)
"""A seized gateway's list: a good call, a talk time that is not a number, and a call one hour
after the seizure (10:00 UTC, with ten minutes' clock skew allowed)."""


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("reasons")
    lines = [HEADER, *BANK_ROWS.values()]
    data = ("\n".join(lines[:3]) + "\n").encode("gb18030")
    data += b"6222020200001234567,,\xff\xfe\xff,,2016-03-10,1.00,,\xe8\xbf\x9b\n"  # undecodable
    data += ("\n".join(lines[3:]) + "\n").encode("gb18030")
    (folder / "return.csv").write_bytes(data)
    # A second, overlapping return repeats the first row (and adds nothing else).
    (folder / "again.csv").write_bytes(f"{HEADER}\n{BANK_ROWS['good']}\n".encode("gb18030"))
    source = '\n[[source]]\npath = "{}"\nkind = "transactions"\norigin = "bank"\n'
    (folder / "dial.csv").write_bytes(("\n".join(DIAL_ROWS) + "\n").encode("gb18030"))
    dial = '\n[[source]]\npath = "dial.csv"\nkind = "calls"\norigin = "seized"\ntimezone = "UTC"\n'
    (folder / "case.toml").write_text(
        '[case]\nname = "reasons"\nseized_at = "2016-04-08T12:00:00+00:00"\n'
        + source.format("return.csv") + source.format("again.csv") + dial,
        encoding="utf-8",
    )  # fmt: skip
    return load_case(folder)


def test_every_reason_is_produced_once_at_its_row(loaded) -> None:
    expected = {}
    line = 2
    for key in BANK_ROWS:
        if line == 4:
            expected[line] = str(RejectReason.UNDECODABLE_ROW)
            line += 1
        if key != "good":
            expected[line] = str(key)
        line += 1
    found = {
        (f, r): reason
        for f, r, reason in loaded.rejects[["source_file", "source_row", "reason"]].itertuples(
            index=False
        )
    }
    expected = {("return.csv", row): reason for row, reason in expected.items()}
    expected[("again.csv", 2)] = str(RejectReason.DUPLICATE_ROW)
    expected[("dial.csv", 3)] = str(RejectReason.NOT_A_NUMBER)
    expected[("dial.csv", 4)] = str(RejectReason.AFTER_SEIZURE)
    assert found == expected
    assert set(found.values()) == {str(r) for r in RejectReason}


def test_the_ledger_reconciles(loaded) -> None:
    source, again, dial = loaded.sources
    assert (dial.rows_read, dial.rows_kept, dial.rows_rejected) == (3, 1, 2)
    assert source.rows_read == len(BANK_ROWS) + 1
    assert (source.rows_kept, source.rows_rejected) == (1, len(BANK_ROWS))
    assert (again.rows_read, again.rows_kept, again.rows_rejected) == (1, 0, 1)


def test_rejects_name_the_column_and_value(loaded) -> None:
    rejects = loaded.rejects.set_index("reason")
    assert rejects.loc["bad_amount", "column"] == "交易金额"
    assert rejects.loc["bad_amount", "value"] == "1,2O0.00"
    assert rejects.loc["id_mangled", "value"] == "6.22202E+18"
    assert rejects.loc["duplicate_row", "value"] == "same as return.csv row 2"


def test_identical_rows_within_one_file_are_two_records(tmp_path: Path) -> None:
    """A ledger noting minutes only may hold two payments of the same amount in one minute."""
    (tmp_path / "return.csv").write_text(
        "\n".join([HEADER, BANK_ROWS["good"], BANK_ROWS["good"]]) + "\n", encoding="utf-8"
    )
    (tmp_path / "case.toml").write_text(
        '[case]\nname = "x"\n[[source]]\npath = "return.csv"\nkind = "transactions"\n'
        'origin = "bank"\n',
        encoding="utf-8",
    )
    case = load_case(tmp_path)
    assert len(case.transactions) == 2 and case.rejects.empty
