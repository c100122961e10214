"""Android handset databases: the call log (``contacts2.db``) and texts (``mmssms.db``).

A seized handset's own records say who rang or texted whom even when no carrier return has
arrived, and they carry the handset's side of a conversation (FORMATS.md §1, §2). The files
are SQLite databases, read straight from the tables through
:func:`linkage.load.sqlite.open_readonly`, so the evidence is never written.

Provenance is what an examiner cites when they open the file in a SQLite browser:
``source_sheet`` is the table (``calls``, ``sms``) and ``source_row`` its ``_id``.

Phone numbers on a handset are written as dialled, without a country code, so the region they
belong to decides which number they are: under ``CN`` the US test number ``15555215554`` is a
valid Chinese mobile. The call log names the region per row (``countryiso``); texts have none,
so the source's region (``case.toml``) applies. A number that does not normalize keeps its row,
raw text in ``*_raw`` and a null key beside it; an empty one is ``empty_identifier``.

The handset owner's number is not in either table: it comes from ``owner`` in case.toml and is
null when not given. Times are epoch milliseconds, UTC; a stamp that is not a whole number is
``unparseable_time``, one before 1990 or more than a year after the newest input file is
``time_out_of_range``.

Calls
    ``type`` 1 incoming, 2 outgoing, 3 missed (incoming), and on newer handsets 4 voicemail,
    5 rejected, 6 blocked, 7 answered elsewhere (all incoming). ``answered`` = not missed and
    talk time above zero.

Texts
    ``type`` 1 received; 2 sent, 3 draft, 4 outbox, 5 failed, 6 queued are the owner's own.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pandas as pd
import phonenumbers

from linkage.errors import InvalidIdentifier, SourceError
from linkage.load.context import ReadResult, SourceContext
from linkage.load.formats import Format, register
from linkage.load.raw import RawTable
from linkage.load.readers.skype import connect_read_only, fetch, sqlite_raw, table_columns
from linkage.load.tabular import EARLIEST, Interpret, Rows, read_tables
from linkage.normalize import normalize_phone
from linkage.rejects import RejectReason

CALL_COLUMNS = ("number", "date", "duration", "type")
SMS_COLUMNS = ("address", "date", "type", "body")
INCOMING_CALLS = frozenset({1, 3, 4, 5, 6, 7})
OUTGOING_CALLS = frozenset({2})
MISSED = 3
RECEIVED_SMS = frozenset({1})
OWN_SMS = frozenset({2, 3, 4, 5, 6})


# --- cells ------------------------------------------------------------------------------------


def cell_text(value: object) -> str | None:
    """A cell as trimmed text; None for NULL, NaN or blank.

    >>> cell_text("  5404561685 ")
    '5404561685'
    >>> cell_text(None) is None, cell_text("   ") is None
    (True, True)
    """
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    text = str(value).strip()
    return text or None


def cell_int(value: object) -> int | None:
    """A whole number from an integer, integral float or digit text; None otherwise.

    >>> cell_int(3), cell_int(" 126 "), cell_int(2.0), cell_int("x"), cell_int(True)
    (3, 126, 2, None, None)
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        text = value.strip()
        if text.lstrip("-").isdigit():
            return int(text)
    return None


def texts(values: pd.Series) -> pd.Series:
    """Cells as trimmed text, None where empty (built as a list: ``map`` would make NaN)."""
    return pd.Series([cell_text(v) for v in values], index=values.index, dtype=object)


def ints(values: pd.Series) -> pd.Series:
    """Cells as whole numbers (object dtype), None where empty or not a whole number."""
    return pd.Series([cell_int(v) for v in values], index=values.index, dtype=object)


def epoch_times(rows: Rows, column: str, per_second: int) -> pd.Series:
    """UTC times from a column of epoch stamps (``per_second`` 1 for s, 1000 for ms).

    Rejects rows whose stamp is empty (``missing_value``), not a whole number
    (``unparseable_time``) or outside 1990 … the source's latest plausible time
    (``time_out_of_range``). The range is checked on the integers, so a stamp far out of
    range is rejected before anything tries to represent it as a time.
    """
    values = rows.raw.column(column)
    index = values.index
    stamps = [cell_int(v) for v in values]
    missing = pd.Series([cell_text(v) is None for v in values], index=index)
    unreadable = pd.Series([s is None for s in stamps], index=index) & ~missing
    earliest = int(EARLIEST.timestamp()) * per_second
    latest = int(pd.Timestamp(rows.context.latest).timestamp()) * per_second
    outside = pd.Series(
        [s is not None and not earliest <= s <= latest for s in stamps], index=index
    )
    rows.reject(missing, RejectReason.MISSING_VALUE, column)
    rows.reject(unreadable, RejectReason.UNPARSEABLE_TIME, column)
    rows.reject(outside, RejectReason.TIME_OUT_OF_RANGE, column)
    usable = ~(missing | unreadable | outside)
    unit = "s" if per_second == 1 else "ms"
    return pd.Series(
        [
            pd.Timestamp(s, unit=unit, tz="UTC") if ok else pd.NaT
            for s, ok in zip(stamps, usable, strict=True)
        ],
        index=index,
        dtype="datetime64[us, UTC]",
    )


