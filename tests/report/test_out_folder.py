"""The output folder's staging, lock and swap, on small runs written by hand."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest

import linkage.report.out_folder as out_folder
from linkage.errors import OutputError
from linkage.report.out_folder import PENDING, OutFolder, files_outside_manifest, lock_out_folder


def _run_into(out: Path, files: dict[str, str]) -> None:
    """What a run does: every file into the staging folder, the manifest listing them last."""
    with OutFolder(out) as staging:
        for name, text in files.items():
            (staging / name).parent.mkdir(parents=True, exist_ok=True)
            (staging / name).write_text(text, encoding="utf-8")
        manifest = {"linkage_version": "test", "outputs": {name: "digest" for name in files}}
        (staging / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def _contents(out: Path) -> dict[str, str]:
    return {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(out.rglob("*")) if p.is_file()}  # fmt: skip


def test_a_run_replaces_every_file_of_the_earlier_one(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _run_into(out, {"victims.csv": "old", "evidence.xlsx": "unmasked", "figures/a.png": "a"})
    (out / ".DS_Store").write_bytes(b"\0")  # a file browser looked at it
    _run_into(out, {"victims.csv": "new", "evidence_masked.xlsx": "masked"})
    contents = _contents(out)
    assert contents.pop("manifest.json")
    assert contents == {"victims.csv": "new", "evidence_masked.xlsx": "masked"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"], "no lock or staging left"


@pytest.mark.parametrize("kind", ["file", "folder", "link"])
def test_anything_linkage_did_not_write_refuses_the_run(tmp_path: Path, kind: str) -> None:
    out = tmp_path / "out"
    _run_into(out, {"victims.csv": "old"})
    if kind == "file":
        (out / "notes.docx").write_text("mine", encoding="utf-8")
    elif kind == "folder":
        (out / "drafts").mkdir()
    else:
        (out / "shared").symlink_to(tmp_path)
    before = sorted(p.name for p in out.iterdir())
    with pytest.raises(OutputError, match="holds files linkage did not write"):
        _run_into(out, {"victims.csv": "new"})
    assert sorted(p.name for p in out.iterdir()) == before
    assert (out / "victims.csv").read_text(encoding="utf-8") == "old"


def test_a_file_put_into_out_during_the_run_is_never_deleted(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _run_into(out, {"evidence.xlsx": "old"})
    appeared = pytest.raises(OutputError, match="appeared during the run; nothing was replaced")
    with appeared, OutFolder(out) as staging:
        (out / "~$evidence.xlsx").write_text("Excel's lock", encoding="utf-8")
        (staging / "manifest.json").write_text('{"outputs": {}}', encoding="utf-8")
    assert _contents(out)["~$evidence.xlsx"] == "Excel's lock"
    assert _contents(out)["evidence.xlsx"] == "old"


def test_a_name_with_glob_characters_clears_only_its_own_leftovers(tmp_path: Path) -> None:
    other = tmp_path / ".case1.staging-0a1b2c"  # another run's, for --out case1
    other.mkdir()
    mine = tmp_path / ".case[12].staging-0a1b2c"  # a killed run's, for --out case[12]
    mine.mkdir()
    _run_into(tmp_path / "case[12]", {"victims.csv": "x"})
    assert other.is_dir() and not mine.exists()


def test_a_locked_folder_is_refused_and_the_lock_goes_with_its_holder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with (
        lock_out_folder(out),
        pytest.raises(
            OutputError, match=rf"being written by another linkage run \(process {os.getpid()}\)"
        ),
    ):
        _run_into(out, {"victims.csv": "x"})
    _run_into(out, {"victims.csv": "x"})
    assert not (tmp_path / ".out.lock").exists()


def test_a_failed_write_is_one_error_and_changes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _run_into(out, {"victims.csv": "old"})
    full = pytest.raises(OutputError, match=r"cannot write to \S+: No space left on device")
    with full, OutFolder(out):
        raise OSError(errno.ENOSPC, "No space left on device")
    assert _contents(out)["victims.csv"] == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def _refuse_renaming(monkeypatch: pytest.MonkeyPatch, out: Path, code: int) -> None:
    rename = Path.rename

    def refusing(self: Path, target: str | Path) -> Path:
        if self == out:
            raise OSError(code, os.strerror(code))
        return rename(self, target)

    monkeypatch.setattr(Path, "rename", refusing)


def test_a_mount_point_gets_its_files_moved_in_one_by_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    _run_into(out, {"victims.csv": "old", "evidence.xlsx": "unmasked", "figures/a.png": "a"})
    _refuse_renaming(monkeypatch, out, errno.EBUSY)
    _run_into(out, {"victims.csv": "new", "figures/b.png": "b"})
    contents = _contents(out)
    manifest = json.loads(contents.pop("manifest.json"))
    assert contents == {"victims.csv": "new", "figures/b.png": "b"}
    assert set(manifest["outputs"]) == set(contents)
    assert not (out / PENDING).exists() and files_outside_manifest(out) == []


def test_a_folder_held_open_elsewhere_is_refused_and_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    _run_into(out, {"evidence.xlsx": "old"})
    _refuse_renaming(monkeypatch, out, errno.EACCES)
    with pytest.raises(OutputError, match="may be open in another program"):
        _run_into(out, {"evidence.xlsx": "new"})
    assert _contents(out)["evidence.xlsx"] == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_parent_that_cannot_be_written_stages_inside_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "volume"
    _run_into(out, {"victims.csv": "old"})
    access = os.access
    monkeypatch.setattr(out_folder.os, "access", lambda p, mode: Path(p) != tmp_path
                        and access(p, mode))  # fmt: skip
    _run_into(out, {"victims.csv": "new"})
    assert _contents(out)["victims.csv"] == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["volume"], "nothing written beside"
    assert sorted(p.name for p in out.iterdir()) == ["manifest.json", "victims.csv"]


def test_a_move_cut_off_halfway_is_still_recognised_as_linkages(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _run_into(out, {"victims.csv": "old"})
    (out / "manifest.json").unlink()  # as the one-by-one move leaves it, halfway
    (out / PENDING).write_text(json.dumps(["victims.csv", "links.csv"]), encoding="utf-8")
    (out / "links.csv").write_text("half", encoding="utf-8")
    assert files_outside_manifest(out) == []
    _run_into(out, {"victims.csv": "new"})
    assert set(_contents(out)) == {"victims.csv", "manifest.json"}
