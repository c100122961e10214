"""VOS3000 softswitch call detail records: the VoIP platform a den's calls transit.

Dens rent lines on VOS3000 softswitches; an operator's CDR export is the carrier-side record of
the calls a den's gateway placed, seen from no handset. Its layout is unverified (FORMATS.md
§1: seen once), with the columns ``主叫号码, 被叫号码, 开始时间, 结束时间, 通话时长`` where the
talk time is written as a clock, ``00:01:05``.

How each column is read, and why:

- 被叫号码 is the number the den reached and is what ties the row to a victim, so an empty one
  rejects the row (``empty_identifier``); one a spreadsheet turned into a float is ``id_mangled``.
  A number present but not normalizable (a short code, a foreign number without its prefix)
  keeps the row with ``callee`` null and ``callee_raw`` set.
- 主叫号码 is the caller id presented, often spoofed by a den: normalized where possible, never a
  reason to drop the call.
- 开始时间 is the switch's wall clock, local to the source's ``timezone``.
- 通话时长 ``HH:MM:SS`` (or plain seconds) becomes seconds; a value that is neither is
  ``malformed_row``, because a duration read by guess would decide whether a victim answered.
  ``answered`` is a talk time above zero.
- ``direction`` stays null: the switch sees both ends, no own number.

The signature requires 结束时间 beside the carrier aliases and excludes the den dial list's
任务ID/分机号/线路号, which share every VOS3000 column.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from linkage.load import columns
from linkage.load.context import ReadResult, SourceContext
from linkage.load.formats import Format, register, signature
from linkage.load.readers import call_records
from linkage.load.tabular import Rows, read_tabular
from linkage.normalize.phone import PhoneNormalizer
from linkage.rejects import RejectReason

CALLER = ("主叫号码",)
CALLEE = ("被叫号码",)
START = ("开始时间",)
END = ("结束时间",)
DURATION = ("通话时长",)


def interpret(rows: Rows) -> pd.DataFrame:
    """Map one VOS3000 CDR table onto the canonical calls table."""
    region = rows.context.region

    phone = PhoneNormalizer(region)

    callee, callee_raw = required_number(rows, phone, CALLEE)
    started = rows.time(*START)
    duration = rows.integer(*DURATION, required=True)
    return pd.DataFrame(
        {
            "caller": columns.lenient_identifiers(rows.cells(*CALLER), phone),
            "caller_raw": rows.identifier_raw(*CALLER),
            "callee": callee,
            "callee_raw": callee_raw,
            "started_at": started,
            "duration_s": duration,
            "direction": None,
            "call_type": "voice",
            "answered": columns.each(duration, lambda d: bool(d > 0)),
        },
        index=rows.index,
    )


def required_number(
    rows: Rows, phone: Callable[[str], str], aliases: tuple[str, ...]
) -> tuple[pd.Series, pd.Series]:
    """A number the row cannot do without: (normalized or null, raw text).

    The row is rejected when the cell is empty (``empty_identifier``) or destroyed by a float
    (``id_mangled``); a number present but not normalizable keeps the row, its raw text the flag.
    """
    name = rows.pick(*aliases) or aliases[0]
    cells = rows.cells(*aliases)
    texts, errors = columns.identifier_text(cells)
    rows.ledger.take(texts, errors, name, cells)
    normalized, normal_errors = columns.identifiers(cells, phone)
    mangled = normal_errors == str(RejectReason.ID_MANGLED)
    rows.ledger.reject(mangled, RejectReason.ID_MANGLED, name, cells)
    return normalized, rows.ledger.require(texts, name, cells, RejectReason.EMPTY_IDENTIFIER)


def read(context: SourceContext) -> ReadResult:
    """Read a VOS3000 CDR export (CSV or xlsx)."""
    return read_tabular(context, "calls", interpret)


FORMAT = register(
    Format(
        name="vos3000",
        kind="calls",
        title="VOS3000 softswitch call detail records (通话时长 as 00:00:00)",
        read=read,
        header=signature(
            CALLER,
            CALLEE,
            START,
            END,
            DURATION,
            # A direction flag makes it a carrier 话单, read by call_records.
            excludes=("任务ID", "分机号", "线路号", *call_records.DIRECTION),
        ),
        vocabulary=frozenset(CALLER + CALLEE + START + END + DURATION),
        status="unverified",
    )
)
