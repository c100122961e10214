"""Any layout nobody has written a reader for, read through a column mapping in case.toml.

An investigator's folder always holds one file from a bank, carrier or platform that no reader
knows. Rather than wait for code, the analyst names, in ``[source.mapping]``, which header (or
1-based column position) holds each canonical column; the rows then go through the same
normalizers, row ledger and rejects as every built-in format::

    [[source]]
    path = "telecom/odd_carrier.csv"
    kind = "calls"
    origin = "telecom"
    [source.mapping]
    own_number = "本方号码"
    other_number = "对方号码"
    started_at = "呼叫时刻"
    duration_s = "秒数"
    direction = "方向"
    direction_values = { out = ["拨出"], in = ["接听", "未接"] }

Times use the source's ``timezone``; ``amount_unit = "fen"`` marks amounts already in fen;
without a ``direction`` column a signed amount gives the direction of a transaction (negative
is out). Calls, transactions and chats can be mapped.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd

from linkage.errors import ConfigError, SourceError
from linkage.load import columns
from linkage.load.context import ReadResult, SourceContext
from linkage.load.formats import Format, register
from linkage.load.tabular import Rows, raw_tables, read_tables, source_files
from linkage.normalize import normalize_account, normalize_handle, normalize_name
from linkage.normalize.phone import PhoneNormalizer
from linkage.rejects import RejectReason

OPTIONS = {"direction_values", "amount_unit"}
COLUMNS: dict[str, tuple[str, ...]] = {
    "calls": (
        "own_number",
        "other_number",
        "caller",
        "callee",
        "started_at",
        "duration_s",
        "direction",
        "place",
        "imei",
        "imsi",
    ),
    "transactions": (
        "account",
        "counterparty_account",
        "counterparty_name",
        "holder_name",
        "occurred_at",
        "amount_fen",
        "direction",
        "balance_fen",
        "serial_no",
        "summary",
        "channel",
        "currency",
    ),
    "chats": ("sender", "recipient", "conversation", "sent_at", "body", "sender_name"),
}
REQUIRED = {
    "calls": ("started_at",),
    "transactions": ("account", "occurred_at", "amount_fen"),
    "chats": ("sender", "sent_at"),
}
"""The columns without which a row says nothing: a call needs a time (and numbers, checked
below), a transfer an account, a time and an amount, a message a sender and a time."""


def check_mapping(kind: str, mapping: dict[str, Any], where: str) -> dict[str, str | int]:
    """The column part of a mapping, checked: known canonical names, headers or positions.

    Raises
    ------
    ConfigError
        If the kind cannot be mapped, a key is not a canonical column of it, a value is neither
        a header name nor a positive position, or a required column is missing.
    """
    if kind not in COLUMNS:
        raise ConfigError(f"{where}: a mapping reads {', '.join(COLUMNS)}, not {kind}")
    known = set(COLUMNS[kind]) | OPTIONS
    unknown = sorted(set(mapping) - known)
    if unknown:
        raise ConfigError(
            f"{where}: [source.mapping] has unknown keys {', '.join(unknown)} "
            f"(known for {kind}: {', '.join(sorted(known))})"
        )
    chosen = {k: v for k, v in mapping.items() if k not in OPTIONS}
    for key, value in chosen.items():
        if not (isinstance(value, str) and value) and not (isinstance(value, int) and value > 0):
            raise ConfigError(f"{where}: mapping {key} must be a header name or a position >= 1")
    missing = [c for c in REQUIRED[kind] if c not in chosen]
    if sum(isinstance(v, str) for v in chosen.values()) < 3:
        # The header row is found by the names it holds; three make it unmistakable.
        missing.append("at least three columns named by their header")
    if kind == "calls" and not (
        {"own_number", "other_number"} <= set(chosen) or {"caller", "callee"} <= set(chosen)
    ):
        missing.append("own_number + other_number, or caller + callee")
    if missing:
        raise ConfigError(f"{where}: mapping lacks {', '.join(missing)}")
    return chosen


def read(context: SourceContext) -> ReadResult:
    """Read a source through its ``[source.mapping]``."""
    spec = context.spec
    mapping = spec.mapping or {}
    where = f"case.toml [[source]] {spec.path}"
    chosen = check_mapping(spec.kind, mapping, where)
    named = frozenset(v for v in chosen.values() if isinstance(v, str))
    files = source_files(context.path, spec.path)
    tables = []
    for file in files:
        name = context.name_of(file)
        for raw in raw_tables(file, name, named):
            missing = sorted(n for n in named if n not in raw.header)
            if missing:
                raise SourceError(f"{name}: mapped headers not in the file: {', '.join(missing)}")
            tables.append((name, raw))
    interpret = _interpreter(spec.kind, chosen, mapping)
    return read_tables(context, "chats" if spec.kind == "chats" else spec.kind, interpret, tables)


def _interpreter(
    kind: str, chosen: dict[str, str | int], mapping: dict[str, Any]
) -> Callable[[Rows], pd.DataFrame]:
    def interpret(rows: Rows) -> pd.DataFrame:
        header = rows.raw.header

        def col(key: str) -> tuple[str, ...]:
            value = chosen.get(key)
            if value is None:
                return ("",)
            return (header[value - 1] if isinstance(value, int) else value,)

        if kind == "calls":
            return _calls(rows, col, chosen, mapping)
        if kind == "transactions":
            return _transactions(rows, col, chosen, mapping)
        return _chats(rows, col)

    return interpret


def _directions(rows: Rows, column: tuple[str, ...], mapping: dict[str, Any]) -> pd.Series:
    values = mapping.get("direction_values") or {
        "in": ["in", "进", "收入"],
        "out": ["out", "出", "支出"],
    }
    lookup = {str(word): side for side in ("in", "out") for word in values.get(side, [])}
    return rows.flag(lookup, *column)


def _calls(
    rows: Rows,
    col: Callable[[str], tuple[str, ...]],
    chosen: dict[str, str | int],
    mapping: dict[str, Any],
) -> pd.DataFrame:
    region = rows.context.region
    phone = PhoneNormalizer(region)
    started = rows.time(*col("started_at"))
    if "own_number" in chosen:
        own = rows.identifier(phone, *col("own_number"), required=True)
        other = rows.identifier(phone, *col("other_number"))
        own_raw, other_raw = (
            rows.identifier_raw(*col("own_number")),
            rows.identifier_raw(*col("other_number")),
        )
        direction = _directions(rows, col("direction"), mapping) if "direction" in chosen else None
        outgoing = direction == "out" if direction is not None else None
        incoming = direction == "in" if direction is not None else None
        caller = own.where(outgoing, other.where(incoming)) if direction is not None else None
        callee = other.where(outgoing, own.where(incoming)) if direction is not None else None
        caller_raw = (
            own_raw.where(outgoing, other_raw.where(incoming)) if direction is not None else None
        )
        callee_raw = (
            other_raw.where(outgoing, own_raw.where(incoming)) if direction is not None else None
        )
    else:
        caller = rows.identifier(phone, *col("caller"), required=True)
        callee = rows.identifier(phone, *col("callee"), required=True)
        caller_raw, callee_raw = (
            rows.identifier_raw(*col("caller")),
            rows.identifier_raw(*col("callee")),
        )
        own = other = direction = None
    duration = rows.integer(*col("duration_s")) if "duration_s" in chosen else None
    return pd.DataFrame(
        {
            "caller": caller,
            "caller_raw": caller_raw,
            "callee": callee,
            "callee_raw": callee_raw,
            "own_number": own,
            "other_number": other,
            "started_at": started,
            "duration_s": duration,
            "direction": direction,
            "call_type": "voice",
            "answered": duration > 0 if duration is not None else None,
            "place": rows.text(*col("place")),
            "imei": rows.text(*col("imei")),
            "imsi": rows.text(*col("imsi")),
        },
        index=rows.index,
    )


def _transactions(
    rows: Rows,
    col: Callable[[str], tuple[str, ...]],
    chosen: dict[str, str | int],
    mapping: dict[str, Any],
) -> pd.DataFrame:
    unit = str(mapping.get("amount_unit", "yuan"))
    if unit not in ("yuan", "fen"):
        raise ConfigError(f"case.toml mapping amount_unit {unit!r} is not yuan or fen")
    account = rows.identifier(normalize_account, *col("account"), required=True)
    occurred = rows.time(*col("occurred_at"))
    signed = rows.amount(*col("amount_fen"), unit=unit)
    rows.reject(signed == 0, RejectReason.NO_MONEY_MOVED, *col("amount_fen"))
    if "direction" in chosen:
        direction = _directions(rows, col("direction"), mapping)
    else:
        direction = columns.each(signed, lambda fen: "out" if fen < 0 else "in")
    return pd.DataFrame(
        {
            "account": account,
            "account_raw": rows.identifier_raw(*col("account")),
            "holder_name": columns.each(rows.text(*col("holder_name")), normalize_name),
            "counterparty_account": rows.identifier(
                normalize_account, *col("counterparty_account")
            ),
            "counterparty_account_raw": rows.identifier_raw(*col("counterparty_account")),
            "counterparty_name": columns.each(rows.text(*col("counterparty_name")), normalize_name),
            "occurred_at": occurred,
            "amount_fen": signed.abs(),
            "direction": direction,
            "balance_fen": rows.amount(*col("balance_fen"), unit=unit, required=False),
            "currency": rows.text(*col("currency")),
            "channel": rows.text(*col("channel")),
            "summary": rows.text(*col("summary")),
            "serial_no": rows.text(*col("serial_no")),
        },
        index=rows.index,
    )


def _chats(rows: Rows, col: Callable[[str], tuple[str, ...]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "channel": None,
            "conversation": rows.text(*col("conversation")),
            "sender": rows.identifier(normalize_handle, *col("sender"), required=True),
            "sender_raw": rows.text(*col("sender")),
            "sender_name": rows.text(*col("sender_name")),
            "recipient": rows.identifier(normalize_handle, *col("recipient")),
            "sent_at": rows.time(*col("sent_at")),
            "body": rows.text(*col("body")),
            "body_raw": rows.text(*col("body")),
        },
        index=rows.index,
    )


FORMAT = register(
    Format(
        name="mapped",
        kind="mapped",
        title="Any calls, transactions or chats layout, read through [source.mapping] in case.toml",
        read=read,
        container="mapping",
        status="mapping",
    )
)
