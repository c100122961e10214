"""Border crossings: when each suspect left for the den and came back.

Participation periods rest on these records: a suspect cannot have worked a den's phones while
in China, so each crossing must carry the day (and, where known, the minute) the authority saw.
Two layouts are read (FORMATS.md §6, proposed):

- ``immigration_records``: the Chinese immigration query,
  ``姓名,性别,出生日期,国籍,证件类型,证件号码,出入境类型,出入境日期,出入境时间,口岸,前往地/出发地,交通工具,航班号``.
  出境 is an exit, 入境 an entry. Date and ``HH:mm`` are local to the port, i.e. the source's
  ``timezone`` (Beijing for Chinese ports); ``crossed_on`` is that local calendar day and
  ``country`` is ``CN``. An empty time keeps the crossing with ``crossed_at`` null (the day is
  still known); a time that is present but unreadable rejects the row, because a damaged cell in
  an authority's export casts doubt on the whole record.
- ``travel_transcribed``: foreign records or passport stamps typed up by investigators,
  ``name,passport_no,nationality,country,direction,date,source``. They carry a date only, so
  ``crossed_at`` is null and ``crossed_on`` is the day written; ``record_source`` is the
  ``source`` column (passport, foreign_police, ...).

The document number is required (empty: ``empty_identifier``; turned into a float by a
spreadsheet: ``id_mangled``). A number that is present but fails validation keeps the crossing,
and ``person_id`` holds it as written, cleaned (NFKC, no white space, upper case): the rule the
roster follows, so a suspect whose ID carries the same slip in both lists still links to their
crossings, while such a key can never equal a valid normalized number of someone else.
Conflicting sources are kept side by side, never merged.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from linkage.errors import InvalidIdentifier
from linkage.load import columns
from linkage.load.context import ReadResult, SourceContext
from linkage.load.formats import Format, register, signature
from linkage.load.readers.roster import cleaned_as_written, objects, present
from linkage.load.tabular import Rows, read_tabular
from linkage.normalize import normalize_name, normalize_passport, normalize_person_id
from linkage.rejects import RejectReason

NAME = ("姓名",)
GENDER = ("性别",)
BIRTH = ("出生日期",)
NATIONALITY = ("国籍",)
ID_TYPE = ("证件类型",)
ID_NUMBER = ("证件号码",)
DIRECTION = ("出入境类型",)
DATE = ("出入境日期",)
CLOCK = ("出入境时间",)
PORT = ("口岸",)
DESTINATION = ("前往地/出发地", "前往地", "出发地")
TRANSPORT = ("交通工具",)
FLIGHT = ("航班号",)

IMMIGRATION_DIRECTIONS = {"出境": "exit", "入境": "entry"}

T_NAME = ("name",)
T_PASSPORT = ("passport_no",)
T_NATIONALITY = ("nationality",)
T_COUNTRY = ("country",)
T_DIRECTION = ("direction",)
T_DATE = ("date",)
T_SOURCE = ("source",)

TRANSCRIBED_DIRECTIONS = {
    "entry": "entry",
    "exit": "exit",
    "Entry": "entry",
    "Exit": "exit",
    "ENTRY": "entry",
    "EXIT": "exit",
    "入境": "entry",
    "出境": "exit",
}


def required_id_raw(
    rows: Rows, aliases: tuple[str, ...], normalize: Callable[[str], str]
) -> pd.Series:
    """Document numbers as text; rejects rows where the number is empty or float-damaged.

    Float damage shows as a numeric cell too long to be exact, or as text a spreadsheet wrote
    (``1.10105E+17``), which the normalizer recognises and reports as ``id_mangled``.
    """
    name = rows.pick(*aliases) or aliases[0]
    cells = rows.cells(*aliases)
    texts, errors = columns.identifier_text(cells)
    rows.ledger.take(texts, errors, name, cells)
    _, normal_errors = columns.identifiers(cells, normalize)
    mangled = normal_errors == str(RejectReason.ID_MANGLED)
    rows.ledger.reject(mangled, RejectReason.ID_MANGLED, name, cells)
    return rows.ledger.require(texts, name, cells, RejectReason.EMPTY_IDENTIFIER)


def person_ids(
    raw: pd.Series, id_types: pd.Series, normalize: Callable[[str, str], str]
) -> pd.Series:
    """Document numbers read by their stated type; cleaned as written where one fails."""
    cache: dict[tuple[str, str], str] = {}
    out = objects(raw, lambda _: None)
    for position, value in raw.dropna().items():
        key = (str(value), present(id_types[position]) or "")
        if key not in cache:
            try:
                cache[key] = normalize(*key)
            except InvalidIdentifier:
                cache[key] = cleaned_as_written(key[0])
        out[position] = cache[key]
    return out


def local_days(times: pd.Series, tz: str) -> pd.Series:
    """The calendar day, at ``tz``, of each UTC time."""
    return objects(times, lambda t: None if pd.isna(t) else pd.Timestamp(t).tz_convert(tz).date())


def interpret_immigration(rows: Rows) -> pd.DataFrame:
    """Map one immigration query table onto the canonical travel table."""
    tz = rows.context.timezone
    id_types = rows.text(*ID_TYPE)
    raw_ids = required_id_raw(rows, ID_NUMBER, normalize_person_id)
    direction = rows.flag(IMMIGRATION_DIRECTIONS, *DIRECTION)
    day = rows.time(*DATE)
    clock_cells = rows.cells(*CLOCK)
    has_clock = columns.text(clock_cells).notna()
    crossed_at, errors = columns.date_and_time(rows.cells(*DATE), clock_cells, tz)
    clock_name = rows.pick(*CLOCK) or CLOCK[0]
    rows.ledger.reject(has_clock & errors.notna(), errors.astype(object), clock_name, clock_cells)
    return pd.DataFrame(
        {
            "person_id": person_ids(raw_ids, id_types, normalize_person_id),
            "person_id_raw": raw_ids,
            "name": columns.lenient_identifiers(rows.cells(*NAME), normalize_name),
            "direction": direction,
            "crossed_at": crossed_at.where(has_clock & errors.isna()),
            "crossed_on": local_days(day, tz),
            "port": rows.text(*PORT),
            "country": "CN",
            "destination": rows.text(*DESTINATION),
            "transport": rows.text(*TRANSPORT),
            "flight_no": rows.text(*FLIGHT),
            "record_source": "immigration",
        },
        index=rows.index,
    )


def interpret_transcribed(rows: Rows) -> pd.DataFrame:
    """Map one transcribed table of foreign records onto the canonical travel table."""
    raw_ids = required_id_raw(rows, T_PASSPORT, normalize_passport)
    direction = rows.flag(TRANSCRIBED_DIRECTIONS, *T_DIRECTION)
    day = rows.time(*T_DATE)
    return pd.DataFrame(
        {
            "person_id": person_ids(
                raw_ids, objects(raw_ids, lambda _: None), lambda raw, _: normalize_passport(raw)
            ),
            "person_id_raw": raw_ids,
            "name": columns.lenient_identifiers(rows.cells(*T_NAME), normalize_name),
            "direction": direction,
            "crossed_at": None,
            "crossed_on": local_days(day, rows.context.timezone),
            "country": rows.text(*T_COUNTRY),
            "record_source": rows.text(*T_SOURCE),
        },
        index=rows.index,
    )


def read_immigration(context: SourceContext) -> ReadResult:
    """Read a Chinese immigration entry/exit query (CSV or xlsx)."""
    return read_tabular(context, "travel", interpret_immigration)


def read_transcribed(context: SourceContext) -> ReadResult:
    """Read transcribed foreign entry/exit records (CSV or xlsx)."""
    return read_tabular(context, "travel", interpret_transcribed)


IMMIGRATION = register(
    Format(
        name="immigration_records",
        kind="travel",
        title="Chinese immigration entry/exit query (proposed layout)",
        read=read_immigration,
        header=signature(DIRECTION, PORT, ID_NUMBER),
        vocabulary=frozenset(
            NAME
            + GENDER
            + BIRTH
            + NATIONALITY
            + ID_TYPE
            + ID_NUMBER
            + DIRECTION
            + DATE
            + CLOCK
            + PORT
            + DESTINATION
            + TRANSPORT
            + FLIGHT
        ),
        status="proposed",
    )
)

TRANSCRIBED = register(
    Format(
        name="travel_transcribed",
        kind="travel",
        title="Foreign entry/exit records or passport stamps, transcribed (proposed layout)",
        read=read_transcribed,
        header=signature(T_PASSPORT, T_DIRECTION, T_DATE),
        vocabulary=frozenset(
            T_NAME + T_PASSPORT + T_NATIONALITY + T_COUNTRY + T_DIRECTION + T_DATE + T_SOURCE
        ),
        status="proposed",
    )
)
