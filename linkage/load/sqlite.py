"""Open SQLite evidence without any chance of changing it.

``mode=ro`` alone is not enough: SQLite still creates ``-wal`` and ``-shm`` files beside a
database in WAL mode (common on Android), which changes the evidence folder and its hashes,
and a path with ``#`` or ``?`` pasted into a ``file:`` address opens a different file,
read-write. The address is therefore built from the path's own URI, with ``immutable=1``, which
tells SQLite that nothing can change the file, so it takes no locks and writes nothing.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path


def open_readonly(path: Path) -> sqlite3.Connection:
    """A read-only, write-nothing connection to the SQLite database at ``path``."""
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