def phone(raw: str | None, region: str) -> str | None:
    """E.164 for a number dialled in ``region``; None when it does not normalize.

    >>> phone("5404561685", "US"), phone("5404561685", "CN")
    ('+15404561685', None)
    """
    if raw is None:
        return None
    try:
        return normalize_phone(raw, region)
    except InvalidIdentifier:
        return None


def row_region(code: str | None, fallback: str) -> str:
    """The phone region a row names (``countryiso``), or ``fallback`` when it names none.

    >>> row_region("us", "CN"), row_region(None, "CN"), row_region("XX", "CN")
    ('US', 'CN', 'CN')
    """
    if code and code.upper() in phonenumbers.SUPPORTED_REGIONS:
        return code.upper()
    return fallback


def owner_number(context: SourceContext) -> tuple[str | None, str | None]:
    """The handset owner's number from case.toml: ``(as written, E.164)``, or Nones.

    Raises
    ------
    SourceError
        If ``owner`` is given but is not a valid phone number in the source's region: a wrong
        owner would put every call of the handset on someone else.
    """
    raw = cell_text(context.spec.owner)
    if raw is None:
        return None, None
    number = phone(raw, context.region)
    if number is None:
        raise SourceError(
            f"{context.spec.path}: owner {raw!r} is not a valid phone number in region "
            f"{context.region}"
        )
    return raw, number


# --- databases --------------------------------------------------------------------------------


def database_files(context: SourceContext, pattern: str) -> list[Path]:
    """The databases of a source: the file itself, or files matching ``pattern`` under a folder."""
    path = context.path
    if path.is_file():
        return [path]
    if path.is_dir():
        files = sorted(path.rglob(pattern))
        if not files:
            raise SourceError(f"{context.spec.path}: folder holds no {pattern}")
        return files
    raise SourceError(f"{context.spec.path}: no such file or folder")


def table_rows(
    context: SourceContext,
    pattern: str,
    table: str,
    needed: tuple[str, ...],
    wanted: tuple[str, ...],
    what: str,
) -> Iterator[tuple[str, RawTable]]:
    """One raw table per database of the source: ``table``'s rows keyed by their rowid.

    ``needed`` columns must exist (SQLite table names ignore case, so this is what keeps a
    Skype ``Calls`` table from being read as an Android call log); ``wanted`` columns are read
    when present and NULL otherwise.

    Raises
    ------
    SourceError
        If a database lacks the table or one of the ``needed`` columns.
    """
    for file in database_files(context, pattern):
        name = context.name_of(file)
        with contextlib.closing(connect_read_only(file, name)) as connection:
            have = table_columns(connection, table)
            missing = [c for c in needed if c not in have]
            if missing:
                raise SourceError(
                    f"{name}: not {what} (table {table} lacks {', '.join(missing)})"
                    if have
                    else f"{name}: not {what} (no {table} table)"
                )
            select = ", ".join(f'"{c}"' if c in have else f'NULL AS "{c}"' for c in wanted)
            names, records = fetch(
                connection, f'SELECT rowid AS "_key", {select} FROM "{table}" ORDER BY rowid'
            )
        yield name, sqlite_raw(names, records, table, "_key")


def read_sqlite(
    context: SourceContext,
    kind: str,
    interpret: Interpret,
    tables: Callable[[SourceContext], Iterator[tuple[str, RawTable]]],
) -> ReadResult:
    """Interpret each database table of a source and assemble the result."""
    return read_tables(context, kind, interpret, list(tables(context)))


# --- call log ---------------------------------------------------------------------------------


