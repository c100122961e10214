"""The command line: a thin shell with help for every command and one-line errors."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import linkage
from linkage.cli import build_parser, main
from linkage.engine.spark_engine import INSTALL_HINT

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data" / "den-2016"


def test_inspect_prints_counts_and_writes_the_manifest(tmp_path: Path, capsys) -> None:
    assert main(["inspect", str(SAMPLE), "--out", str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    assert "seized/den-k/dial_list.csv" in printed and "dial_list" in printed
    assert "rejected rows by reason: blank_row 1, duplicate_row 1" in printed
    assert (tmp_path / "manifest.json").exists() and (tmp_path / "rejects.csv").exists()


def test_init_drafts_the_same_formats_as_the_reviewed_case_toml(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "case"
    shutil.copytree(SAMPLE, folder)
    reviewed = tomllib.loads((folder / "case.toml").read_text(encoding="utf-8"))
    (folder / "case.toml").unlink()
    assert main(["init", str(folder)]) == 0
    draft = tomllib.loads((folder / "case.toml").read_text(encoding="utf-8"))
    drafted = {(s["path"], s["kind"]) for s in draft["source"]}
    assert drafted == {(s["path"], s["kind"]) for s in reviewed["source"]}
    text = (folder / "case.toml").read_text(encoding="utf-8")
    assert 'format = "dial_list"' in text and "TODO" in text
    assert main(["init", str(folder)]) == 1
    assert "exists" in capsys.readouterr().err


def test_errors_are_one_line(tmp_path: Path, capsys) -> None:
    assert main(["inspect", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("linkage: error: ") and err.count("\n") == 1


def test_formats_lists_every_reader(capsys) -> None:
    assert main(["formats"]) == 0
    out = capsys.readouterr().out
    for name in ("call_records", "dial_list", "skype_messages", "bank_return_folder", "roster"):
        assert name in out


@pytest.mark.parametrize("command", ["init", "inspect", "formats"])
def test_every_command_has_help(command: str) -> None:
    parser = build_parser()
    sub = parser._subparsers._group_actions[0].choices[command]  # type: ignore[union-attr]
    assert sub.description and len(sub.format_help()) > 100


def test_commands_are_documented_in_the_readme() -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    for command in ("init", "run", "inspect", "formats", "synth"):
        assert f"linkage {command}" in readme


def test_missing_folders_and_unwritable_outputs_are_one_line_errors(tmp_path: Path, capsys) -> None:
    assert main(["init", str(tmp_path / "nowhere")]) == 1
    assert "no such case folder" in capsys.readouterr().err
    assert main(["inspect", str(tmp_path / "nowhere")]) == 1
    assert "no such case folder" in capsys.readouterr().err
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    assert main(["inspect", str(SAMPLE), "--out", str(blocker)]) == 1
    assert capsys.readouterr().err == (
        f"linkage: error: {blocker} is a file; --out names a folder to write into\n"
    )
    (tmp_path / "empty").mkdir()
    assert main(["init", str(tmp_path / "empty")]) == 1
    assert "holds no evidence files" in capsys.readouterr().err


def test_formats_refuses_an_unknown_kind(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["formats", "--kind", "bogus"])
    assert "invalid choice" in capsys.readouterr().err


def test_init_writes_a_mapping_stub_for_an_unknown_file(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "case"
    folder.mkdir()
    (folder / "odd.csv").write_text("账号,时间,发生额\n6222,2016-03-10,1.00\n", encoding="utf-8")
    assert main(["init", str(folder), "--print"]) == 0
    draft = capsys.readouterr().out
    assert "# not recognised: odd.csv: unknown format" in draft
    assert "# (headers in the file: 账号, 时间, 发生额)" in draft
    assert "# [source.mapping]" in draft
    uncommented = draft.replace("# [[source]]", "[[source]]")
    for key in ("path", "kind", "origin", "account", "occurred_at", "amount_fen"):
        uncommented = uncommented.replace(f"# {key} = ", f"{key} = ")
    uncommented = uncommented.replace("# [source.mapping]", "[source.mapping]")
    uncommented = (
        uncommented.replace('account = ""', 'account = "账号"')
        .replace('occurred_at = ""', 'occurred_at = "时间"')
        .replace('amount_fen = ""', 'amount_fen = "发生额"')
    )
    (folder / "case.toml").write_text(uncommented, encoding="utf-8")
    assert main(["inspect", str(folder)]) == 0
    assert "odd.csv" in capsys.readouterr().out


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out == f"linkage {linkage.__version__}\n"


def test_a_path_to_case_toml_names_its_folder(tmp_path: Path, capsys) -> None:
    assert main(["inspect", str(SAMPLE / "case.toml")]) == 0
    assert "seized/den-k/dial_list.csv" in capsys.readouterr().out
    assert main(["run", str(SAMPLE / "case.toml"), "--out", str(tmp_path / "out"), "--quiet"]) == 0


def test_a_failing_stage_clears_its_bar_before_the_error_line(tmp_path: Path) -> None:
    case = Path(shutil.copytree(SAMPLE, tmp_path / "case"))
    database = case / "seized" / "den-k" / "main.db"
    data = bytearray(database.read_bytes())
    data[4096:8192] = bytes((i * 37 + 11) % 256 for i in range(4096))
    database.write_bytes(bytes(data))
    done = subprocess.run(
        [sys.executable, "-m", "linkage.cli", "run", str(case), "--out", str(tmp_path / "out")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    lines = done.stderr.splitlines()
    assert done.returncode == 1 and "load:" in done.stderr, "a bar was shown"
    assert lines[-1].startswith("linkage: error: seized/den-k/main.db: ")
    assert lines[-2].strip() == "", "the bar cleared its line before the error"


def test_importing_linkage_loads_no_notebook_bar() -> None:
    done = subprocess.run(
        [sys.executable, "-c", "import sys, linkage, linkage.pipeline; "
         "print(sorted(m for m in sys.modules if m.startswith('tqdm.') and 'notebook' in m "
         "or m == 'tqdm.auto'))"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert done.stdout.strip() == "[]", "tqdm.auto warns IProgress not found in a kernel"


def test_every_install_hint_names_the_readmes_install() -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert "pip install -e '.[spark]'" in readme
    assert "pip install -e '.[spark]'" in INSTALL_HINT
    assert "linkage[spark]" not in build_parser().format_help()
