"""Shared machinery of every reader whose files are tables (CSV, TXT, xlsx, xls).

A tabular reader only says how its columns map onto a canonical table: it receives a
:class:`Rows` view of one raw table and returns a frame of canonical columns aligned to it.
Everything else (opening files, folders read as one source, sheets, the row ledger, the time
range check, provenance columns, rejects) happens here once, so every format obeys the same rules.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable
from pathlib import Path

import pandas as pd

from linkage.errors import SourceError
from linkage.load import columns
from linkage.load.context import ReadResult, SourceContext
from linkage.load.delimited import read_delimited
from linkage.load.formats import known_header_words
from linkage.load.ledger import RowLedger
from linkage.load.raw import ROW_COLUMN, RawTable
from linkage.memory import release_freed_arrow_memory
from linkage.rejects import RejectReason
from linkage.schema import REJECTS, table_for_kind

WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xls"}
TEXT_SUFFIXES = {".csv", ".txt", ".tsv"}
EARLIEST = pd.Timestamp("1990-01-01", tz="UTC")


class Rows:
    """One raw table's columns, read into canonical values through the row ledger.

    Column names are given as aliases; the first one the header has is used, so one reader
    serves every variant of a format. Parsing a ``required`` column rejects the rows where it
    is empty or unreadable; an optional column yields None there and keeps the row.
    """

    def __init__(self, raw: RawTable, ledger: RowLedger, context: SourceContext) -> None:
        self.raw = raw
        self.ledger = ledger
        self.context = context
        self.index = raw.cells.index
        self._normalized: dict[tuple[Callable[[str], str], str | None], columns.Parsed] = {}

    def pick(self, *aliases: str) -> str | None:
        """The first of ``aliases`` the header has, or None."""
        return next((a for a in aliases if a in self.raw.cells.columns), None)

    def cells(self, *aliases: str) -> pd.Series:
        """Raw cells of the first alias present (all empty when none is)."""
        name = self.pick(*aliases)
        return self.raw.column(name) if name else self.raw.column("")

    def text(self, *aliases: str) -> pd.Series:
        """Cells as text, None where empty."""
        return columns.text(self.cells(*aliases))

    def _take(self, parsed: columns.Parsed, aliases: tuple[str, ...], required: bool) -> pd.Series:
        name = self.pick(*aliases) or aliases[0]
        values = self.cells(*aliases)
        results, errors = parsed
        if required:
            results = self.ledger.take(results, errors, name, values)
            return self.ledger.require(results, name, values)
        self.ledger.coerce(errors.notna(), errors, name, values)  # left empty, raw text kept
        return results.where(errors.isna(), None) if results.dtype == object else results

    def time(self, *aliases: str, required: bool = True) -> pd.Series:
        """UTC times local to the source's zone, range-checked."""
        parsed = columns.times(self.cells(*aliases), self.context.timezone)
        return self._in_range(self._take(parsed, aliases, required), aliases)

    def date_time(
        self, date: tuple[str, ...], clock: tuple[str, ...], required: bool = True
    ) -> pd.Series:
        """UTC times from a date column and a separate time-of-day column."""
        parsed = columns.date_and_time(self.cells(*date), self.cells(*clock), self.context.timezone)
        return self._in_range(self._take(parsed, date, required), date)

    def time_text(self, text: pd.Series, *aliases: str, required: bool = True) -> pd.Series:
        """UTC times from ``text``, which a reader rebuilt from the cells of ``aliases`` (a
        ``MM/DD`` completed with the statement's year); a reject names those cells."""
        parsed = columns.times(text, self.context.timezone)
        return self._in_range(self._take(parsed, aliases, required), aliases)

    def _in_range(self, results: pd.Series, aliases: tuple[str, ...]) -> pd.Series:
        latest = pd.Timestamp(self.context.latest)
        outside = results.notna() & ((results < EARLIEST) | (results > latest))
        name = self.pick(*aliases) or aliases[0]
        self.ledger.reject(outside, RejectReason.TIME_OUT_OF_RANGE, name, self.cells(*aliases))
        return results.where(~outside)

    def amount(self, *aliases: str, unit: str = "yuan", required: bool = True) -> pd.Series:
        """Signed integer fen."""
        return self._take(columns.amounts(self.cells(*aliases), unit), aliases, required)

    def integer(self, *aliases: str, required: bool = False) -> pd.Series:
        """Whole numbers (durations)."""
        return self._take(columns.integers(self.cells(*aliases)), aliases, required)

    def identifier(
        self, normalize: Callable[[str], str], *aliases: str, required: bool = False
    ) -> pd.Series:
        """Normalized identifiers; required ones reject the row when missing or unreadable.

        An optional identifier that cannot be normalized is null (its raw text is the flag),
        but one a spreadsheet destroyed (``6.22E+18``) rejects the row even so: the row names
        someone, and which account or phone it was cannot be known any more.
        """
        parsed = self.normalized(normalize, *aliases)
        name = self.pick(*aliases) or aliases[0]
        values = self.cells(*aliases)
        if not required:
            mangled = parsed[1] == str(RejectReason.ID_MANGLED)
            self.ledger.reject(mangled, RejectReason.ID_MANGLED, name, values)
            return parsed[0]
        results = self.ledger.take(parsed[0], parsed[1], name, values)
        return self.ledger.require(results, name, values, RejectReason.EMPTY_IDENTIFIER)

    def normalized(self, normalize: Callable[[str], str], *aliases: str) -> columns.Parsed:
        """``(identifiers, errors)`` of a column, computed once per normalizer and column.

        Readers often need the same identifiers twice (a bank return's card as the account,
        then again to look up its holder); a million-row column is normalized only once.
        """
        key = (normalize, self.pick(*aliases))
        if key not in self._normalized:
            self._normalized[key] = columns.identifiers(self.cells(*aliases), normalize)
        return self._normalized[key]

    def identifier_raw(self, *aliases: str) -> pd.Series:
        """Identifier cells as text (numbers without ``.0``), None where empty or mangled."""
        return columns.identifier_text(self.cells(*aliases))[0]

    def flag(self, mapping: dict[str, str], *aliases: str, required: bool = True) -> pd.Series:
        """A closed vocabulary (direction flags) mapped to canonical words."""
        return self._take(columns.flags(self.cells(*aliases), mapping), aliases, required)

    def needs(self, *columns: tuple[str, ...]) -> None:
        """Name the columns every record of the format writes (each as its aliases).

        Exports leave empty trailing fields off: a row that stops after the last of these is a
        record with the later cells empty. A shorter row, or any short row of a format that
        never calls this, is ``malformed_row`` (see ``RowLedger.settle_short_rows``).
        """
        picked = [name for aliases in columns if (name := self.pick(*aliases)) is not None]
        order = {name: number for number, name in enumerate(self.raw.header)}
        self.ledger.stops_after = max(picked, key=order.__getitem__) if picked else None

    def reject(self, mask: pd.Series, reason: RejectReason, *aliases: str) -> None:
        """Reject rows by a reader's own rule (failed status, closed trades, summary rows)."""
        name = self.pick(*aliases) if aliases else None
        self.ledger.reject(mask, reason, name, self.cells(*aliases) if aliases else None)


