"""The stable output contract, checked by the project's own code.

Users script against what ``linkage run`` writes: ``victims.csv`` and ``defendants.csv`` with
their contract columns, ``links`` with the provenance of both sides, ``rejects`` and a manifest
that certifies every file. This module states that contract as checks over an output folder and
returns the problems in words (an empty list when the folder holds it). The end-to-end tests run
it on both worlds' samples and seeds; it reads the files the way a user's script does (CSV as
text), never through the library.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from pathlib import Path

VICTIM_COLUMNS = (
    "victim_id", "name", "group_id", "verdict", "evidence_kinds", "loss_fen",
    "first_contact_at", "last_transfer_at", "reported",
)  # fmt: skip
DEFENDANT_COLUMNS = (
    "person_id", "name", "group_id", "role", "period_start", "period_end", "amount_fen",
    "victim_count", "call_count",
)  # fmt: skip
VERDICTS = ("corroborated", "linked", "unlinked")
ROLES = ("organiser", "first_line", "second_line", "third_line", "money_mule", "support", "unknown")
EVIDENCE_KINDS = ("call", "chat", "transfer")
REJECT_COLUMNS = ("source_file", "source_row", "reason")
ZONED_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:[+-]\d\d:\d\d|Z)")
DAY = re.compile(r"\d{4}-\d\d-\d\d")
WHOLE = re.compile(r"-?\d+")
COUNT = re.compile(r"\d+")


def contract_problems(out: Path, case: Path | None = None) -> list[str]:
    """Everything in ``out`` that breaks the contract, one sentence each; with ``case``, the
    links' provenance is checked against the case folder too."""
    problems: list[str] = []
    for required in ("victims.csv", "defendants.csv", "links.parquet", "rejects.csv",
                     "manifest.json"):  # fmt: skip
        if not (out / required).is_file():
            problems.append(f"{required} is missing")
    if problems:
        return problems
    problems += _victims(out / "victims.csv")
    problems += _defendants(out / "defendants.csv")
    problems += _rejects(out / "rejects.csv")
    problems += _links(out, case)
    problems += _manifest(out)
    return problems


def _rows(path: Path, columns: tuple[str, ...]) -> tuple[list[dict[str, str]], list[str]]:
    with path.open(encoding="utf-8", newline="") as stream:
        reader = csv.DictReader(stream)
        header = list(reader.fieldnames or [])
        rows = list(reader)
    if tuple(header[: len(columns)]) != columns:
        return [], [f"{path.name} starts with {header[: len(columns)]}, not {list(columns)}"]
    return rows, []


def _victims(path: Path) -> list[str]:
    rows, problems = _rows(path, VICTIM_COLUMNS)
    seen: set[str] = set()
    for line, row in enumerate(rows, start=2):
        at = f"victims.csv line {line}"
        kinds = row["evidence_kinds"].split(";") if row["evidence_kinds"] else []
        verdict = row["verdict"]
        checks = [
            (bool(row["victim_id"]), "no victim_id"),
            (row["victim_id"] not in seen, f"victim_id {row['victim_id']} repeats"),
            (verdict in VERDICTS, f"verdict {verdict!r}"),
            (kinds == sorted(set(kinds)) and set(kinds) <= set(EVIDENCE_KINDS),
             f"evidence_kinds {row['evidence_kinds']!r} is not a sorted ;-joined set"),
            ((verdict == "unlinked") == (not kinds), f"{verdict} with kinds {kinds}"),
            (verdict != "corroborated" or len(kinds) >= 2, "corroborated by one kind"),
            (verdict == "unlinked" or bool(row["group_id"]), "linked to no group"),
            (bool(WHOLE.fullmatch(row["loss_fen"])), f"loss_fen {row['loss_fen']!r}"),
            (row["reported"] in ("true", "false"), f"reported {row['reported']!r}"),
        ]  # fmt: skip
        for column in ("first_contact_at", "last_transfer_at"):
            value = row[column]
            checks.append((not value or bool(ZONED_TIME.fullmatch(value)), f"{column} {value!r}"))
        problems += [f"{at}: {what}" for holds, what in checks if not holds]
        seen.add(row["victim_id"])
    if not rows and not problems:
        problems.append("victims.csv holds no victim")
    return problems


def _defendants(path: Path) -> list[str]:
    rows, problems = _rows(path, DEFENDANT_COLUMNS)
    for line, row in enumerate(rows, start=2):
        at = f"defendants.csv line {line}"
        start, end = row["period_start"], row["period_end"]
        checks = [
            (bool(row["person_id"]), "no person_id"),
            (row["role"] in ROLES, f"role {row['role']!r}"),
            (not start or bool(DAY.match(start)), f"period_start {start!r}"),
            (not end or bool(DAY.match(end)), f"period_end {end!r}"),
            (not (start and end) or start[:10] <= end[:10], "the period ends before it starts"),
        ]
        checks += [(bool(COUNT.fullmatch(row[c])), f"{c} {row[c]!r}")
                   for c in ("amount_fen", "victim_count", "call_count")]  # fmt: skip
        problems += [f"{at}: {what}" for holds, what in checks if not holds]
    return problems


def _rejects(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as stream:
        reader = csv.DictReader(stream)
        rows, header = list(reader), list(reader.fieldnames or [])
    lacking = [column for column in REJECT_COLUMNS if column not in header]
    problems = [f"rejects.csv lacks {lacking}"] if lacking else []
    rows = [] if lacking else rows
    for line, row in enumerate(rows, start=2):
        if not (row["source_file"] and COUNT.fullmatch(row["source_row"]) and row["reason"]):
            problems.append(f"rejects.csv line {line}: no file, row or reason")
    return problems


def _links(out: Path, case: Path | None) -> list[str]:
    import pyarrow.parquet as pq

    links = pq.read_table(out / "links.parquet").to_pylist()
    problems = []
    for number, link in enumerate(links, start=1):
        sides = [c.removesuffix("_source_file") for c in link if c.endswith("_source_file")]
        if "evidence" not in sides or "victim" not in sides:
            return ["links.parquet does not give both sides' source_file and source_row"]
        for side in ("evidence", "victim"):
            name, row = link[f"{side}_source_file"], link[f"{side}_source_row"]
            if not name or row is None or row < 1:
                problems.append(f"links.parquet row {number}: no {side} file and row")
            elif case is not None and not (case / name).is_file():
                problems.append(f"links.parquet row {number}: {name} is not a file of the case")
    return problems[:20]


def _manifest(out: Path) -> list[str]:
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    problems = []
    for key in ("linkage_version", "inputs", "sources", "parameters", "outputs"):
        if key not in manifest:
            problems.append(f"manifest.json has no {key}")
    for name, digest in manifest.get("outputs", {}).items():
        path = out / name
        if not path.is_file() or hashlib.sha256(path.read_bytes()).hexdigest() != digest:
            problems.append(f"manifest.json: {name} does not match its digest")
    for source in manifest.get("sources", []):
        read, kept, rejected = source["rows_read"], source["rows_kept"], source["rows_rejected"]
        if read != kept + rejected:
            problems.append(f"manifest.json: {source['path']} reads {read}, keeps {kept}, "
                            f"rejects {rejected}")  # fmt: skip
    if not all(re.fullmatch(r"[0-9a-f]{64}", d) for d in manifest.get("inputs", {}).values()):
        problems.append("manifest.json: an input without its SHA-256")
    return problems
