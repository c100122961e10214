"""Read the sheets of an xlsx or legacy xls workbook into :class:`RawTable` objects.

Workbooks keep cell types: a date-formatted cell arrives as a date, an amount as a number, and a
card number typed as a number arrives already damaged. Cells are handed on typed, so the column
parsers can tell an Excel serial date from text and refuse an identifier that went through a
float, instead of this module flattening everything to text and hiding the damage.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
from python_calamine import CalamineWorkbook

from linkage.errors import SourceError
from linkage.load.raw import (
    ROW_COLUMN,
    TRAILER_WORDS,
    RawTable,
    RowProblem,
    clean_cell,
    clean_header,
    find_header_row,
    unique_names,
)
from linkage.rejects import RejectReason


def sheet_rows(path: Path, name: str) -> dict[str, tuple[int, list[list[Any]]]]:
    """Every sheet's rows as typed cells, with the 0-based sheet row of the first one.

    Raises
    ------
    SourceError
        If the file is not a readable workbook (truncated, encrypted, another format renamed).
    """
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        sheets = {}
        for sheet_name in workbook.sheet_names:
            sheet = workbook.get_sheet_by_name(sheet_name)
            sheets[sheet_name] = (sheet.start[0] if sheet.start else 0, sheet.to_python())
        return sheets
    except Exception as error:  # calamine raises its own untyped errors
        raise SourceError(f"{name}: not a readable xlsx/xls workbook ({error})") from error


def read_workbook(path: Path, name: str, known_words: frozenset[str]) -> list[RawTable]:
    """Every sheet of the workbook as a raw table.

    A sheet without a recognisable header (a month whose sheet does not repeat it, a cover
    sheet of notes) cannot be interpreted, but its rows are not dropped: each non-blank row is
    a ``malformed_row`` problem, so it shows in the rejects and in the counts. A workbook where
    no sheet has a header raises, because then nothing in it could be read.
    """
    tables = []
    headless = []
    for sheet_name, (first_row, rows) in sheet_rows(path, name).items():
        table = sheet_table(rows, first_row, known_words, sheet_name)
        tables.append(table if table is not None else _headless(rows, first_row, sheet_name))
        headless.append(table is None)
    if all(headless):
        raise SourceError(
            f"{name}: no sheet has a header row of a known export format in its first 40 rows"
        )
    return tables


def _headless(rows: list[list[object]], first_row: int, sheet_name: str) -> RawTable:
    problems = [
        RowProblem(
            first_row + offset,
            RejectReason.MALFORMED_ROW,
            "sheet has no header row: " + ",".join(str(c) for c in row if c not in ("", None)),
        )
        for offset, row in enumerate(rows, start=1)
        if any(clean_cell(c) != "" for c in row)
    ]
    cells = pd.DataFrame({ROW_COLUMN: pd.Series([], dtype="int64")})
    return RawTable(
        header=[], cells=cells, header_row=0, problems=problems, encoding="xlsx", sheet=sheet_name
    )


def sheet_table(
    rows: list[list[object]], first_row: int, known_words: frozenset[str], sheet_name: str
) -> RawTable | None:
    """One sheet's rows as a raw table, or None when the sheet has no known header."""
    header_index = find_header_row(rows, known_words)
    if header_index is None:
        return None
    names = [clean_header(c) for c in rows[header_index]]
    width = max([len(names)] + [len(r) for r in rows[header_index + 1 :]])
    names = unique_names(names + [""] * (width - len(names)))
    records: list[list[object]] = []
    numbers: list[int] = []
    problems: list[RowProblem] = []
    for offset, row in enumerate(rows[header_index + 1 :], start=header_index + 2):
        sheet_row = first_row + offset
        cells = [clean_cell(v) for v in row] + [""] * (width - len(row))
        if all(c == "" for c in cells):
            problems.append(RowProblem(sheet_row, RejectReason.BLANK_ROW, ""))
            continue
        first = next((c for c in cells if c != ""), "")
        if isinstance(first, str) and first.startswith(TRAILER_WORDS):
            text = ",".join(str(c) for c in cells)
            problems.append(RowProblem(sheet_row, RejectReason.SUMMARY_ROW, text))
            continue
        records.append(cells)
        numbers.append(sheet_row)
    frame = pd.DataFrame(records, columns=names, dtype=object)
    frame[ROW_COLUMN] = pd.Series(numbers, dtype="int64").to_numpy()
    preamble = [",".join(str(c) for c in r if c not in ("", None)) for r in rows[:header_index]]
    return RawTable(
        header=names,
        cells=frame,
        header_row=first_row + header_index + 1,
        preamble=preamble,
        problems=problems,
        encoding="xlsx",
        sheet=sheet_name,
    )
