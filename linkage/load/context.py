"""What a reader is given (one source of case.toml, resolved) and what it gives back."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd


@dataclass(frozen=True)
class SourceSpec:
    """One ``[[source]]`` entry of case.toml, as the analyst wrote it."""

    path: str
    kind: str
    origin: str
    timezone: str | None = None
    den: str | None = None
    format: str = "auto"
    region: str | None = None
    owner: str | None = None
    mapping: dict[str, Any] | None = field(default=None, compare=False)
    """``[source.mapping]``: canonical column → header name or 1-based position, for a layout
    no reader knows (read by the ``mapped`` format)."""


@dataclass(frozen=True)
class SourceContext:
    """A source with everything resolved that a reader needs to interpret its rows.

    ``timezone`` is the source's own zone or the case's; ``region`` is the phone region numbers
    without a country code belong to (the handset's country, not the investigators'); ``latest``
    bounds plausible times (a year after the newest input file).
    """

    spec: SourceSpec
    case_dir: Path
    timezone: str
    region: str
    latest: dt.datetime

    @property
    def path(self) -> Path:
        """Absolute path of the source file or folder."""
        return self.case_dir / self.spec.path

    def name_of(self, file: Path) -> str:
        """How a file is named in provenance: its path relative to the case folder."""
        try:
            return file.relative_to(self.case_dir).as_posix()
        except ValueError:
            return file.as_posix()


@dataclass(frozen=True)
class ReadResult:
    """One source read: its canonical rows, its rejects, and how many rows it had."""

    table: pd.DataFrame
    rejects: pd.DataFrame
    rows_read: int
    files: tuple[str, ...]
    notes: tuple[str, ...] = ()
    coerced: pd.DataFrame | None = None
    """Optional values of kept rows that could not be read and were left empty (``COERCED``
    rows); None when there were none."""
