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


def write_csv(arrow: pa.Table, path: Path) -> None:
    """Plain UTF-8 CSV, no BOM: the contract's scripts read it as ``utf-8``."""
    columns = [arrow.column(i).to_pylist() for i in range(arrow.num_columns)]
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(arrow.column_names)
        for row in zip(*columns, strict=True):
            writer.writerow([csv_text(v) for v in row])


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
