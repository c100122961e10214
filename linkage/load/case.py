"""Load a case folder: every source of case.toml into the canonical tables, nothing lost.

This is the only entry into the evidence. It reads case.toml, sniffs or takes each source's
format, runs the reader, hashes every input file, removes exact duplicate transactions (the same
row returned twice by overlapping bank queries) and rows seized devices stamped after the
seizure (``integrity.py``) into the rejects, and checks for every source
that ``rows read = rows kept + rows rejected``. The result is a :class:`Case`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import html
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

import linkage.load.readers  # noqa: F401  (registers every format)
from linkage.digest import Digests
from linkage.engine.duckdb_engine import quiet_connection
from linkage.errors import ConfigError, SourceError
from linkage.load.config import CASE_FILE, SAVED_MARK, CaseConfig, case_folder, read_config
from linkage.load.integrity import SEIZED_TIMES, late_rejects, stamped_after_seizure
from linkage.load.sources import read_sources
from linkage.load.tabular import latest_plausible
from linkage.load.zones import zone_warnings
from linkage.memory import nulls_over, release_freed_arrow_memory, zeros_for
from linkage.progress import bar as progress_bar
from linkage.rejects import RejectReason
from linkage.report.out_folder import OS_LITTER, is_working_file
from linkage.schema import COERCED, REJECTS, TABLES, TRANSACTIONS, Table, table_for_kind

PROVENANCE_COLUMNS = ("source_file", "source_row", "source_sheet", "origin", "den")
SOURCE_INDEX = "_source_index"
MANIFEST_NAME = "manifest.json"
"""What marks a folder of a run's outputs (``report/manifest.py`` writes it)."""


@dataclass(frozen=True)
class SourceReport:
    """What happened to one source: its format and why, and its row counts."""

    index: int
    path: str
    kind: str
    format: str
    why: str
    encoding: str
    rows_read: int
    rows_kept: int
    rows_rejected: int
    files: tuple[str, ...]
    notes: tuple[str, ...]

    @property
    def reconciles(self) -> bool:
        """True when every row read was kept or rejected."""
        return self.rows_read == self.rows_kept + self.rows_rejected


@dataclass(frozen=True)
class Case:
    """A loaded case: canonical tables, rejects, per-source counts and input hashes.

    Tables are pandas DataFrames backed by Arrow types (exact integers, tz-aware UTC times), one
    per kind: ``case.calls``, ``case.messages``, ``case.transactions``, ``case.accounts``,
    ``case.persons``, ``case.travel``, ``case.victims``.
    """

    config: CaseConfig
    tables: dict[str, pd.DataFrame]
    rejects: pd.DataFrame
    sources: tuple[SourceReport, ...]
    inputs: dict[str, str]
    coerced: pd.DataFrame = field(default_factory=COERCED.empty)
    """Values of kept rows that could not be read and were left empty, with their raw text."""
    not_read: tuple[str, ...] = ()
    """Files in the case folder that no source of case.toml names: evidence nobody read is
    said, not skipped in silence (``unnamed_files``)."""

    @property
    def warnings(self) -> tuple[str, ...]:
        """What looks wrong in how the case was read: the time zones (``zones.py``)."""
        return zone_warnings(self.config, source_formats(self))

    def __getattr__(self, name: str) -> pd.DataFrame:
        tables = self.__dict__.get("tables", {})
        if name in tables:
            return tables[name]
        raise AttributeError(name)

    def summary(self) -> pd.DataFrame:
        """Per-source row counts (read, kept, rejected), the table ``linkage inspect`` prints."""
        return pd.DataFrame(
            [
                {
                    "source": s.path,
                    "kind": s.kind,
                    "format": s.format,
                    "read": s.rows_read,
                    "kept": s.rows_kept,
                    "rejected": s.rows_rejected,
                }
                for s in self.sources
            ]
        )

    def __repr__(self) -> str:
        sizes = ", ".join(f"{n}={len(t)}" for n, t in self.tables.items() if len(t))
        return (
            f"<Case {self.config.name!r}: {len(self.sources)} sources; {sizes or 'no rows'}; "
            f"{len(self.rejects)} rejected>"
        )

    def _repr_html_(self) -> str:
        title = html.escape(f"Case {self.config.name}: {len(self.rejects)} rows rejected")
        return f"<p><b>{title}</b></p>" + str(self.summary().to_html(index=False))


def source_formats(case: Case) -> list[str]:
    """The format each source of case.toml was read as, in case.toml's order."""
    by_index = {report.index: report.format for report in case.sources}
    return [by_index.get(index, "") for index in range(len(case.config.sources))]


