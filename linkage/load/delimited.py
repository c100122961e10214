"""Read a CSV or tab-separated export into a :class:`RawTable`, keeping every line accounted for.

Arrow's CSV reader does the splitting (fast enough for a 10M-row carrier return); this module adds
what exports need around it: decoding, finding the header below a preamble, trailing commas
(Alipay, ICBC), duplicated header names (Tenpay), and a row number for every record as a person
would count lines in a text editor. Rows that do not split into the header's columns are kept as
problems with their line number, never dropped.

Real exports leave empty trailing fields off (an ABC row written with 7 of its 9 fields, the
channel and note omitted): such a row is a record with those cells empty, not a broken line. It
is read padded, and listed in :attr:`RawTable.short_rows`; whether a missing cell matters is the
format's to say (see :meth:`linkage.load.ledger.RowLedger.settle_short_rows`). A line of one
field has no delimiter at all and stays a problem, as does a line of too many fields.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from linkage.errors import SourceError
from linkage.load.encoding import DecodedText, decode, utf8_in_gb18030
from linkage.load.raw import (
    ROW_COLUMN,
    TRAILER_WORDS,
    RawTable,
    RowProblem,
    ShortRow,
    clean_header,
    clean_text_array,
    find_header_row,
    unique_names,
)
from linkage.rejects import RejectReason

_HAS_CONTENT = re.compile(rb"[^\r\n]")
SNIFF_LINES = 60
HEAD_BYTES = 1 << 18


def read_delimited(path: Path, name: str, known_words: frozenset[str]) -> RawTable:
    """Read the export at ``path`` (shown to users as ``name``) into cells.

    Raises
    ------
    SourceError
        If the bytes are not text, or no header with known words is found.
    """
    data = path.read_bytes()
    head = decode(_head(data), name)
    head_lines = head.text.split("\n", SNIFF_LINES)[:SNIFF_LINES]
    delimiter, header_index = _find_header(head_lines, known_words)
    if header_index is None:
        raise SourceError(
            f"{name}: no header row found in the first 40 lines "
            "(expected column names of a known export format)"
        )
    header_cells = next(csv.reader([head_lines[header_index]], delimiter=delimiter))
    names = [clean_header(c) for c in header_cells]
    width = _data_width(head_lines[header_index + 1 :], delimiter, len(names))
    names = unique_names(names + [""] * (width - len(names)))
    first_line = header_index + 2  # 1-based line number of the first body line
    decoded = DecodedText("", head.encoding)
    cells: pd.DataFrame | None = None
    if not head.bad_lines:
        # Arrow transcodes and splits the body straight from the bytes; any undecodable byte
        # makes it fail, and the slow path below finds the lines at fault.
        # A view, not a slice: a copy of a 270 MB statement would sit beside the original.
        body_bytes = memoryview(data)[_byte_offset_after_line(data, header_index) :]
        try:
            cells, problems = _split_fast(body_bytes, head.encoding, names, delimiter, first_line)
        except (pa.ArrowInvalid, UnicodeDecodeError):
            cells = None
    if cells is None:
        decoded = decode(data, name)
        body = decoded.text[_offset_after_line(decoded.text, header_index) :]
        cells, problems = _split_fast(body.encode("utf-8"), "utf-8", names, delimiter, first_line)
        if cells is None:
            cells, problems = _split_exact(body, names, delimiter, first_line)
    cells, problems, short_rows = _pad_short_rows(
        cells, problems, names, delimiter, len(header_cells)
    )
    bad = set(decoded.bad_lines)
    if bad:
        undecodable = cells[ROW_COLUMN].isin(bad)
        problems += [
            RowProblem(int(r), RejectReason.UNDECODABLE_ROW, "")
            for r in cells.loc[undecodable, ROW_COLUMN]
        ]
        cells = cells[~undecodable].reset_index(drop=True)
    blank = _blank_rows(cells, names)
    problems += [
        RowProblem(int(r), RejectReason.BLANK_ROW, "") for r in cells.loc[blank, ROW_COLUMN]
    ]
    cells = cells[~blank].reset_index(drop=True)
    problems.sort(key=lambda p: p.source_row)
    return RawTable(
        header=names,
        cells=cells,
        header_row=header_index + 1,
        preamble=[line.rstrip("\r") for line in head_lines[:header_index]],
        problems=problems,
        encoding=decoded.encoding,
        short_rows=short_rows,
    )


def _head(data: bytes) -> bytes:
    """The first bytes of a file, cut after a line end so no character is split."""
    if len(data) <= HEAD_BYTES:
        return data
    cut = data.rfind(b"\n", 0, HEAD_BYTES)
    return data[: cut + 1] if cut >= 0 else data[:HEAD_BYTES]


def _byte_offset_after_line(data: bytes, index: int) -> int:
    """Byte offset just past line ``index`` (0-based).

    Safe in UTF-8 and GB18030 alike: the byte ``\\n`` never occurs inside a multi-byte character.
    """
    offset = 0
    for _ in range(index + 1):
        found = data.find(b"\n", offset)
        if found < 0:
            return len(data)
        offset = found + 1
    return offset


def _find_header(lines: list[str], known_words: frozenset[str]) -> tuple[str, int | None]:
    best: tuple[int, str, int | None] = (0, ",", None)
    for delimiter in (",", "\t"):
        rows = list(csv.reader(lines, delimiter=delimiter))
        index = find_header_row(rows, known_words)
        if index is not None:
            hits = len({clean_header(c) for c in rows[index]} & known_words)
            if hits > best[0]:
                best = (hits, delimiter, index)
    return best[1], best[2]


def _data_width(lines: list[str], delimiter: str, header_width: int) -> int:
    """Width to read data rows with: the header's, or more when every row ends in a comma."""
    widths = Counter(len(r) for r in csv.reader(lines, delimiter=delimiter) if len(r) > 1)
    if not widths:
        return header_width
    common = widths.most_common(1)[0][0]
    return max(header_width, common)


