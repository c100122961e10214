"""The row ledger: which input rows a reader kept, and why it left out the others.

Every reader runs its column parsers through one :class:`RowLedger`. A parser that fails on a
row marks it rejected with a reason, the column at fault and the raw value; the first failure
wins, so a row is rejected once, for the first thing wrong with it in reading order. At the end
the ledger splits the rows into kept and rejected, and ``rows read = rows kept + rows rejected``
holds by construction, which is what lets linkage say that nothing was lost.
"""

from __future__ import annotations

import pandas as pd

from linkage.load.raw import ROW_COLUMN, RawTable
from linkage.rejects import RejectReason
from linkage.schema import COERCED, REJECTS


class RowLedger:
    """Tracks, for each data row of one raw table, whether it is still kept."""

    def __init__(self, raw: RawTable, source_file: str, kind: str) -> None:
        self.raw = raw
        self.source_file = source_file
        self.kind = kind
        index = raw.cells.index
        self.reason = pd.Series([None] * len(index), index=index, dtype=object)
        self.column = pd.Series([None] * len(index), index=index, dtype=object)
        self.value = pd.Series([None] * len(index), index=index, dtype=object)
        self._coerced: list[pd.DataFrame] = []
        self.stops_after: str | None = None
        """The last column every record of the format writes (``Rows.needs``): a row that
        stops after it, its optional trailing fields left off, is a record. None: no row of
        the format may stop early."""

    @property
    def kept(self) -> pd.Series:
        """Boolean mask of the rows no parser has rejected."""
        return self.reason.isna()

    def reject(
        self,
        mask: pd.Series,
        reason: RejectReason | str | pd.Series,
        column: str | None = None,
        values: pd.Series | None = None,
    ) -> None:
        """Reject the still-kept rows under ``mask``; rows rejected before keep their reason."""
        mask = mask.fillna(False).astype(bool) & self.kept
        if not mask.any():
            return
        reasons = reason[mask] if isinstance(reason, pd.Series) else str(reason)
        self.reason[mask] = reasons
        self.column[mask] = column
        if values is not None:
            self.value[mask] = values[mask].map(_as_text)

    def take(
        self, results: pd.Series, errors: pd.Series, column: str, values: pd.Series
    ) -> pd.Series:
        """Reject rows whose parse failed (``errors`` not null) and return the parsed values."""
        self.reject(errors.notna(), errors.astype(object), column, values)
        return results

    def require(
        self,
        results: pd.Series,
        column: str,
        values: pd.Series,
        reason: RejectReason = RejectReason.MISSING_VALUE,
    ) -> pd.Series:
        """Reject rows where a value the table cannot do without is missing."""
        self.reject(results.isna(), reason, column, values)
        return results

    def settle_short_rows(self) -> int:
        """Decide the rows that left trailing fields off, once the reader has read them.

        Such a row was read with the missing cells empty. It is kept only where its reader
        said a row may stop (:attr:`stops_after`, the last column every record writes) and it
        reaches that column; else it is ``malformed_row``, whatever the reader made of it, so
        that a footer (``制表人：李四,审核：王五``) never becomes a record. A kept row rejected
        for a cell it never had is ``malformed_row`` too. The reject names the first column
        the row lacks; its value says how many fields the row had, and shows the line.
        Returns how many such rows are kept.
        """
        short = self.raw.short_rows
        if not short:
            return 0
        rows = self.raw.cells[ROW_COLUMN]
        written = rows.map({row: line.fields for row, line in short.items()})
        is_short = written.notna()
        position = {name: number for number, name in enumerate(self.raw.header)}
        reach = -1 if self.stops_after is None else position[self.stops_after]
        column_at = self.column.map(position).fillna(-1)
        lacking = is_short & (
            (written <= reach)
            | (reach < 0)
            | (self.reason.notna() & (column_at >= written.fillna(0)))
        )
        width = len(self.raw.header)
        self.reason[lacking] = str(RejectReason.MALFORMED_ROW)
        self.column[lacking] = written[lacking].map(lambda n: self.raw.header[int(n)])
        self.value[lacking] = rows[lacking].map(
            lambda row: f"{short[row].fields} of {width} fields: {short[row].text}"
        )
        return int((is_short & self.kept).sum())

    def rejects(self) -> pd.DataFrame:
        """The rejected rows plus the rows that never split into cells, as a rejects table."""
        rejected = self.reason.notna()
        parsed = pd.DataFrame(
            {
                "source_file": self.source_file,
                "source_row": self.raw.cells.loc[rejected, ROW_COLUMN].astype("int64"),
                "source_sheet": self.raw.sheet or None,
                "kind": self.kind,
                "column": self.column[rejected],
                "reason": self.reason[rejected].map(str),
                "value": self.value[rejected],
            }
        )
        unsplit = pd.DataFrame(
            {
                "source_file": self.source_file,
                "source_row": [p.source_row for p in self.raw.problems],
                "source_sheet": self.raw.sheet or None,
                "kind": self.kind,
                "column": None,
                "reason": [str(p.reason) for p in self.raw.problems],
                "value": [p.text for p in self.raw.problems],
            }
        )
        both = pd.concat([parsed, unsplit], ignore_index=True) if len(unsplit) else parsed
        both = both.sort_values("source_row", kind="stable").reset_index(drop=True)
        return REJECTS.conform(both)

    def coerce(self, mask: pd.Series, reason: pd.Series, column: str, values: pd.Series) -> None:
        """Note the values under ``mask`` that an optional column could not read and left
        empty: the row is kept, and its raw text is kept here (``coerced()``)."""
        mask = mask.fillna(False).astype(bool)
        if not mask.any():
            return
        noted = {
            "column": column,
            "reason": reason[mask].map(str),
            "value": values[mask].map(_as_text),
        }
        self._coerced.append(pd.DataFrame(noted, index=mask.index[mask.to_numpy()]))

    def coerced(self) -> pd.DataFrame:
        """The values ``coerce`` noted, in rows the ledger kept, as ``COERCED`` rows."""
        if not self._coerced:
            return COERCED.empty()
        noted = pd.concat(self._coerced)
        noted = noted[self.kept.reindex(noted.index).to_numpy()]
        frame = pd.DataFrame(
            {
                "source_file": self.source_file,
                "source_row": self.raw.cells.loc[noted.index, ROW_COLUMN].astype("int64"),
                "source_sheet": self.raw.sheet or None,
                "kind": self.kind,
                "column": noted["column"],
                "reason": noted["reason"],
                "value": noted["value"],
            }
        )
        return COERCED.conform(frame.sort_values("source_row", kind="stable"))

    def rows_read(self) -> int:
        """Data rows of the raw table, including those that never split into cells."""
        return self.raw.rows_read


def _as_text(value: object) -> str | None:
    if value is pd.NA or value is None:
        return ""  # the cell was empty (text sources hold nulls, workbooks "")
    if isinstance(value, float) and value != value:
        return None
    return str(value)
