"""Open SQLite evidence without any chance of changing it, and without missing its journal.

``mode=ro`` alone is not enough: SQLite still creates ``-wal`` and ``-shm`` files beside a
database in WAL mode (common on Android), which changes the evidence folder and its hashes,
and a path with ``#`` or ``?`` pasted into a ``file:`` address opens a different file,
read-write. So the address is built from the path's own URI, with ``immutable=1``: SQLite takes
no locks and writes nothing.

``immutable=1`` also makes SQLite ignore a ``-wal`` file, and a seized handset's database often
keeps its newest messages there, not yet copied into the main file. When a non-empty ``-wal``
lies beside the database, both are copied to a private temporary folder and the copy is read,
so those messages are evidence too and the originals are still never touched.
"""

from __future__ import annotations

import atexit
import shutil
import sqlite3
import tempfile
from pathlib import Path


def open_readonly(path: Path) -> sqlite3.Connection:
    """A read-only connection to the SQLite database at ``path`` that writes nothing there."""
    wal = path.with_name(path.name + "-wal")
    if wal.is_file() and wal.stat().st_size > 0:
        folder = Path(tempfile.mkdtemp(prefix="linkage-sqlite-"))
        atexit.register(shutil.rmtree, folder, True)
        for part in (path, wal):
            shutil.copy2(part, folder / part.name)
        return sqlite3.connect(f"{(folder / path.name).as_uri()}?mode=ro", uri=True)
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
