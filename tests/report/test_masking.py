"""Masked reports: no identifier of the case survives anywhere in them, names do."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
from case_runs import Ran

from linkage.report.mask import Masker, mask_frame
from linkage.report.outputs import add_reports

IDENTIFIER_COLUMNS = {
    "calls": ("caller", "callee", "own_number", "other_number", "imei", "imsi"),
    "messages": ("sender", "recipient"),
    "transactions": ("account", "holder_id", "counterparty_account", "counterparty_id",
                     "counterparty_phone"),
    "accounts": ("account", "holder_id", "phone", "bound_to"),
    "persons": ("person_id", "phones", "skype", "wechat", "qq"),
    "travel": ("person_id",),
    "victims": ("id_number", "phone", "accounts", "payee_accounts"),
}  # fmt: skip
"""Every column of the canonical tables that holds a person's identifier."""


def _identifiers(ran: Ran) -> set[str]:
    """Every identifier the sample case holds that a masked report would show masked."""
    found: set[str] = set()
    for table, columns in IDENTIFIER_COLUMNS.items():
        frame = ran.result.case.tables[table]
        for column in columns:
            for value in frame[column].dropna():
                values = value if isinstance(value, list | np.ndarray) else [value]
                found.update(str(v) for v in values if len(str(v)) >= 7)
    return found


def _group_identifiers(folder: Path) -> set[str]:
    table = pd.read_parquet(folder / "group_identifiers.parquet")
    return {v for v in table["identifier"] if len(v) >= 7}


def _workbook_text(path: Path) -> list[str]:
    book = openpyxl.load_workbook(path, read_only=True)
    return [str(c) for sheet in book for row in sheet.iter_rows(values_only=True) for c in row
            if isinstance(c, str)]  # fmt: skip


def test_no_identifier_of_the_sample_survives_in_the_masked_reports(
    sample_run: Ran, tmp_path: Path
) -> None:
    folder = shutil.copytree(sample_run.out, tmp_path / "out")
    workbook, page = add_reports(folder, mask=True)
    identifiers = _identifiers(sample_run) | _group_identifiers(folder)
    assert len(identifiers) > 1000
    cells = _workbook_text(workbook)
    text = "\n".join(cells) + "\n" + html.unescape(page.read_text(encoding="utf-8"))
    words = set(re.findall(r"[^\s,;()'\"<>]+", text))
    leaked = sorted(i for i in identifiers if i in text and (i in words or len(i) >= 10))
    assert leaked == [], f"{len(leaked)} identifiers shown whole, e.g. {leaked[:5]}"
    flows = pd.read_parquet(folder / "flows.parquet")
    assert flows["payment"].str.match(r"\d{17}[\dX]@").all(), "payments start with an ID number"
    assert any("*" in c and "@2016" in c for c in cells), "payments shown masked"
    names = set(pd.read_parquet(folder / "defendants.parquet")["name"].dropna())
    assert names <= set(cells), "names stay: the report is about people"
    assert "2015-06-32 12:10:57" in cells, "a reject's raw time stays readable"


def test_free_text_is_masked_where_an_identifier_stands() -> None:
    frame = pd.DataFrame(
        {
            "victim_id": ["110105194803221036"] * 3,
            "missing": ["no statement of card 6222021234567890123 (ICBC)", "", ""],
            "detail": ["holds account via skype live:g1.or658; landline 6543210",
                       "seized/wxid_abcd1234_backup.csv", "acct:live:g1.or658"],
            "value": ["2016-02-11 03:00:54,+86 139 1234 5678,未接", "0139 12345678",
                      "(0139)12345678 paid 1,234.56 on 2016-03-10 10:00"],
            "amount_fen": [12345678901] * 3,
        }
    )  # fmt: skip
    masker = Masker(["live:g1.or658", "6543210", "wxid_abcd1234"])
    first, second, third = mask_frame(frame, masker).to_dict("records")
    assert first["victim_id"] == "1101**********1036"
    assert first["missing"] == "no statement of card 6222***********0123 (ICBC)"
    assert first["detail"] == "holds account via skype live*****r658; landline 65***10"
    assert first["value"].startswith("2016-02-11 03:00:54,"), "dates and times stay"
    assert "139 1234" not in first["value"]
    assert second["detail"] == "seized/wxid*****1234_backup.csv"
    assert third["detail"] == "acct:live*****r658"
    assert second["value"] == "0139*****5678"
    assert third["value"] == "(013******5678 paid 1,234.56 on 2016-03-10 10:00"
    assert first["amount_fen"] == 12345678901, "numbers are not text"


def test_a_masked_run_into_an_unmasked_runs_folder_leaves_no_unmasked_report(
    sample_run: Ran, tmp_path: Path
) -> None:
    from linkage import run

    folder = shutil.copytree(sample_run.out, tmp_path / "out")
    add_reports(folder, mask=False)
    assert (folder / "evidence.xlsx").exists()
    run(sample_run.case, folder, mask=True)
    assert not (folder / "evidence.xlsx").exists() and not (folder / "report.html").exists()
    assert (folder / "evidence_masked.xlsx").exists()
