"""The evidence workbook: every table, right row counts, inert formulas, masking, same bytes."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from case_runs import Ran

from linkage.cli import main
from linkage.digest import sha256_file
from linkage.report.workbook import WORKBOOK_TABLES, workbook_from_outputs, write_workbook


def _copy_outputs(ran: Ran, folder: Path) -> Path:
    shutil.copytree(ran.out, folder)
    return folder


def test_every_table_is_a_sheet_with_its_rows(sample_run: Ran, tmp_path: Path) -> None:
    folder = _copy_outputs(sample_run, tmp_path / "out")
    path = workbook_from_outputs(folder)
    book = openpyxl.load_workbook(path, read_only=False)
    assert book.sheetnames == ["about", *WORKBOOK_TABLES]
    for name in WORKBOOK_TABLES:
        frame = pd.read_parquet(folder / f"{name}.parquet")
        sheet = book[name]
        assert sheet.max_row == len(frame) + 1, name
        assert [c.value for c in sheet[1]] == list(frame.columns)
        assert sheet.freeze_panes == "A2"
    again = workbook_from_outputs(folder)
    assert sha256_file(again) == sha256_file(path), "the same tables give the same bytes"


def test_formula_like_text_is_made_inert(tmp_path: Path) -> None:
    hostile = pd.DataFrame(
        {
            "name": ['=HYPERLINK("http://x","click")', "+1", "-2+3", "@SUM(A1)", "张三"],
            "loss_fen": [1, 2, 3, 4, -5],
        }
    )
    path = write_workbook(tmp_path / "w.xlsx", {"victims": hostile}, title="t")
    sheet = openpyxl.load_workbook(path)["victims"]
    cells = [sheet.cell(row, 1) for row in range(2, 7)]
    assert [c.value for c in cells] == [
        '\'=HYPERLINK("http://x","click")',
        "'+1",
        "'-2+3",
        "'@SUM(A1)",
        "张三",
    ]
    assert all(c.data_type == "s" for c in cells), "stored as text, never as a formula"
    assert sheet.cell(6, 2).value == -5, "numbers stay numbers"


def test_masked_workbook_shows_no_whole_identifier(sample_run: Ran, tmp_path: Path) -> None:
    folder = _copy_outputs(sample_run, tmp_path / "out")
    assert main(["report", str(folder), "--mask"]) == 0
    book = openpyxl.load_workbook(folder / "evidence_masked.xlsx", read_only=True)
    victims = pd.read_parquet(folder / "victims.parquet")
    whole = set(victims["victim_id"]) | set(victims["phone"].dropna())
    seen = {c for row in book["victims"].iter_rows(values_only=True) for c in row}
    assert not whole & seen
    assert any(isinstance(c, str) and "*" in c for c in seen)
    names = set(victims["name"])
    assert names & seen, "names stay: the report is about people"


def test_report_refuses_a_folder_without_outputs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", str(tmp_path)]) == 1
    assert "no outputs" in capsys.readouterr().err
