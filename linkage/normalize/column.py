"""Apply a normalizer to a whole column, paying once per distinct value.

A 10-million-row call record holds a few thousand distinct numbers; a bank return a few hundred
distinct accounts. Normalizing each distinct value once keeps the per-value rules (the only
place rules live) affordable at that scale, and the results stay aligned row by row with the
raw column so every reject can name its row.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import TypeVar

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from linkage.errors import InvalidValue
from linkage.normalize.amount import parse_fen

__all__ = ["map_distinct", "parse_fen_column"]

T = TypeVar("T")

_FAST = {
    "yuan": (
        r"^-?[0-9]{1,16}(\.[0-9]{1,2})?$",
        r"^-?[0-9]{1,3}(,[0-9]{3}){1,4}(\.[0-9]{1,2})?$",
    ),
    "fen": (r"^-?[0-9]{1,18}$", r"^-?[0-9]{1,3}(,[0-9]{3}){1,5}$"),
}
"""Plain and comma-grouped amounts read in bulk: at most 10**16 yuan (10**18 fen), so the
result fits int64 with room to spare. Commas must group by three, as :func:`parse_fen` demands."""


def _is_empty(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _distinct(values: np.ndarray) -> tuple[np.ndarray, pd.Index]:
    """Codes and distinct values; code -1 for None/NaN/NA."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    return np.asarray(codes, dtype=np.intp), pd.Index(uniques)


def _apply(uniques: pd.Index, fn: Callable[[str], T]) -> tuple[np.ndarray, np.ndarray]:
    """Results and error reasons per distinct value, plus a trailing None slot for code -1."""
    results = np.full(len(uniques) + 1, None, dtype=object)
    errors = np.full(len(uniques) + 1, None, dtype=object)
    for i, value in enumerate(uniques):
        if _is_empty(value):
            continue
        try:
            results[i] = fn(value if isinstance(value, str) else str(value))
        except InvalidValue as exc:
            errors[i] = str(exc.reason)
    return results, errors


def map_distinct(values: pd.Series, fn: Callable[[str], T]) -> tuple[pd.Series, pd.Series]:
    """Apply ``fn`` once per distinct non-empty value of a column.

    Parameters
    ----------
    values : pandas.Series
        Raw cells. Non-text cells are passed as ``str(value)``, so a float-damaged id
        (``6.22e+18``) reaches the normalizer, which rejects it.
    fn : callable
        A normalizer: takes one string, returns a value or raises
        :class:`~linkage.errors.InvalidValue`. Any other exception is a bug and propagates.

    Returns
    -------
    results : pandas.Series
        object, aligned to ``values.index``; None where the cell is empty or ``fn`` failed.
    errors : pandas.Series
        object; None where ``fn`` succeeded or the cell is empty, else the exception's
        ``reason`` (a :class:`~linkage.rejects.RejectReason` value). Empty cells (None, NaN,
        NA, ``""``, white space only) give None in both, so the caller decides whether an empty
        cell is an error.

    Examples
    --------
    >>> from linkage.normalize.phone import normalize_phone
    >>> raw = pd.Series(["138 0013 8000", "+8613800138000", "10086", None])
    >>> results, errors = map_distinct(raw, normalize_phone)
    >>> results.tolist()
    ['+8613800138000', '+8613800138000', None, None]
    >>> errors.tolist()
    [None, None, 'invalid_identifier', None]
    """
    codes, uniques = _distinct(np.asarray(values.to_numpy(dtype=object), dtype=object))
    results, errors = _apply(uniques, fn)
    return (
        pd.Series(results[codes], index=values.index, dtype=object),
        pd.Series(errors[codes], index=values.index, dtype=object),
    )


