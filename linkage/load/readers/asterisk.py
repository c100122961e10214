"""Asterisk ``Master.csv`` call detail records: the den's own PBX log of every call it placed.

A den that runs its own Asterisk (or FreePBX) box leaves ``/var/log/asterisk/cdr-csv/Master.csv``
on the seized server. It is the PBX's record of every call through it, so like a dial list it ties
a den's lines to the numbers they reached. The file has **no header**: every line is 16 fields, or
18 when the CDR adds ``uniqueid`` and ``userfield`` (FORMATS.md §1)::

    accountcode,src,dst,dcontext,clid,channel,dstchannel,lastapp,lastdata,
    start,answer,end,duration,billsec,disposition,amaflags[,uniqueid,userfield]

It is therefore recognised by its rows, not a header: 16 or 18 fields with a disposition
(``ANSWERED``, ``NO ANSWER``, ``BUSY``, ``FAILED``) in field 15. The reader builds the raw table
itself with generated column names and hands it to the shared machinery, so the ledger, the
time range check and the rejects behave as for every other format.

How each field is read, and why:

- ``start`` is the PBX's wall clock, local to the source's ``timezone``; a box configured with
  ``usegmtime=yes`` writes UTC, which the analyst says by setting ``timezone = "UTC"``.
- ``duration_s`` is ``billsec`` (talk time after answer), not ``duration`` (which includes the
  ringing): the canonical column is talk time, 0 when unanswered.
- ``answered`` comes from ``disposition``; a disposition Asterisk may add later (``CONGESTION``
  is known, anything else is not) leaves it null rather than guessed, and the row is kept.
- ``src`` and ``dst`` are the caller and the callee. Either may be an extension or ``s`` rather
  than a phone number: they are normalized where they can be and otherwise kept raw beside a
  null, never a reason to drop a call. An empty ``dst`` rejects the row: a call to nowhere
  links nobody.
- ``channel`` (``SIP/trunk-00000001``) names the line the call went out on.
- ``direction`` stays null: a PBX log has no own number to see the call from.
- A line of another field count is ``malformed_row``; one whose bytes are not text in the file's
  encoding is ``undecodable_row``; an empty line is ``blank_row``.
"""

from __future__ import annotations

import csv
import io

import pandas as pd
import pyarrow as pa

from linkage.load import columns
from linkage.load.context import ReadResult, SourceContext
from linkage.load.encoding import decode
from linkage.load.formats import Format, register
from linkage.load.raw import ROW_COLUMN, RawTable, RowProblem
from linkage.load.tabular import Rows, read_tables, source_files
from linkage.normalize.phone import PhoneNormalizer
from linkage.rejects import RejectReason

FIELDS = (
    "accountcode", "src", "dst", "dcontext", "clid", "channel", "dstchannel", "lastapp",
    "lastdata", "start", "answer", "end", "duration", "billsec", "disposition", "amaflags",
    "uniqueid", "userfield",
)  # fmt: skip
"""The CDR fields in file order; the last two only in 18-field files."""

WIDTHS = (16, 18)
DISPOSITION_FIELD = 14
"""0-based position of ``disposition`` (field 15, 1-based)."""

DISPOSITIONS = frozenset({"ANSWERED", "NO ANSWER", "BUSY", "FAILED"})
"""The dispositions every Asterisk version writes: what recognises the file."""

ANSWERED: dict[str, bool] = {
    "ANSWERED": True,
    "NO ANSWER": False,
    "BUSY": False,
    "FAILED": False,
    "CONGESTION": False,
}
"""Dispositions and whether the called party picked up."""


def _is_cdr(row: list[str]) -> bool:
    return len(row) in WIDTHS and row[DISPOSITION_FIELD].strip() in DISPOSITIONS