def load_case(folder: str | Path, progress: bool = False, workers: int | None = None) -> Case:
    """Load the case folder ``folder`` as its case.toml describes it.

    ``progress`` shows a progress bar over the sources (a large case reads for minutes).
    ``workers``: processes reading sources at once; by default every core when the case has
    many small sources (``load/sources.py``), else one. The result is the same either way.

    Raises
    ------
    ConfigError
        If case.toml is missing or wrong.
    SourceError
        If a source cannot be read at all (missing, unknown format, undecodable, truncated).
    """
    folder = case_folder(folder)
    if (folder / SAVED_MARK).is_file():
        raise ConfigError(
            f"{folder}: a case saved by `linkage load`, not a case folder; open it with "
            "linkage.open_saved_case or run it with `linkage run`"
        )
    config = read_config(folder)
    files = input_files(config)
    digests = Digests(config.folder, files)  # beside the reading, on the core it leaves idle
    try:
        return _read_case(config, latest_time(config, files), progress, workers, digests)
    finally:
        digests.cancel()  # a failed load does not wait for the rest of the case to be hashed


def _read_case(
    config: CaseConfig, latest: dt.datetime, progress: bool, workers: int | None, digests: Digests
) -> Case:
    """Every source read into the canonical tables, repeats split off, counts reconciled."""
    reports: list[SourceReport] = []
    frames: dict[str, list[pd.DataFrame]] = {name: [] for name in TABLES}
    rejects: list[pd.DataFrame] = []
    coerced: list[pd.DataFrame] = []
    bar = progress_bar(total=len(config.sources), desc="load", unit="source", disable=not progress)
    with bar:  # closed however the loading ends, so an error line follows a clean line
        for index, sniffed, result in read_sources(config, latest, workers):
            spec = config.sources[index]
            bar.set_postfix_str(spec.path)
            bar.update(1)
            table_name = table_for_kind(spec.kind).name
            frame = result.table.assign(**{SOURCE_INDEX: index})
            frames[table_name].append(frame)
            rejects.append(result.rejects.assign(**{SOURCE_INDEX: index}))
            if result.coerced is not None:
                coerced.append(result.coerced)
            reports.append(
                SourceReport(
                    index,
                    spec.path,
                    spec.kind,
                    sniffed.format.name,
                    sniffed.why,
                    sniffed.encoding,
                    result.rows_read,
                    len(result.table),
                    len(result.rejects),
                    result.files,
                    result.notes,
                )
            )
    tables = {name: _concat(parts, TABLES[name]) for name, parts in frames.items()}
    all_rejects = pd.concat(rejects, ignore_index=True)
    release_freed_arrow_memory()  # the parts' chunks, now copied into contiguous columns
    tables["transactions"], duplicates = split_duplicates(tables["transactions"])
    release_freed_arrow_memory()  # the columns the duplicates were dropped from
    late = _split_after_seizure(tables, config)
    all_rejects = pd.concat([all_rejects, duplicates, *late], ignore_index=True)
    reports = _recount(reports, tables, all_rejects)
    _check_reconciled(reports)
    all_rejects = all_rejects.sort_values(
        [SOURCE_INDEX, "source_file", "source_sheet", "source_row"],
        kind="stable",
        na_position="first",
    )
    case = Case(
        config=config,
        tables={
            n: t.drop(columns=[SOURCE_INDEX]).reset_index(drop=True) for n, t in tables.items()
        },
        rejects=REJECTS.conform(all_rejects.drop(columns=[SOURCE_INDEX]).reset_index(drop=True)),
        sources=tuple(reports),
        inputs=digests.result(),
        coerced=COERCED.conform(pd.concat(coerced, ignore_index=True))
        if coerced
        else COERCED.empty(),
        not_read=unnamed_files(config, digests.names),
    )
    del frames, tables, rejects, all_rejects
    # Reading leaves Arrow's allocator holding the pieces it freed (a third of the tables'
    # size on a large case); hand them back so the later stages start from the tables alone.
    release_freed_arrow_memory()
    return case


def latest_time(config: CaseConfig, files: list[str]) -> dt.datetime:
    """The latest plausible time in the evidence; later times are clock errors or typos.

    ``[case] latest_plausible`` if the analyst set it, else a year after the seizure, else a
    year after the newest input file. The seizure is preferred to file times because copies of
    evidence get new modification times, and the same evidence must give the same answer.
    """
    if config.latest_plausible is not None:
        return config.latest_plausible
    if config.seized_at is not None:
        return config.seized_at + dt.timedelta(days=366)
    return latest_plausible([config.folder / f for f in files])