def arrow_text(values: pd.Series) -> pa.Array | None:
    """The column as one Arrow string array if it holds only text and nulls, else None.

    Bulk paths read the Arrow buffers; a column of numbers or mixed objects is left to the
    per-value path, which sees each value as it is.

    Examples
    --------
    >>> arrow_text(pd.Series(["a", None])).to_pylist(), arrow_text(pd.Series([1, 2]))
    (['a', None], None)
    """
    try:
        array = pa.array(values, from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    if pa.types.is_null(array.type):
        return pa.nulls(len(array), pa.large_string())
    if pa.types.is_string_view(array.type):
        return array.cast(pa.large_string())
    if pa.types.is_string(array.type) or pa.types.is_large_string(array.type):
        return array
    return None


def _fast_fen(text: pa.Array, unit: str) -> np.ndarray:
    """Exact fen for plain decimal text, through Arrow decimals: no float anywhere."""
    if unit == "fen":
        return np.asarray(pc.cast(text, pa.int64()).to_numpy(), dtype=np.int64)
    yuan = pc.cast(text, pa.decimal128(18, 2))
    fen = pc.multiply(yuan, pa.scalar(Decimal(100), pa.decimal128(3, 0)))
    return np.asarray(pc.cast(fen, pa.int64()).to_numpy(), dtype=np.int64)


def parse_fen_column(values: pd.Series, unit: str = "yuan") -> tuple[pd.Series, pd.Series]:
    """Parse a column of amounts to integer fen, as :func:`~linkage.normalize.parse_fen` does.

    Plain decimal text (``-2600.5``) is converted in bulk through Arrow's exact decimal type;
    everything else (currency marks, thousands commas, quotes, junk) goes to :func:`parse_fen`
    once per distinct value. Each value gets exactly the answer :func:`parse_fen` gives.

    Parameters
    ----------
    values : pandas.Series
        Raw amount cells.
    unit : {"yuan", "fen"}
        Unit of the column.

    Returns
    -------
    fen : pandas.Series
        ``Int64``; <NA> where the cell is empty or failed.
    errors : pandas.Series
        object, as :func:`map_distinct`: None where parsed or empty, else the reason.

    Examples
    --------
    >>> fen, errors = parse_fen_column(pd.Series(["1.5", "¥1,234.50", "", "1.234"]))
    >>> fen.tolist()
    [150, 123450, <NA>, <NA>]
    >>> errors.tolist()
    [None, None, None, 'bad_amount']
    """
    parse_fen("0", unit)  # rejects a wrong unit before any work
    length = len(values)
    out = np.zeros(length, dtype=np.int64)
    missing = np.ones(length, dtype=bool)
    errors = np.full(length, None, dtype=object)
    text = arrow_text(values)
    todo = np.ones(length, dtype=bool)
    if text is not None:
        for grouped, pattern in enumerate(_FAST[unit]):
            matched = pc.fill_null(pc.match_substring_regex(text, pattern), False)
            fast = np.asarray(matched.to_numpy(zero_copy_only=False), dtype=bool)
            if fast.any():
                subset = text.filter(matched)
                if grouped:
                    subset = pc.replace_substring(subset, ",", "")
                out[fast] = _fast_fen(subset, unit)
                missing[fast] = False
                todo &= ~fast
            if not todo.any():
                break
        rest = text.take(pa.array(np.flatnonzero(todo))).to_numpy(zero_copy_only=False)
    else:
        rest = np.asarray(values.to_numpy(dtype=object), dtype=object)
    positions = np.flatnonzero(todo)
    if positions.size:
        codes, uniques = _distinct(np.asarray(rest, dtype=object))
        results, reasons = _apply(uniques, lambda raw: parse_fen(raw, unit))
        parsed = results[codes]
        ok = np.fromiter((value is not None for value in parsed), dtype=bool, count=len(parsed))
        out[positions[ok]] = np.asarray(parsed[ok].tolist(), dtype=np.int64)
        missing[positions[ok]] = False
        errors[positions] = reasons[codes]
    fen = pd.Series(pd.arrays.IntegerArray(out, missing), index=values.index)
    return fen, pd.Series(errors, index=values.index, dtype=object)
