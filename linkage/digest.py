"""SHA-256 digests of files: what an integrity appraisal compares evidence against."""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file, streamed so a large export costs no memory."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class Digests:
    """SHA-256 of each of ``names`` (relative to ``folder``), computed on a thread meanwhile.

    Hashing releases the interpreter, so a case's digests are computed on a core its loading
    leaves idle. The thread is a daemon that stops at the next file once cancelled: a load that
    fails does not wait for a large case to be hashed, in a notebook or at exit.
    """

    def __init__(self, folder: Path, names: list[str]) -> None:
        self.names = list(names)
        self._digests: dict[str, str] = {}
        self._error: OSError | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._compute, args=(folder, names), name="linkage-digests", daemon=True
        )
        self._thread.start()

    def _compute(self, folder: Path, names: list[str]) -> None:
        try:
            for name in names:
                if self._stop.is_set():
                    return
                self._digests[name] = sha256_file(folder / name)
        except OSError as error:
            self._error = error

    def result(self) -> dict[str, str]:
        """Every file's digest, waiting for the last.

        Raises
        ------
        OSError
            If a file could not be read.
        """
        self._thread.join()
        if self._error is not None:
            raise self._error
        return dict(self._digests)

    def cancel(self) -> None:
        """Stop at the next file (nothing to do once all are computed)."""
        self._stop.set()


def sha256_tree(root: Path) -> dict[str, str]:
    """SHA-256 of every file under ``root``, keyed by its path relative to ``root``.

    Two folders are byte-identical exactly when their trees are equal: how a regenerated
    synthetic case is compared with the committed one.
    """
    return {
        path.relative_to(root).as_posix(): sha256_file(path)
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }
