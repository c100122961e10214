"""The registry of export formats: what each looks like, and which reader reads it.

Adding a format means adding one module under ``linkage/load/readers/`` that calls
:func:`register` with the format's signature and its read function. Sniffing, ``linkage init``
and ``linkage formats`` all read this registry, so a format is known everywhere at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from linkage.load.context import ReadResult, SourceContext


@dataclass(frozen=True)
class HeaderSignature:
    """Header words that identify a tabular format.

    Each group lists aliases of one column, and one alias of every group must be present.
    ``excludes`` names words whose presence means a more specific format, so two formats that
    share columns (a carrier's call records and a den's dial list) never both match.
    """

    groups: tuple[frozenset[str], ...]
    excludes: frozenset[str] = frozenset()

    def matched(self, words: set[str] | frozenset[str]) -> list[str] | None:
        """The words that matched, one per group, or None when the signature does not hold."""
        if words & self.excludes:
            return None
        hits = []
        for group in self.groups:
            present = sorted(group & words)
            if not present:
                return None
            hits.append(present[0])
        return hits


def signature(*groups: str | tuple[str, ...], excludes: tuple[str, ...] = ()) -> HeaderSignature:
    """Build a signature: each argument is a required word or a tuple of its aliases."""
    return HeaderSignature(
        tuple(frozenset((g,) if isinstance(g, str) else g) for g in groups), frozenset(excludes)
    )


@dataclass(frozen=True)
class Format:
    """One export format linkage can read.

    ``container`` says how it is recognised: ``table`` (CSV/TXT/xlsx/xls, by header words),
    ``headerless`` (CSV/TXT without a header, by ``row_test`` on its first rows), ``json`` (by
    ``json_keys``, every one present as a quoted key in the file's first 256 KiB), ``sqlite``
    (by table names), or ``folder`` (by the files a folder holds).
    """

    name: str
    kind: str
    title: str
    read: Callable[[SourceContext], ReadResult]
    container: str = "table"
    header: HeaderSignature | None = None
    vocabulary: frozenset[str] = frozenset()
    sqlite_tables: frozenset[str] = frozenset()
    folder_test: Callable[[Path], bool] | None = field(default=None, compare=False)
    row_test: Callable[[list[list[str]]], bool] | None = field(default=None, compare=False)
    json_keys: frozenset[str] = frozenset()
    status: str = "real"
    zoned: bool = True
    """Whether the format writes wall-clock times read in the source's zone; False when it
    stamps absolute times (Unix epochs), which need no zone (``load/zones.py``)."""

    def describe_signature(self) -> str:
        """The signature in words, for ``linkage formats``."""
        if self.container == "sqlite":
            return "SQLite tables " + ", ".join(sorted(self.sqlite_tables))
        if self.container == "folder":
            return "folder: " + (self.folder_test.__doc__ or "").strip().split("\n")[0]
        if self.container == "headerless":
            return "no header: " + (self.row_test.__doc__ or "").strip().split("\n")[0]
        if self.container == "mapping":
            return "never sniffed: named by [source.mapping] in case.toml"
        if self.container == "json":
            return "JSON keys " + ", ".join(sorted(self.json_keys))
        assert self.header is not None
        words = [" / ".join(sorted(g)) for g in self.header.groups]
        text = "header words " + " + ".join(words)
        if self.header.excludes:
            text += " (and none of " + ", ".join(sorted(self.header.excludes)) + ")"
        return text


FORMATS: dict[str, Format] = {}


def register(fmt: Format) -> Format:
    """Add a format to the registry; names are unique."""
    if fmt.name in FORMATS:
        raise ValueError(f"format {fmt.name!r} registered twice")
    FORMATS[fmt.name] = fmt
    return fmt


def known_header_words() -> frozenset[str]:
    """Every header word any tabular format knows: what header rows are recognised by."""
    words: set[str] = set()
    for fmt in FORMATS.values():
        words |= fmt.vocabulary
        if fmt.header:
            for group in fmt.header.groups:
                words |= group
    return frozenset(words)


def formats_for(kind: str | None = None) -> list[Format]:
    """Registered formats, optionally only those of one kind, in name order."""
    return sorted(
        (f for f in FORMATS.values() if kind is None or f.kind == kind), key=lambda f: f.name
    )
