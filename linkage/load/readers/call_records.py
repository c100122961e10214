"""Carrier and police-platform call records (话单), in all their header variants.

Every carrier and every police query platform names the same columns differently; the aliases
below are the ones seen in real exports (FORMATS.md §1). A record is written from the point of
view of one number (the own number, 本机/己方/用户号码) with a direction flag, so the caller
and callee are derived from the flag: on a 被叫 row the other party called the own number.
Rows whose flag is not a known word are rejected rather than assigned a direction by guess.
"""

from __future__ import annotations

import pandas as pd

from linkage.load import columns
from linkage.load.formats import Format, register, signature
from linkage.load.tabular import Rows, read_tabular
from linkage.normalize.phone import PhoneNormalizer
from linkage.rejects import RejectReason

OWN = ("用户号码", "己方号码", "本机号码", "业务号码", "主叫号码")
OTHER = ("对方号码", "对端号码", "被叫号码")
START = ("截获时间", "起始时间", "开始时间", "通话起始时间", "通话开始时间", "通话日期")
CLOCK = ("通话时间",)
DIRECTION = ("呼叫类型", "通信方式", "事件类型名称", "协议代码", "话单方向")
DURATION = ("通话时长(s)", "通话时长", "通信时长", "拨打秒数", "时长")
CELL = ("己方小区", "基站小区代码", "蜂窝号", "基站ID", "主叫小区", "小区")
AREA = ("己方位置区", "小区号", "主叫基站", "基站")
IMEI = ("己方机身码", "手机串号", "串号", "imei", "IMEI")
IMSI = ("己方卡号", "IMSI", "主叫imsi")
PLACE = ("通信地点", "本机通话地", "己方通话地", "漫游城市", "基站名称")
SMS_TEXT = ("短信内容",)

INCOMING = ("被叫", "呼入", "来话", "被呼", "接收", "MT", "mt", "来电")
OUTGOING = ("主叫", "呼出", "去话", "主呼", "拨出", "发送", "MO", "mo", "去电", "呼转")


def classify_direction(flag: str) -> tuple[str, str] | None:
    """(direction, call_type) for a carrier's direction flag, or None when it is unknown.

    >>> classify_direction("主叫")
    ('out', 'voice')
    >>> classify_direction("短信被叫")
    ('in', 'sms')
    >>> classify_direction("彩铃") is None
    True
    """
    call_type = "sms" if ("短信" in flag or "SMS" in flag.upper()) else "voice"
    if any(word in flag for word in INCOMING):
        return "in", call_type
    if any(word in flag for word in OUTGOING):
        return "out", call_type
    return None


def interpret(rows: Rows) -> pd.DataFrame:
    """Map one call-record table onto the canonical calls table."""
    rows.needs(OWN, START, OTHER)  # a row may leave the columns after these off
    region = rows.context.region
    phone = PhoneNormalizer(region)
    own_raw = rows.identifier_raw(*OWN)
    other_raw = rows.identifier_raw(*OTHER)
    own = rows.identifier(phone, *OWN)
    other = rows.identifier(phone, *OTHER)
    rows.ledger.require(
        own_raw, rows.pick(*OWN) or OWN[0], rows.cells(*OWN), RejectReason.EMPTY_IDENTIFIER
    )
    if rows.pick(*CLOCK) and rows.pick("通话日期"):
        started = rows.date_time(("通话日期",), CLOCK)
    else:
        started = rows.time(*START)
    if rows.pick(*DIRECTION):
        flags = rows.text(*DIRECTION)
        classes = columns.each(flags, classify_direction)
        unknown = flags.notna() & classes.isna()
        rows.reject(unknown, RejectReason.BAD_DIRECTION, *DIRECTION)
        direction = columns.each(classes, lambda c: c[0])
        call_type = columns.each(classes, lambda c: c[1]).fillna("voice")
        result_raw = flags
    elif rows.pick(*OWN) == "主叫号码":
        # Without a flag, a 主叫号码 column means what it says: the own side placed the call.
        direction = pd.Series("out", index=rows.index, dtype=object)
        call_type = pd.Series("voice", index=rows.index, dtype=object)
        result_raw = pd.Series(None, index=rows.index, dtype=object)
    else:
        # 本机号码 / 用户号码 without a flag: who called whom is unknown, and is not guessed.
        direction = pd.Series(None, index=rows.index, dtype=object)
        call_type = pd.Series("voice", index=rows.index, dtype=object)
        result_raw = pd.Series(None, index=rows.index, dtype=object)
    outgoing = direction == "out"
    incoming = direction == "in"
    duration = rows.integer(*DURATION)
    body = rows.text(*SMS_TEXT)
    call_type = call_type.where(body.isna(), "sms")
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
            "call_type": call_type,
            "answered": duration > 0,
            "result_raw": result_raw,
            "imei": rows.text(*IMEI),
            "imsi": rows.text(*IMSI),
            "lac": _known_cell(rows.text(*AREA)),
            "ci": _known_cell(rows.text(*CELL)),
            "place": rows.text(*PLACE),
            "body": body,
        },
        index=rows.index,
    )


def _known_cell(values: pd.Series) -> pd.Series:
    """Cell identifiers with the platform's ``0`` (unknown) turned into null."""
    return values.where(values != "0", None)


def read(context):  # type: ignore[no-untyped-def]
    """Read a carrier or police-platform call-record export."""
    return read_tabular(context, "calls", interpret)


FORMAT = register(
    Format(
        name="call_records",
        kind="calls",
        title="Carrier / police-platform call records (话单), every header alias",
        read=read,
        header=signature(OWN, OTHER, START + CLOCK, excludes=("分机号", "任务ID", "线路号")),
        vocabulary=frozenset(
            OWN
            + OTHER
            + START
            + CLOCK
            + DIRECTION
            + DURATION
            + CELL
            + AREA
            + IMEI
            + IMSI
            + PLACE
            + SMS_TEXT
            + ("己方姓名", "对方姓名", "己方7位GEOHASH")
        ),
    )
)