def _offset_after_line(text: str, index: int) -> int:
    """Character offset just past line ``index`` (0-based) of ``text``."""
    offset = 0
    for _ in range(index + 1):
        found = text.find("\n", offset)
        if found < 0:
            return len(text)
        offset = found + 1
    return offset


def _split_fast(
    body: bytes | memoryview, encoding: str, names: list[str], delimiter: str, first_line: int
) -> tuple[pd.DataFrame | None, list[RowProblem]]:
    """Split with Arrow; give up (return None) if records and lines do not line up one to one."""
    if not _HAS_CONTENT.search(body):  # a search, not strip(): no copy of a 200 MB body
        empty = {n: pd.Series([], dtype=pd.ArrowDtype(pa.string())) for n in names}
        return pd.DataFrame({**empty, ROW_COLUMN: pd.Series([], dtype="int64")}), []
    invalid: list[tuple[int | None, str]] = []

    def on_invalid(row: pacsv.InvalidRow) -> str:
        invalid.append((row.number, row.text))
        return "skip"

    lines = _line_count(body)
    # UTF-8 is split as text. GB18030 is split as bytes and decoded per distinct cell below:
    # its multi-byte characters never contain the bytes of `,` `"` `\t` or a line end, so
    # splitting the bytes is exact, and decoding a name once beats decoding 200 MB of text.
    cell_type = pa.string() if encoding.startswith("utf-8") else pa.binary()
    # Arrow hands an invalid row's text to the handler decoded as UTF-8, which a GB18030 line
    # is not: byte-split files take no handler, and a row that does not split raises, sending
    # the file to the slow path, which decodes it whole and finds every such row's line.
    handler = on_invalid if cell_type == pa.string() else None
    try:
        table = _read_arrow(body, cell_type, names, delimiter, handler, threads=True)
    except pa.ArrowInvalid:
        return None, []
    if invalid:
        # Rows that failed to split only carry their line number when read on one thread.
        invalid.clear()
        table = _read_arrow(body, cell_type, names, delimiter, handler, threads=False)
    if table.num_rows + len(invalid) != lines or any(n is None for n, _ in invalid):
        return None, []
    invalid_numbers = np.array(sorted(n for n, _ in invalid if n is not None), dtype=np.int64)
    rows = np.delete(np.arange(first_line, first_line + lines, dtype=np.int64), invalid_numbers - 1)
    undecodable = np.zeros(table.num_rows, dtype=bool)
    texts = {}
    for name in names:
        column = table.column(name).combine_chunks()
        table = table.drop_columns([name])  # its bytes go as their text is made
        if pa.types.is_binary(column.type):
            column, bad = _decode_cells(column, encoding)
            undecodable |= bad
        texts[name] = pd.Series(column, dtype=pd.ArrowDtype(pa.string()))
    frame = pd.DataFrame(texts)
    frame[ROW_COLUMN] = rows
    problems = [_problem(first_line + n - 1, text) for n, text in invalid if n is not None]
    if undecodable.any():
        problems += [
            RowProblem(int(r), RejectReason.UNDECODABLE_ROW, "") for r in rows[undecodable]
        ]
        frame = frame[~undecodable].reset_index(drop=True)
    return frame, problems


def _decode_cells(cells: pa.Array, encoding: str) -> tuple[pa.Array, np.ndarray]:
    """Byte cells as text, decoding each distinct cell once; and the rows that do not decode.

    A column of ASCII (digits, dates, amounts) is text already and is only relabelled.
    """
    relabelled = cells.view(pa.string())  # same buffers, no copy; valid once shown ASCII
    if pc.all(pc.string_is_ascii(relabelled)).as_py() is not False:
        return relabelled, np.zeros(len(cells), dtype=bool)
    encoded = pc.dictionary_encode(cells)
    decoded: list[str | None] = []
    failed: list[bool] = []
    for raw in encoded.dictionary.to_pylist():
        try:
            if encoding == "gb18030" and utf8_in_gb18030(raw):
                raise UnicodeDecodeError(encoding, raw, 0, len(raw), "UTF-8 in GB18030")
            decoded.append(raw.decode(encoding))
            failed.append(False)
        except UnicodeDecodeError:
            decoded.append(None)
            failed.append(True)
    text = pa.array(decoded, pa.string()).take(encoded.indices)
    bad = pa.array(failed, pa.bool_()).take(encoded.indices)
    return text, np.asarray(bad.to_numpy(zero_copy_only=False), dtype=bool)


def _line_count(body: bytes | memoryview) -> int:
    """Lines in ``body``, a last line without its line end included; counted 16 MB at a time,
    so a view of a large file is not copied whole."""
    view = memoryview(body)
    step = 1 << 24
    ends = sum(bytes(view[at : at + step]).count(b"\n") for at in range(0, len(view), step))
    return ends + (0 if bytes(view[-1:]) == b"\n" else 1)


