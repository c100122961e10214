"""Open the row a link points at, in the file itself, as the defence would.

The resolver reads the evidence with the plainest tools for each format (the csv module's
line split, openpyxl, sqlite3), independent of linkage's readers, so a wrong row number in
the library cannot be hidden by the same mistake in the check.
"""

from __future__ import annotations

import sqlite3
import unicodedata
from functools import cache
from pathlib import Path

import openpyxl

ENCODINGS = ("utf-8-sig", "gb18030")


def row_text(case: Path, file: str, row: int, sheet: str | None) -> str:
    """The text of row ``row`` (1-based) of ``file`` (sheet or table ``sheet``), NFKC-folded."""
    path = case / file
    suffix = path.suffix.lower()
    if suffix in {".xlsx", ".xls"}:
        cells = _sheet_rows(path, sheet or "")[row - 1]
        text = " ".join("" if c is None else str(c) for c in cells)
    elif suffix == ".db":
        text = _table_row(path, sheet or "", row)
    else:
        text = _lines(path)[row - 1]
    return unicodedata.normalize("NFKC", text)


@cache
def _lines(path: Path) -> list[str]:
    data = path.read_bytes()
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding).splitlines()
        except UnicodeDecodeError:
            continue
    raise AssertionError(f"{path} is neither UTF-8 nor GB18030")


@cache
def _sheet_rows(path: Path, sheet: str) -> list[tuple[object, ...]]:
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return [tuple(r) for r in book[sheet].iter_rows(values_only=True)]
    finally:
        book.close()


def _table_row(path: Path, table: str, rowid: int) -> str:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        found = db.execute(f'SELECT * FROM "{table}" WHERE rowid = ?', (rowid,)).fetchone()
    assert found is not None, f"{path} table {table} has no row {rowid}"
    return " ".join("" if c is None else str(c) for c in found)
