"""Read date-time text of fixed shapes in bulk, straight from Arrow's string buffers.

Call records run to millions of rows in a handful of layouts (``2022-01-19 17:25:28``). Reading
each row through :func:`linkage.normalize.time.parse_time` costs microseconds per distinct value,
which adds up to seconds; reading the bytes of every row at once with NumPy costs about a tenth
of a microsecond. Only shapes whose meaning the scalar parser gives identically are listed, and
every field is range-checked here, so a row this module reads gets the scalar's answer, and a row
it cannot read is left for the scalar.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

_FIELDS = "YMDhmsf"
"""Year, month, day, hour, minute, second, fraction: a run of the letter is the field's digits."""

_CLASSES = {"~": b"-/", "_": b" T"}
"""``~`` is a date separator (``-`` or ``/``), ``_`` the date/time separator (space or ``T``)."""

_DAYS_IN_MONTH = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int64)


class Template:
    """One byte-exact shape, e.g. ``"YYYY~MM~DD_hh:mm:ss"``.

    Examples
    --------
    >>> t = Template("YYYY年M月D日")
    >>> t.length, t.fields["M"]
    (15, [7])
    """

    def __init__(self, spec: str) -> None:
        self.spec = spec
        self.fields: dict[str, list[int]] = {}
        self.literals: list[tuple[int, bytes]] = []
        position = 0
        for char in spec:
            if char in _FIELDS:
                self.fields.setdefault(char, []).append(position)
                position += 1
            else:
                allowed = _CLASSES.get(char)
                if allowed is not None:
                    self.literals.append((position, allowed))
                    position += 1
                else:
                    for byte in char.encode():
                        self.literals.append((position, bytes([byte])))
                        position += 1
        self.length = position


def _string_buffers(array: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Offsets (one more than rows) and data bytes of a string or large_string array."""
    if not pa.types.is_large_string(array.type):
        array = array.cast(pa.large_string())
    buffers = array.buffers()
    offsets = np.frombuffer(buffers[1], dtype=np.int64)[
        array.offset : array.offset + len(array) + 1
    ]
    data = (
        np.frombuffer(buffers[2], dtype=np.uint8)
        if buffers[2] is not None
        else np.zeros(0, dtype=np.uint8)
    )
    return offsets, data


def _read(
    template: Template, data: np.ndarray, starts: np.ndarray, years: tuple[int, int]
) -> tuple[np.ndarray, np.ndarray]:
    """Whether each row fits ``template`` with valid fields, and its naive epoch microseconds."""
    count = len(starts)
    ok = np.ones(count, dtype=bool)
    for position, allowed in template.literals:
        byte = data[starts + position]
        match = byte == allowed[0]
        for other in allowed[1:]:
            match |= byte == other
        ok &= match

    def number(letter: str, default: int = 0) -> np.ndarray:
        positions = template.fields.get(letter)
        if not positions:
            return np.full(count, default, dtype=np.int64)
        value = np.zeros(count, dtype=np.int64)
        for position in positions:
            digit = data[starts + position] - np.uint8(48)  # wraps around below "0"
            ok[:] &= digit <= 9
            value = value * 10 + digit
        return value

    year, month, day = number("Y"), number("M"), number("D")
    hour, minute, second = number("h"), number("m"), number("s")
    fraction = number("f")
    micro = fraction * 10 ** (6 - len(template.fields.get("f", [])))
    ok &= (year >= years[0]) & (year <= years[1]) & (month >= 1) & (month <= 12)
    ok &= (hour <= 23) & (minute <= 59) & (second <= 59)
    leap = ((year % 4 == 0) & (year % 100 != 0)) | (year % 400 == 0)
    last_day = _DAYS_IN_MONTH[np.clip(month, 0, 12)] + ((month == 2) & leap)
    ok &= (day >= 1) & (day <= last_day)
    # Days from 1970-01-01 in the proleptic Gregorian calendar (H. Hinnant's days_from_civil).
    shifted = year - (month <= 2)
    era = shifted // 400
    year_of_era = shifted - era * 400
    day_of_year = (153 * np.where(month > 2, month - 3, month + 9) + 2) // 5 + day - 1
    day_of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year
    days = era * 146097 + day_of_era - 719468
    seconds = days * 86400 + hour * 3600 + minute * 60 + second
    return ok, seconds * 1_000_000 + micro


def read_fixed_width(
    array: pa.Array, templates: tuple[Template, ...], years: tuple[int, int]
) -> tuple[np.ndarray, np.ndarray]:
    """Return the rows of ``array`` some template reads, and their naive epoch microseconds.

    Parameters
    ----------
    array : pyarrow.Array
        string or large_string.
    templates : tuple of Template
        Tried in order; a row is read by the first that fits.
    years : (int, int)
        Years accepted (inclusive); rows outside are left unread.

    Examples
    --------
    >>> rows, micros = read_fixed_width(
    ...     pa.array(["1970-01-02 00:00:01", "soon", None]),
    ...     (Template("YYYY~MM~DD_hh:mm:ss"),),
    ...     (1900, 2099),
    ... )
    >>> rows.tolist(), micros.tolist()
    ([0], [86401000000])
    """
    offsets, data = _string_buffers(array)
    lengths = np.diff(offsets)
    pending = np.ones(len(array), dtype=bool)
    if array.null_count:
        pending &= np.asarray(array.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
    longest = max(template.length for template in templates)
    present = np.bincount(np.minimum(lengths[pending], longest + 1), minlength=longest + 2)
    found_rows: list[np.ndarray] = []
    found_micros: list[np.ndarray] = []
    for template in templates:
        if not present[template.length]:
            continue
        rows = np.flatnonzero(pending & (lengths == template.length))
        if rows.size == 0:
            continue
        ok, micros = _read(template, data, offsets[rows], years)
        found_rows.append(rows[ok])
        found_micros.append(micros[ok])
        pending[rows[ok]] = False
    if not found_rows:
        return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.int64)
    return np.concatenate(found_rows), np.concatenate(found_micros)
