"""A loaded case kept on disk as partitioned Parquet, so the sources are read only once.

Reading a large case folder (thousands of statements, GBK text, workbooks) is Python work done
once. ``save_case`` writes what it produced, the canonical tables, under ``tables/NAME/``,
split by ``origin`` in Hive style (``origin=bank/part-0.parquet``), which Spark, DuckDB and
pyarrow all read as one table with an ``origin`` column (plus ``_load_order``, each row's
position). Beside them: the rejects, the case.toml the case was loaded with, and
``saved_case.json`` with the per-source row counts and the input files' digests, so a run from
the saved case writes the very manifest a run from the folder writes.

``open_saved_case`` gives back an equal :class:`~linkage.load.case.Case` on the driver: the
same rows in the same order, the same types.
"""

from __future__ import annotations

import contextlib
import json
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
from linkage.load.config import CASE_FILE, SAVED_MARK, case_folder, parse_config
from linkage.memory import nulls_over, release_freed_arrow_memory, zeros_for
from linkage.report.out_folder import OS_LITTER, PENDING, OutFolder, is_working_file
from linkage.schema import COERCED, REJECTS, TABLES, Table, arrow_to_frame

__all__ = ["MARK", "is_saved_case", "open_case", "open_saved_case", "save_case", "save_folder"]

MARK = SAVED_MARK
FORMAT_VERSION = 1
PARTITION = "origin"
PARTITIONING = ds.partitioning(pa.schema([(PARTITION, pa.string())]), flavor="hive")
LOAD_ORDER = "_load_order"
REJECTS_FILE = "rejects.parquet"
COERCED_FILE = "coerced.parquet"
SAVED_ENTRIES = {CASE_FILE, MARK, REJECTS_FILE, COERCED_FILE, "tables"}
"""Everything ``save_case`` writes at the top of its folder, and nothing else."""


def is_saved_case(folder: str | Path) -> bool:
    """True when ``folder`` was written by :func:`save_case`."""
    return (Path(folder) / MARK).is_file()


def open_case(folder: str | Path, progress: bool = False) -> Case:
    """The case in ``folder``: opened from its saved tables if ``save_case`` wrote it, else
    loaded from its sources (``load_case``)."""
    folder = case_folder(folder)
    if is_saved_case(folder):
        return open_saved_case(folder)
    return load_case(folder, progress=progress)


def save_case(case: Case, folder: str | Path) -> list[Path]:
    """Write ``case`` into ``folder`` and return the files written.

    The case is written beside ``folder`` first and moved into place when complete, under a
    lock, as a run's outputs are (``linkage.report.out_folder``): an interrupted save leaves
    the previous one intact. A previous saved case is replaced; any other content is refused,
    never deleted.

    Raises
    ------
    OutputError
        If ``folder`` holds anything a saved case does not, or another save or run holds it.
    """
    out = save_folder(folder)
    config_text = (case.config.folder / CASE_FILE).read_bytes()
    with out as partial:
        (partial / CASE_FILE).write_bytes(config_text)
        for name, frame in case.tables.items():
            table = TABLES[name].to_arrow(frame)
            order = pa.array(range(table.num_rows), pa.int64())
            _write_partitioned(table.append_column(LOAD_ORDER, order), partial / "tables" / name)
        pq.write_table(REJECTS.to_arrow(case.rejects), partial / REJECTS_FILE)
        pq.write_table(COERCED.to_arrow(case.coerced), partial / COERCED_FILE)
        mark: dict[str, Any] = {
            "format_version": FORMAT_VERSION,
            "case": case.config.name,
            "rows": {name: len(frame) for name, frame in case.tables.items()},
            "rejects": len(case.rejects),
            "sources": [asdict(source) for source in case.sources],
            "inputs": case.inputs,
            "not_read": list(case.not_read),
        }
        text = json.dumps(mark, ensure_ascii=False, indent=1) + "\n"
        (partial / MARK).write_text(text, "utf-8")  # last: the mark says the save is whole
    return sorted(p for p in out.out.rglob("*") if p.is_file())


def save_folder(folder: str | Path) -> OutFolder:
    """The output folder a case is saved into: refused when it holds anything a saved case
    does not (``OutFolder.check`` says so before the case is loaded)."""
    return OutFolder(Path(folder), foreign=_not_saved, marker=MARK)


