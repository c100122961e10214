"""Column-wise text building for the writers: local clock strings and delimited lines.

Formatting millions of rows one Python string at a time would dominate generation time, so
times are formatted and cells joined by Arrow kernels over whole columns.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from zoneinfo import ZoneInfo

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["delimited_bytes", "joined_lines", "local_times", "month_days", "utc_offsets"]


def utc_offsets(seconds: np.ndarray, zone: str) -> np.ndarray:
    """The zone's UTC offset, in seconds, at each epoch second.

    Offsets are looked up once per distinct hour; an hour in which the offset changes (a DST
    switch) is resolved row by row, so the result is exact in every zone.
    """
    tz = ZoneInfo(zone)
    hours, inverse = np.unique(np.asarray(seconds, dtype=np.int64) // 3600, return_inverse=True)

    def offset(at: int) -> int:
        moment = dt.datetime.fromtimestamp(int(at), dt.UTC).astimezone(tz)
        delta = moment.utcoffset()
        return int(delta.total_seconds()) if delta is not None else 0

    starts = np.array([offset(h * 3600) for h in hours], dtype=np.int64)
    ends = np.array([offset(h * 3600 + 3599) for h in hours], dtype=np.int64)
    result = starts[inverse.reshape(-1)]
    for row in np.flatnonzero((starts != ends)[inverse.reshape(-1)]):
        result[row] = offset(int(seconds[row]))
    return result


def local_times(seconds: np.ndarray, zone: str) -> pa.Array:
    """Epoch seconds as ``YYYY-MM-DD HH:MM:SS`` wall-clock text in ``zone``.

    >>> local_times(np.array([1457575200]), "Africa/Nairobi").to_pylist()
    ['2016-03-10 05:00:00']
    """
    at = np.asarray(seconds, dtype=np.int64)
    if len(at) == 0:
        return pa.array([], pa.string())
    local = (at + utc_offsets(at, zone)).astype("datetime64[s]").astype(str)
    return pc.replace_substring(pa.array(local), "T", " ")


def month_days(seconds: np.ndarray, zone: str) -> pa.Array:
    """Epoch seconds as ``MMDD`` in ``zone`` (an auto-dialer's task ids carry the day).

    >>> month_days(np.array([1457575200]), "Africa/Nairobi").to_pylist()
    ['0310']
    """
    text = local_times(seconds, zone)
    return pc.binary_join_element_wise(
        pc.utf8_slice_codeunits(text, 5, 7), pc.utf8_slice_codeunits(text, 8, 10), ""
    )


def joined_lines(cells: Sequence[pa.Array | np.ndarray | str], separator: str = ",") -> list[str]:
    """Each row's cells joined by ``separator``; a plain string is the same in every row.

    >>> joined_lines([np.array(["a", "b"]), "x", pa.array(["1", "2"])])
    ['a,x,1', 'b,x,2']
    """
    arrays = [c if isinstance(c, str) else pa.array(c, pa.string()) for c in cells]
    joined = pc.binary_join_element_wise(*arrays, separator)
    return joined.to_pylist()  # type: ignore[no-any-return]


def delimited_bytes(
    cells: Sequence[pa.Array | np.ndarray | str], encoding: str, separator: str = ","
) -> bytes:
    """Rows joined by ``separator``, each ended by a newline, encoded: one block of a text file.

    >>> delimited_bytes([np.array(["甲", "b"]), "x"], "gb18030")
    b'\\xbc\\xd7,x\\nb,x\\n'
    """
    arrays = [c if isinstance(c, str) else pa.array(c, pa.string()) for c in cells]
    lines = pc.binary_join_element_wise(pc.binary_join_element_wise(*arrays, separator), "", "\n")
    if len(lines) == 0:
        return b""
    _, offset_buffer, data = lines.buffers()
    offsets = np.frombuffer(offset_buffer, dtype=np.int32)[lines.offset :]
    text: bytes = data.to_pybytes()[offsets[0] : offsets[len(lines)]]
    return text if encoding == "utf-8" else text.decode("utf-8").encode(encoding)
