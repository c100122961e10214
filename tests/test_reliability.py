"""The skeptical reviewer's probes, replayed on copies of the sample case.

Each test takes the committed sample, damages or disturbs it the way a review did (two runs into
one folder, a run killed halfway, a roster row without a name, calls stamped after the seizure,
a symbolic link out of the case, a pending SQLite journal, a file case.toml does not name, a
line re-saved in another encoding, a damaged database, a duration that is not a number, a
source without a time zone) and checks that linkage answers as a court needs: refused with one
line, or kept out of evidence and listed, never silently.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import networkx as nx
import openpyxl
import pandas as pd
import pytest
from case_runs import SAMPLE, Ran

from linkage import run
from linkage.cli import main
from linkage.digest import sha256_file
from linkage.load.case import load_case
from linkage.match.corroborate import corroborate
from linkage.report.out_folder import lock_out_folder

CASE = SAMPLE / "case"
DIAL_LIST = "seized/den-jakarta/dial_list.csv"
SEIZED_JAKARTA = dt.datetime(2016, 4, 8, 14, 0)
"""case.toml's seized_at (10:00 +03:00) on den-jakarta's clock (+07:00)."""


def _case(tmp_path: Path) -> Path:
    return Path(shutil.copytree(CASE, tmp_path / "case"))


def _certified(folder: Path) -> dict[str, str]:
    """The outputs ``folder``'s manifest lists, after checking that each file matches its
    digest and that nothing else is in the folder."""
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    outputs: dict[str, str] = manifest["outputs"]
    for name, digest in outputs.items():
        assert sha256_file(folder / name) == digest, name
    present = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    assert present == {*outputs, "manifest.json"}, "every file is one the manifest certifies"
    return outputs


def _dial_lines(case: Path) -> list[str]:
    return (case / DIAL_LIST).read_bytes().decode("gb18030").split("\n")


def _write_dial_lines(case: Path, lines: list[str]) -> None:
    (case / DIAL_LIST).write_bytes("\n".join(lines).encode("gb18030"))


def _answered_row(lines: list[str]) -> list[str]:
    return next(line.split(",") for line in lines[1:] if ",接通," in line and line.split(",")[2])


def _call_at(lines: list[str], callee: str, local: dt.datetime) -> str:
    """A dial-list row like an answered one of the file, to ``callee`` at ``local``."""
    fields = _answered_row(lines)
    stamp = local.strftime("%Y-%m-%d %H:%M:%S")
    end = (local + dt.timedelta(seconds=150)).strftime("%Y-%m-%d %H:%M:%S")
    answer = (local + dt.timedelta(seconds=10)).strftime("%Y-%m-%d %H:%M:%S")
    fields[0], fields[4], fields[5], fields[6], fields[7], fields[8] = (
        "", callee, stamp, answer, end, "140",
    )  # fmt: skip
    return ",".join(fields)


# 1. Two runs into one folder at once


def test_a_second_run_on_a_locked_folder_stops_with_one_line(
    sample_run: Ran, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = Path(shutil.copytree(sample_run.out, tmp_path / "out"))
    before = _certified(out)
    with lock_out_folder(out):
        status = main(["run", str(CASE), "--out", str(out), "--quiet"])
    err = capsys.readouterr().err
    assert status == 1
    assert re.fullmatch(
        r"linkage: error: \S+ is being written by another linkage run \(process \d+\); wait for "
        r"it to finish or choose another --out\n",
        err,
    )
    assert _certified(out) == before, "the folder is untouched"


def test_report_and_load_wait_for_no_run_and_refuse_a_folder_in_the_way(
    sample_run: Ran, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = Path(shutil.copytree(sample_run.out, tmp_path / "out"))
    before = _certified(out)
    with lock_out_folder(out):
        assert main(["report", str(out), "--mask"]) == 1
    assert "being written by another linkage run" in capsys.readouterr().err
    assert _certified(out) == before
    assert main(["report", str(out), "--mask"]) == 0
    assert "evidence_masked.xlsx" in _certified(out), "the report is listed in the manifest"
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me", encoding="utf-8")
    started = time.perf_counter()
    assert main(["load", str(CASE), "--to", str(mine), "--quiet"]) == 1
    assert time.perf_counter() - started < 5, "refused before the case is read"
    assert "holds files linkage did not write (notes.txt)" in capsys.readouterr().err


def test_two_runs_started_together_leave_one_run_certified(sample_run: Ran, tmp_path: Path) -> None:
    out = tmp_path / "out"
    command = [sys.executable, "-m", "linkage.cli", "run", "--quiet", "--out", str(out)]
    first = subprocess.Popen([*command, str(CASE)], stderr=subprocess.PIPE, text=True)
    lock = tmp_path / ".out.lock"
    while not lock.exists() and first.poll() is None:
        time.sleep(0.02)
    other = SAMPLE.parent / "designated-2016" / "case"
    second = subprocess.run([*command, str(other)], capture_output=True, text=True, check=False)
    _, first_err = first.communicate(timeout=600)
    assert first.returncode == 0, first_err
    assert second.returncode == 1 and "being written by another linkage run" in second.stderr
    _certified(out)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["case"]["name"] == "synth-2016"
    victims = pd.read_csv(out / "victims.csv", dtype=str)
    assert victims.equals(pd.read_csv(sample_run.out / "victims.csv", dtype=str))
    assert not lock.exists(), "the lock goes with its run"


# 2. An interrupted run


def test_a_killed_run_leaves_the_previous_complete_run(sample_run: Ran, tmp_path: Path) -> None:
    out = Path(shutil.copytree(sample_run.out, tmp_path / "out"))
    before = _certified(out)
    command = [sys.executable, "-m", "linkage.cli", "run", str(CASE), "--out", str(out), "--quiet",
               "--mask"]  # fmt: skip
    victim = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    staged: list[Path] = []
    while victim.poll() is None and not staged:
        staged = [p for p in tmp_path.glob(".out.staging-*/victims.csv") if p.stat().st_size]
        time.sleep(0.01)
    assert staged, "the run was caught while writing"
    victim.send_signal(signal.SIGKILL)
    victim.wait()
    assert _certified(out) == before, "the earlier run, whole, and nothing of the killed one"
    assert main(["run", str(CASE), "--out", str(out), "--quiet", "--mask"]) == 0
    assert not list(tmp_path.glob(".out.*")), "the next run clears what the killed one left"
    outputs = _certified(out)
    assert "evidence_masked.xlsx" in outputs and "evidence.xlsx" not in outputs


def test_a_run_that_fails_while_writing_changes_nothing(
    sample_run: Ran, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import linkage.report.outputs as outputs

    out = Path(shutil.copytree(sample_run.out, tmp_path / "out"))
    before = _certified(out)

    def broken(folder: Path, mask: bool = False, lang: str = "zh") -> Path:
        raise KeyboardInterrupt  # Ctrl-C halfway through the reports

    monkeypatch.setattr(outputs, "write_html", broken)
    with pytest.raises(KeyboardInterrupt):
        run(CASE, out)
    assert _certified(out) == before
    assert not list(tmp_path.glob(".out.*"))


def test_an_out_folder_holding_other_files_is_refused_before_any_work(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.docx").write_bytes(b"the analyst's own notes")
    started = time.perf_counter()
    assert main(["run", str(CASE), "--out", str(out), "--quiet"]) == 1
    assert time.perf_counter() - started < 5, "refused before the case is read"
    assert "holds files linkage did not write (notes.docx)" in capsys.readouterr().err
    assert (out / "notes.docx").read_bytes() == b"the analyst's own notes"
    (tmp_path / "file").write_text("x", encoding="utf-8")
    assert main(["run", str(CASE), "--out", str(tmp_path / "file"), "--quiet"]) == 1
    assert "is a file" in capsys.readouterr().err


# 3. A roster row without a name


def test_a_roster_row_without_a_name_is_kept_with_a_note(tmp_path: Path) -> None:
    case = _case(tmp_path)
    book = openpyxl.load_workbook(case / "police" / "roster.xlsx")
    sheet = book.active
    assert sheet is not None
    header = [c.value for c in sheet[1]]
    name, person_id = header.index("姓名") + 1, header.index("证件号码") + 1
    sheet.cell(3, name).value = None
    sheet.cell(4, name).value = '=B2&"x"'  # a formula the workbook saved no value for
    nameless = {str(sheet.cell(3, person_id).value), str(sheet.cell(4, person_id).value)}
    book.save(case / "police" / "roster.xlsx")
    result = run(case, tmp_path / "out")
    defendants = result.attribution.defendants.set_index("person_id")
    assert defendants.loc[sorted(nameless), "name"].isna().all()
    gaps = result.attribution.gaps
    assert set(gaps.loc[gaps["gap"] == "no name on the roster", "person_id"]) == nameless
    graph = nx.read_graphml(tmp_path / "out" / "case_graph.graphml")
    assert all(graph.nodes[f"person:{p}"]["label"] == "" for p in nameless)
    persons = result.case.tables["persons"].set_index("person_id")
    assert persons.loc[sorted(nameless), "note"].str.contains("姓名 is empty").all()


# 4. Evidence stamped after the seizure


def _linked_victim(sample_run: Ran) -> tuple[str, str]:
    """A victim the sample links but does not corroborate, with the phone to call them on."""
    victims = sample_run.result.findings.victims
    linked = victims[(victims["verdict"] == "linked") & victims["phone"].notna()]
    row = linked.sort_values("victim_id").iloc[0]
    return str(row["victim_id"]), str(row["phone"]).removeprefix("+86")


@pytest.mark.parametrize("after", [dt.timedelta(hours=1), dt.timedelta(days=61)], ids=str)
def test_calls_after_the_seizure_are_no_evidence(
    sample_run: Ran, tmp_path: Path, after: dt.timedelta
) -> None:
    victim, phone = _linked_victim(sample_run)
    case = _case(tmp_path)
    lines = _dial_lines(case)
    before = _call_at(lines, phone, SEIZED_JAKARTA - dt.timedelta(days=2))
    _write_dial_lines(case, [*lines[:-1], before, lines[-1]] if not lines[-1] else [*lines, before])
    earlier = corroborate(load_case(case)).links
    assert (earlier["victim_id"] == victim).sum() > (
        sample_run.result.findings.links["victim_id"] == victim
    ).sum(), "the same call before the seizure would be evidence"

    case = _case(tmp_path / "late")
    lines = _dial_lines(case)
    late = _call_at(lines, phone, SEIZED_JAKARTA + after)
    _write_dial_lines(case, [*lines[:-1], late, lines[-1]] if not lines[-1] else [*lines, late])
    loaded = load_case(case)
    rejected = loaded.rejects[loaded.rejects["reason"] == "after_seizure"]
    assert rejected[["source_file", "column"]].values.tolist() == [[DIAL_LIST, "started_at"]]
    found = corroborate(loaded)
    mine = found.victims.set_index("victim_id").loc[victim]
    assert mine["verdict"] == "linked"
    pd.testing.assert_frame_equal(
        found.links[found.links["victim_id"] == victim].reset_index(drop=True),
        sample_run.result.findings.links[
            sample_run.result.findings.links["victim_id"] == victim
        ].reset_index(drop=True),
    )
    report = next(s for s in loaded.sources if s.path == DIAL_LIST)
    assert report.rows_rejected == 1 + next(
        s.rows_rejected for s in sample_run.result.case.sources if s.path == DIAL_LIST
    ), "counted against its source: read = kept + rejected"


def test_chats_and_ledger_rows_after_the_seizure_are_rejects_and_a_gap(tmp_path: Path) -> None:
    case = _case(tmp_path)
    seized = dt.datetime(2016, 4, 8, 7, 0, tzinfo=dt.UTC)
    with sqlite3.connect(case / "seized" / "den-jakarta" / "main.db") as db:
        db.execute("UPDATE Messages SET timestamp = ? WHERE id = 450",
                   (int(seized.timestamp()) + 3600,))  # fmt: skip
        db.execute(
            "UPDATE Messages SET timestamp = ? WHERE id = 449", (int(seized.timestamp()) + 300,)
        )  # fmt: skip  (within the skew: kept)
    book = openpyxl.load_workbook(case / "seized" / "den-jakarta" / "ledger.xlsx")
    sheet = book.active
    assert sheet is not None
    sheet.cell(3, 1).value = dt.datetime(2016, 6, 4)
    book.save(case / "seized" / "den-jakarta" / "ledger.xlsx")
    result = run(case, tmp_path / "out")
    late = result.case.rejects[result.case.rejects["reason"] == "after_seizure"]
    assert sorted(zip(late["kind"], late["source_file"], late["source_row"], strict=True)) == [
        ("messages", "seized/den-jakarta/main.db", 450),
        ("transactions", "seized/den-jakarta/ledger.xlsx", 3),
    ]
    messages = result.case.tables["messages"]
    assert (messages["sent_at"] > pd.Timestamp(seized)).sum() == 1, "five minutes: clock skew"
    gaps = result.attribution.gaps
    counted = gaps[gaps["gap"] == "seized evidence stamped after the seizure"]
    assert counted["count"].tolist() == [1, 1]
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["rejects_by_reason"]["after_seizure"] == 2
    assert manifest["case"]["clock_skew_s"] == 600


# 5. Masking: tests/report/test_masking.py scans every masked output for every identifier.

# 6. Symbolic links out of the case


def test_a_symbolic_link_out_of_the_case_is_refused_unread(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = _case(tmp_path)
    secret = tmp_path / "elsewhere.csv"
    secret.write_text("SECRET,DO NOT QUOTE\n", encoding="utf-8")
    (case / DIAL_LIST).unlink()
    (case / DIAL_LIST).symlink_to(secret)
    assert main(["inspect", str(case)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "SECRET" not in err
    assert f"{DIAL_LIST}: a symbolic link to a file outside the case folder" in err


def test_links_inside_a_source_folder_are_checked_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = _case(tmp_path)
    folder = next(p for p in (case / "bank").iterdir() if p.is_dir())
    (folder / "extra.csv").symlink_to(tmp_path / "elsewhere.csv")
    assert main(["inspect", str(case)]) == 1
    assert "a symbolic link to a file outside the case folder" in capsys.readouterr().err
    (folder / "extra.csv").unlink()
    (folder / "extra.csv").symlink_to(folder / "missing.csv")  # inside, but to nothing
    assert main(["inspect", str(case)]) == 1
    assert "extra.csv: a symbolic link to nothing" in capsys.readouterr().err


# 7. A pending SQLite write-ahead log


def test_a_pending_write_ahead_log_is_read_and_hashed(tmp_path: Path) -> None:
    case = _case(tmp_path)
    database = case / "seized" / "den-jakarta" / "main.db"
    work = tmp_path / "work"
    work.mkdir()
    shutil.copy(database, work / "main.db")
    db = sqlite3.connect(work / "main.db")
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA wal_autocheckpoint=0")
    db.execute(
        "INSERT INTO Messages SELECT 451, convo_id, chatname, author, from_dispname, "
        "dialog_partner, timestamp + 60, type, chatmsg_type, 'one more' FROM Messages WHERE id = 450"
    )
    db.commit()
    shutil.copy(work / "main.db", database)  # the main file, and the log still pending beside it
    shutil.copy(work / "main.db-wal", case / "seized" / "den-jakarta" / "main.db-wal")
    db.close()
    loaded = load_case(case)
    report = next(s for s in loaded.sources if s.path == "seized/den-jakarta/main.db")
    assert report.rows_read == 451
    wal = "seized/den-jakarta/main.db-wal"
    assert loaded.inputs[wal] == sha256_file(case / wal)
    assert wal not in loaded.not_read


# 8. A file case.toml does not name


def test_a_file_case_toml_does_not_name_is_listed_as_not_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = _case(tmp_path)
    (case / "seized" / "den-jakarta" / "backup_dial_list.csv").write_text("x\n", encoding="utf-8")
    (case / "seized" / ".DS_Store").write_bytes(b"\0")
    (case / "out").mkdir()  # an earlier run's outputs kept in the case, and a run under way
    (case / "out" / "manifest.json").write_text('{"linkage_version": "0"}', encoding="utf-8")
    (case / "out" / "victims.csv").write_text("victim_id\n", encoding="utf-8")
    (case / ".out.lock").write_text("123\n", encoding="utf-8")
    (case / ".out.staging-0a1b2c").mkdir()
    (case / ".out.staging-0a1b2c" / "victims.csv").write_text("victim_id\n", encoding="utf-8")
    assert main(["inspect", str(case), "--out", str(tmp_path / "out")]) == 0
    assert "not read (case.toml names no source for them): " in capsys.readouterr().out
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["not_read"] == ["seized/den-jakarta/backup_dial_list.csv"]


# 9. A line re-saved in another encoding


def test_a_utf8_line_inside_a_gb18030_file_is_a_reject(tmp_path: Path) -> None:
    case = _case(tmp_path)
    data = (case / DIAL_LIST).read_bytes().split(b"\n")
    number = next(i for i, line in enumerate(data) if "未接".encode("gb18030") in line)
    data[number] = data[number].decode("gb18030").encode("utf-8")
    (case / DIAL_LIST).write_bytes(b"\n".join(data))
    loaded = load_case(case)
    rejects = loaded.rejects[loaded.rejects["source_file"] == DIAL_LIST]
    row = rejects[rejects["source_row"] == number + 1]  # lines count from 1
    assert row["reason"].tolist() == ["undecodable_row"]
    calls = loaded.tables["calls"]
    assert not calls["result_raw"].astype(str).str.contains("鏈帴").any(), "no mojibake kept"


# 10. A damaged SQLite database


def test_a_damaged_sqlite_database_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for page in (2, 5, 12):
        case = _case(tmp_path / str(page))
        database = case / "seized" / "den-jakarta" / "main.db"
        data = bytearray(database.read_bytes())
        data[(page - 1) * 4096 : page * 4096] = bytes((i * 37 + 11) % 256 for i in range(4096))
        database.write_bytes(bytes(data))
        assert main(["inspect", str(case)]) == 1
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "Traceback" not in err
        assert err.startswith("linkage: error: seized/den-jakarta/main.db: ")


# 11. An optional number that is not a number


def test_a_bad_optional_number_keeps_its_raw_text(tmp_path: Path) -> None:
    case = _case(tmp_path)
    lines = _dial_lines(case)
    number, line = next((i, ln) for i, ln in enumerate(lines) if ",0,未接," in ln)
    lines[number] = line.replace(",0,未接,", ',"1,2a3",未接,')
    _write_dial_lines(case, lines)
    loaded = load_case(case)
    calls = loaded.tables["calls"]
    kept = calls[(calls["source_file"] == DIAL_LIST) & (calls["source_row"] == number + 1)]
    assert len(kept) == 1 and pd.isna(kept["duration_s"].iloc[0]), "the call is kept"
    coerced = loaded.coerced[["source_file", "source_row", "column", "reason", "value"]]
    assert coerced.values.tolist() == [[DIAL_LIST, number + 1, "通话时长", "not_a_number", "1,2a3"]]
    report = next(s for s in loaded.sources if s.path == DIAL_LIST)
    assert any("coerced.csv" in note for note in report.notes)


# 12. Time zones


def test_the_zone_of_each_source_is_recorded_and_doubts_are_said(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = _case(tmp_path)
    text = (case / "case.toml").read_text(encoding="utf-8")
    ledger = 'path = "seized/den-jakarta/ledger.xlsx"\nkind = "transactions"\norigin = "seized"\n'
    assert ledger + 'timezone = "Asia/Jakarta"\n' in text
    (case / "case.toml").write_text(text.replace(ledger + 'timezone = "Asia/Jakarta"\n', ledger),
                                    encoding="utf-8")  # fmt: skip
    assert main(["inspect", str(case), "--out", str(tmp_path / "out")]) == 0
    assert (
        "warning: seized/den-jakarta/ledger.xlsx: names no time zone, so it was read in the case "
        "zone Asia/Shanghai, while other sources of den den-jakarta state Asia/Jakarta"
    ) in capsys.readouterr().out
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    zones = {s["path"]: (s["timezone"], s["timezone_stated"]) for s in manifest["sources"]}
    assert zones["seized/den-jakarta/ledger.xlsx"] == ("Asia/Shanghai", False)
    assert zones[DIAL_LIST] == ("Asia/Jakarta", True)
    assert zones["seized/den-jakarta/main.db"] == (None, False), "epochs need no zone"
    assert len(manifest["warnings"]) == 1
    assert (
        "skips is read with the offset in force before" in manifest["time_rules"]["daylight_saving"]
    )


def test_the_sample_reads_without_a_warning(sample_run: Ran) -> None:
    assert sample_run.result.case.warnings == ()
    assert sample_run.result.case.not_read == ()
