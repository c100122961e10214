"""Shared pieces of the readers of JSON chat exports (Telegram Desktop, Skype messages.json).

A JSON export is one document holding many conversations, each a list of message objects. The
readers turn each conversation into a :class:`~linkage.load.raw.RawTable` whose cells are the
message fields as Python objects, and hand those tables to
:func:`~linkage.load.tabular.read_tables`, so the row ledger, provenance and rejects work as they
do for every other format. What they share lives here: opening the document (strict UTF-8,
standard :mod:`json` only, never evaluating anything), building the tables, and turning time
stamps into range-checked UTC times with a reject for every message that has no usable time.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from linkage.errors import SourceError
from linkage.load.context import SourceContext
from linkage.load.raw import ROW_COLUMN, RawTable, RowProblem
from linkage.load.tabular import EARLIEST, Rows
from linkage.normalize.time import parse_times
from linkage.rejects import RejectReason

PROBLEM_TEXT = 200
"""Characters of a malformed message kept in its reject, enough to find it in the file."""


def json_files(context: SourceContext, file_name: str) -> list[Path]:
    """The JSON documents of a source: the file itself, or every ``file_name`` under a folder.

    An export folder also holds photos, voice notes and HTML pages; only the named document
    (``result.json``, ``messages.json``) carries the messages.

    Raises
    ------
    SourceError
        If the path does not exist, or a folder holds no such document.
    """
    path = context.path
    if path.is_file():
        return [path]
    if path.is_dir():
        files = sorted(path.rglob(file_name))
        if not files:
            raise SourceError(f"{context.spec.path}: folder holds no {file_name}")
        return files
    raise SourceError(f"{context.spec.path}: no such file or folder")


def load_json(path: Path, name: str) -> Any:
    """The parsed document: strict UTF-8 (a BOM allowed), parsed by :func:`json.loads` only.

    Raises
    ------
    SourceError
        Naming the file, if it is not UTF-8 or not valid JSON.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     bad = Path(folder) / "result.json"
    ...     _ = bad.write_text('{"messages": [', encoding="utf-8")
    ...     load_json(bad, "chats/result.json")
    Traceback (most recent call last):
    ...
    linkage.errors.SourceError: chats/result.json: not valid JSON (line 1 column 15: ...)
    """
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SourceError(f"{name}: not UTF-8 text, so not a JSON export ({error})") from error
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise SourceError(
            f"{name}: not valid JSON (line {error.lineno} column {error.colno}: {error.msg})"
        ) from error


def message_table(
    records: Sequence[tuple[int, dict[str, object]]],
    problems: Sequence[RowProblem],
    columns: Sequence[str],
    sheet: str,
) -> RawTable:
    """A raw table of message fields: one row per ``(source_row, fields)`` record.

    ``columns`` fixes the cells every row has (None where a message lacks the field), so an
    empty conversation still yields the columns a reader asks for.
    """
    cells = pd.DataFrame(
        {c: pd.Series([fields.get(c) for _, fields in records], dtype=object) for c in columns}
    )
    cells[ROW_COLUMN] = pd.Series([row for row, _ in records], dtype="int64").to_numpy()
    return RawTable(
        header=list(columns),
        cells=cells,
        header_row=0,
        problems=list(problems),
        encoding="utf-8",
        sheet=sheet,
    )


def message_records(
    messages: list[object], cells: Callable[[dict[str, object]], dict[str, object]]
) -> tuple[list[tuple[int, dict[str, object]]], list[RowProblem]]:
    """``(position, cells)`` for each message object with a numeric id; the rest as problems.

    Rows are numbered by their 1-based position in the list, good and bad entries alike, so no
    two rows share a number; the export's own id stays among the cells.
    """
    records: list[tuple[int, dict[str, object]]] = []
    problems: list[RowProblem] = []
    for index, message in enumerate(messages, start=1):
        if not isinstance(message, dict):
            problems.append(malformed(index, message, "message is not an object"))
        elif whole_number(message.get("id")) is None:
            problems.append(malformed(index, message, "message has no numeric id"))
        else:
            records.append((index, cells(message)))
    return records, problems


def malformed(source_row: int, value: object, why: str) -> RowProblem:
    """A message that cannot be read at all (not an object, no id), kept as a reject."""
    text = json.dumps(value, ensure_ascii=False, default=str)
    return RowProblem(source_row, RejectReason.MALFORMED_ROW, f"{why}: {text[:PROBLEM_TEXT]}")


def as_text(value: object) -> str | None:
    """A scalar field as trimmed text; None when absent, null, blank or not a scalar.

    >>> as_text(" user42 "), as_text(42), as_text(""), as_text(None), as_text([1])
    ('user42', '42', None, None, None)
    """
    if value is None or isinstance(value, bool | list | dict):
        return None
    text = str(value).strip()
    return text or None


def whole_number(value: object) -> int | None:
    """An integer field (JSON number or digit string) as int; None otherwise.

    >>> whole_number(17), whole_number("1612345678"), whole_number("12a"), whole_number(True)
    (17, 1612345678, None, None)
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def text_times(rows: Rows, column: str) -> pd.Series:
    """UTC times of a text column (ISO with ``Z`` or an offset, or wall clock in the zone).

    Rows whose time is empty, unreadable or outside the plausible range are rejected.
    """
    values = rows.raw.column(column)
    texts = pd.Series([as_text(v) for v in values], index=values.index, dtype=object)
    parsed, errors = parse_times(texts, rows.context.timezone)
    rows.ledger.take(parsed, errors, column, values)
    return in_range(rows, parsed.where(errors.isna()), column)


def in_range(rows: Rows, times: pd.Series, column: str) -> pd.Series:
    """Times with those before 1990 or after ``context.latest`` rejected and made null."""
    latest = pd.Timestamp(rows.context.latest)
    outside = times.notna() & ((times < EARLIEST) | (times > latest))
    rows.ledger.reject(outside, RejectReason.TIME_OUT_OF_RANGE, column, rows.raw.column(column))
    return times.where(~outside)
