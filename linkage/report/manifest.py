"""manifest.json: what was read, what came of it, and the digests that prove it.

An integrity review compares the SHA-256 of every input and output with what the analyst
received and handed on, and checks that every row of every source is accounted for. The
manifest holds no clock reading and sorts its keys, so the same inputs give the same bytes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from linkage import __version__
from linkage.digest import sha256_file
from linkage.load.case import Case, source_formats
from linkage.load.zones import DST_RULE, zone_uses

MANIFEST = "manifest.json"


def manifest(
    case: Case, outputs: dict[str, str] | None = None, parameters: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The manifest of a loaded case as a JSON-ready dict."""
    config = case.config
    formats = source_formats(case)
    zones = zone_uses(config, formats)
    return {
        "linkage_version": __version__,
        "case": {
            "name": config.name,
            "timezone": config.timezone,
            "seized_at": config.seized_at.isoformat() if config.seized_at else None,
            "clock_skew_s": config.clock_skew_s,
        },
        "inputs": case.inputs,
        "not_read": list(case.not_read),
        "sources": [
            {
                "path": s.path,
                "kind": s.kind,
                "format": s.format,
                "format_chosen_because": s.why,
                "encoding": s.encoding,
                "timezone": zones[s.index].zone,
                "timezone_stated": zones[s.index].stated,
                "files": list(s.files),
                "rows_read": s.rows_read,
                "rows_kept": s.rows_kept,
                "rows_rejected": s.rows_rejected,
                "notes": list(s.notes),
            }
            for s in case.sources
        ],
        "rejects_by_reason": {
            str(k): int(v) for k, v in sorted(case.rejects["reason"].value_counts().items())
        },
        "coerced_by_reason": {
            str(k): int(v) for k, v in sorted(case.coerced["reason"].value_counts().items())
        },
        "time_rules": {"daylight_saving": DST_RULE},
        "warnings": list(case.warnings),
        "parameters": parameters or {},
        "outputs": outputs or {},
    }


def write_manifest(
    case: Case, folder: Path, written: list[Path], parameters: dict[str, Any] | None = None
) -> Path:
    """Write ``folder/manifest.json`` with the digests of the files in ``written``."""
    return _dump(manifest(case, _digests(folder, written), parameters), folder)


def add_to_manifest(folder: Path, written: list[Path]) -> Path:
    """Rewrite ``folder/manifest.json`` with the digests of ``written`` added to its outputs:
    for files written later from a run's tables (``linkage report``)."""
    content = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    content["outputs"] = {**content.get("outputs", {}), **_digests(folder, written)}
    return _dump(content, folder)


def _digests(folder: Path, written: list[Path]) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): sha256_file(p) for p in sorted(written)}


def _dump(content: dict[str, Any], folder: Path) -> Path:
    path = folder / MANIFEST
    text = json.dumps(content, ensure_ascii=False, indent=2, sort_keys=True)
    path.write_text(text + "\n", encoding="utf-8")
    return path
