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
import subprocess
import sys
import threading
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import linkage.load.readers  # noqa: F401  (registers every format)
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
    except (OSError, ValueError, KeyError) as error:
        raise SourceError(
            f"{spec.path}: could not be read as {sniffed.format.name} ({error})"
        ) from error


def read_sources(
    config: CaseConfig, latest: object, workers: int | None = None
) -> Iterator[tuple[int, Sniffed, ReadResult]]:
    """Each source read, as ``(index, sniffed, result)`` in case.toml's order.

    ``workers``: processes reading at once, this one included; ``None`` uses every core
    when the case has at least ``POOL_FROM`` small sources, 1 otherwise. The first source
    that cannot be read, in case.toml's order, raises, as it would read one by one.
    """
    small = [i for i, spec in enumerate(config.sources) if _is_small(config.folder / spec.path)]
    if workers is None:
        workers = (os.cpu_count() or 1) if len(small) >= POOL_FROM else 1
    if workers <= 1 or not small:
        for index, spec in enumerate(config.sources):
            yield (index, *read_source(spec, config, latest))
        return
    reads = _read_with_helpers(config, latest, small, workers - 1)
    for index in range(len(config.sources)):
        read = reads[index]
        if isinstance(read, LinkageError):
            raise read
        yield read if isinstance(read, tuple) else _attach(read)


def read_batch(config: CaseConfig, latest: object, indices: list[int]) -> list[_Read]:
    """Read the sources at ``indices``; a source that cannot be read ends the batch with its
    error, as text (not every error pickles)."""
    reads = []
    for index in indices:
        try:
            sniffed, result = read_source(config.sources[index], config, latest)
        except LinkageError as error:
            failure = (type(error).__name__, str(error))
            reads.append(_Read(index, "", "", "", frozenset(), None, failure))
            break
        reads.append(_Read(index, sniffed.format.name, sniffed.why, sniffed.encoding,
                           sniffed.matched, result))  # fmt: skip
    return reads


def _read_with_helpers(
    config: CaseConfig, latest: object, small: list[int], helpers: int
) -> dict[int, _Read | tuple[int, Sniffed, ReadResult] | LinkageError]:
    """Every source read: the small ones by ``helpers`` child processes and, once the big
    ones are read here, by this process too. A big source that cannot be read keeps its
    error and ends the reading of big sources; the small ones are all read, so the caller
    raises whichever failure comes first in case.toml's order."""
    batches = deque(small[at : at + BATCH] for at in range(0, len(small), BATCH))
    lock = threading.Lock()
    reads: dict[int, _Read | tuple[int, Sniffed, ReadResult] | LinkageError] = {}

    def next_batch() -> list[int] | None:
        with lock:
            return batches.popleft() if batches else None

    def drive(helper: subprocess.Popen[bytes]) -> None:
        assert helper.stdin is not None and helper.stdout is not None
        batch = None
        try:
            _send(helper.stdin, (config, latest))
            while (batch := next_batch()) is not None:
                _send(helper.stdin, batch)
                done: list[_Read] = pickle.load(helper.stdout)
                with lock:
                    reads.update((read.index, read) for read in done)
                batch = None
            _send(helper.stdin, None)
        except (OSError, ValueError, EOFError, pickle.UnpicklingError):
            if batch is not None:  # the helper died: its batch is read here instead
                with lock:
                    batches.append(batch)
        finally:
            with helper:  # closes both pipes and waits for it
                pass

    processes = [_start_helper() for _ in range(helpers)]
    threads = [threading.Thread(target=drive, args=(p,), daemon=True) for p in processes]
    try:
        for thread in threads:
            thread.start()
        helped = set(small)
        for index, spec in enumerate(config.sources):
            if index not in helped:
                try:
                    reads[index] = (index, *read_source(spec, config, latest))
                except LinkageError as error:
                    reads[index] = error
                    break
        while (batch := next_batch()) is not None:
            done = read_batch(config, latest, batch)
            with lock:
                reads.update((read.index, read) for read in done)
        for thread in threads:
            thread.join()
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
            with process:
                pass
    return reads


def _start_helper() -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "linkage.load.helper"], stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
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
    """(``ConfigError`` or ``SourceError``, message) when the source could not be read."""


def _attach(read: _Read) -> tuple[int, Sniffed, ReadResult]:
    if read.failure is not None:
        kind, message = read.failure
        raise (ConfigError if kind == "ConfigError" else SourceError)(message)
    assert read.result is not None
    sniffed = Sniffed(FORMATS[read.format_name], read.why, read.encoding, read.matched)
    return read.index, sniffed, read.result
