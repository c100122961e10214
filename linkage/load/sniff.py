"""Recognise which export format a file (or folder) is, and say why.

A wrong guess silently reads a bank's 收付标志 as a carrier's direction flag, so sniffing is
strict: exactly one format must match, or the load stops and names the candidates. The reason a
format was chosen (the header words that matched, the SQLite tables found) travels with the
result, so ``linkage init`` can show it to the analyst who reviews case.toml.
"""

from __future__ import annotations

import csv
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from linkage.errors import SourceError
from linkage.load.encoding import decode
from linkage.load.formats import FORMATS, Format, formats_for
from linkage.load.raw import clean_header
from linkage.load.sqlite import open_readonly
from linkage.load.tabular import TEXT_SUFFIXES, WORKBOOK_SUFFIXES, source_files

SQLITE_MAGIC = b"SQLite format 3\x00"
HEAD_BYTES = 1 << 18
SQLITE_SUFFIXES = {".db", ".sqlite", ".sqlite3"}
HEADER_ROWS = 40


@dataclass(frozen=True)
class Sniffed:
    """The format chosen for a source and the evidence for the choice."""

    format: Format
    why: str
    encoding: str = ""
    matched: frozenset[str] = frozenset()


def sniff(path: Path, name: str, kind: str | None = None) -> Sniffed:
    """Choose the one format that reads ``path``.

    ``kind`` (from case.toml) narrows the candidates, which is how one Skype ``main.db`` is read
    once as chats and once as calls.

    Raises
    ------
    SourceError
        If no format matches ("unknown format", with the header words seen), or more than one
        does (naming them, so the analyst can set ``format =`` in case.toml).
    """
    if path.is_dir():
        return _sniff_folder(path, name, kind)
    if not path.is_file():
        raise SourceError(f"{name}: no such file or folder")
    with path.open("rb") as stream:
        head = stream.read(HEAD_BYTES)
    if head.startswith(SQLITE_MAGIC):
        return _sniff_sqlite(path, name, kind)
    if path.suffix.lower() == ".json":
        return _sniff_json(head, name, kind)
    return _sniff_table(path, name, head, kind)


def _sniff_json(head: bytes, name: str, kind: str | None) -> Sniffed:
    text = decode(head if len(head) < HEAD_BYTES else head[: head.rfind(b"\n") + 1], name).text
    hits = [
        Sniffed(f, "JSON keys " + ", ".join(sorted(f.json_keys)), "utf-8")
        for f in FORMATS.values()
        if f.container == "json" and f.json_keys and all(f'"{key}"' in text for key in f.json_keys)
    ]
    return _choose(hits, name, kind, "JSON of no known export")


def _choose(candidates: list[Sniffed], name: str, kind: str | None, seen: str) -> Sniffed:
    if kind is not None:
        other_kinds = sorted({f"{c.format.name} ({c.format.kind})" for c in candidates})
        candidates = [c for c in candidates if c.format.kind == kind]
        if not candidates and other_kinds:
            raise SourceError(
                f"{name}: case.toml says kind {kind}, but the file looks like "
                f"{', '.join(other_kinds)}"
            )
    by_name = {c.format.name: c for c in candidates}
    if len(by_name) == 1:
        return next(iter(by_name.values()))
    specific = _most_specific(list(by_name.values()))
    if specific is not None:
        return specific
    if not by_name:
        wanted = ", ".join(f.name for f in formats_for(kind)) or "none registered"
        raise SourceError(
            f"{name}: unknown format ({seen}); formats of kind {kind or 'any'}: {wanted}. "
            "Set format = in case.toml or add a reader"
        )
    raise SourceError(
        f"{name}: ambiguous format, it matches {', '.join(sorted(by_name))}; "
        "set format = in case.toml"
    )


def _most_specific(candidates: list[Sniffed]) -> Sniffed | None:
    """The candidate whose matched signature words strictly contain every other's, if one does.

    A VOS3000 export (主叫号码, 被叫号码, 开始时间, 结束时间, 通话时长) also has the columns of a
    carrier 话单 without a direction flag; the format that accounts for more of the header is
    the more specific reading. Incomparable matches stay ambiguous: never a guess.
    """
    for candidate in candidates:
        others = [c for c in candidates if c is not candidate]
        if candidate.matched and all(c.matched < candidate.matched for c in others):
            return candidate
    return None


def _sniff_folder(path: Path, name: str, kind: str | None) -> Sniffed:
    folder_formats = [f for f in FORMATS.values() if f.container == "folder" and f.folder_test]
    hits = [
        Sniffed(f, f"folder: {(f.folder_test.__doc__ or f.name).strip().splitlines()[0]}")
        for f in folder_formats
        if f.folder_test and f.folder_test(path)
    ]
    if hits:
        return _choose(hits, name, kind, "folder")
    files = source_files(path, name)
    found = {}
    for file in files:
        found[file] = sniff(file, f"{name}/{file.relative_to(path).as_posix()}", kind)
    formats = {s.format.name for s in found.values()}
    if len(formats) != 1:
        listing = "; ".join(f"{f.name}: {s.format.name}" for f, s in found.items())
        raise SourceError(f"{name}: a folder source must hold one format, found {listing}")
    first = next(iter(found.values()))
    return Sniffed(first.format, f"every file of the folder: {first.why}", first.encoding)


