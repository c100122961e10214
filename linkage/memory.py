"""Give back the memory a stage's Arrow temporaries no longer use.

Arrow allocates through its own pool (mimalloc or jemalloc), which keeps freed pages for reuse
instead of returning them. After a stage that sorts, filters or converts tables of millions of
rows, that is memory the process holds and no longer uses, and the next stage's peak sits on
top of it: on the 10M-call benchmark case, 0.5 GiB after corroboration and 1.3 GiB after
tracing. Each stage hands it back as it ends, so a run's peak is one stage's working set over
the tables, not the sum of every stage's leftovers.

Columns no source fills (a dial list has no 通话地点, a bank no counterparty ID) are another
waste: all-null text still costs 4 bytes of offsets a row, 40 MB per empty column of 10M
calls. Each table a case is built into gives all of its empty columns one buffer of zeros.
"""

from __future__ import annotations

import pyarrow as pa

__all__ = ["nulls_over", "release_freed_arrow_memory", "zeros_for"]


def release_freed_arrow_memory() -> None:
    """Return the pages Arrow's allocator holds but no table uses to the operating system."""
    pa.default_memory_pool().release_unused()


def zeros_for(rows: int) -> pa.Buffer:
    """A buffer of zeros long enough to be every buffer of an all-null column of ``rows``
    rows; calloc'd, so it takes no memory until written, and it never is."""
    return pa.py_buffer(bytes(8 * (rows + 1)))


def nulls_over(zeros: pa.Buffer, column: pa.ChunkedArray | pa.Array) -> pa.Array | None:
    """``column`` as nulls over ``zeros`` (from :func:`zeros_for` of at least its length)
    when it holds nothing but nulls, else None.

    >>> column = nulls_over(zeros_for(3), pa.array([None, None, None], pa.string()))
    >>> column.to_pylist(), column.type
    ([None, None, None], DataType(string))
    """
    kind = column.type
    flat = not pa.types.is_nested(kind) and not pa.types.is_dictionary(kind)
    if not flat or column.null_count != len(column) or len(column) == 0:
        return None
    return pa.Array.from_buffers(kind, len(column), [zeros] * kind.num_buffers, len(column))
