"""``linkage run``: the contract's files, the same bytes every time, parameters on record."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from case_runs import SAMPLE, Ran
from contract import contract_problems
from environment import SHARED_CHECKER, shared_path

import linkage
from linkage.cli import main
from linkage.digest import sha256_tree


def _shared_checker_problems(out: Path, case: Path) -> list[str]:
    """What the case team's own checker (``../shared/tools``) says of ``out``."""
    checker = shared_path(SHARED_CHECKER)
    done = subprocess.run(
        [sys.executable, str(checker), str(out), str(case)],
        capture_output=True,
        text=True,
        check=False,
    )
    lines = done.stdout.strip().splitlines()
    assert lines[-1].endswith(f"problem(s) in {out}"), done.stdout + done.stderr
    return lines[:-1]


def test_outputs_hold_the_contract(case_run: Ran) -> None:
    assert contract_problems(case_run.out, case_run.case) == []


@pytest.mark.shared
def test_the_case_teams_checker_agrees(case_run: Ran) -> None:
    assert _shared_checker_problems(case_run.out, case_run.case) == []


def test_the_contract_check_finds_a_broken_folder(sample_run: Ran, tmp_path: Path) -> None:
    out = Path(shutil.copytree(sample_run.out, tmp_path / "out"))
    victims = (out / "victims.csv").read_text(encoding="utf-8").splitlines()
    victims[1] = victims[1].replace(",corroborated,", ",probable,", 1)
    (out / "victims.csv").write_text("\n".join(victims) + "\n", encoding="utf-8")
    defendants = (out / "defendants.csv").read_text(encoding="utf-8")
    (out / "defendants.csv").write_text(defendants.replace("organiser", "boss", 1), "utf-8")
    problems = contract_problems(out, sample_run.case)
    assert "victims.csv line 2: verdict 'probable'" in problems
    assert any(p.startswith("defendants.csv line") and "role 'boss'" in p for p in problems)
    assert "manifest.json: victims.csv does not match its digest" in problems
    (out / "links.parquet").unlink()
    assert contract_problems(out) == ["links.parquet is missing"]


def test_same_case_gives_byte_identical_outputs(sample_run: Ran, tmp_path: Path) -> None:
    again = linkage.run(SAMPLE / "case", tmp_path / "again")
    assert sha256_tree(tmp_path / "again") == sha256_tree(sample_run.out)
    assert len(again.written) == 45


def test_parquet_and_csv_hold_the_same_rows(sample_run: Ran) -> None:
    for stem in (
        "victims",
        "defendants",
        "defendant_victims",
        "roles_evidence",
        "stays",
        "links",
        "group_identifiers",
        "leads",
        "transfers",
        "rejects",
    ):
        parquet = pd.read_parquet(sample_run.out / f"{stem}.parquet")
        csv = sample_run.output(stem)
        assert list(parquet.columns) == list(csv.columns)
        assert len(parquet) == len(csv), stem


def test_python_api_returns_what_the_files_hold(sample_run: Ran) -> None:
    case = linkage.load_case(SAMPLE / "case")
    findings = linkage.corroborate(case)
    written = pd.read_parquet(sample_run.out / "victims.parquet")
    pd.testing.assert_frame_equal(
        findings.victims.reset_index(drop=True), written, check_dtype=False
    )
    assert "corroborated" in findings._repr_html_()
    assert findings.summary()["victims"].sum() == len(written)


def test_manifest_records_parameters_and_digests(sample_run: Ran) -> None:
    manifest = json.loads((sample_run.out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["parameters"]["engine"] == "duckdb"
    assert manifest["parameters"]["match"] == linkage.MatchParams().as_dict()
    assert manifest["parameters"]["attribution"] == linkage.AttributionParams().as_dict()
    assert set(manifest["outputs"]) == {
        p.relative_to(sample_run.out).as_posix()
        for p in sample_run.out.rglob("*")
        if p.is_file() and p.name != "manifest.json"
    }
    rejects = sample_run.output("rejects")
    assert sum(s["rows_rejected"] for s in manifest["sources"]) == len(rejects)


def test_rules_table_in_case_toml_changes_the_windows(sample_run: Ran, tmp_path: Path) -> None:
    """With windows of half a minute most evidence no longer agrees: verdicts fall to `linked`.

    Some still agree: a victim's statement giving the date only agrees with that day's calls.
    """
    case = tmp_path / "case"
    shutil.copytree(SAMPLE / "case", case)
    with (case / "case.toml").open("a", encoding="utf-8") as toml:
        toml.write("\n[rules]\nchat_window_h = 0.01\ncall_transfer_window_h = 0.01\n")
    narrow = linkage.run(case, tmp_path / "out")
    narrowed = narrow.findings.victims["verdict"].value_counts()
    default = sample_run.result.findings.victims["verdict"].value_counts()
    assert narrowed["corroborated"] < default["corroborated"] / 2
    assert narrowed["linked"] > default["linked"] * 3
    assert narrowed["unlinked"] == default["unlinked"], "a window never unlinks anyone"
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["parameters"]["match"]["chat_window_h"] == 0.01


def test_cli_run_writes_outputs_and_prints_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["run", str(SAMPLE / "case"), "--out", str(tmp_path / "out"), "--quiet"]) == 0
    printed = capsys.readouterr().out
    assert "corroborated" in printed and "wrote 45 files" in printed
    assert "Attribution: 54 defendants" in printed
    assert "roster and behaviour disagree for" in printed
    assert (tmp_path / "out" / "victims.csv").is_file()


def test_cli_run_names_an_unwritable_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "taken"
    blocker.write_text("a file where the output folder should go\n", encoding="utf-8")
    assert main(["run", str(SAMPLE / "case"), "--out", str(blocker), "--quiet"]) == 1
    assert f"{blocker} is a file; --out names a folder" in capsys.readouterr().err