Interpret = Callable[[Rows], pd.DataFrame]


LARGE_TABLE_ROWS = 100_000
"""A table this long leaves enough freed text for Arrow's pool to be worth emptying: once its
cells are cleaned, and once it is interpreted, before the next file of the source is read.
Arrow's pool keeps what is freed, and a bank return folder's five statements (the largest
270 MB) otherwise peaked on the leftovers of the ones before (5.79 → 5.62 GiB at 10M calls)."""


def source_files(path: Path, name: str) -> list[Path]:
    """The files of a source: the file itself, or a folder's data files in name order."""
    if path.is_file():
        return [path]
    if path.is_dir():
        files = sorted(
            p
            for p in path.rglob("*")
            if p.is_file()
            and not p.name.startswith((".", "~$"))
            and p.suffix.lower() in WORKBOOK_SUFFIXES | TEXT_SUFFIXES
        )
        if not files:
            raise SourceError(f"{name}: folder holds no CSV, TXT or Excel files")
        return files
    raise SourceError(f"{name}: no such file or folder")


def raw_tables(path: Path, name: str, vocabulary: frozenset[str] | None = None) -> list[RawTable]:
    """A file's tables: one for a text export, one per recognisable sheet for a workbook."""
    words = vocabulary or known_header_words()
    suffix = path.suffix.lower()
    if suffix in WORKBOOK_SUFFIXES:
        from linkage.load.workbook import read_workbook

        return read_workbook(path, name, words)
    if suffix in TEXT_SUFFIXES or not suffix:
        return [read_delimited(path, name, words)]
    raise SourceError(
        f"{name}: {suffix} files are not a table format (expected csv, txt, xlsx, xls)"
    )


