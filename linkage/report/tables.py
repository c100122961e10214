"""Write canonical and result tables as Parquet and as UTF-8 CSV with the same columns.

Parquet keeps the exact types for tools; CSV is what an analyst opens. Times in CSV are ISO 8601
with an explicit offset, integers stay integers (a nullable column never turns ``12`` into
``12.0``), and rows keep the order they were given, so the same inputs give the same bytes.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from linkage.schema import Table


def write_table(frame: pd.DataFrame, table: Table, folder: Path, stem: str) -> list[Path]:
    """Write ``frame`` as ``stem.parquet`` and ``stem.csv`` in ``folder``; return both paths."""
    folder.mkdir(parents=True, exist_ok=True)
    arrow = table.to_arrow(frame)
    parquet_path = folder / f"{stem}.parquet"
    pq.write_table(arrow, parquet_path, compression="zstd")
    csv_path = folder / f"{stem}.csv"
    write_csv(arrow, csv_path)
    return [parquet_path, csv_path]


ROWS_AT_ONCE = 65_536
"""Rows turned into text at a time: a million-row table as Python strings all at once took
more memory than the run's tables."""


def write_csv(arrow: pa.Table, path: Path) -> None:
    """Plain UTF-8 CSV, no BOM: the contract's scripts read it as ``utf-8``."""
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(arrow.column_names)
        for start in range(0, arrow.num_rows, ROWS_AT_ONCE):
            part = arrow.slice(start, ROWS_AT_ONCE)
            columns = [_column_text(part.column(i)) for i in range(part.num_columns)]
            writer.writerows(zip(*columns, strict=True))


def _column_text(column: pa.ChunkedArray) -> list[str]:
    """A column's cells as ``csv_text`` writes them, formatted by Arrow kernels where the type
    allows (a 10M-row table is formatted in seconds, not cell by cell in Python)."""
    kind = column.type
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        text = column
    elif pa.types.is_integer(kind) or pa.types.is_date32(kind):
        text = pc.cast(column, pa.string())
    elif pa.types.is_boolean(kind):
        text = pc.if_else(column, "true", "false")
    elif pa.types.is_timestamp(kind) and kind.tz in ("UTC", "+00:00") and _whole_seconds(column):
        seconds = pc.cast(column, pa.timestamp("s", kind.tz))
        text = pc.binary_join_element_wise(
            pc.strftime(seconds, format="%Y-%m-%dT%H:%M:%S"), "+00:00", ""
        )
    else:
        return [csv_text(v) for v in column.to_pylist()]
    filled: list[str] = pc.fill_null(text, "").to_pylist()
    return filled


def _whole_seconds(column: pa.ChunkedArray) -> bool:
    """Whether every time in the column falls on a whole second (ISO text then has no
    fraction, as ``isoformat`` writes it)."""
    micros = pc.cast(pc.cast(column, pa.timestamp("us", column.type.tz)), pa.int64())
    whole = pc.multiply(pc.divide(micros, 1_000_000), 1_000_000)
    return not pc.any(pc.not_equal(micros, whole)).as_py()


def csv_text(value: object) -> str:
    """One cell as CSV text: ISO times with offset, ``;``-joined lists, empty for null.

    >>> import datetime as dt
    >>> csv_text(dt.datetime(2016, 3, 10, 2, 0, tzinfo=dt.UTC))
    '2016-03-10T02:00:00+00:00'
    >>> csv_text(["a", "b"]), csv_text(None), csv_text(True)
    ('a;b', '', 'true')
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(csv_text(v) for v in value)
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal or a spreadsheet: CJK characters take two.

    >>> display_width("den-k"), display_width("张三")
    (5, 4)
    """
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
