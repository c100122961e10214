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
  list (a file, a folder, a symbolic link) is refused, with the files named, before the run
  and again just before the swap. Only a file browser's litter (``.DS_Store``, ``Thumbs.db``)
  goes with the earlier run.

When ``--out`` cannot be renamed because it is a mount point (a container's volume), or when
its parent folder cannot be written, the run is staged inside ``--out`` and its files are
moved in one by one: the old manifest goes first, a list of every file being replaced is kept
in the folder meanwhile, and the new manifest comes last. The folder is then never certified
while it is a mix, but a run cut off halfway leaves it with no manifest rather than the
previous run. A folder that cannot be renamed because a file in it is open elsewhere (a
workbook open in Excel on Windows) is refused instead, and the earlier run stays.
"""

from __future__ import annotations

import contextlib
import errno
import glob
import json
import os
import re
import secrets
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from types import TracebackType

from linkage.errors import LinkageError, OutputError

__all__ = [
    "MANIFEST", "OS_LITTER", "PENDING", "OutFolder", "files_outside_manifest", "is_working_file",
    "lock_out_folder",
]  # fmt: skip

MANIFEST = "manifest.json"
"""The name manifest.py writes (kept apart so this module imports nothing of the case)."""
PENDING = ".linkage-replacing.json"
"""Kept in an output folder while its files are moved in one by one: every file that was or
will be linkage's, so a run cut off halfway is still recognised as linkage's own."""
OS_LITTER = frozenset({".DS_Store", "Thumbs.db", "desktop.ini"})
"""Files a file browser drops into any folder it shows; never evidence, never refused."""
WORKING_NAME = re.compile(r"\..+\.(?:lock|staging-[0-9a-f]+|replaced-[0-9a-f]+)")
"""The lock file and the folders a run keeps beside (or inside) ``--out`` while it works."""
LOCK_BYTE = 1 << 30
"""Where a Windows lock is taken: far past the process number written at the start, which
a waiting run reads to say who holds the folder (Windows locks bar reading the bytes)."""


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
    """What under ``out`` (relative, sorted) its manifest.json does not list: files, folders
    holding no listed file (shown with a trailing ``/``) and symbolic links, which linkage
    never writes. Everything counts when there is no manifest."""
    listed = {MANIFEST, PENDING} | _listed_in(out / MANIFEST, "outputs") | _listed_in(out / PENDING)
    folders = {parent.as_posix() for name in listed for parent in Path(name).parents}
    foreign = []
    for path in out.rglob("*"):
        name = path.relative_to(out).as_posix()
        if is_working_file(path, out) or path.name in OS_LITTER:
            continue
        if path.is_symlink():
            foreign.append(name)
        elif path.is_dir():
            if name not in folders:
                foreign.append(name + "/")
        elif name not in listed:
            foreign.append(name)
    return sorted(foreign)


def _listed_in(path: Path, key: str | None = None) -> set[str]:
    """The names a manifest's ``key`` (or a pending list) holds; none if it cannot be read."""
    if not path.is_file():
        return set()
    with contextlib.suppress(ValueError, OSError, AttributeError, TypeError):
        content = json.loads(path.read_text(encoding="utf-8"))
        return {str(name) for name in (content.get(key, {}) if key else content)}
    return set()


class OutFolder:
    """Stage a run's outputs beside ``out`` and move them into place when the run succeeds.

    Parameters
    ----------
    out
        The folder the user named.
    foreign
        Returns what in an existing ``out`` linkage did not write (default: what its
        manifest does not list). Anything it returns refuses the run.
    marker
        The file the writer writes last, whose presence says the folder is complete: removed
        first and moved in last when files are moved in one by one.

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
        self,
        out: Path,
        foreign: Callable[[Path], list[str]] = files_outside_manifest,
        marker: str = MANIFEST,
    ) -> None:
        self.out = Path(out)
        self._foreign = foreign
        self._marker = marker
        self._lock: _Lock | None = None
        self._work: Path | None = None
        self.staging: Path | None = None

    def check(self, when: str = "") -> None:
        """Refuse an ``out`` that is a file, a symbolic link, or holds what linkage did not
        write.

        Raises
        ------
        OutputError
            Naming the folder and up to three of the files in the way.
        """
        if self.out.is_symlink():
            raise OutputError(f"{self.out} is a symbolic link; name the folder itself")
        if self.out.exists() and not self.out.is_dir():
            raise OutputError(f"{self.out} is a file; --out names a folder to write into")
        if self.out.is_dir():
            foreign = self._foreign(self.out)
            if foreign:
                more = f" and {len(foreign) - 3} more" if len(foreign) > 3 else ""
                raise OutputError(
                    f"{self.out} holds files linkage did not write{when} "
                    f"({', '.join(foreign[:3])}{more}); choose an empty or new folder, or a "
                    "folder an earlier run wrote"
                )

    def __enter__(self) -> Path:
        self.check()
        parent = self.out.absolute().parent
        try:
            parent.mkdir(parents=True, exist_ok=True)
            self._work = self._working_folder(parent)
            self._lock = _Lock(self._work / f".{self.out.name}.lock", self.out)
            self._lock.acquire()
            self.check()  # again: another run may have written it before the lock was ours
            self._clear_leftovers()
            self.staging = _fresh_folder(self._work, f".{self.out.name}.staging-")
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
            elif isinstance(error, OSError) and not isinstance(error, LinkageError):
                raise OutputError(f"cannot write to {self.out}: {_why(error)}") from error
        except OSError as failure:
            if isinstance(failure, OutputError):
                raise
            raise OutputError(f"cannot write to {self.out}: {_why(failure)}") from failure
        finally:
            if self.staging is not None:
                shutil.rmtree(self.staging, ignore_errors=True)
            self._release()

    def final(self, path: Path) -> Path:
        """Where a file written under the staging folder lives once the run is in place."""
        assert self.staging is not None, "only inside the with block"
        return self.out / path.relative_to(self.staging)

    def _working_folder(self, parent: Path) -> Path:
        """Beside ``out`` where its parent can be written, else inside ``out`` (a volume
        mounted into a container, whose parent is the read-only root)."""
        if os.access(parent, os.W_OK):
            return parent
        if self.out.is_dir() and os.access(self.out, os.W_OK):
            return self.out
        raise OutputError(f"cannot write to {self.out}: neither it nor {parent} is writable")

    def _commit(self) -> None:
        assert self.staging is not None and self._work is not None
        if self._work == self.out:
            self._move_files_in()
            return
        if not self.out.exists():
            self.staging.rename(self.out)
            return
        self.check(" (they appeared during the run; nothing was replaced)")
        aside = _fresh_folder(self._work, f".{self.out.name}.replaced-")
        earlier = aside / self.out.name
        try:
            self.out.rename(earlier)
        except OSError as error:
            aside.rmdir()
            if error.errno in (errno.EBUSY, errno.EXDEV):  # a mount point
                self._move_files_in()
                return
            raise OutputError(
                f"cannot replace {self.out}: {_why(error)}; a file in it may be open in another "
                "program (close it and run again); the earlier run is unchanged"
            ) from error
        try:
            self.staging.rename(self.out)
        except OSError:
            earlier.rename(self.out)  # the earlier run back in place
            aside.rmdir()
            raise
        if self._foreign(earlier):  # written in the instant before the swap: kept, never lost
            earlier.rename(self._work / f"{self.out.name}.before-{secrets.token_hex(3)}")
        shutil.rmtree(aside, ignore_errors=True)

    def _move_files_in(self) -> None:
        """Replace the files of ``out`` one by one, never certified while mixed."""
        assert self.staging is not None
        earlier = {p.relative_to(self.out).as_posix() for p in self.out.rglob("*")
                   if not p.is_dir() and not is_working_file(p, self.out)}  # fmt: skip
        staged = {p.relative_to(self.staging).as_posix() for p in self.staging.rglob("*")
                  if not p.is_dir()}  # fmt: skip
        pending = self.out / PENDING
        pending.write_text(json.dumps(sorted(earlier | staged)), encoding="utf-8")
        (self.out / self._marker).unlink(missing_ok=True)
        for name in sorted(earlier - staged - {PENDING, self._marker}):
            (self.out / name).unlink()
        for name in sorted(staged, key=lambda n: (n == self._marker, n)):  # the marker last
            target = self.out / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(self.staging / name, target)
        pending.unlink()
        for folder in sorted(self.out.rglob("*"), reverse=True):
            if folder.is_dir() and not is_working_file(folder, self.out):
                with contextlib.suppress(OSError):
                    folder.rmdir()  # only an emptied one

    def _clear_leftovers(self) -> None:
        """Remove what runs that were killed left beside ``out`` (the lock is ours, so no
        live run owns them)."""
        assert self._work is not None
        name = glob.escape(self.out.name)
        for kind in ("staging", "replaced"):
            for leftover in self._work.glob(f".{name}.{kind}-*"):
                if WORKING_NAME.fullmatch(leftover.name):
                    shutil.rmtree(leftover, ignore_errors=True)

    def _release(self) -> None:
        if self._lock is not None:
            self._lock.release()
            self._lock = None


@contextlib.contextmanager
def lock_out_folder(out: Path) -> Iterator[None]:
    """Hold the lock on ``out`` as a run does, without staging anything: for a script that
    must keep runs out of a folder while it copies or checks it."""
    folder = Path(out)
    lock = _Lock(folder.absolute().parent / f".{folder.name}.lock", folder)
    lock.acquire()
    try:
        yield
    finally:
        lock.release()


class _Lock:
    """An exclusive lock on a file beside the output folder (``flock``; ``msvcrt.locking``
    on Windows), released by the system when the process ends however it ends, so a killed run
    never leaves the folder locked."""

    def __init__(self, path: Path, out: Path) -> None:
        self.path = path
        self.out = out
        self._fd: int | None = None

    def acquire(self) -> None:
        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            if not _try_lock(fd):
                holder = _holder(fd)
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
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, f"{os.getpid()}\n".encode("ascii"))
        self._fd = fd

    def release(self) -> None:
        if self._fd is None:
            return
        with contextlib.suppress(OSError):
            self.path.unlink()
        os.close(self._fd)
        self._fd = None


def _holder(fd: int) -> str:
    """The process number the holder of the lock wrote, or ``unknown``."""
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        return os.read(fd, 32).decode("ascii", "replace").strip() or "unknown"
    except OSError:
        return "unknown"


def _try_lock(fd: int) -> bool:
    """Take the lock on ``fd`` without waiting; False when another process holds it."""
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt

        os.lseek(fd, LOCK_BYTE, os.SEEK_SET)
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