def _concat(parts: list[pd.DataFrame], table: Table) -> pd.DataFrame:
    """The sources' rows of one table as one frame of contiguous columns; empties ``parts``.

    Built a column at a time, each column let go in the parts once copied, so memory grows by
    one column, not by the table (the calls of the 10M benchmark case are 2.3 GiB). Contiguous
    columns pay off after loading: Arrow's takes on a column of two thousand chunks (one per
    victim's statement) were most of the time spent dropping duplicates and tracing.
    """
    if not parts:
        return table.empty().assign(**{SOURCE_INDEX: pd.Series(dtype="int64")})
    dtypes = parts[0].dtypes.to_dict()
    pieces = [pa.table({name: pa.array(part[name].array) for name in dtypes}) for part in parts]
    parts.clear()
    zeros = zeros_for(sum(piece.num_rows for piece in pieces))
    columns = {}
    for name, dtype in dtypes.items():
        column = pa.chunked_array(
            [chunk for piece in pieces for chunk in piece.column(name).chunks],
            type=pieces[0].schema.field(name).type,
        )
        pieces = [piece.drop_columns([name]) for piece in pieces]
        columns[name] = _joined(column, dtype, zeros)
        del column
        release_freed_arrow_memory()
    return pd.DataFrame(columns)


def _joined(column: pa.ChunkedArray, dtype: Any, zeros: pa.Buffer) -> pd.Series:
    """A column's chunks end to end as one array, unless it holds more text than one Arrow
    array can address (2 GiB).

    A column no source fills (a dial list has no 通话地点, a bank no counterparty ID) is made of
    ``zeros``, shared by every such column: all-null text would otherwise cost 4 bytes of
    offsets a row, 40 MB per empty column of 10M calls.
    """
    if not isinstance(dtype, pd.ArrowDtype):  # the source index: plain integers
        return pd.Series(column.to_numpy(), dtype=dtype)
    empty = nulls_over(zeros, column)
    if empty is not None:
        return pd.Series(empty, dtype=dtype)
    joined: pa.Array | pa.ChunkedArray = column
    if column.num_chunks > 1:
        with contextlib.suppress(pa.ArrowInvalid):  # over 2 GiB of text: left in chunks
            joined = pa.concat_arrays(column.chunks)
    return pd.Series(joined, dtype=dtype)


