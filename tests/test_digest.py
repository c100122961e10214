"""Input digests computed on a thread beside the loading: the same digests, errors kept."""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

import pytest

from linkage import digest
from linkage.digest import Digests


def test_digests_are_each_files_sha256(tmp_path: Path) -> None:
    names = [f"f{i}.csv" for i in range(5)]
    for i, name in enumerate(names):
        (tmp_path / name).write_bytes(b"row\n" * (i * 1000))
    digests = Digests(tmp_path, names).result()
    assert digests == {
        name: hashlib.sha256((tmp_path / name).read_bytes()).hexdigest() for name in names
    }


def test_an_unreadable_file_raises_when_the_digests_are_asked_for(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_bytes(b"x")
    digests = Digests(tmp_path, ["a.csv", "missing.csv"])
    with pytest.raises(FileNotFoundError, match=r"missing\.csv"):
        digests.result()


def test_a_cancelled_thread_stops_at_the_next_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    names = [f"f{i}" for i in range(3)]
    for name in names:
        (tmp_path / name).write_bytes(name.encode())
    hashing, go_on = threading.Event(), threading.Event()
    real = digest.sha256_file

    def held(path: Path) -> str:
        hashing.set()
        go_on.wait()
        return real(path)

    monkeypatch.setattr(digest, "sha256_file", held)
    digests = Digests(tmp_path, names)
    hashing.wait()  # the first file is being hashed
    digests.cancel()
    go_on.set()
    assert digests.result() == {"f0": hashlib.sha256(b"f0").hexdigest()}
