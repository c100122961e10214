"""A source file read as a grid of cells, before any column is interpreted.

Delimited text, workbooks and SQLite tables all become a :class:`RawTable`: the header names
(cleaned so aliases compare), the data rows as cells, the row number a person would see for each
data row, and the rows that could not even be split into cells. Readers then interpret columns;
they never see encodings, preambles or trailing commas.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from linkage.rejects import RejectReason

PADDING = " \t\u3000\xa0\r"
"""Characters exports pad cells with: spaces, tabs (bank returns), ideographic space, NBSP."""

NULL_MARKERS = re.compile(r"^(?:-+|/|\\N|null|NULL|None)?$")
"""Cell texts meaning 'no value' in the exports linkage reads: empty, dash runs, ``/``, ``\\N``."""

ROW_COLUMN = "source_row"
PARALLEL_ROWS = 100_000
"""Tables at least this long have their text columns cleaned on several threads at once."""

TRAILER_WORDS = ("人民币合计", "合计金额", "合计", "总计", "本期应还", "本期最低还款", "上期账单")
"""First cells of the total lines statements end with: not transactions (``summary_row``).
A credit card bill closes with this and the last period's figures (``本期应还金额``,
``上期账单金额``)."""


@dataclass(frozen=True)
class RowProblem:
    """A line or sheet row that could not be turned into cells, with why."""

    source_row: int
    reason: RejectReason
    text: str
    fields: tuple[str, ...] | None = None
    """The fields the line split into, when the splitter knew them (quoted newlines kept)."""


@dataclass(frozen=True)
class ShortRow:
    """A row that left trailing fields off: how many fields it wrote, and the line itself."""

    fields: int
    text: str


@dataclass
class RawTable:
    """Cells of one table in one file, with provenance for every row.

    ``cells`` holds one column per header name (duplicates made unique with ``#2``, ``#3``) plus
    ``source_row``. Read cells through :meth:`column`, never ``cells[name]`` directly: text
    sources keep their columns as Arrow strings exactly as split, and :meth:`column` trims the
    padding and turns null markers into nulls on first use, so a 31-column bank return pays for
    the columns a reader uses only. Workbooks and databases hold Python objects (numbers, dates,
    times as the workbook typed them, ``""`` for empty), which the column parsers understand.
    """

    header: list[str]
    cells: pd.DataFrame
    header_row: int
    preamble: list[str] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    encoding: str = ""
    sheet: str = ""
    short_rows: dict[int, ShortRow] = field(default_factory=dict)
    """Rows that left trailing fields off, by ``source_row``: they are read with those cells
    empty, and kept only where their reader says a row may stop there
    (:meth:`linkage.load.tabular.Rows.may_stop_after`)."""
    _cleaned: dict[str, pd.Series] = field(default_factory=dict, repr=False)

    @property
    def rows_read(self) -> int:
        """Data rows in the file: rows turned into cells plus rows that could not be."""
        return len(self.cells) + len(self.problems)

    def column(self, name: str) -> pd.Series:
        """The cleaned cells of a header column; an all-empty column if the header lacks it.

        Text columns come back as Arrow strings with nulls for empty cells; object columns
        (workbooks, databases) as they are, with ``""`` for empty cells.
        """
        if name not in self.cells.columns:
            nulls = pa.nulls(len(self.cells), pa.string())
            return pd.Series(nulls, index=self.cells.index, dtype=pd.ArrowDtype(pa.string()))
        if name not in self._cleaned:
            self._cleaned[name] = self._clean(name)
        return self._cleaned[name]

    def prepare(self, workers: int = 2) -> None:
        """Clean every text column now, on ``workers`` threads.

        Arrow's string kernels release the GIL, so the columns of a wide export are cleaned on
        both cores at once instead of one by one as a reader asks for them.
        """
        names = [n for n in self.cells.columns if n != ROW_COLUMN and n not in self._cleaned]
        if len(self.cells) < PARALLEL_ROWS or len(names) < 2:
            return
        with ThreadPoolExecutor(max_workers=workers) as pool:
            for name, cleaned in zip(names, pool.map(self._clean, names), strict=True):
                self._cleaned[name] = cleaned

    def _clean(self, name: str) -> pd.Series:
        values = self.cells[name]
        if not is_text_backed(values):
            return values
        array = pa.array(values.array) if len(values) else pa.array([], pa.string())
        return pd.Series(
            clean_text_nulls(array), index=values.index, dtype=pd.ArrowDtype(pa.string())
        )


def is_text_backed(values: pd.Series) -> bool:
    """True when a column is stored as Arrow strings (text sources), not Python objects."""
    dtype = values.dtype
    if isinstance(dtype, pd.ArrowDtype):
        return bool(pa.types.is_string(dtype.pyarrow_dtype)) or bool(
            pa.types.is_large_string(dtype.pyarrow_dtype)
        )
    return isinstance(dtype, pd.StringDtype)


def clean_header(name: object) -> str:
    """Header text as aliases compare: NFKC, no whitespace, no trailing ``*``.

    >>> clean_header("\\t截获时间* ")
    '截获时间'
    >>> clean_header("日 志 号")
    '日志号'
    >>> clean_header("通话时长（s）")
    '通话时长(s)'
    """
    text = unicodedata.normalize("NFKC", "" if name is None else str(name))
    text = re.sub(r"\s+", "", text)
    return text.rstrip("*")


def unique_names(names: list[str]) -> list[str]:
    """Make repeated header names unique by position, keeping the first as is.

    Tenpay returns repeat ``网联/银联`` and ``第三方账户名称`` for the user and the counterparty
    side; the second occurrence becomes ``网联/银联#2``.

    >>> unique_names(["a", "b", "a", "", ""])
    ['a', 'b', 'a#2', '_col4', '_col5']
    """
    seen: dict[str, int] = {}
    out = []
    for position, name in enumerate(names, start=1):
        if not name:
            out.append(f"_col{position}")
            continue
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name}#{seen[name]}")
    return out


def clean_cell(value: object) -> object:
    """Trim padding from a text cell and turn null markers into ``""``; other types pass."""
    if isinstance(value, str):
        text = value.strip(PADDING)
        return "" if NULL_MARKERS.match(text) else text
    if value is None:
        return ""
    return value


def clean_text_array(array: pa.Array) -> pa.Array:
    """Vectorized :func:`clean_cell` for a column of strings read by Arrow (``""`` for nulls)."""
    return clean_text_nulls(array).fill_null("")


def clean_text_nulls(array: pa.Array) -> pa.Array:
    """Cells trimmed of padding, with empty cells and null markers as nulls.

    The nulls are set through a validity bitmap over the trimmed strings, without copying
    them again: on a million-row column every full pass counts.
    """
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    trimmed = pc.utf8_trim(array.fill_null(""), characters=PADDING)
    length = pc.binary_length(trimmed)  # bytes: markers are ASCII, and bytes are free to count
    empty = np.asarray(pc.equal(length, 0).to_numpy(zero_copy_only=False), dtype=bool)
    # Null markers are short or dash runs: run the regex on those candidate cells only.
    candidate = pc.and_(
        pc.or_(pc.less_equal(length, 4), pc.starts_with(trimmed, "-")), pc.greater(length, 0)
    )
    positions = pc.indices_nonzero(candidate)
    if len(positions):
        matched = pc.match_substring_regex(trimmed.take(positions), NULL_MARKERS.pattern)
        empty[pc.filter(positions, matched).to_numpy()] = True
    if not empty.any():
        return trimmed
    valid = pa.array(~empty)
    return (
        pa.Array.from_buffers(
            pa.string(), len(trimmed), [valid.buffers()[1], *trimmed.buffers()[1:]], offset=0
        )
        if trimmed.offset == 0
        else pc.if_else(valid, trimmed, pa.scalar(None, pa.string()))
    )


def find_header_row(
    rows: Sequence[Sequence[object]], known_words: frozenset[str], limit: int = 40
) -> int | None:
    """Index of the header row: the row among the first ``limit`` with most known header words.

    Exports put titles, account numbers and notes above the header (24 lines in an Alipay bill,
    5 in a CCB statement), so the header is found by its words, not its position. At least three
    known words are required, so a preamble line that happens to contain one is never chosen.
    """
    best, best_hits = None, 2
    for index, row in enumerate(rows[:limit]):
        hits = len({clean_header(c) for c in row} & known_words)
        if hits > best_hits:
            best, best_hits = index, hits
    return best
