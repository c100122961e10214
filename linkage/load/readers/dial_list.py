"""Den VoIP / 群呼 dial lists: every number a den's auto-dialer or operators called.

A dial list is the den's own record of whom it called, so it is the strongest link from a victim
to a den and, through the extension (分机号) and the roster, to the operator who spoke. Its
layout is proposed in FORMATS.md §1 (no public specification exists): GB18030 CSV or xlsx with
``任务ID,线路号,分机号,主叫号码,被叫号码,开始时间,应答时间,结束时间,通话时长,呼叫结果,按键,转接分机``.

How each column is read, and why:

- 被叫号码 (callee) is the victim's number as dialled (``0086…``, ``86…``, ``17951…`` or eleven
  digits) and is what ties the row to a victim, so it is required: an empty one rejects the row
  as ``empty_identifier`` and one a spreadsheet turned into a float (``1.38E+10``,
  ``13800138000.0``) as ``id_mangled``, because its digits are gone. A number that is present but
  does not normalize (a short code, a foreign number without its prefix) keeps the row with
  ``callee`` null and ``callee_raw`` set: the call happened, only the key is doubtful.
- 主叫号码 is the caller id the den *displayed*, often spoofed; it is normalized where it can be
  and otherwise left null beside its raw text, never a reason to drop a call.
- Times are the den's wall clock (``context.timezone``, e.g. Asia/Jakarta), turned into UTC.
- 呼叫结果 ``接通`` means answered; ``未接``, ``忙`` and ``失败`` mean not answered; the text is
  kept in ``result_raw``. A result the format does not define leaves ``answered`` to the talk time.
- 任务ID set means the call was part of a broadcast campaign (``call_type`` broadcast); empty
  means an operator dialled by hand (voice).
- ``direction`` stays null: a den list has no own number to see the call from.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from linkage.load import columns
from linkage.load.context import ReadResult, SourceContext
from linkage.load.formats import Format, register, signature
from linkage.load.tabular import Rows, read_tabular
from linkage.normalize.phone import PhoneNormalizer
from linkage.rejects import RejectReason

TASK = ("任务ID",)
LINE = ("线路号",)
EXTENSION = ("分机号",)
CALLER = ("主叫号码",)
CALLEE = ("被叫号码",)
START = ("开始时间",)
ANSWER = ("应答时间",)
END = ("结束时间",)
DURATION = ("通话时长",)
RESULT = ("呼叫结果",)
KEY = ("按键",)
FORWARD = ("转接分机",)

ANSWERED: dict[str, bool] = {"接通": True, "未接": False, "忙": False, "失败": False}
"""呼叫结果 words and whether the called person picked up."""


def interpret(rows: Rows) -> pd.DataFrame:
    """Map one dial-list table onto the canonical calls table."""
    rows.needs(CALLEE, START)  # a row may leave the columns after these off
    region = rows.context.region

    phone = PhoneNormalizer(region)

    caller_raw = rows.identifier_raw(*CALLER)
    caller = columns.lenient_identifiers(rows.cells(*CALLER), phone)
    callee, callee_raw = _required_number(rows, phone)
    started = rows.time(*START)
    duration = rows.integer(*DURATION)
    result = rows.text(*RESULT)
    from_result = columns.each(result, ANSWERED.get)
    from_duration = columns.each(duration, lambda d: bool(d > 0))
    answered = from_result.where(from_result.notna(), from_duration)
    task = rows.text(*TASK)
    return pd.DataFrame(
        {
            "caller": caller,
            "caller_raw": caller_raw,
            "callee": callee,
            "callee_raw": callee_raw,
            "started_at": started,
            "duration_s": duration,
            "direction": None,
            "call_type": columns.each(task, lambda _: "broadcast").fillna("voice"),
            "answered": answered,
            "result_raw": result,
            "line": rows.text(*LINE),
            "extension": rows.text(*EXTENSION),
            "forwarded_to": rows.text(*FORWARD),
            "task_id": task,
            "key_pressed": rows.text(*KEY),
        },
        index=rows.index,
    )


def _required_number(rows: Rows, phone: Callable[[str], str]) -> tuple[pd.Series, pd.Series]:
    """被叫号码 normalized (null where invalid) and as text; rejects the row when it is empty or
    destroyed by a float.

    Float damage shows either as a numeric workbook cell too long to be exact or as text a
    spreadsheet wrote (``1.38E+10``, ``13800138000.0``), which the phone normalizer recognises.
    """
    name = rows.pick(*CALLEE) or CALLEE[0]
    cells = rows.cells(*CALLEE)
    texts, errors = columns.identifier_text(cells)
    rows.ledger.take(texts, errors, name, cells)
    normalized, normal_errors = columns.identifiers(cells, phone)
    mangled = normal_errors == str(RejectReason.ID_MANGLED)
    rows.ledger.reject(mangled, RejectReason.ID_MANGLED, name, cells)
    return normalized, rows.ledger.require(texts, name, cells, RejectReason.EMPTY_IDENTIFIER)


def read(context: SourceContext) -> ReadResult:
    """Read a den's dial list (CSV or xlsx)."""
    return read_tabular(context, "calls", interpret)


FORMAT = register(
    Format(
        name="dial_list",
        kind="calls",
        title="Den VoIP / 群呼 dial list (proposed layout)",
        read=read,
        header=signature(EXTENSION, CALLEE, TASK),
        vocabulary=frozenset(
            TASK
            + LINE
            + EXTENSION
            + CALLER
            + CALLEE
            + START
            + ANSWER
            + END
            + DURATION
            + RESULT
            + KEY
            + FORWARD
        ),
        status="proposed",
    )
)
