"""通联 forms: a police platform's per-number contact record, calls and texts in one table.

The form lists every contact (通联) of one number, seen from that number (本端) with the other
party (对端), and puts calls and SMS in the same rows: ``通联类型`` says which and in which
direction, ``通话开始/短信发送时间`` is the call's start or the text's sending time, and
``短信内容`` holds the text of SMS rows. Its layout is unverified (FORMATS.md §1, seen once):
``通联类型, 本端号码, 对端号码, 通话开始/短信发送时间, 通话结束时间, 通话时长（秒）``, then
location, card (IMSI), handset (IMEI), home area, carrier, LAC, CI, longitude and latitude columns
for each side, and ``短信内容``.

How each column is read, and why:

- 通联类型 decides who called whom, read with the carrier vocabulary of
  :func:`linkage.load.readers.call_records.classify_direction` (主叫/被叫, 发送/接收, 短信…).
  An empty or unknown type rejects the row (``missing_value`` / ``bad_direction``): assigning
  caller and callee by guess would reverse a contact.
- 本端号码 is whose record this is and is required; 对端号码 is normalized where it can be and
  otherwise kept raw (short codes, service numbers).
- A row is ``sms`` when its type says so or it carries 短信内容; SMS rows have no talk time, so
  ``duration_s`` and ``answered`` stay null unless the form gives a duration.
- LAC/CI ``0`` means unknown, as on the other police platforms, and becomes null.
"""

from __future__ import annotations

import pandas as pd

from linkage.load import columns
from linkage.load.context import ReadResult, SourceContext
from linkage.load.formats import Format, register, signature
from linkage.load.readers.call_records import classify_direction
from linkage.load.tabular import Rows, read_tabular
from linkage.normalize.phone import PhoneNormalizer
from linkage.rejects import RejectReason

TYPE = ("通联类型",)
OWN = ("本端号码",)
OTHER = ("对端号码",)
START = ("通话开始/短信发送时间", "通话开始时间", "短信发送时间")
END = ("通话结束时间",)
DURATION = ("通话时长(秒)", "通话时长")
PLACE = ("本端号码通联位置", "本端通联位置", "号码通联位置")
IMSI = ("本端卡号", "卡号")
IMEI = ("本端机身码", "机身码")
LAC = ("本端LAC", "LAC")
CI = ("本端CI", "CI")
BODY = ("短信内容",)
OTHER_WORDS = (
    "对端号码通联位置", "对端卡号", "对端机身码", "本端号码归属地", "对端号码归属地", "号码归属地",
    "本端运营商", "对端运营商", "运营商", "经度", "纬度",
)  # fmt: skip


def interpret(rows: Rows) -> pd.DataFrame:
    """Map one 通联 form onto the canonical calls table."""
    region = rows.context.region

    phone = PhoneNormalizer(region)

    own_raw = rows.identifier_raw(*OWN)
    own = rows.identifier(phone, *OWN)
    rows.ledger.require(own_raw, OWN[0], rows.cells(*OWN), RejectReason.EMPTY_IDENTIFIER)
    other_raw = rows.identifier_raw(*OTHER)
    other = columns.lenient_identifiers(rows.cells(*OTHER), phone)
    flags = rows.text(*TYPE)
    rows.reject(flags.isna(), RejectReason.MISSING_VALUE, *TYPE)
    classes = columns.each(flags, classify_direction)
    rows.reject(flags.notna() & classes.isna(), RejectReason.BAD_DIRECTION, *TYPE)
    started = rows.time(*START)
    duration = rows.integer(*DURATION)
    direction = columns.each(classes, lambda c: c[0])
    body = rows.text(*BODY)
    is_sms = (columns.each(classes, lambda c: c[1]) == "sms") | body.notna().astype(bool)
    outgoing = direction == "out"
    incoming = direction == "in"
    answered = columns.each(duration, lambda d: bool(d > 0)).where(~is_sms, None)
    return pd.DataFrame(
        {
            "caller": own.where(outgoing, other.where(incoming)),
            "caller_raw": own_raw.where(outgoing, other_raw.where(incoming)),
            "callee": other.where(outgoing, own.where(incoming)),
            "callee_raw": other_raw.where(outgoing, own_raw.where(incoming)),
            "own_number": own,
            "other_number": other,
            "started_at": started,
            "duration_s": duration,
            "direction": direction,
            "call_type": is_sms.map({True: "sms", False: "voice"}),
            "answered": answered,
            "result_raw": flags,
            "imei": rows.text(*IMEI),
            "imsi": rows.text(*IMSI),
            "lac": _known(rows.text(*LAC)),
            "ci": _known(rows.text(*CI)),
            "place": rows.text(*PLACE),
            "body": body,
        },
        index=rows.index,
    )


def _known(values: pd.Series) -> pd.Series:
    """Cell identifiers with the platform's ``0`` (unknown) turned into null."""
    return values.where(values != "0", None)


def read(context: SourceContext) -> ReadResult:
    """Read a 通联 form (CSV or xlsx)."""
    return read_tabular(context, "calls", interpret)


FORMAT = register(
    Format(
        name="tonglian",
        kind="calls",
        title="Police 通联 form: calls and SMS of one number (本端/对端)",
        read=read,
        header=signature(TYPE, OWN, OTHER),
        vocabulary=frozenset(
            TYPE + OWN + OTHER + START + END + DURATION + PLACE + IMSI + IMEI + LAC + CI + BODY
        )
        | frozenset(OTHER_WORDS),
        status="unverified",
    )
)
