"""Draft a case.toml by sniffing a case folder: ``linkage init``.

The draft names, for each file, the kind and format sniffing chose and the header words or
tables that decided it, so a wrong guess is visible at review. What bytes cannot tell (whose
clock a den's laptop ran on, which den it was seized at, who handed the file over) is written as
a best guess with a ``TODO`` comment for the analyst; files no format recognises are listed as
comments with the reason, never silently left out.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import linkage.load.readers  # noqa: F401  (registers every format)
from linkage.errors import ConfigError, SourceError
from linkage.load.config import CASE_FILE
from linkage.load.formats import FORMATS
from linkage.load.raw import clean_header
from linkage.load.sniff import HEAD_BYTES, SQLITE_MAGIC, Sniffed, header_rows, sniff

ORIGIN_BY_KIND = {
    "calls": "telecom",
    "chats": "seized",
    "transactions": "bank",
    "accounts": "bank",
    "persons": "police",
    "travel": "immigration",
    "victims": "police",
}
ORIGIN_BY_FORMAT = {
    "dial_list": "seized",
    "den_ledger": "seized",
    "skype_calls": "seized",
    "wechat_bill": "victim",
    "alipay_bill": "victim",
    **dict.fromkeys(
        (
            "abc_statement",
            "boc_statement",
            "bocom_statement",
            "ccb_statement",
            "cmb_statement",
            "icbc_statement",
            "spdb_statement",
            "boc_credit",
            "bocom_credit",
            "cmb_credit",
        ),
        "victim",
    ),
}
"""Formats only a person's own download takes: a victim's bank app, bill or card statement."""
SKIPPED_SUFFIXES = {".md", ".toml", ".txt~", ".json~"}
SKIPPED_NAMES = {"LICENSE", "README", "NOTICE"}


@dataclass(frozen=True)
class Found:
    """One file or folder of the case and what sniffing made of it."""

    path: str
    sniffed: Sniffed | None
    problem: str = ""
    headers: tuple[str, ...] = ()


def discover(folder: Path) -> list[Found]:
    """Every source candidate under ``folder``, in path order.

    A folder a folder-format recognises (a bank return) is one source; a SQLite database that
    several formats read (Skype ``main.db``: chats and calls) gives one entry per format.

    Raises
    ------
    ConfigError
        If ``folder`` is not a folder, or holds no file to draft a source for.
    """
    if not folder.is_dir():
        raise ConfigError(f"{folder}: no such case folder")
    found: list[Found] = []
    _walk(folder, folder, found)
    if not found:
        raise ConfigError(f"{folder}: holds no evidence files to draft a case.toml for")
    return found


def _walk(root: Path, directory: Path, found: list[Found]) -> None:
    for path in sorted(directory.iterdir()):
        relative = path.relative_to(root).as_posix()
        if path.name.startswith(".") or path.name == CASE_FILE:
            continue
        if path.is_dir():
            folder_hits = [f for f in FORMATS.values() if f.folder_test and f.folder_test(path)]
            if folder_hits:
                folder = sniff(path, relative)
                found.append(Found(relative, folder))
                found.extend(_companions(root, path, folder))
            elif path.name != "ground_truth":
                _walk(root, path, found)
            continue
        if path.suffix.lower() in SKIPPED_SUFFIXES or path.stem.upper() in SKIPPED_NAMES:
            continue
        found.extend(_sniff_file(path, relative))


def _companions(root: Path, folder: Path, sniffed: Sniffed) -> list[Found]:
    """Files inside a folder source that hold another kind (a bank return's 账户信息)."""
    extra = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        for item in _sniff_file(path, path.relative_to(root).as_posix()):
            if item.sniffed and item.sniffed.format.kind != sniffed.format.kind:
                extra.append(item)
    return extra


def _sniff_file(path: Path, relative: str) -> list[Found]:
    with path.open("rb") as stream:
        is_sqlite = stream.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC
    kinds = (
        sorted({f.kind for f in FORMATS.values() if f.container == "sqlite"})
        if is_sqlite
        else [None]
    )
    results = []
    for kind in kinds:
        try:
            results.append(Found(relative, sniff(path, relative, kind)))
        except SourceError as error:
            if not is_sqlite:
                results.append(Found(relative, None, str(error), _headers(path, relative)))
    if is_sqlite and not results:
        results.append(Found(relative, None, f"{relative}: SQLite database of no known format"))
    return results


def _headers(path: Path, relative: str) -> tuple[str, ...]:
    """The widest row among a table file's first rows: its likely header, for a mapping stub."""
    try:
        with path.open("rb") as stream:
            labelled, _ = header_rows(path, relative, stream.read(HEAD_BYTES))
    except SourceError:
        return ()
    widest: list[str] = []
    for _, row in labelled:
        cells = [clean_header(c) for c in row if clean_header(c)]
        if len(cells) > len(widest):
            widest = cells
    return tuple(widest)


def draft_case_toml(folder: Path, name: str | None = None) -> str:
    """The text of a draft case.toml for ``folder``."""
    found = discover(folder)
    lines = [
        "# Drafted by `linkage init`: review every TODO before `linkage inspect`.",
        "[case]",
        f"name = {json.dumps(name or folder.resolve().name, ensure_ascii=False)}",
        'timezone = "Asia/Shanghai"  # zone for sources that name none',
        '# seized_at = "2016-04-08T10:00:00+03:00"  # TODO: when the devices were seized',
        "",
    ]
    for item in found:
        if item.sniffed is None:
            lines += [
                f"# not recognised: {item.problem}",
                "# To read it anyway, name its columns (kind calls, transactions or chats; see",
                "# linkage/load/readers/mapped.py for every column), then uncomment:",
                "# [[source]]",
                f"# path = {json.dumps(item.path, ensure_ascii=False)}",
                '# kind = "transactions"',
                '# origin = "bank"',
                "# [source.mapping]",
                *([f"# (headers in the file: {', '.join(item.headers)})"] if item.headers else []),
                '# account = ""',
                '# occurred_at = ""',
                '# amount_fen = ""',
                "",
            ]
            continue
        fmt = item.sniffed.format
        origin = ORIGIN_BY_FORMAT.get(fmt.name, ORIGIN_BY_KIND.get(fmt.kind, "police"))
        lines += [
            "[[source]]",
            f"path = {json.dumps(item.path, ensure_ascii=False)}",
            f'kind = "{fmt.kind}"',
            f'format = "{fmt.name}"  # {fmt.title}; chosen for {item.sniffed.why}'
            + (f"; encoding {item.sniffed.encoding}" if item.sniffed.encoding else ""),
            f'origin = "{origin}"  # TODO: check who provided this file',
        ]
        if origin == "seized":
            if fmt.container != "sqlite":  # databases store UTC epochs: no clock to name
                lines.append(
                    'timezone = "Asia/Shanghai"  # TODO: the clock of the seized device (den zone)'
                )
            den = _den_in(item.path)
            lines.append(
                f'den = "{den}"  # TODO: check the den it was seized at'
                if den
                else '# den = "den-a"  # TODO: the den it was seized at'
            )
        if origin == "victim":
            lines.append('# owner = ""  # TODO: the account this statement belongs to (unmasked)')
        lines.append("")
    return "\n".join(lines)


def _den_in(path: str) -> str | None:
    """A folder name on the path that names a den (``seized/den-k/…`` → ``den-k``), if any."""
    return next((part for part in path.split("/")[:-1] if part.lower().startswith("den")), None)
