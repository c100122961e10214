"""What ``linkage inspect`` prints and writes: per-source counts, rejects, manifest."""

from __future__ import annotations

from pathlib import Path

from linkage.load.case import Case
from linkage.report.manifest import write_manifest
from linkage.report.out_folder import OutFolder
from linkage.report.tables import display_width, write_table
from linkage.schema import COERCED, REJECTS


def render_summary(case: Case) -> str:
    """Per-source row counts as an aligned text table, with totals and reject reasons."""
    header: tuple[str, ...] = ("source", "kind", "format", "read", "kept", "rejected")
    rows: list[tuple[str, ...]] = [
        (s.path, s.kind, s.format, str(s.rows_read), str(s.rows_kept), str(s.rows_rejected))
        for s in case.sources
    ]
    totals = [sum(int(r[i]) for r in rows) for i in (3, 4, 5)]
    rows.append(("total", "", "", *(str(t) for t in totals)))
    widths = [max(display_width(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = [f"case {case.config.name}"]
    for row in [header, *rows]:
        cells = [_pad(cell, widths[i], right=i >= 3) for i, cell in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
    reasons = case.rejects["reason"].value_counts().sort_index()
    if len(reasons):
        lines.append(
            "rejected rows by reason: " + ", ".join(f"{k} {v}" for k, v in reasons.items())
        )
    lines += [f"warning: {warning}" for warning in case.warnings]
    if case.not_read:
        shown = ", ".join(case.not_read[:5]) + (
            f" and {len(case.not_read) - 5} more" if len(case.not_read) > 5 else ""
        )
        lines.append(f"not read (case.toml names no source for them): {shown}")
    return "\n".join(lines)


def write_inspection(case: Case, folder: Path) -> Path:
    """Write rejects and coerced values (Parquet and CSV) and manifest.json into ``folder``,
    staged and swapped in as a run's outputs are (``out_folder``)."""
    out = OutFolder(folder)
    with out as staging:
        written = write_table(case.rejects, REJECTS, staging, "rejects")
        written += write_table(case.coerced, COERCED, staging, "coerced")
        manifest = out.final(write_manifest(case, staging, written))
    return manifest


def _pad(text: str, width: int, right: bool) -> str:
    space = " " * (width - display_width(text))
    return space + text if right else text + space
