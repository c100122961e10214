"""The case folder being written: files byte-for-byte reproducible, sources, planted rejects.

Every writer goes through ``CaseFolder``: it records each source for case.toml, each row planted
to be rejected (the ground truth lists them, and the loader must reject exactly those), and it
makes the bytes reproducible: xlsx files are zip archives whose entries carry the time they
were written, so they are re-packed with a fixed time.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl

from linkage.reproducible import repack

__all__ = ["CaseFolder", "Planted", "Source", "planted_rows", "source_toml"]


@dataclass(frozen=True)
class Source:
    """One ``[[source]]`` entry of case.toml."""

    path: str
    kind: str
    origin: str
    timezone: str | None = None
    den: str | None = None
    owner: str | None = None


def source_toml(sources: list[Source]) -> list[str]:
    """The ``[[source]]`` tables of case.toml for ``sources``, in the order they were written.

    >>> source_toml([Source("a.csv", "calls", "seized")])
    ['', '[[source]]', 'path = "a.csv"', 'kind = "calls"', 'origin = "seized"']
    """
    lines: list[str] = []
    for source in sources:
        lines += ["", "[[source]]", f'path = "{source.path}"', f'kind = "{source.kind}"',
                  f'origin = "{source.origin}"']  # fmt: skip
        for key in ("timezone", "den", "owner"):
            value = getattr(source, key)
            if value:
                lines.append(f'{key} = "{value}"')
    return lines


@dataclass(frozen=True)
class Planted:
    """An input row written to be rejected, and the reason a loader must give."""

    source_file: str
    source_row: int
    source_sheet: str | None
    reason: str
    why: str
    """What was done to the row, in words."""


def planted_rows(planted: list[Planted]) -> list[dict[str, object]]:
    """The planted rows as the ground truth's ``rejects.csv`` lists them, by file and row."""
    return [
        {
            "source_file": r.source_file,
            "source_row": r.source_row,
            "source_sheet": r.source_sheet or "",
            "reason": r.reason,
            "why": r.why,
        }
        for r in sorted(planted, key=lambda r: (r.source_file, r.source_row))
    ]


@dataclass
class CaseFolder:
    """Where the case's files go, and what the generator noted while writing them."""

    root: Path
    sources: list[Source] = field(default_factory=list)
    planted: list[Planted] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)
    """Data rows written per kind (calls, chats, transactions, ...), for the size report."""

    def path(self, relative: str) -> Path:
        target = self.root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        return target

    def add(self, source: Source) -> None:
        self.sources.append(source)

    def count(self, kind: str, rows: int) -> None:
        self.rows[kind] = self.rows.get(kind, 0) + rows

    def plant(
        self, relative: str, row: int, reason: str, why: str, sheet: str | None = None
    ) -> None:
        self.planted.append(Planted(relative, row, sheet, reason, why))

    def write_text(self, relative: str, lines: list[str], encoding: str = "utf-8") -> None:
        """Write lines, each ended by a newline, in ``encoding``."""
        self.path(relative).write_bytes(("\n".join(lines) + "\n").encode(encoding))

    def save_workbook(self, relative: str, book: openpyxl.Workbook) -> None:
        """Save an xlsx whose bytes depend on its content only."""
        buffer = io.BytesIO()
        book.save(buffer)
        self.path(relative).write_bytes(repack(buffer.getvalue()))