def read_tabular(
    context: SourceContext, kind: str, interpret: Interpret, files: list[Path] | None = None
) -> ReadResult:
    """Read every table of a source with ``interpret`` into the canonical table of ``kind``.

    ``files`` names the data files when the reader chooses them itself (a bank return folder
    whose support files are not transaction tables); by default every table file of the source.
    """
    chosen = files if files is not None else source_files(context.path, context.spec.path)
    tables = (
        (context.name_of(file), raw)
        for file in chosen
        for raw in raw_tables(file, context.name_of(file))
    )
    result = read_tables(context, kind, interpret, tables)
    return dataclasses.replace(result, files=tuple(context.name_of(f) for f in chosen))


def read_tables(
    context: SourceContext,
    kind: str,
    interpret: Interpret,
    tables: Iterable[tuple[str, RawTable]],
) -> ReadResult:
    """Interpret raw tables (named by their file) into the canonical table of ``kind``.

    The common end of every reader: readers of headerless, JSON or database exports build
    their :class:`RawTable` objects themselves and hand them here, so the ledger, provenance
    columns and rejects work the same for every format.
    """
    table = table_for_kind(kind)
    frames, rejects, names, coerced = [], [], [], []
    rows_read = 0
    notes: list[str] = []
    for name, raw in tables:
        if name not in names:
            names.append(name)
        raw.prepare()
        if len(raw.cells) >= LARGE_TABLE_ROWS:
            release_freed_arrow_memory()  # the uncleaned cells prepare replaced
        ledger = RowLedger(raw, name, table.name)
        frame = interpret(Rows(raw, ledger, context))
        short_kept = ledger.settle_short_rows()
        kept = ledger.kept
        frame = frame.loc[kept].copy()
        frame["source_file"] = name
        frame["source_row"] = raw.cells.loc[kept, ROW_COLUMN]
        frame["source_sheet"] = raw.sheet or None
        # Source facts from case.toml, unless the format has its own column (a roster's 窝点).
        if "origin" in table.column_names and "origin" not in frame.columns:
            frame["origin"] = context.spec.origin
        if "den" in table.column_names and "den" not in frame.columns:
            frame["den"] = context.spec.den
        frames.append(table.conform(frame))
        rejects.append(ledger.rejects())
        rows_read += ledger.rows_read()
        where = f"{name}" + (f" sheet {raw.sheet}" if raw.sheet else "")
        left_empty = ledger.coerced()
        if len(left_empty):
            coerced.append(left_empty)
            notes.append(coerced_note(where, left_empty))
        if raw.preamble:
            notes.append(f"{where}: {len(raw.preamble)} preamble lines before the header")
        if short_kept:
            notes.append(
                f"{where}: {short_kept} rows left trailing fields off; read with those cells empty"
            )
        if len(raw.cells) >= LARGE_TABLE_ROWS:
            del ledger, frame
            release_freed_arrow_memory()  # what interpreting it made and no longer needs
    combined = pd.concat(frames, ignore_index=True) if frames else table.empty()
    all_rejects = pd.concat(rejects, ignore_index=True) if rejects else REJECTS.empty()
    return ReadResult(
        combined, all_rejects, rows_read, tuple(names), tuple(notes), _joined(coerced)
    )


def coerced_note(where: str, coerced: pd.DataFrame) -> str:
    """The source note for values read as empty: how many, in which columns."""
    columns = ", ".join(
        f"{c} {n}" for c, n in coerced["column"].value_counts().sort_index().items()
    )
    return (
        f"{where}: {len(coerced)} values could not be read and were left empty ({columns}); "
        "coerced.csv lists each with its raw text"
    )


def _joined(frames: list[pd.DataFrame]) -> pd.DataFrame | None:
    return pd.concat(frames, ignore_index=True) if frames else None


def latest_plausible(files: list[Path]) -> dt.datetime:
    """A year after the newest input file: later times are clock errors or typos."""
    newest = max((f.stat().st_mtime for f in files), default=0.0)
    base = dt.datetime.fromtimestamp(newest, tz=dt.UTC) if newest else dt.datetime.now(dt.UTC)
    return base + dt.timedelta(days=366)