def _not_saved(folder: Path) -> list[str]:
    """What in ``folder`` a saved case does not hold (everything, when it is not one, unless a
    save cut off while moving its files in left its list of them)."""
    entries = sorted(
        p.name
        for p in folder.iterdir()
        if p.name not in OS_LITTER and p.name != PENDING and not is_working_file(p, folder)
    )
    if entries and not is_saved_case(folder) and not (folder / PENDING).is_file():
        return entries
    return [name for name in entries if name not in SAVED_ENTRIES]


def _write_partitioned(table: pa.Table, folder: Path) -> None:
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


def open_saved_case(folder: str | Path) -> Case:
    """The case :func:`save_case` wrote to ``folder``.

    Raises
    ------
    ConfigError
        If ``folder`` is not a saved case, was written by another version of the format, is
        missing a part, or its tables do not hold the rows its mark counts.
    """
    root = Path(folder)
    if not is_saved_case(root):
        raise ConfigError(f"{root}: no {MARK}; write one with `linkage load CASE --to {root}`")
    try:
        mark = json.loads((root / MARK).read_text("utf-8"))
        if mark.get("format_version") != FORMAT_VERSION:
            raise ConfigError(f"{root / MARK}: format_version {mark.get('format_version')!r}, "
                              f"this linkage reads {FORMAT_VERSION}")  # fmt: skip
        config = parse_config(
            tomllib.loads((root / CASE_FILE).read_text("utf-8")), root, require_files=False
        )
        tables = {name: _read_partitioned(root / "tables" / name, TABLES[name])
                  for name in mark["rows"]}  # fmt: skip
        rejects = arrow_to_frame(pq.read_table(root / REJECTS_FILE))
        coerced = (
            arrow_to_frame(pq.read_table(root / COERCED_FILE))
            if (root / COERCED_FILE).is_file()
            else COERCED.empty()
        )
        sources = tuple(_source_report(s) for s in mark["sources"])
        inputs = dict(mark["inputs"])
    except ConfigError:
        raise
    except (OSError, ValueError, KeyError, TypeError, pa.ArrowException) as error:
        raise ConfigError(
            f"{root}: damaged saved case ({type(error).__name__}: {error})"
        ) from error
    for name, rows in mark["rows"].items():
        if len(tables[name]) != rows:
            raise ConfigError(f"{root}: {name} holds {len(tables[name])} rows, {MARK} says {rows}")
    return Case(
        config=config, tables=tables, rejects=REJECTS.conform(rejects), sources=sources,
        inputs=inputs, coerced=COERCED.conform(coerced),
        not_read=tuple(mark.get("not_read", ())),
    )  # fmt: skip


def _read_partitioned(folder: Path, table: Table) -> pd.DataFrame:
    """One canonical table back from its partitions, in load order, with canonical types."""
    schema = table.arrow_schema()
    if not folder.is_dir():
        return arrow_to_frame(schema.empty_table())
    dataset = ds.dataset(folder, format="parquet", partitioning=PARTITIONING)
    rows = dataset.to_table()
    missing = [field.name for field in schema if field.name not in rows.column_names]
    if missing:
        raise ConfigError(
            f"{folder}: saved without {', '.join(missing)}, which the {table.name} table of "
            "this linkage has; save the case again with `linkage load CASE --to DIR`"
        )
    # Put in load order a column at a time, each read column let go as its copy is made, and
    # all-null columns over one shared buffer as a loaded case has them: a sorted copy of the
    # whole table beside the read one took 7 GiB to open the 10M-call case.
    order = pc.sort_indices(rows.column(LOAD_ORDER))
    zeros = zeros_for(rows.num_rows)
    columns = []
    for field in schema:
        column = rows.column(field.name)
        rows = rows.drop_columns([field.name])
        ordered: pa.Array | pa.ChunkedArray = column.take(order).cast(field.type)
        del column
        with contextlib.suppress(pa.ArrowInvalid):  # over 2 GiB of text: left in chunks
            ordered = ordered.combine_chunks()
        empty = nulls_over(zeros, ordered)
        columns.append(ordered if empty is None else empty)
        release_freed_arrow_memory()
    return arrow_to_frame(pa.Table.from_arrays(columns, schema=schema))


def _source_report(fields: dict[str, Any]) -> SourceReport:
    return SourceReport(
        **{**fields, "files": tuple(fields["files"]), "notes": tuple(fields["notes"])}
    )
