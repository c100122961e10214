"""A loaded case kept on disk as partitioned Parquet: what a cluster reads without the loaders.

Reading a large case folder (thousands of statements, GBK text, workbooks) is Python work done
once. ``save_case`` writes what it produced, the canonical tables, under ``tables/NAME/``,
split by ``origin`` in Hive style (``origin=bank/part-0.parquet``), which Spark, DuckDB and
pyarrow all read as one table with an ``origin`` column. Beside them: the rejects, the
case.toml the case was loaded with, and ``saved_case.json`` with the per-source row counts and
the input files' digests, so a run from the saved case writes the very manifest a run from
the folder writes.

``open_saved_case`` gives back an equal :class:`~linkage.load.case.Case`: the same rows in the
same order (each row carries its load position), the same types.
"""

from __future__ import annotations

import json
import shutil
import tomllib
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from linkage.errors import ConfigError
from linkage.load.case import Case, SourceReport, load_case
from linkage.load.config import CASE_FILE, parse_config
from linkage.schema import REJECTS, TABLES, Table, arrow_to_frame

__all__ = ["MARK", "is_saved_case", "open_case", "open_saved_case", "save_case"]

MARK = "saved_case.json"
"""The file that makes a folder a saved case."""
FORMAT_VERSION = 1
PARTITION = "origin"
PARTITIONING = ds.partitioning(pa.schema([(PARTITION, pa.string())]), flavor="hive")
LOAD_ORDER = "_load_order"


def is_saved_case(folder: str | Path) -> bool:
    """True when ``folder`` was written by :func:`save_case`."""
    return (Path(folder) / MARK).is_file()


def save_case(case: Case, folder: str | Path) -> list[Path]:
    """Write ``case`` into ``folder`` (created; a saved case already there is replaced) and
    return the files written.

    Raises
    ------
    ConfigError
        If ``folder`` holds anything but a saved case: nothing of the user's is overwritten.
    """
    out = Path(folder)
    if out.exists() and any(out.iterdir()) and not is_saved_case(out):
        raise ConfigError(f"{out}: not empty and not a saved case; choose an empty folder")
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    written = [out / CASE_FILE]
    shutil.copyfile(case.config.folder / CASE_FILE, written[0])
    for name, frame in case.tables.items():
        table = TABLES[name].to_arrow(frame)
        order = pa.array(range(table.num_rows), pa.int64())
        written += _write_partitioned(table.append_column(LOAD_ORDER, order), out / "tables" / name)
    pq.write_table(REJECTS.to_arrow(case.rejects), out / "rejects.parquet")
    written.append(out / "rejects.parquet")
    mark: dict[str, Any] = {
        "format_version": FORMAT_VERSION,
        "case": case.config.name,
        "rows": {name: len(frame) for name, frame in case.tables.items()},
        "rejects": len(case.rejects),
        "sources": [asdict(source) for source in case.sources],
        "inputs": case.inputs,
    }
    (out / MARK).write_text(json.dumps(mark, ensure_ascii=False, indent=1) + "\n", "utf-8")
    return [*written, out / MARK]


def open_case(folder: str | Path, progress: bool = False) -> Case:
    """The case in ``folder``: opened from its saved tables if ``save_case`` wrote it, else
    loaded from its sources (``load_case``)."""
    if is_saved_case(folder):
        return open_saved_case(folder)
    return load_case(folder, progress=progress)


def _write_partitioned(table: pa.Table, folder: Path) -> list[Path]:
    """``table`` split by origin. File names are fixed (``part-0.parquet``) and rows are
    written in order by one thread, so saving the same case twice writes the same bytes."""
    ds.write_dataset(
        table,
        folder,
        format="parquet",
        partitioning=PARTITIONING if PARTITION in table.column_names else None,
        basename_template="part-{i}.parquet",
        existing_data_behavior="delete_matching",
        use_threads=False,
    )
    return sorted(folder.rglob("*.parquet"))


def open_saved_case(folder: str | Path) -> Case:
    """The case :func:`save_case` wrote to ``folder``.

    Raises
    ------
    ConfigError
        If ``folder`` is not a saved case, or was written by a newer linkage, or its tables do
        not hold the rows its mark counts.
    """
    root = Path(folder)
    if not is_saved_case(root):
        raise ConfigError(f"{root}: no {MARK}; write one with `linkage load CASE --to {root}`")
    mark = json.loads((root / MARK).read_text("utf-8"))
    if mark.get("format_version") != FORMAT_VERSION:
        raise ConfigError(f"{root / MARK}: format_version {mark.get('format_version')!r}, "
                          f"this linkage reads {FORMAT_VERSION}")  # fmt: skip
    data = tomllib.loads((root / CASE_FILE).read_text("utf-8"))
    config = parse_config(data, root, require_files=False)
    tables = {
        name: _read_partitioned(root / "tables" / name, TABLES[name]) for name in mark["rows"]
    }
    for name, rows in mark["rows"].items():
        if len(tables[name]) != rows:
            raise ConfigError(f"{root}: {name} holds {len(tables[name])} rows, {MARK} says {rows}")
    rejects = arrow_to_frame(pq.read_table(root / "rejects.parquet"))
    return Case(
        config=config,
        tables=tables,
        rejects=REJECTS.conform(rejects),
        sources=tuple(_source_report(s) for s in mark["sources"]),
        inputs=dict(mark["inputs"]),
    )


def _read_partitioned(folder: Path, table: Table) -> pd.DataFrame:
    """One canonical table back from its partitions, in load order, with canonical types."""
    schema = table.arrow_schema()
    if not folder.is_dir():
        return arrow_to_frame(schema.empty_table())
    dataset = ds.dataset(folder, format="parquet", partitioning=PARTITIONING)
    rows = dataset.to_table()
    rows = rows.take(pc.sort_indices(rows, sort_keys=[(LOAD_ORDER, "ascending")]))
    columns = [rows.column(field.name).cast(field.type) for field in schema]
    return arrow_to_frame(pa.Table.from_arrays(columns, schema=schema))


def _source_report(fields: dict[str, Any]) -> SourceReport:
    return SourceReport(
        **{**fields, "files": tuple(fields["files"]), "notes": tuple(fields["notes"])}
    )