def _sniff_sqlite(path: Path, name: str, kind: str | None) -> Sniffed:
    try:
        with closing(open_readonly(path)) as db:
            tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    except sqlite3.DatabaseError as error:
        raise SourceError(f"{name}: not a readable SQLite database ({error})") from error
    hits = [
        Sniffed(f, "SQLite tables " + ", ".join(sorted(f.sqlite_tables)), "sqlite")
        for f in FORMATS.values()
        if f.container == "sqlite" and f.sqlite_tables <= tables
    ]
    return _choose(hits, name, kind, "SQLite tables " + ", ".join(sorted(tables)[:12]))


def header_rows(path: Path, name: str, head: bytes) -> tuple[list[tuple[str, list[object]]], str]:
    """The first rows of each table in a file, labelled by where they are, and the encoding."""
    suffix = path.suffix.lower()
    labelled: list[tuple[str, list[object]]] = []
    if suffix in WORKBOOK_SUFFIXES:
        from linkage.load.workbook import sheet_rows

        for sheet, (first_row, rows) in sheet_rows(path, name).items():
            for offset, row in enumerate(rows[:HEADER_ROWS]):
                labelled.append((f"sheet {sheet} row {first_row + offset + 1}", row))
        return labelled, "xlsx"
    if suffix in SQLITE_SUFFIXES:
        raise SourceError(f"{name}: not a readable SQLite database (no SQLite header)")
    if suffix not in TEXT_SUFFIXES and suffix:
        raise SourceError(f"{name}: {suffix} is not a format linkage reads")
    cut = head if len(head) < HEAD_BYTES else head[: head.rfind(b"\n") + 1]
    decoded = decode(cut, name)
    lines = decoded.text.split("\n")[:HEADER_ROWS]
    for delimiter, label in ((",", ""), ("\t", " (tab-separated)")):
        for number, row in enumerate(csv.reader(lines, delimiter=delimiter), start=1):
            labelled.append((f"line {number}{label}", list(row)))
    return labelled, decoded.encoding


def _sniff_table(path: Path, name: str, head: bytes, kind: str | None) -> Sniffed:
    labelled, encoding = header_rows(path, name, head)
    hits: list[Sniffed] = _headerless_hits(path, labelled, encoding)
    widest: set[str] = set()
    for where, row in labelled:
        words = {clean_header(c) for c in row} - {""}
        if len(words) > len(widest):
            widest = words
        for fmt in FORMATS.values():
            if fmt.container != "table" or fmt.header is None:
                continue
            matched = fmt.header.matched(words)
            if matched:
                why = f"header words {', '.join(matched)} at {where}"
                hits.append(Sniffed(fmt, why, encoding, frozenset(matched)))
    seen = "header words seen: " + (", ".join(sorted(widest)[:15]) or "none")
    closest = closest_formats(widest, kind)
    if closest:
        seen += "; closest known formats: " + ", ".join(closest)
    return _choose(_first_per_format(hits), name, kind, seen)


def closest_formats(words: set[str], kind: str | None, limit: int = 3) -> list[str]:
    """Table formats that share header columns with ``words``, best first, as ``name (k/n)``.

    Shown when nothing matches, so an analyst facing a new bank's layout sees which known
    format it resembles and which of its columns are missing.
    """
    scored = []
    for fmt in formats_for(kind):
        if fmt.container != "table" or fmt.header is None:
            continue
        hits = sum(1 for group in fmt.header.groups if group & words)
        if hits:
            scored.append((-hits, fmt.name, f"{fmt.name} ({hits}/{len(fmt.header.groups)})"))
    return [label for _, _, label in sorted(scored)[:limit]]


def confirm(path: Path, name: str, fmt: Format) -> Sniffed:
    """Check that a format named in case.toml fits the file, and say why it does.

    Naming a format skips the choice, not the check: a dial list read as carrier records would
    reject every row for want of an own number, a loud failure that still wastes a review.

    Raises
    ------
    SourceError
        If the file's header rows hold no row matching the format's signature.
    """
    if fmt.container != "table" or fmt.header is None or path.is_dir():
        return Sniffed(fmt, "named in case.toml")
    with path.open("rb") as stream:
        head = stream.read(HEAD_BYTES)
    labelled, encoding = header_rows(path, name, head)
    widest: set[str] = set()
    for where, row in labelled:
        words = {clean_header(c) for c in row} - {""}
        widest = max(widest, words, key=len)
        matched = fmt.header.matched(words)
        if matched:
            return Sniffed(
                fmt, f"named in case.toml; header words {', '.join(matched)} at {where}", encoding
            )
    raise SourceError(
        f"{name}: case.toml names format {fmt.name}, but no header row fits it "
        f"(header words seen: {', '.join(sorted(widest)[:15]) or 'none'})"
    )


def _headerless_hits(
    path: Path, labelled: list[tuple[str, list[object]]], encoding: str
) -> list[Sniffed]:
    """Headerless formats (Asterisk ``Master.csv``) whose row test accepts the first rows."""
    if path.suffix.lower() not in TEXT_SUFFIXES | {""}:
        return []
    comma_rows = [
        [str(c) for c in row]
        for where, row in labelled
        if where.startswith("line") and not where.endswith(")")
    ]
    return [
        Sniffed(f, "rows: " + (f.row_test.__doc__ or f.name).strip().splitlines()[0], encoding)
        for f in FORMATS.values()
        if f.container == "headerless" and f.row_test and f.row_test(comma_rows)
    ]


def _first_per_format(hits: list[Sniffed]) -> list[Sniffed]:
    seen: dict[str, Sniffed] = {}
    for hit in hits:
        seen.setdefault(hit.format.name, hit)
    return list(seen.values())
