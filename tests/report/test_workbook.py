"""The evidence workbook: every table, right row counts, inert formulas, masking, same bytes."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

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
    path = workbook_from_outputs(folder, lang="en")
    book = openpyxl.load_workbook(path, read_only=False)
    assert book.sheetnames == ["about", *WORKBOOK_TABLES]
    for name in WORKBOOK_TABLES:
        frame = pd.read_parquet(folder / f"{name}.parquet")
        sheet = book[name]
        assert sheet.max_row == len(frame) + 1, name
        shown = [str(c.value).split(" (")[0].replace("_yuan", "_fen") for c in sheet[1]]
        assert shown == list(frame.columns)
        assert sheet.freeze_panes == "A2"
    again = workbook_from_outputs(folder, lang="en")
    assert sha256_file(again) == sha256_file(path), "the same tables give the same bytes"


def test_a_workbook_for_court(sample_run: Ran, tmp_path: Path) -> None:
    """Chinese headers, real dates in Beijing time, yuan with two decimals, text as text."""
    folder = _copy_outputs(sample_run, tmp_path / "out")
    book = openpyxl.load_workbook(workbook_from_outputs(folder))
    victims = book["victims"]
    header = [c.value for c in victims[1]]
    assert header[:9] == [
        "被害人标识", "姓名", "团伙", "认定", "证据种类", "损失金额（元）",
        "首次联系时间（北京时间 UTC+8）", "最后转账时间（北京时间 UTC+8）", "是否报案",
    ]  # fmt: skip
    table = pd.read_parquet(folder / "victims.parquet")
    first = table.iloc[0]
    row = [c for c in victims[2]]
    assert row[5].number_format == "#,##0.00" and row[5].data_type == "n"
    assert round(row[5].value * 100) == first["loss_fen"], "yuan, exact to the fen"
    contact = dt.datetime.fromisoformat(first["first_contact_at"])
    shanghai = contact.astimezone(ZoneInfo("Asia/Shanghai")).replace(tzinfo=None)
    assert row[6].is_date and row[6].value == shanghai
    links = book["links"]
    at = [c.value for c in links[1]].index("时间（北京时间 UTC+8）")
    utc = pd.read_parquet(folder / "links.parquet")["at"].iloc[0]
    assert links.cell(2, at + 1).value == utc.tz_convert("Asia/Shanghai").tz_localize(None)
    defendants = book["defendants"]
    start = [c.value for c in defendants[1]].index("参与起始日") + 1
    assert defendants.cell(2, start).is_date and defendants.cell(2, start).number_format == (
        "yyyy-mm-dd"
    )
    texts = [c for sheet in book for line in sheet.iter_rows() for c in line
             if isinstance(c.value, str)]  # fmt: skip
    assert not [c.value for c in texts if c.value.startswith("'")], "no stored apostrophe"
    phones = [c for c in texts if c.value.startswith("+86")]
    assert phones and all(c.data_type == "s" and c.quotePrefix for c in phones)
    assert "manifest.json SHA-256（写入本工作簿时）" in [c.value for c in book["about"]["A"]]


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
    assert [c.value for c in cells] == hostile["name"].tolist(), "the text as it was"
    assert all(c.data_type == "s" for c in cells), "stored as text, never as a formula"
    assert [c.quotePrefix for c in cells] == [True, True, True, True, False]
    assert sheet.cell(6, 2).value == -0.05, "numbers stay numbers, in yuan"


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
