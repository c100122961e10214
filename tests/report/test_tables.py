"""CSV cells are written the same whether Arrow kernels or Python format them."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pyarrow as pa
import pytest

from linkage.report import tables
from linkage.report.tables import csv_text, write_csv


def test_kernel_formatting_equals_cell_by_cell(tmp_path: Path) -> None:
    whole = dt.datetime(2016, 3, 10, 2, 0, tzinfo=dt.UTC)
    table = pa.table(
        {
            "text": pa.array(["a,b", None, 'say "hi"', "行\n二"]),
            "number": pa.array([1, None, -3, 12], pa.int64()),
            "flag": pa.array([True, False, None, True]),
            "at": pa.array([whole, None, whole, whole], pa.timestamp("us", "UTC")),
            "fraction": pa.array(
                [whole + dt.timedelta(microseconds=5), None, whole, whole],
                pa.timestamp("us", "UTC"),
            ),
            "day": pa.array([dt.date(2016, 3, 10), None, None, dt.date(2016, 4, 8)]),
            "listed": pa.array([["a", "b"], None, [], ["c"]]),
        }
    )
    path = tmp_path / "t.csv"
    write_csv(table, path)
    with path.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.reader(stream))
    assert rows[0] == table.column_names
    expected = [[csv_text(v) for v in row.values()] for row in table.to_pylist()]
    assert rows[1:] == expected
    assert rows[1][4] == "2016-03-10T02:00:00.000005+00:00"
    assert rows[2] == ["", "", "false", "", "", "", ""]


def test_slices_write_the_bytes_of_one_pass(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rows are turned into text a slice at a time; a slice whose times have fractions is
    formatted cell by cell, the others by Arrow, and the file is the same as in one pass."""
    whole = dt.datetime(2016, 3, 10, 2, 0, tzinfo=dt.UTC)
    times = [whole + dt.timedelta(seconds=i) for i in range(10)]
    times[7] += dt.timedelta(microseconds=250)
    table = pa.table(
        {
            "at": pa.array(times, pa.timestamp("us", "UTC")),
            "n": pa.array(range(10), pa.int64()),
            "text": pa.array([f"行{i}" if i % 3 else None for i in range(10)]),
        }
    )
    write_csv(table, tmp_path / "one.csv")
    monkeypatch.setattr(tables, "ROWS_AT_ONCE", 4)
    write_csv(table, tmp_path / "sliced.csv")
    assert (tmp_path / "sliced.csv").read_bytes() == (tmp_path / "one.csv").read_bytes()
    lines = (tmp_path / "one.csv").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 11
    assert lines[8].startswith("2016-03-10T02:00:07.000250+00:00,7,行7")