def looks_like_master_csv(rows: list[list[str]]) -> bool:
    """16 or 18 fields with ANSWERED|NO ANSWER|BUSY|FAILED in field 15, first row and most rows.

    The first non-blank row must be a CDR and so must more than half of the rows sampled, so a
    damaged line near the top does not hide the file, while a table that merely has one such row
    is not taken for a PBX log.

    >>> row = ["", "100", "13800138000", "out", "", "SIP/100-1", "", "Dial", "", "", "", "", "5",
    ...        "3", "ANSWERED", "DOCUMENTATION"]
    >>> looks_like_master_csv([row, []])
    True
    >>> looks_like_master_csv([["主叫号码", "被叫号码"], row])
    False
    """
    filled = [row for row in rows if any(cell.strip() for cell in row)]
    if not filled or not _is_cdr(filled[0]):
        return False
    return sum(_is_cdr(row) for row in filled) * 2 > len(filled)


def raw_master_csv(data: bytes, name: str) -> RawTable:
    """The lines of a ``Master.csv`` as a raw table with the CDR field names.

    ``source_row`` is the 1-based line number a text editor shows. Lines that are not 16 or 18
    fields, blank lines and undecodable lines become row problems, so every line is counted.

    Raises
    ------
    SourceError
        If the file is not text in UTF-8 or GB18030.
    """
    decoded = decode(data, name)
    bad = set(decoded.bad_lines)
    records: list[list[str]] = []
    numbers: list[int] = []
    problems: list[RowProblem] = []
    reader = csv.reader(io.StringIO(decoded.text, newline=""))
    line = 1
    for row in reader:
        first, line = line, reader.line_num + 1
        if first in bad:
            problems.append(RowProblem(first, RejectReason.UNDECODABLE_ROW, ""))
        elif not any(cell.strip() for cell in row):
            problems.append(RowProblem(first, RejectReason.BLANK_ROW, ",".join(row)))
        elif len(row) not in WIDTHS:
            problems.append(RowProblem(first, RejectReason.MALFORMED_ROW, ",".join(row)))
        else:
            records.append(row + [""] * (len(FIELDS) - len(row)))
            numbers.append(first)
    string = pd.ArrowDtype(pa.string())
    cells = pd.DataFrame(
        {field: pd.Series([r[i] for r in records], dtype=string) for i, field in enumerate(FIELDS)}
    )
    cells[ROW_COLUMN] = pd.Series(numbers, dtype="int64")
    return RawTable(
        header=list(FIELDS),
        cells=cells,
        header_row=0,
        problems=problems,
        encoding=decoded.encoding,
    )


def interpret(rows: Rows) -> pd.DataFrame:
    """Map one ``Master.csv`` onto the canonical calls table."""
    region = rows.context.region

    phone = PhoneNormalizer(region)

    callee_raw = rows.identifier_raw("dst")
    rows.ledger.require(callee_raw, "dst", rows.cells("dst"), RejectReason.EMPTY_IDENTIFIER)
    started = rows.time("start")
    duration = rows.integer("billsec", required=True)
    disposition = rows.text("disposition")
    return pd.DataFrame(
        {
            "caller": columns.lenient_identifiers(rows.cells("src"), phone),
            "caller_raw": rows.identifier_raw("src"),
            "callee": columns.lenient_identifiers(rows.cells("dst"), phone),
            "callee_raw": callee_raw,
            "started_at": started,
            "duration_s": duration,
            "direction": None,
            "call_type": "voice",
            "answered": columns.each(disposition, ANSWERED.get),
            "result_raw": disposition,
            "line": rows.text("channel"),
        },
        index=rows.index,
    )


def read(context: SourceContext) -> ReadResult:
    """Read an Asterisk ``Master.csv`` (or a folder of rotated CDR files)."""
    files = source_files(context.path, context.spec.path)
    tables = (
        (context.name_of(f), raw_master_csv(f.read_bytes(), context.name_of(f))) for f in files
    )
    result = read_tables(context, "calls", interpret, tables)
    return ReadResult(
        result.table,
        result.rejects,
        result.rows_read,
        tuple(context.name_of(f) for f in files),
        result.notes,
        result.coerced,
    )


FORMAT = register(
    Format(
        name="asterisk_cdr",
        kind="calls",
        title="Asterisk / FreePBX call detail records (cdr-csv Master.csv, no header)",
        read=read,
        container="headerless",
        row_test=looks_like_master_csv,
    )
)
