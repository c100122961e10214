"""Splitting text exports into cells: line numbers stay exact whatever the file holds."""

from __future__ import annotations

from pathlib import Path

from linkage.load.delimited import read_delimited
from linkage.load.raw import ShortRow
from linkage.rejects import RejectReason

WORDS = frozenset({"交易时间", "金额", "对方", "备注"})


def problems(table) -> list[tuple[int, str]]:
    return [(p.source_row, str(p.reason)) for p in table.problems]


def test_preamble_trailing_comma_and_trailer(tmp_path: Path) -> None:
    text = (
        "账单明细\n导出时间: 2016-04-01\n\n"
        "交易时间 ,金额 ,对方 ,备注\n"
        '2016-03-10 10:00:00\t,"1,200.00" ,张三\t,-,\n'
        " \n"
        "2016-03-10 11:00:00,5.00,李四,\\N,\n"
        '人民币合计,"1,205.00",\n'
    )
    path = tmp_path / "bill.csv"
    path.write_bytes(text.encode("gb18030"))
    table = read_delimited(path, "bill.csv", WORDS)
    assert table.encoding == "gb18030" and table.header_row == 4
    assert table.preamble == ["账单明细", "导出时间: 2016-04-01", ""]
    assert table.header == ["交易时间", "金额", "对方", "备注", "_col5"]
    assert table.cells["source_row"].tolist() == [5, 7]
    assert table.column("金额").tolist() == ["1,200.00", "5.00"]
    assert table.column("备注").isna().all()  # `-` and `\N` are nulls
    assert problems(table) == [(6, "blank_row"), (8, "summary_row")]
    assert table.rows_read == 4


def test_quoted_newlines_keep_the_line_of_each_record(tmp_path: Path) -> None:
    text = '交易时间,金额,对方,备注\n2016-03-10,1.00,张三,"第一行\n第二行"\n2016-03-11,2.00,李四,\nx,y\n'
    path = tmp_path / "multi.csv"
    path.write_text(text, encoding="utf-8")
    table = read_delimited(path, "multi.csv", WORDS)
    assert table.cells["source_row"].tolist() == [2, 4, 5]
    assert table.column("备注").fillna("").tolist() == ["第一行\n第二行", "", ""]
    assert table.short_rows == {5: ShortRow(2, "x,y")}  # read with its last two cells empty
    assert problems(table) == []


def test_rows_that_stop_early_are_padded_and_others_stay_problems(tmp_path: Path) -> None:
    """Exports leave empty trailing fields off; a line without a delimiter, or with too many
    fields, is no record of this table."""
    lines = [
        "交易时间,金额,对方,备注",
        '2016-03-10,"1,000.00",张三',  # the note left off, the amount quoted
        "2016-03-11,2.00,李四,备注",
        "以上数据仅供参考",  # one field
        "2016-03-12,3.00,王五,备注,多余",  # five fields
        "2016-03-13,4.00",  # two of four
    ]
    for encoding in ("utf-8", "gb18030"):  # split as text, and as bytes then again as text
        path = tmp_path / f"short-{encoding}.csv"
        path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
        table = read_delimited(path, path.name, WORDS)
        assert table.cells["source_row"].tolist() == [2, 3, 6], encoding
        assert table.column("金额").tolist() == ["1,000.00", "2.00", "4.00"]
        assert table.column("备注").isna().tolist() == [True, False, True]
        assert table.short_rows == {
            2: ShortRow(3, '2016-03-10,"1,000.00",张三'),
            6: ShortRow(2, "2016-03-13,4.00"),
        }
        assert problems(table) == [(4, "malformed_row"), (5, "malformed_row")]
        assert table.rows_read == 5


def test_a_damaged_line_is_rejected_not_guessed(tmp_path: Path) -> None:
    good = "交易时间,金额,对方,备注\n2016-03-10,1.00,张三,\n".encode("gb18030")
    damaged = b"2016-03-11,2.00,\xff\xfe\xff,\n"
    path = tmp_path / "damaged.csv"
    path.write_bytes(good + damaged + "2016-03-12,3.00,王五,\n".encode("gb18030"))
    table = read_delimited(path, "damaged.csv", WORDS)
    assert table.cells["source_row"].tolist() == [2, 4]
    assert problems(table) == [(3, str(RejectReason.UNDECODABLE_ROW))]