def _read_arrow(
    data: bytes | memoryview,
    cell_type: pa.DataType,
    names: list[str],
    delimiter: str,
    on_invalid: Callable[[pacsv.InvalidRow], str] | None,
    threads: bool,
) -> pa.Table:
    return pacsv.read_csv(
        pa.BufferReader(pa.py_buffer(data)),
        read_options=pacsv.ReadOptions(column_names=names, use_threads=threads, block_size=1 << 24),
        parse_options=pacsv.ParseOptions(
            delimiter=delimiter,
            invalid_row_handler=on_invalid,
            ignore_empty_lines=False,
            newlines_in_values=False,
        ),
        convert_options=pacsv.ConvertOptions(
            column_types=dict.fromkeys(names, cell_type),
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )


def _split_exact(
    body: str, names: list[str], delimiter: str, first_line: int
) -> tuple[pd.DataFrame, list[RowProblem]]:
    """Split with the csv module, tracking the line each record starts on (quoted newlines)."""
    reader = csv.reader(io.StringIO(body, newline=""), delimiter=delimiter)
    records: list[list[str]] = []
    rows: list[int] = []
    problems: list[RowProblem] = []
    start = 1
    for record in reader:
        line = first_line + start - 1
        start = reader.line_num + 1
        if len(record) != len(names):
            if len(record) == 0:
                record = [""] * len(names)
            else:
                problems.append(_problem(line, delimiter.join(record), tuple(record)))
                continue
        records.append(record)
        rows.append(line)
    by_column = list(zip(*records, strict=True)) if records else [()] * len(names)
    frame = pd.DataFrame(
        {
            n: pd.Series(pa.array(list(col), pa.string()), dtype=pd.ArrowDtype(pa.string()))
            for n, col in zip(names, by_column, strict=True)
        }
    )
    frame[ROW_COLUMN] = pd.Series(rows, dtype="int64").to_numpy()
    return frame, problems


def _pad_short_rows(
    cells: pd.DataFrame,
    problems: list[RowProblem],
    names: list[str],
    delimiter: str,
    header_width: int,
) -> tuple[pd.DataFrame, list[RowProblem], dict[int, ShortRow]]:
    """Turn the malformed rows that only stop early into records with empty trailing cells.

    Returns the cells with those rows in line order, the problems left, and the rows that
    stopped before the header's last column (a row that only lacks the trailing comma the
    other rows of the file end with is complete: it is padded but not listed).
    """
    padded: dict[int, list[str]] = {}
    short: dict[int, ShortRow] = {}
    left: list[RowProblem] = []
    for problem in problems:
        malformed = problem.reason == RejectReason.MALFORMED_ROW
        fields = problem.fields
        if fields is None and malformed:
            fields = _fields_of(problem.text, delimiter)
        if malformed and fields is not None and 2 <= len(fields) < len(names):
            padded[problem.source_row] = [*fields] + [""] * (len(names) - len(fields))
            if len(fields) < header_width:
                short[problem.source_row] = ShortRow(len(fields), problem.text)
        else:
            left.append(problem)
    if not padded:
        return cells, problems, {}
    rows = sorted(padded)
    extra = pd.DataFrame(
        {
            name: pd.Series(
                pa.array([padded[row][number] for row in rows], pa.string()),
                dtype=pd.ArrowDtype(pa.string()),
            )
            for number, name in enumerate(names)
        }
    )
    extra[ROW_COLUMN] = np.array(rows, dtype=np.int64)
    merged = pd.concat([cells, extra], ignore_index=True)
    merged = merged.sort_values(ROW_COLUMN, kind="stable").reset_index(drop=True)
    return merged, left, short


def _fields_of(line: str, delimiter: str) -> tuple[str, ...] | None:
    """The fields of one line as the splitter saw it, or None when it does not parse."""
    try:
        return tuple(next(csv.reader([line], delimiter=delimiter), []))
    except csv.Error:
        return None


def _blank_rows(cells: pd.DataFrame, names: list[str]) -> pd.Series:
    """Rows whose every cell is empty once padding is trimmed.

    Only rows whose first cell is blank are examined further, so a million-row file pays for
    one column, not thirty-one.
    """
    blank = np.ones(len(cells), dtype=bool)
    for name in names:
        candidates = np.flatnonzero(blank)
        if candidates.size == 0:
            break
        column = pa.array(cells[name].array).take(pa.array(candidates))
        empty = pc.equal(pc.utf8_length(clean_text_array(column)), 0)
        blank[candidates] = np.asarray(empty.to_numpy(zero_copy_only=False), dtype=bool)
    return pd.Series(blank, index=cells.index)


def _problem(line: int, text: str, fields: tuple[str, ...] | None = None) -> RowProblem:
    stripped = text.strip(" \t\u3000\xa0\r,")
    if not stripped:
        return RowProblem(line, RejectReason.BLANK_ROW, text)
    if stripped.startswith(TRAILER_WORDS):
        return RowProblem(line, RejectReason.SUMMARY_ROW, text)
    return RowProblem(line, RejectReason.MALFORMED_ROW, text, fields)