def interpret_calls(rows: Rows) -> pd.DataFrame:
    """Canonical calls from a ``calls`` table (contacts2.db)."""
    context = rows.context
    owner_raw, own = owner_number(context)
    cells = rows.raw.cells
    number = texts(rows.raw.column("number"))
    rows.reject(number.isna(), RejectReason.EMPTY_IDENTIFIER, "number")
    started = epoch_times(rows, "date", 1000)
    kind = ints(rows.raw.column("type"))
    rows.reject(kind.isna(), RejectReason.MISSING_VALUE, "type")
    known = kind.map(lambda k: k in INCOMING_CALLS or k in OUTGOING_CALLS)
    rows.reject(~known & kind.notna(), RejectReason.BAD_DIRECTION, "type")
    incoming = kind.map(lambda k: k in INCOMING_CALLS)
    regions = [row_region(cell_text(c), context.region) for c in rows.raw.column("countryiso")]
    other = pd.Series(
        [phone(n, r) for n, r in zip(number, regions, strict=True)], index=cells.index, dtype=object
    )
    duration = ints(rows.raw.column("duration"))
    answered = [_answered(k, d) for k, d in zip(kind, duration, strict=True)]
    return pd.DataFrame(
        {
            "caller": other.where(incoming, own),
            "caller_raw": number.where(incoming, owner_raw),
            "callee": other.where(~incoming, own),
            "callee_raw": number.where(~incoming, owner_raw),
            "own_number": own,
            "other_number": other,
            "started_at": started,
            "duration_s": duration.astype("Int64"),
            "direction": incoming.map({True: "in", False: "out"}).astype(object),
            "call_type": "voice",
            "answered": pd.Series(answered, index=cells.index, dtype=object),
            "result_raw": texts(rows.raw.column("type")),
            "place": texts(rows.raw.column("geocoded_location")),
        },
        index=cells.index,
    )


def _answered(kind: int | None, duration: int | None) -> bool | None:
    """Whether a call was answered: not missed and talk time above zero; None when unknown.

    >>> _answered(3, 0), _answered(1, 639), _answered(2, 0), _answered(1, None)
    (False, True, False, None)
    """
    if kind is None:
        return None
    if kind == MISSED:
        return False
    return None if duration is None else duration > 0


def call_tables(context: SourceContext) -> Iterator[tuple[str, RawTable]]:
    """The ``calls`` table of each contacts2.db of a source."""
    wanted = ("_id", *CALL_COLUMNS, "name", "countryiso", "geocoded_location")
    return table_rows(context, "contacts2.db", "calls", CALL_COLUMNS, wanted, "an Android call log")


def read_calls(context: SourceContext) -> ReadResult:
    """Read the call log of an Android ``contacts2.db``."""
    return read_sqlite(context, "calls", interpret_calls, call_tables)


# --- texts ------------------------------------------------------------------------------------


def interpret_sms(rows: Rows) -> pd.DataFrame:
    """Canonical messages from an ``sms`` table (mmssms.db)."""
    context = rows.context
    owner_raw, own = owner_number(context)
    cells = rows.raw.cells
    address = texts(rows.raw.column("address"))
    rows.reject(address.isna(), RejectReason.EMPTY_IDENTIFIER, "address")
    sent_at = epoch_times(rows, "date", 1000)
    kind = ints(rows.raw.column("type"))
    rows.reject(kind.isna(), RejectReason.MISSING_VALUE, "type")
    known = kind.map(lambda k: k in RECEIVED_SMS or k in OWN_SMS)
    rows.reject(~known & kind.notna(), RejectReason.BAD_DIRECTION, "type")
    received = kind.map(lambda k: k in RECEIVED_SMS)
    other = address.map(lambda a: phone(a, context.region)).astype(object)
    thread = texts(rows.raw.column("thread_id"))
    body = rows.raw.column("body").map(lambda b: None if b is None else str(b)).astype(object)
    return pd.DataFrame(
        {
            "channel": "sms",
            "message_id": texts(rows.raw.column("_id")),
            "conversation": thread.where(thread.notna(), address),
            "sender": other.where(received, own),
            "sender_raw": address.where(received, owner_raw),
            "recipient": other.where(~received, own),
            "sent_at": sent_at,
            "body": body,
            "body_raw": body,
            "message_type": texts(rows.raw.column("type")),
        },
        index=cells.index,
    )


def sms_tables(context: SourceContext) -> Iterator[tuple[str, RawTable]]:
    """The ``sms`` table of each mmssms.db of a source."""
    wanted = ("_id", "thread_id", *SMS_COLUMNS)
    return table_rows(context, "mmssms.db", "sms", SMS_COLUMNS, wanted, "an Android SMS store")


def read_sms(context: SourceContext) -> ReadResult:
    """Read the texts of an Android ``mmssms.db``."""
    return read_sqlite(context, "chats", interpret_sms, sms_tables)


CALLS_FORMAT = register(
    Format(
        name="android_calls",
        kind="calls",
        title="Android contacts2.db, call log (calls)",
        zoned=False,
        read=read_calls,
        container="sqlite",
        sqlite_tables=frozenset({"calls"}),
    )
)

SMS_FORMAT = register(
    Format(
        name="android_sms",
        kind="chats",
        title="Android mmssms.db, texts (sms)",
        zoned=False,
        read=read_sms,
        container="sqlite",
        sqlite_tables=frozenset({"sms"}),
    )
)