def test_tab_separated_with_repeated_header_names(tmp_path: Path) -> None:
    text = "交易时间\t金额\t对方\t对方\t备注\n2016-03-10\t1\tA\tB\t\n"
    path = tmp_path / "tenpay.txt"
    path.write_text(text, encoding="utf-8")
    table = read_delimited(path, "tenpay.txt", WORDS)
    assert table.header == ["交易时间", "金额", "对方", "对方#2", "备注"]
    assert [table.column("对方")[0], table.column("对方#2")[0]] == ["A", "B"]


def test_a_damaged_line_far_below_the_header_is_found(tmp_path: Path) -> None:
    rows = [f"2016-03-10,{i}.00,张三,备注{i}" for i in range(20000)]
    good = ("交易时间,金额,对方,备注\n" + "\n".join(rows) + "\n").encode("gb18030")
    path = tmp_path / "big.csv"
    path.write_bytes(
        good + b"2016-03-11,2.00,\xff\xfe\xff,\n" + "2016-03-12,3.00,王五,\n".encode("gb18030")
    )
    table = read_delimited(path, "big.csv", WORDS)
    assert len(table.cells) == 20001 and table.encoding == "gb18030"
    assert problems(table) == [(20002, str(RejectReason.UNDECODABLE_ROW))]
    assert table.cells["source_row"].iloc[-1] == 20003


def test_a_damaged_utf8_line_is_not_reread_as_gb18030(tmp_path: Path) -> None:
    rows = ["交易时间,金额,对方,备注", "2016-03-10,1.00,张三,", "2016-03-11,2.00,李四,被骗\xe7\xbb"]
    data = "\n".join(rows[:2]).encode("utf-8") + b"\n"
    data += "2016-03-11,2.00,李四,被骗".encode() + b"\xe7\xbb\n"  # a cut-off UTF-8 character
    path = tmp_path / "cut.csv"
    path.write_bytes(data)
    table = read_delimited(path, "cut.csv", WORDS)
    assert table.encoding == "utf-8"
    assert table.cells["source_row"].tolist() == [2]
    assert problems(table) == [(3, str(RejectReason.UNDECODABLE_ROW))]


def test_a_short_row_with_a_quoted_newline_on_the_slow_path(tmp_path: Path) -> None:
    """Quoted newlines send the file to the csv module, which keeps each record's fields: a
    short row whose note spans two lines is padded like any other."""
    text = (
        "交易时间,金额,对方,备注\n"
        '2016-03-10,1.00,"张\n三"\n'  # three fields, the second line inside the quotes
        '2016-03-11,2.00,李四,"第一行\n第二行",多余\n'  # five fields
        "2016-03-12,3.00,王五,备注\n"
    )
    path = tmp_path / "slow.csv"
    path.write_text(text, encoding="utf-8")
    table = read_delimited(path, "slow.csv", WORDS)
    assert table.cells["source_row"].tolist() == [2, 6]
    assert table.column("对方").tolist() == ["张\n三", "王五"]
    assert table.short_rows[2].fields == 3
    assert problems(table) == [(4, "malformed_row")]


def test_rows_without_the_trailing_comma_the_others_end_with(tmp_path: Path) -> None:
    """Data rows one field wider than the header (a trailing comma): a row without that comma
    is complete, and only a row that stops before the header's last column is short."""
    text = "交易时间,金额,对方,备注\n2016-03-10,1.00,张三,a,\n2016-03-11,2.00,李四,b\n2016-03-12,3.00,\n"
    path = tmp_path / "commas.csv"
    path.write_text(text, encoding="utf-8")
    table = read_delimited(path, "commas.csv", WORDS)
    assert table.cells["source_row"].tolist() == [2, 3, 4]
    assert list(table.short_rows) == [4]
