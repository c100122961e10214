"""SQLite evidence is opened so that nothing, not even a journal file, is written beside it."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

from linkage.digest import sha256_file
from linkage.load.sniff import sniff
from linkage.load.sqlite import open_readonly


def make_wal_database(path: Path) -> None:
    path.parent.mkdir(parents=True)
    with closing(sqlite3.connect(path)) as db:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("CREATE TABLE Messages (id INTEGER PRIMARY KEY, body_xml TEXT)")
        db.execute("CREATE TABLE Conversations (id INTEGER PRIMARY KEY)")
        db.execute("INSERT INTO Messages VALUES (1, 'hi')")
        db.commit()


def test_nothing_is_written_beside_the_evidence(tmp_path: Path) -> None:
    path = tmp_path / "den#2?x" / "main.db"  # characters that would break a hand-built URI
    make_wal_database(path)
    before = sorted(p.name for p in path.parent.iterdir())
    digest = sha256_file(path)
    assert sniff(path, "main.db", "chats").format.name == "skype_messages"
    with closing(open_readonly(path)) as db:
        assert db.execute("SELECT body_xml FROM Messages").fetchall() == [("hi",)]
    assert sorted(p.name for p in path.parent.iterdir()) == before
    assert sha256_file(path) == digest
    assert not (tmp_path / "den").exists()


def test_messages_still_in_the_write_ahead_log_are_read(tmp_path: Path) -> None:
    live = tmp_path / "live" / "main.db"
    make_wal_database(live)
    seized = tmp_path / "seized"
    seized.mkdir()
    with closing(sqlite3.connect(live)) as writer:
        writer.execute("PRAGMA wal_autocheckpoint=0")
        writer.execute("INSERT INTO Messages VALUES (2, 'only in the log')")
        writer.commit()
        # The device is imaged while the app still runs: the new row lives in main.db-wal.
        for name in ("main.db", "main.db-wal"):
            shutil.copy2(live.parent / name, seized / name)
    before = {p.name: sha256_file(p) for p in seized.iterdir()}
    with closing(open_readonly(seized / "main.db")) as db:
        rows = db.execute("SELECT id, body_xml FROM Messages ORDER BY id").fetchall()
    assert rows == [(1, "hi"), (2, "only in the log")]
    assert {p.name: sha256_file(p) for p in seized.iterdir()} == before
