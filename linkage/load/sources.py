"""Read each source of a case: with its format, and the many small ones on the other cores.

A large case holds a few big sources (dial lists, bank return folders) and thousands of small
ones (one statement per victim). A small source costs a few tens of milliseconds of Python
whatever its size, so two thousand of them cost about a minute on one core. ``read_sources``
starts helper processes (``python -m linkage.load.helper``) that take the small sources in
batches while this process reads the big ones and then helps with what is left; the results
come back in case.toml's order, the same tables, rejects and reports as reading them one by
one. Helpers are plain child processes fed through a pipe, not ``multiprocessing`` workers:
those re-run the caller's script (a script without a ``__main__`` guard would start again)
or fork Arrow's and DuckDB's thread pools mid-flight.
"""

from __future__ import annotations

import os
import pickle
import sqlite3
import subprocess
import sys
import threading
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import linkage
import linkage.errors
import linkage.load.readers  # registers every format
from linkage.errors import ConfigError, LinkageError, SourceError
from linkage.load.config import CaseConfig
from linkage.load.context import ReadResult, SourceContext, SourceSpec
from linkage.load.formats import FORMATS
from linkage.load.sniff import Sniffed, confirm, sniff

__all__ = ["read_batch", "read_source", "read_sources"]

SMALL_BYTES = 4 * 1024 * 1024
"""A source at most this large goes to the helpers when helpers are used."""
POOL_FROM = 64
"""Helpers start only for a case with at least this many small sources (each takes a second
or two to start)."""
BATCH = 32
"""Small sources per trip to a helper: enough to amortize the trip, few enough to share."""
MAX_HELPERS = 7
"""Each helper holds its own copy of the readers (about 200 MB) and takes a second to start."""


def read_source(spec: SourceSpec, config: CaseConfig, latest: object) -> tuple[Sniffed, ReadResult]:
    """Read one source with its declared format, or the one sniffing finds."""
    path = config.folder / spec.path
    if spec.mapping is not None:
        sniffed = Sniffed(FORMATS["mapped"], "column mapping in case.toml")
    elif spec.format == "auto":
        sniffed = sniff(path, spec.path, spec.kind)
    elif spec.format in FORMATS:
        sniffed = confirm(path, spec.path, FORMATS[spec.format])
    else:
        raise ConfigError(
            f"case.toml [[source]] {spec.path}: format {spec.format!r} is unknown "
            "(`linkage formats` lists them)"
        )
    if sniffed.format.kind != spec.kind and sniffed.format.name != "mapped":
        raise ConfigError(
            f"case.toml [[source]] {spec.path}: format {sniffed.format.name} reads "
            f"{sniffed.format.kind}, not {spec.kind}"
        )
    context = SourceContext(
        spec=spec,
        case_dir=config.folder,
        timezone=spec.timezone or config.timezone,
        region=spec.region or "CN",
        latest=latest,  # type: ignore[arg-type]
    )
    try:
        return sniffed, sniffed.format.read(context)
    except LinkageError:
        raise
    except sqlite3.Error as error:  # damage the integrity check let through
        raise SourceError(
            f"{spec.path}: a damaged SQLite database ({error}); read as {sniffed.format.name}"
        ) from error
    except (OSError, ValueError, KeyError) as error:
        raise SourceError(
            f"{spec.path}: could not be read as {sniffed.format.name} ({error})"
        ) from error


def read_sources(
    config: CaseConfig, latest: object, workers: int | None = None
) -> Iterator[tuple[int, Sniffed, ReadResult]]:
    """Each source read, as ``(index, sniffed, result)`` in case.toml's order, each as soon
    as it and every source before it are read.

    ``workers``: processes reading at once, this one included; ``None`` uses the cores this
    process may run on (at most ``MAX_HELPERS`` helpers) when the case has at least
    ``POOL_FROM`` small sources, 1 otherwise. The first source that cannot be read, in
    case.toml's order, raises what reading them one by one raises.
    """
    small = [i for i, spec in enumerate(config.sources) if _is_small(config.folder / spec.path)]
    if workers is None:
        workers = _usable_cores() if len(small) >= POOL_FROM else 1
    batches = deque(small[at : at + BATCH] for at in range(0, len(small), BATCH))
    helpers = min(workers - 1, len(batches), MAX_HELPERS)
    if helpers < 1:
        for index, spec in enumerate(config.sources):
            yield (index, *read_source(spec, config, latest))
        return
    yield from _Shared(config, latest, batches).read(set(small), helpers)


def read_batch(config: CaseConfig, latest: object, indices: list[int]) -> list[_Read]:
    """Read the sources at ``indices``. A source that cannot be read for a linkage reason
    ends the batch, its error sent back as text (not every error pickles): the run stops
    there. Any other failure is sent back as a request to read that source again in the
    calling process, where it fails as it would alone, and the batch goes on."""
    reads = []
    for index in indices:
        try:
            sniffed, result = read_source(config.sources[index], config, latest)
        except LinkageError as error:
            failure = (type(error).__name__, str(error))
            reads.append(_Read(index, "", "", "", frozenset(), None, failure))
            break
        except Exception:  # a bug: the calling process reads it again and shows it whole
            reads.append(_Read(index, "", "", "", frozenset(), None, read_here=True))
            continue
        reads.append(_Read(index, sniffed.format.name, sniffed.why, sniffed.encoding,
                           sniffed.matched, result))  # fmt: skip
    return reads


