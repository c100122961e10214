"""The evidence workbook: the tables a prosecutor attaches, one sheet each, ready to read.

Frozen headers, widths fitted to the content, and every text cell that a spreadsheet would
take for a formula (starting with ``= + - @``, or a tab or carriage return) made inert with a
leading apostrophe: evidence text is data, and a name or remark like ``=HYPERLINK(...)`` must
never run. A sheet holds at most Excel's 1,048,575 rows; a longer table is cut there and the
cut is said on the sheet ``about``. The bytes depend on the content only.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import openpyxl
import pandas as pd
import pyarrow.parquet as pq
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from linkage.report.mask import MASKED_COLUMNS, Masker
from linkage.report.tables import display_width
from linkage.reproducible import repack

__all__ = [
    "MAX_ROWS", "WORKBOOK_TABLES", "neutralized", "output_masker", "output_tables",
    "workbook_from_outputs", "write_workbook",
]  # fmt: skip

MAX_ROWS = 1_048_575
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralized(value: object) -> object:
    """A cell value a spreadsheet cannot evaluate: text that looks like a formula gets ``'``.

    >>> neutralized("=1+1"), neutralized("-5 yuan"), neutralized("张三"), neutralized(-5)
    ("'=1+1", "'-5 yuan", '张三', -5)
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_workbook(
    path: Path,
    tables: dict[str, pd.DataFrame],
    title: str,
    mask: bool = False,
    masker: Masker | None = None,
) -> Path:
    """Write ``tables`` (sheet name -> frame) to ``path`` with an ``about`` sheet first; with
    ``mask``, every identifier masked by ``masker`` (default: one knowing ``tables``)."""
    book = openpyxl.Workbook()
    about = book.active
    about.title = "about"
    about.append(["linkage evidence workbook", title])
    about.append(["identifiers", "masked" if mask else "in full"])
    if mask and masker is None:
        masker = Masker.for_tables(tables.values())
    masker = masker if mask else None
    for name, frame in tables.items():
        shown = masker.frame(frame) if masker else frame
        cut = len(shown) > MAX_ROWS
        about.append([name, f"{len(frame)} rows" + (f", first {MAX_ROWS} shown" if cut else "")])
        _sheet(book.create_sheet(name[:31]), shown.head(MAX_ROWS))
    about.column_dimensions["A"].width = 28
    about.column_dimensions["B"].width = 60
    buffer = io.BytesIO()
    book.save(buffer)
    path.write_bytes(repack(buffer.getvalue()))
    return path


def _sheet(ws: Worksheet, frame: pd.DataFrame) -> None:
    header = [str(c) for c in frame.columns]
    ws.append(header)
    widths = [len(h) for h in header]
    for row in frame.astype(object).where(frame.notna(), None).itertuples(index=False):
        cells = [_cell(v) for v in row]
        ws.append(cells)
        for i, cell in enumerate(cells):
            widths[i] = max(widths[i], min(60, _width(cell)))
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width + 2
    ws.freeze_panes = "A2"


def _cell(value: object) -> object:
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ";".join(str(v) for v in value)
    return neutralized(value)


def _width(value: object) -> int:
    return display_width("" if value is None else str(value))


WORKBOOK_TABLES = (
    "victims", "defendants", "defendant_victims", "links", "transfers", "flows", "destinations",
    "stays", "roles_evidence", "attribution_gaps", "account_gaps", "leads", "rejects", "coerced",
)  # fmt: skip
"""The result tables the workbook holds, in sheet order."""


def output_tables(folder: Path) -> dict[str, pd.DataFrame]:
    """The result tables of :data:`WORKBOOK_TABLES` a run wrote to ``folder``."""
    return {
        name: pd.read_parquet(folder / f"{name}.parquet")
        for name in WORKBOOK_TABLES
        if (folder / f"{name}.parquet").exists()
    }


def output_masker(folder: Path) -> Masker:
    """A masker that knows every identifier in every result table a run wrote to ``folder``
    (``group_identifiers`` and ``flows`` included, though the workbook shows fewer)."""
    frames = []
    for path in sorted(folder.glob("*.parquet")):
        wanted = [name for name in pq.read_schema(path).names if name in MASKED_COLUMNS]
        if wanted:
            frames.append(pd.read_parquet(path, columns=wanted))
    return Masker.for_tables(frames)


def workbook_from_outputs(folder: Path, mask: bool = False) -> Path:
    """``folder/evidence.xlsx`` from the Parquet tables and manifest a run wrote there."""
    tables = output_tables(folder)
    case = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["case"]["name"]
    name = "evidence_masked.xlsx" if mask else "evidence.xlsx"
    masker = output_masker(folder) if mask else None
    return write_workbook(folder / name, tables, title=str(case), mask=mask, masker=masker)
