"""An output folder that only ever holds one complete run: staged beside, locked, swapped in.

A court is shown a folder and its manifest.json, and every file must be what that manifest
certifies. So a run never writes into ``--out`` directly:

- it holds a lock on ``--out`` for its whole length, and a second run on the same folder stops
  at once with one line, instead of mixing one case's inputs with another's outputs;
- it writes into a fresh folder beside ``--out`` and, with the manifest written last, swaps it
  into place. A run that is interrupted (an error, Ctrl-C, SIGKILL, a full disk) leaves the
  previous complete run, or nothing, never a mix; the next run clears what it left behind;
- the swap replaces every file of the earlier run, so nothing stays beside a new manifest that
  does not list it (a masked run into the folder of an unmasked one leaves no unmasked
  workbook behind);
- it never deletes what linkage did not write: a folder holding anything its manifest does not
  list is refused, with the files named.

When ``--out`` itself cannot be renamed (a mount point, such as a container's volume), the files
are moved in one by one instead: the old manifest goes first, a list of every file being
replaced is kept in the folder meanwhile, and the new manifest comes last, so the folder is
never certified while it is a mix.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import secrets
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from types import TracebackType

from linkage.errors import OutputError

__all__ = [
    "MANIFEST", "OutFolder", "files_outside_manifest", "is_working_file", "lock_out_folder",
]  # fmt: skip

MANIFEST = "manifest.json"
"""The name manifest.py writes (kept apart so this module imports nothing of the case)."""
PENDING = ".linkage-replacing.json"
"""Kept in an output folder while its files are moved in one by one: every file that was or
will be linkage's, so a run cut off halfway is still recognised as linkage's own."""
OS_LITTER = frozenset({".DS_Store", "Thumbs.db", "desktop.ini"})
"""Files a file browser drops into any folder it shows; never evidence, never refused."""


WORKING_NAME = re.compile(r"\..+\.(?:lock|staging-[0-9a-f]+|replaced-[0-9a-f]+)")
"""The lock file and the folders a run keeps beside ``--out`` while it works."""


def is_working_file(path: Path, root: Path) -> bool:
    """Whether ``path`` (under ``root``) is, or lies in, a lock or folder a run keeps beside
    its output folder: never evidence, when the output folder sits in the case folder.

    >>> from pathlib import Path
    >>> is_working_file(Path("c/.out.lock"), Path("c"))
    True
    >>> is_working_file(Path("c/.out.staging-0a1b/victims.csv"), Path("c"))
    True
    >>> is_working_file(Path("c/seized/.hidden.csv"), Path("c"))
    False
    """
    return any(WORKING_NAME.fullmatch(part) for part in path.relative_to(root).parts)


def files_outside_manifest(out: Path) -> list[str]:
    """Files under ``out`` (relative, sorted) that its manifest.json does not list: what a run
    must not delete. Every file counts when there is no manifest."""
    listed = {MANIFEST, PENDING}
    manifest = out / MANIFEST
    if manifest.is_file():
        with contextlib.suppress(ValueError, OSError, AttributeError):
            listed |= set(json.loads(manifest.read_text(encoding="utf-8")).get("outputs", {}))
    pending = out / PENDING
    if pending.is_file():
        with contextlib.suppress(ValueError, OSError):
            listed |= set(json.loads(pending.read_text(encoding="utf-8")))
    present = (p for p in out.rglob("*") if not p.is_dir())
    names = (p.relative_to(out).as_posix() for p in present)
    return sorted(n for n in names if n not in listed and Path(n).name not in OS_LITTER)


class OutFolder:
    """Stage a run's outputs beside ``out`` and move them into place when the run succeeds.

    Parameters
    ----------
    out
        The folder the user named.
    foreign
        Returns what in an existing ``out`` linkage did not write (default: what its
        manifest does not list). Any such file refuses the run.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "out"
    >>> with OutFolder(out) as staging:
    ...     _ = (staging / "manifest.json").write_text("{}")
    >>> sorted(p.name for p in out.iterdir())
    ['manifest.json']
    """

    def __init__(
        self, out: Path, foreign: Callable[[Path], list[str]] = files_outside_manifest
    ) -> None:
        self.out = Path(out)
        self._foreign = foreign
        self._lock: _Lock | None = None
        self.staging: Path | None = None

    def check(self) -> None:
        """Refuse an ``out`` that is a file or holds files linkage did not write.

        Raises
        ------
        OutputError
            Naming the folder and up to three of the files in the way.
        """
        if self.out.exists() and not self.out.is_dir():
            raise OutputError(f"{self.out} is a file; --out names a folder to write into")
        if self.out.is_symlink():
            raise OutputError(f"{self.out} is a symbolic link; name the folder itself")
        if self.out.is_dir():
            foreign = self._foreign(self.out)
            if foreign:
                shown = ", ".join(foreign[:3]) + (f" and {len(foreign) - 3} more" if
                                                   len(foreign) > 3 else "")  # fmt: skip
                raise OutputError(
                    f"{self.out} holds files linkage did not write ({shown}); choose an empty "
                    "or new folder, or a folder an earlier run wrote"
                )

    def __enter__(self) -> Path:
        self.check()
        parent = self.out.absolute().parent
        try:
            parent.mkdir(parents=True, exist_ok=True)
            self._lock = _Lock(parent / f".{self.out.name}.lock", self.out)
            self._lock.acquire()
            self.check()  # again: another run may have written it before the lock was ours
            self._clear_leftovers(parent)
            self.staging = _fresh_folder(parent, f".{self.out.name}.staging-")
        except OSError as error:
            self._release()
            if isinstance(error, OutputError):
                raise
            raise OutputError(f"cannot write beside {self.out}: {_why(error)}") from error
        return self.staging

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        try:
            if kind is None:
                self._commit()
        except OSError as failure:
            raise OutputError(f"cannot write to {self.out}: {_why(failure)}") from failure
        finally:
            if self.staging is not None:
                shutil.rmtree(self.staging, ignore_errors=True)
            self._release()

    def final(self, path: Path) -> Path:
        """Where a file written under the staging folder lives once the run is in place."""
        assert self.staging is not None, "only inside the with block"
        return self.out / path.relative_to(self.staging)

    def _commit(self) -> None:
        assert self.staging is not None
        if not self.out.exists():
            self.staging.rename(self.out)
            return
        old = _fresh_folder(self.staging.parent, f".{self.out.name}.replaced-")
        try:
            self.out.rename(old / self.out.name)
        except OSError as error:  # a mount point, or a folder held open elsewhere
            old.rmdir()
            if error.errno not in (errno.EBUSY, errno.EXDEV, errno.EPERM, errno.EACCES):
                raise
            self._move_files_in()
            return
        self.staging.rename(self.out)
        shutil.rmtree(old, ignore_errors=True)

    def _move_files_in(self) -> None:
        """Replace the files of ``out`` one by one, never certified while mixed."""
        assert self.staging is not None
        earlier = {p.relative_to(self.out).as_posix() for p in self.out.rglob("*") if
                   not p.is_dir()}  # fmt: skip
        staged = sorted(p.relative_to(self.staging).as_posix() for p in self.staging.rglob("*")
                        if not p.is_dir())  # fmt: skip
        pending = self.out / PENDING
        pending.write_text(json.dumps(sorted(earlier | set(staged))), encoding="utf-8")
        (self.out / MANIFEST).unlink(missing_ok=True)
        for name in sorted(earlier - set(staged) - {PENDING}):
            (self.out / name).unlink()
        for name in sorted(staged, key=lambda n: n == MANIFEST):  # the manifest last
            target = self.out / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(self.staging / name, target)
        pending.unlink()
        for folder in sorted(self.out.rglob("*"), reverse=True):
            if folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()

    def _clear_leftovers(self, parent: Path) -> None:
        """Remove what runs that were killed left beside ``out`` (the lock is ours, so no
        live run owns them)."""
        for kind in ("staging", "replaced"):
            for leftover in parent.glob(f".{self.out.name}.{kind}-*"):
                shutil.rmtree(leftover, ignore_errors=True)

    def _release(self) -> None:
        if self._lock is not None:
            self._lock.release()
            self._lock = None


@contextlib.contextmanager
def lock_out_folder(out: Path) -> Iterator[None]:
    """Hold the lock on ``out`` without staging: for a command that adds files to a folder a
    run wrote (``linkage report``)."""
    folder = Path(out)
    lock = _Lock(folder.absolute().parent / f".{folder.name}.lock", folder)
    lock.acquire()
    try:
        yield
    finally:
        lock.release()


class _Lock:
    """An exclusive lock on a file beside the output folder, released by the system when the
    process ends however it ends, so a killed run never leaves the folder locked."""

    def __init__(self, path: Path, out: Path) -> None:
        self.path = path
        self.out = out
        self._fd: int | None = None

    def acquire(self) -> None:
        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            if not _try_lock(fd):
                holder = os.read(fd, 32).decode("ascii", "replace").strip() or "unknown"
                os.close(fd)
                raise OutputError(
                    f"{self.out} is being written by another linkage run (process {holder}); "
                    "wait for it to finish or choose another --out"
                )
            try:
                same = os.stat(self.path).st_ino == os.fstat(fd).st_ino
            except FileNotFoundError:  # the holder before us removed it as we opened it
                same = False
            if same:
                break
            os.close(fd)
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode("ascii"))
        self._fd = fd

    def release(self) -> None:
        if self._fd is None:
            return
        with contextlib.suppress(OSError):
            self.path.unlink()
        os.close(self._fd)
        self._fd = None


def _try_lock(fd: int) -> bool:
    """Take the lock on ``fd`` without waiting; False when another process holds it."""
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined,unused-ignore]
        except OSError:
            return False
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _fresh_folder(parent: Path, prefix: str) -> Path:
    """A new folder under ``parent`` with the user's usual permissions (``mkdtemp`` would make
    it private, and the output folder it becomes would be unreadable to the case team)."""
    while True:
        folder = parent / f"{prefix}{secrets.token_hex(6)}"
        try:
            folder.mkdir()
        except FileExistsError:
            continue
        return folder


def _why(error: OSError) -> str:
    return error.strerror or str(error)
