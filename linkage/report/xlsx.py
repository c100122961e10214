"""A spreadsheet file (.xlsx) written as text, row by row, straight into its zip.

The evidence workbook of a large case holds sheets of a million rows. A general writer builds an
object per cell and serialises it through an XML tree, about 50,000 cells a second; here each
cell is one short string, so writing costs little beside reading the tables. It writes what the
workbook needs and nothing more, with the parts and the structure a general writer gives:

- one style per way a value is shown (:class:`Style`): plain, text marked with Excel's quote
  prefix, yuan, a moment, a day;
- inline strings (no shared-string table, so no second pass over the cells);
- characters XML cannot hold (control characters a chat export may carry) written as OOXML's
  ``_xHHHH_`` escapes, which Excel reads back as the character (LibreOffice shows the escape
  itself); a literal ``_xHHHH_`` in the text has its underscore escaped so Excel shows it as
  written. A carriage return is kept as itself, which XML reads as a line feed;
- text longer than a cell holds (32,767 characters) cut, ending in ``…``: the CSV and Parquet
  tables keep it whole;
- a number that is not finite written as its text, since a cell cannot hold one;
- column widths, and the header row frozen where asked.

The bytes depend on the content only: every zip entry carries the same time, the document
properties a fixed date.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import IntEnum
from pathlib import Path
from typing import IO
from xml.sax.saxutils import escape, quoteattr

from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel

from linkage.reproducible import FIXED_STAMP, fixed_entry

__all__ = ["Sheet", "Style", "cell_xml", "write_xlsx"]

CELL_CHARACTERS = 32_767
"""The most characters a cell holds; Excel asks to repair a file with a longer one."""
ZIP64_FROM = 2**31 - 1
"""Entries at least this long need zip64 headers; smaller ones keep the plain form."""
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELATIONS = "http://schemas.openxmlformats.org/package/2006/relationships"
UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)")
"""What a string cell cannot hold as itself: characters XML 1.0 forbids, and the underscore
that would make a literal ``_xHHHH_`` read as an escape."""


class Style(IntEnum):
    """The cell styles of every workbook, by their index in ``styles.xml``."""

    PLAIN = 0
    QUOTED = 1
    YUAN = 2
    MOMENT = 3
    DAY = 4


NUMBER_FORMATS = {Style.YUAN: (4, None), Style.MOMENT: (164, "yyyy-mm-dd hh:mm:ss"),
                  Style.DAY: (165, "yyyy-mm-dd")}  # fmt: skip
"""A style's number format: its id, and its code where it is not one of Excel's built-in ones
(4 is Excel's own ``#,##0.00``)."""


@dataclass(frozen=True)
class Sheet:
    """One sheet: its name (at most 31 characters), column widths, the cells of each row as
    :func:`cell_xml` fragments in column order (``""`` for an empty cell, header included),
    and whether the first row stays in view."""

    name: str
    widths: Sequence[float]
    rows: Iterable[Sequence[str]]
    freeze_header: bool = True


def cell_xml(value: object, style: Style = Style.PLAIN) -> str:
    """A cell's XML after its reference: ``write_xlsx`` puts ``<c r="B7"`` before it.

    Text is an inline string; numbers, dates and moments are numbers in the style's format;
    ``None`` is an empty cell (``""``). Naive dates and moments are written as they read.

    >>> cell_xml(Decimal("-0.05"), Style.YUAN)
    ' s="2" t="n"><v>-0.05</v></c>'
    >>> cell_xml("a<b")
    ' t="inlineStr"><is><t>a&lt;b</t></is></c>'
    >>> cell_xml(None)
    ''
    """
    if value is None:
        return ""
    styled = f' s="{int(style)}"' if style else ""
    if isinstance(value, str):
        return f'{styled} t="inlineStr"><is>{_text(value)}</is></c>'
    if isinstance(value, bool):
        return f'{styled} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, dt.datetime | dt.date):
        return f'{styled} t="n"><v>{_number(to_excel(value))}</v></c>'
    if isinstance(value, float | Decimal) and not math.isfinite(value):
        return cell_xml(str(value))
    if isinstance(value, int | float | Decimal):
        return f'{styled} t="n"><v>{_number(value)}</v></c>'
    return cell_xml(str(value), style)


def _number(value: float | int | Decimal) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _text(text: str) -> str:
    if len(text) > CELL_CHARACTERS:
        text = text[: CELL_CHARACTERS - 1] + "…"
    escaped = escape(UNSAFE.sub(_ooxml_escape, text))
    if text != text.strip():
        return f'<t xml:space="preserve">{escaped}</t>'
    return f"<t>{escaped}</t>"


def _ooxml_escape(found: re.Match[str]) -> str:
    return f"_x{ord(found.group()):04X}_"


def write_xlsx(path: Path, sheets: Sequence[Sheet], scratch: Path | None = None) -> Path:
    """Write ``sheets`` to ``path``, each sheet's rows streamed through a file in ``scratch``
    (default: beside ``path``) so a million-row sheet never sits in memory as one string."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        for name, text in _package_parts(sheets):
            book.writestr(fixed_entry(name), text)
        for number, sheet in enumerate(sheets, start=1):
            with tempfile.TemporaryFile("w+b", dir=scratch or path.parent) as rows:
                _sheet_xml(sheet, rows)
                size = rows.tell()
                rows.seek(0)
                entry = fixed_entry(f"xl/worksheets/sheet{number}.xml")
                with book.open(entry, "w", force_zip64=size >= ZIP64_FROM) as target:
                    shutil.copyfileobj(rows, target, 1 << 20)
    return path


def _sheet_xml(sheet: Sheet, out: IO[bytes]) -> None:
    frozen = (
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>'
        if sheet.freeze_header
        else '<selection activeCell="A1" sqref="A1"/>'
    )
    columns = "".join(
        f'<col min="{i}" max="{i}" width="{width:g}" customWidth="1"/>'
        for i, width in enumerate(sheet.widths, start=1)
    )
    out.write(
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN}">'
        f'<sheetViews><sheetView workbookViewId="0">{frozen}</sheetView></sheetViews>'
        f'<sheetFormatPr defaultRowHeight="15"/>{"<cols>" + columns + "</cols>" if columns else ""}'
        "<sheetData>".encode()
    )
    letters = [get_column_letter(i) for i in range(1, len(sheet.widths) + 1)]
    lines: list[str] = []
    for number, cells in enumerate(sheet.rows, start=1):
        filled = "".join(
            f'<c r="{letter}{number}"{cell}'
            for letter, cell in zip(letters, cells, strict=True)
            if cell
        )
        lines.append(f'<row r="{number}">{filled}</row>')
        if len(lines) == 1000:
            out.write("".join(lines).encode())
            lines.clear()
    out.write("".join(lines).encode())
    out.write(b'</sheetData><pageMargins left="0.75" right="0.75" top="1" bottom="1" '
              b'header="0.5" footer="0.5"/></worksheet>')  # fmt: skip


def _package_parts(sheets: Sequence[Sheet]) -> list[tuple[str, str]]:
    """Every part of the package but the worksheets, in the order they are stored."""
    head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    sheet_types = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for n in range(1, len(sheets) + 1)
    )
    content_types = (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-'
        'package.core-properties+xml"/><Override PartName="/docProps/app.xml" ContentType="'
        'application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
        f"{sheet_types}</Types>"
    )
    package_rels = (
        f'<Relationships xmlns="{PACKAGE_RELATIONS}">'
        f'<Relationship Id="rId1" Type="{RELATIONS}/officeDocument" Target="xl/workbook.xml"/>'
        f'<Relationship Id="rId2" Type="{PACKAGE_RELATIONS}/metadata/core-properties" '
        'Target="docProps/core.xml"/>'
        f'<Relationship Id="rId3" Type="{RELATIONS}/extended-properties" '
        'Target="docProps/app.xml"/></Relationships>'
    )
    core = (
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
        'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://'
        'purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        "<dc:creator>linkage</dc:creator>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{FIXED_STAMP}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{FIXED_STAMP}</dcterms:modified>'
        "</cp:coreProperties>"
    )
    app = (
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-'
        'properties"><Application>linkage</Application></Properties>'
    )
    listed = "".join(
        f'<sheet name={quoteattr(sheet.name)} sheetId="{n}" r:id="rId{n}"/>'
        for n, sheet in enumerate(sheets, start=1)
    )
    workbook = (
        f'<workbook xmlns="{MAIN}" xmlns:r="{RELATIONS}"><bookViews><workbookView '
        f'activeTab="0"/></bookViews><sheets>{listed}</sheets>'
        '<calcPr calcId="124519" fullCalcOnLoad="1"/></workbook>'
    )
    workbook_rels = "".join(
        f'<Relationship Id="rId{n}" Type="{RELATIONS}/worksheet" Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, len(sheets) + 1)
    )
    workbook_rels = (
        f'<Relationships xmlns="{PACKAGE_RELATIONS}">{workbook_rels}<Relationship Id="rId'
        f'{len(sheets) + 1}" Type="{RELATIONS}/styles" Target="styles.xml"/></Relationships>'
    )
    return [
        ("[Content_Types].xml", head + content_types),
        ("_rels/.rels", head + package_rels),
        ("docProps/app.xml", head + app),
        ("docProps/core.xml", head + core),
        ("xl/workbook.xml", head + workbook),
        ("xl/_rels/workbook.xml.rels", head + workbook_rels),
        ("xl/styles.xml", head + _styles()),
    ]


def _styles() -> str:
    """One cell format per :class:`Style`, in its order: Calibri 11, no fill, no border."""
    custom = "".join(
        f'<numFmt numFmtId="{number}" formatCode="{code}"/>'
        for number, code in NUMBER_FORMATS.values()
        if code is not None
    )
    formats = []
    for style in Style:
        number = NUMBER_FORMATS.get(style, (0, None))[0]
        applied = ' applyNumberFormat="1"' if number else ""
        quoted = ' quotePrefix="1"' if style is Style.QUOTED else ""
        formats.append(
            f'<xf numFmtId="{number}" fontId="0" fillId="0" borderId="0" xfId="0"'
            f"{applied}{quoted}/>"
        )
    return (
        f'<styleSheet xmlns="{MAIN}"><numFmts count="{custom.count("<numFmt ")}">{custom}'
        '</numFmts><fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/>'
        '</font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill>'
        '<patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/>'
        '<right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf '
        'numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        f'<cellXfs count="{len(formats)}">{"".join(formats)}</cellXfs><cellStyles count="1">'
        '<cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
    )