class _Shared:
    """The batches still to read and the sources read, shared by this process's thread and
    one thread per helper (each feeding its helper a batch at a time)."""

    def __init__(self, config: CaseConfig, latest: object, batches: deque[list[int]]) -> None:
        self.config, self.latest = config, latest
        self.batches = batches
        self.reads: dict[int, _Read] = {}
        self.changed = threading.Condition()

    def read(self, small: set[int], helpers: int) -> Iterator[tuple[int, Sniffed, ReadResult]]:
        processes: list[subprocess.Popen[bytes]] = []
        try:
            for _ in range(helpers):
                processes.append(_start_helper())
        except OSError:
            pass  # fewer helpers (or none): this process reads the rest
        threads = [threading.Thread(target=self._drive, args=(p,), daemon=True)
                   for p in processes]  # fmt: skip
        try:
            for thread in threads:
                thread.start()
            for index, spec in enumerate(self.config.sources):
                if index not in small:
                    yield (index, *read_source(spec, self.config, self.latest))
                    continue
                read = self._wait_for(index)
                if read.read_here:
                    yield (index, *read_source(spec, self.config, self.latest))
                else:
                    yield _attach(read)
        finally:  # all read, or the caller stopped early: no helper outlives the load
            with self.changed:
                self.batches.clear()
            for process in processes:
                if process.poll() is None:
                    process.kill()
            for thread in threads:
                thread.join()

    def _wait_for(self, index: int) -> _Read:
        """Source ``index`` read: by a helper, or by this process taking the next batch while
        it waits (a batch a dead helper put back included)."""
        while True:
            with self.changed:
                if index in self.reads:
                    return self.reads[index]
                batch = self.batches.popleft() if self.batches else None
                if batch is None:
                    self.changed.wait(timeout=1.0)
                    continue
            self._store(read_batch(self.config, self.latest, batch))

    def _store(self, reads: list[_Read]) -> None:
        with self.changed:
            self.reads.update((read.index, read) for read in reads)
            self.changed.notify_all()

    def _next_batch(self) -> list[int] | None:
        with self.changed:
            return self.batches.popleft() if self.batches else None

    def _drive(self, helper: subprocess.Popen[bytes]) -> None:
        """Feed ``helper`` one batch at a time until none is left; if it dies, put its batch
        back for this process to read."""
        assert helper.stdin is not None and helper.stdout is not None
        batch = None
        try:
            _send(helper.stdin, (self.config, self.latest))
            while (batch := self._next_batch()) is not None:
                _send(helper.stdin, batch)
                answer: list[_Read] = pickle.load(helper.stdout)
                self._store(answer)
                batch = None
            _send(helper.stdin, None)
        except Exception:  # a dead helper or a garbled answer: its batch is read here
            if batch is not None:
                with self.changed:
                    self.batches.appendleft(batch)
                    self.changed.notify_all()
        finally:
            with helper:  # closes both pipes and waits for it
                pass


def _usable_cores() -> int:
    """The cores this process may run on (a container or ``taskset`` may allow fewer than
    the machine has)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _start_helper() -> subprocess.Popen[bytes]:
    """A helper running this very linkage: ``-P`` keeps the working directory off its import
    path, and the path this linkage came from goes first."""
    root = str(Path(linkage.__file__).resolve().parents[1])
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [root, *filter(None, [os.environ.get("PYTHONPATH")])])}  # fmt: skip
    return subprocess.Popen(
        [sys.executable, "-P", "-m", "linkage.load.helper"], stdin=subprocess.PIPE,
        stdout=subprocess.PIPE, env=environment,
    )  # fmt: skip


def _send(pipe: IO[bytes], message: Any) -> None:
    pickle.dump(message, pipe, protocol=pickle.HIGHEST_PROTOCOL)
    pipe.flush()


def _is_small(path: Path) -> bool:
    try:
        return path.is_file() and path.stat().st_size <= SMALL_BYTES
    except OSError:
        return False


@dataclass(frozen=True)
class _Read:
    """One source read, without the format object (a format's functions stay in each
    process): what a helper sends back."""

    index: int
    format_name: str
    why: str
    encoding: str
    matched: frozenset[str]
    result: ReadResult | None
    failure: tuple[str, str] | None = None
    """(the linkage error's class name, its message) when the source could not be read."""
    read_here: bool = False
    """The source failed with something other than a linkage error: read it again in the
    calling process, so it fails there exactly as it would alone."""


def _attach(read: _Read) -> tuple[int, Sniffed, ReadResult]:
    if read.failure is not None:
        kind, message = read.failure
        error = getattr(linkage.errors, kind, SourceError)
        try:
            raised = error(message)
        except TypeError:  # an error that needs more than its message
            raised = SourceError(message)
        raise raised
    assert read.result is not None
    sniffed = Sniffed(FORMATS[read.format_name], read.why, read.encoding, read.matched)
    return read.index, sniffed, read.result
