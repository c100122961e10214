"""The spreadsheet writer, read back by two independent readers (openpyxl and calamine): text
of every awkward kind comes back as written, numbers and moments as numbers and moments."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pandas as pd
from python_calamine import CalamineWorkbook

from linkage.report.workbook import write_workbook
from linkage.report.xlsx import Sheet, Style, cell_xml, write_xlsx

AWKWARD = [
    "chat with a vertical tab\x0b and an escape \x1b",
    "a literal _x0041_ stays as typed",
    "  leading and trailing spaces  ",
    "line one\nline two\ttabbed",
    "<b>&amp;</b> \"quoted\" 'single'",
    "張三 𠮷 emoji 💸",
]


def test_awkward_text_reads_back_as_written(tmp_path: Path) -> None:
    """Control characters a chat export may carry are kept (a general writer refuses them and
    the whole workbook with them) as OOXML escapes, which Excel and calamine read back as the
    character; a literal ``_xHHHH_`` is not taken for an escape. openpyxl does not decode
    escapes in inline strings, so it is asked only about the text that needs none."""
    frame = pd.DataFrame({"remark": AWKWARD, "amount_fen": range(len(AWKWARD))})
    path = write_workbook(tmp_path / "w.xlsx", {"leads": frame}, title="t", lang="en")
    by_calamine = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("leads").to_python()
    assert [row[0] for row in by_calamine[1:]] == AWKWARD
    sheet = openpyxl.load_workbook(path)["leads"]
    by_openpyxl = [row[0] for row in sheet.iter_rows(min_row=4, values_only=True)]
    assert by_openpyxl == AWKWARD[2:]


def test_every_part_is_well_formed_and_the_bytes_repeat(tmp_path: Path) -> None:
    sheets = [Sheet("a & b", [10, 12.5], [[cell_xml("x"), cell_xml(1)]])]
    first = write_xlsx(tmp_path / "1.xlsx", sheets).read_bytes()
    sheets = [Sheet("a & b", [10, 12.5], [[cell_xml("x"), cell_xml(1)]])]
    assert write_xlsx(tmp_path / "2.xlsx", sheets).read_bytes() == first
    with zipfile.ZipFile(tmp_path / "1.xlsx") as book:
        for name in book.namelist():
            ET.fromstring(book.read(name))  # raises on a part that is not XML
            assert book.getinfo(name).date_time == (1980, 1, 1, 0, 0, 0)
    assert openpyxl.load_workbook(tmp_path / "1.xlsx").sheetnames == ["a & b"]


def test_values_keep_their_kind_and_style(tmp_path: Path) -> None:
    moment = dt.datetime(2016, 3, 3, 14, 5, 9, 250_000)
    row = [
        cell_xml(Decimal("-1234.05"), Style.YUAN),
        cell_xml(moment, Style.MOMENT),
        cell_xml(dt.date(2016, 3, 3), Style.DAY),
        cell_xml(True),
        cell_xml(None),
        cell_xml("=1+1", Style.QUOTED),
        cell_xml(7),
    ]
    path = write_xlsx(tmp_path / "v.xlsx", [Sheet("s", [10] * len(row), [row])])
    cells = next(iter(openpyxl.load_workbook(path)["s"].iter_rows()))
    assert cells[0].value == -1234.05 and cells[0].number_format == "#,##0.00"
    assert cells[1].value == moment and cells[1].number_format == "yyyy-mm-dd hh:mm:ss"
    assert cells[2].value == dt.datetime(2016, 3, 3) and cells[2].number_format == "yyyy-mm-dd"
    assert cells[3].value is True and cells[4].value is None
    assert cells[5].value == "=1+1" and cells[5].data_type == "s" and cells[5].quotePrefix
    assert cells[6].value == 7 and cells[6].number_format == "General"
    calamine = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("s").to_python()[0]
    assert calamine[1] == moment and calamine[5] == "=1+1"


def test_only_the_data_sheets_freeze_their_header(tmp_path: Path) -> None:
    frame = pd.DataFrame({"victim_id": ["V1"]})
    book = openpyxl.load_workbook(write_workbook(tmp_path / "w.xlsx", {"victims": frame}, "t"))
    assert book["victims"].freeze_panes == "A2"
    assert book["about"].freeze_panes is None
    assert book["about"].column_dimensions["B"].width == 90


def test_what_a_cell_cannot_hold_is_still_a_cell_excel_opens(tmp_path: Path) -> None:
    """Text beyond Excel's 32,767 characters is cut with an ellipsis (the CSV keeps it whole);
    a number that is not finite is written as its text."""
    long = "話" * 40_000
    row = [cell_xml(long), cell_xml(float("inf")), cell_xml(Decimal("NaN"), Style.YUAN)]
    path = write_xlsx(tmp_path / "c.xlsx", [Sheet("s", [10] * 3, [row])])
    cells = next(iter(openpyxl.load_workbook(path)["s"].iter_rows(values_only=True)))
    assert len(cells[0]) == 32_767 and cells[0].endswith("…")
    assert cells[1:] == ("inf", "NaN")