def split_duplicates(transactions: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Move exact repeats of a transaction into the rejects, keeping the first occurrence.
    When there are repeats, ``transactions`` is emptied: its columns move into the result.

    Overlapping bank queries return the same row twice; counting both would double a victim's
    loss. "Exact" means every canonical value agrees (account, counterparty, time, amount,
    direction, balance, serial number, origin, den, ...). Only copies in *another file* count:
    within one file two identical rows are two records (a den ledger that notes minutes only
    can hold two payments of 50,000 in one minute), and the file is what the bank answered.
    Each repeat names the file, sheet and row it repeats.
    """
    values = [c for c in TRANSACTIONS.column_names if c not in PROVENANCE_COLUMNS]
    values += ["origin", "den"]
    empty = REJECTS.empty().assign(**{SOURCE_INDEX: pd.Series(dtype="int64")})
    if transactions["source_file"].nunique() < 2:
        return transactions, empty  # copies only count across files
    # No name for the Arrow view: it would hold the old columns while they are copied below.
    first_of = _first_occurrence(
        TRANSACTIONS.to_arrow(transactions[[*values[:-2], "source_file", "origin", "den"]]),
        values,
        "source_file",
    )
    repeated = pd.Series(first_of != np.arange(len(first_of)), index=transactions.index)
    if not repeated.any():
        return transactions, empty
    dupes = transactions.loc[repeated]
    originals = transactions.iloc[first_of[repeated.to_numpy()]]
    rejects = pd.DataFrame(
        {
            "source_file": dupes["source_file"].to_numpy(),
            "source_row": dupes["source_row"].to_numpy(),
            "source_sheet": dupes["source_sheet"].to_numpy(),
            "kind": "transactions",
            "column": None,
            "reason": str(RejectReason.DUPLICATE_ROW),
            "value": [
                f"same as {f}" + (f" sheet {sheet}" if isinstance(sheet, str) else "") + f" row {r}"
                for f, sheet, r in zip(
                    originals["source_file"],
                    originals["source_sheet"],
                    originals["source_row"],
                    strict=True,
                )
            ],
            SOURCE_INDEX: dupes[SOURCE_INDEX].to_numpy(),
        }
    )
    return _rows_kept(transactions, ~repeated.to_numpy()), rejects


def _split_after_seizure(tables: dict[str, pd.DataFrame], config: CaseConfig) -> list[pd.DataFrame]:
    """Move the rows seized devices stamped after the seizure into rejects (``integrity.py``)."""
    rejects = []
    for name in SEIZED_TIMES:
        late = stamped_after_seizure(tables[name], name, config)
        if late.any():
            rejects.append(late_rejects(tables[name], late, name, config, (SOURCE_INDEX,)))
            tables[name] = _rows_kept(tables[name], ~late)
    return rejects


def _rows_kept(frame: pd.DataFrame, keep: np.ndarray) -> pd.DataFrame:
    """The rows of ``frame`` where ``keep`` is true, moved out of ``frame`` a column at a time.

    A few repeats among millions of rows still mean copying the table; column by column, each
    old column is let go as its copy is made, so the copy reuses the memory instead of adding
    the table's size (1.5 GiB of transactions at 10M calls) to the load's peak.
    """
    kept = pa.array(keep)
    zeros = zeros_for(int(keep.sum()))
    columns = {}
    for name in list(frame.columns):
        column = frame.pop(name)
        if isinstance(column.dtype, pd.ArrowDtype):
            rows = pa.array(column.array).filter(kept)
            empty = nulls_over(zeros, rows)  # still one shared buffer, not one each
            columns[name] = pd.Series(rows if empty is None else empty, dtype=column.dtype)
        else:
            columns[name] = pd.Series(column.to_numpy()[keep], dtype=column.dtype)
    return pd.DataFrame(columns)


def _first_occurrence(table: pa.Table, columns: list[str], file_column: str) -> np.ndarray:
    """For each row, the row it repeats from another file, or its own position if none.

    Among the files holding a group of identical rows, the file with the most copies (the
    fullest return; the earliest on a tie) is kept whole; every copy in the other files points
    at that file's first row. Rows are grouped by a 64-bit DuckDB hash of every value column
    (nulls hash alike, as "exact copy" means), far cheaper than comparing twenty columns, and
    only the groups that span files are ranked: on a large case almost every row is alone. The
    pairs found are then compared value by value, and should a hash collision ever pair
    different rows, an exact ranking over all columns decides instead.
    """
    # Files as small integers: the keyed rows DuckDB materializes would otherwise hold every
    # row's file name (0.3 GiB of text for the 4.5M transactions of the 10M-call case).
    files = pc.dictionary_encode(table.column(file_column)).combine_chunks().indices
    rows = table.drop_columns([file_column]).append_column("_file", files)
    rows = rows.append_column("_row", pa.array(np.arange(table.num_rows, dtype=np.int64)))
    listed = ", ".join(f'"{c}"' for c in columns)

    def query(key: str) -> str:
        return f"""
            WITH keyed AS MATERIALIZED (
                SELECT _row, _file AS file, {key} AS k FROM rows),
            shared AS (SELECT k FROM keyed GROUP BY k HAVING count(DISTINCT file) > 1),
            candidates AS (SELECT keyed.* FROM keyed SEMI JOIN shared USING (k)),
            per_file AS (
                SELECT k, file, count(*) AS copies, min(_row) AS first_row
                FROM candidates GROUP BY k, file),
            kept AS (
                SELECT k, file AS kept_file, first_row AS kept_row FROM (
                    SELECT *, row_number() OVER (
                        PARTITION BY k ORDER BY copies DESC, first_row) AS rank
                    FROM per_file)
                WHERE rank = 1)
            SELECT _row, kept_row AS first
            FROM candidates JOIN kept USING (k)
            WHERE candidates.file <> kept.kept_file"""

    with quiet_connection() as db:
        db.register("rows", rows)
        first = _positions(db, query(f"hash({listed})"), table.num_rows)
        repeats = np.flatnonzero(first != np.arange(len(first)))
        if repeats.size and not _same_rows(table.select(columns), repeats, first[repeats]):
            first = _positions(db, query(f"dense_rank() OVER (ORDER BY {listed})"), table.num_rows)
    return first


def _positions(db: duckdb.DuckDBPyConnection, sql: str, count: int) -> np.ndarray:
    """Each of ``count`` rows' own position, except where ``sql`` (``_row``, ``first``) says
    the row repeats another."""
    found = db.sql(sql).to_arrow_table()
    first = np.arange(count, dtype=np.int64)
    first[np.asarray(found.column("_row"), dtype=np.int64)] = np.asarray(
        found.column("first"), dtype=np.int64
    )
    return first


def _same_rows(table: pa.Table, rows: np.ndarray, others: np.ndarray) -> bool:
    """True when every row in ``rows`` equals its partner in ``others``, column by column."""
    left = table.take(pa.array(rows)).to_pylist()
    right = table.take(pa.array(others)).to_pylist()
    return bool(left == right)


def _recount(
    reports: list[SourceReport], tables: dict[str, pd.DataFrame], rejects: pd.DataFrame
) -> list[SourceReport]:
    kept = pd.concat([t[SOURCE_INDEX] for t in tables.values()]).value_counts()
    rejected = rejects[SOURCE_INDEX].value_counts()
    return [
        SourceReport(
            r.index,
            r.path,
            r.kind,
            r.format,
            r.why,
            r.encoding,
            r.rows_read,
            int(kept.get(r.index, 0)),
            int(rejected.get(r.index, 0)),
            r.files,
            r.notes,
        )
        for r in reports
    ]


def _check_reconciled(reports: list[SourceReport]) -> None:
    for report in reports:
        if not report.reconciles:
            raise SourceError(
                f"{report.path}: {report.rows_read} rows read but {report.rows_kept} kept and "
                f"{report.rows_rejected} rejected; a reader lost rows (a bug, please report it)"
            )


def input_files(config: CaseConfig) -> list[str]:
    """Every file the case reads, relative to the case folder, sorted, case.toml included.

    A SQLite database's write-ahead log (``-wal``) is read with it (``load/sqlite.py``), so it
    is an input too and gets its own digest. So does a rollback ``-journal``: it is not
    applied (the database is read as its main file holds it), but it is part of what was
    seized beside the database and its digest must be on record.

    Raises
    ------
    SourceError
        If a source, or a file in a source folder, is a symbolic link that leads out of the
        case folder: the case folder is the evidence, and nothing outside it is read.
    """
    root = config.folder.resolve()
    names = {CASE_FILE}
    for spec in config.sources:
        path = config.folder / spec.path
        _inside(path, root, config.folder)
        if path.is_file():
            found = [path, *(j for j in journals_of(path) if j.is_file())]
            for journal in found[1:]:
                _inside(journal, root, config.folder)
        else:
            entries = list(path.rglob("*"))
            for link in (p for p in entries if p.is_symlink()):  # a linked folder: said, unwalked
                _inside(link, root, config.folder)
            found = [p for p in entries if p.is_file()]
        names |= {p.relative_to(config.folder).as_posix() for p in found}
    return sorted(names)


def unnamed_files(config: CaseConfig, inputs: list[str]) -> tuple[str, ...]:
    """Files in the case folder that are not ``inputs`` (relative, sorted), leaving out a file
    browser's litter and folders linkage wrote (a run's or a save's output kept inside)."""
    read = set(inputs)
    files = {path.relative_to(config.folder).as_posix(): path
             for path in config.folder.rglob("*") if path.is_file()}  # fmt: skip
    written = [
        path.parent
        for name, path in files.items()
        if path.name in (MANIFEST_NAME, SAVED_MARK) and name not in read
        and _written_by_linkage(path)
    ]  # fmt: skip
    unnamed = (
        name
        for name, path in files.items()
        if name not in read
        and path.name not in OS_LITTER
        and not is_working_file(path, config.folder)  # a run writing beside an OUT in the case
        and not any(path.is_relative_to(folder) for folder in written)
    )
    return tuple(sorted(unnamed))


def _written_by_linkage(mark: Path) -> bool:
    try:
        return mark.name == SAVED_MARK or '"linkage_version"' in mark.read_text(
            encoding="utf-8", errors="replace"
        )
    except OSError:
        return False


def journals_of(path: Path) -> tuple[Path, Path]:
    """The files beside a SQLite database that can hold part of its content."""
    return path.with_name(path.name + "-wal"), path.with_name(path.name + "-journal")


def _inside(path: Path, root: Path, folder: Path) -> None:
    """Refuse ``path`` when it (or a link on its way) leads out of the case folder."""
    target = path.resolve()
    if not target.is_relative_to(root):
        shown = path.relative_to(folder).as_posix()
        raise SourceError(
            f"{shown}: a symbolic link to a file outside the case folder; linkage reads only "
            "what the case folder holds (copy the file in and hash it there)"
        )
    if not target.exists():
        raise SourceError(f"{path.relative_to(folder).as_posix()}: a symbolic link to nothing")
