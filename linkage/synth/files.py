"""The case folder being written: files byte-for-byte reproducible, sources, planted rejects.

Every writer goes through ``CaseFolder``: it records each source for case.toml, each row planted
to be rejected (the ground truth lists them, and the loader must reject exactly those), and it
makes the bytes reproducible: xlsx files are zip archives whose entries carry the time they
were written, so they are re-packed with a fixed time.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl

__all__ = ["CaseFolder", "Planted", "Source"]

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Source:
    """One ``[[source]]`` entry of case.toml."""

    path: str
    kind: str
    origin: str
    timezone: str | None = None
    den: str | None = None
    owner: str | None = None


@dataclass(frozen=True)
class Planted:
    """An input row written to be rejected, and the reason a loader must give."""

    source_file: str
    source_row: int
    source_sheet: str | None
    reason: str
    why: str
    """What was done to the row, in words."""


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


def repack(archive: bytes) -> bytes:
    """The same zip archive with every entry's time fixed and entries in a stable order.

    openpyxl stamps the document properties and every zip entry with the current time; the
    properties are overwritten here too, so two runs give identical files.
    """
    source = zipfile.ZipFile(io.BytesIO(archive))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "docProps/core.xml":
                data = _fixed_core_properties(data)
            info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            target.writestr(info, data)
    return out.getvalue()


def _fixed_core_properties(xml: bytes) -> bytes:
    import re

    stamp = b"2016-04-12T09:30:00Z"
    return re.sub(
        rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)", rb"\g<1>" + stamp + rb"\2", xml
    )
