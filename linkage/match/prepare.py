"""The case's canonical tables reshaped for SQL: epoch seconds, flat identifiers, message tokens.

The rules are plain SQL that DuckDB and Spark run alike, so everything dialect-specific is done
here, once, in Python and Arrow: times become epoch seconds (``t``), list columns (a roster's
phones, a victim's accounts) become one row per value, and each distinct message text is cut
into the tokens a victim can be named by: runs of digits (an ID number, a phone, a card) and the
2- to 4-character pieces of its Chinese text (a name), after NFKC (full-width digits) and
traditional-to-simplified conversion; each message carries the number of its text
(``body_id``). What each distinct text does to the group's receiving cards
(``match/designations.py``: designates, stops, replaces) is ``body_acts``. Every row keeps its
``source_file``/``source_row``.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from linkage.load.case import Case
from linkage.match.designations import body_acts, join_digit_groups
from linkage.normalize import normalize_account
from linkage.normalize.name import simplified_text
from linkage.normalize.time import epoch_seconds
from linkage.schema import TABLES

__all__ = ["DIGITS", "body_tokens", "distinct_bodies", "prepare"]

PROVENANCE = ["source_file", "source_row", "source_sheet"]
DIGITS = re.compile(r"(?<![0-9])([0-9]{11,19}[Xx]?)(?![0-9Xx])")
"""A run of 11 to 19 digits (a phone, a card, an ID number with its X): never part of a longer
run, so a card never matches the phone hidden inside it."""
CJK_RUN = re.compile(r"[\u3400-\u9fff]{2,}")
NAME_LENGTHS = (2, 3, 4)


def _arrow(case: Case, kind: str, columns: list[str], time_column: str | None) -> pa.Table:
    table = TABLES[kind]
    frame = case.tables[kind]
    arrow = table.to_arrow(frame)
    out = {c: arrow.column(c) for c in columns + PROVENANCE if c in arrow.column_names}
    if time_column is not None:
        out["t"] = epoch_seconds(arrow.column(time_column))
    return pa.table(out)


def body_tokens(bodies: pa.Array | pa.ChunkedArray) -> tuple[pa.Table, pa.Array]:
    """The tokens of each distinct body, and each message's body number.

    Returns ``(tokens, body_ids)``: ``tokens`` has ``body_id``, ``token``, ``token_kind`` for
    every token of every distinct body (digits, 11-digit mobiles as E.164, and name pieces);
    ``body_ids`` gives each message's ``body_id`` (a null body is the empty one, which has no
    tokens). A script is sent to every victim and a notice forwarded to every room: the 0.9M
    messages of a large case hold 15,000 bodies, so the rules join a victim's identifiers to
    those bodies' tokens, then to the messages holding them, never to one row per token of
    every message (7.8M rows there).

    >>> bodies = pa.array(["張三 身份证１１０１０５１９４９０１０１００２１", None, "张三"])
    >>> tokens, body_ids = body_tokens(bodies)
    >>> body_ids.to_pylist()
    [0, 1, 2]
    >>> rows = zip(*(tokens.column(c).to_pylist() for c in tokens.column_names))
    >>> [row for row in rows if row[1] in ("110105194901010021", "张三")]
    [(0, '110105194901010021', 'digits'), (0, '张三', 'name'), (2, '张三', 'name')]
    """
    distinct, body_ids = distinct_bodies(bodies)
    return token_table(distinct), body_ids


def token_table(distinct: list[str]) -> pa.Table:
    """``body_id``, ``token`` and ``token_kind`` of every token of each distinct text."""
    per_body = [_tokens(body) for body in distinct]
    counts = np.array([len(tokens) for tokens in per_body], dtype=np.int64)
    tokens = pa.table(
        {
            "body_id": pa.array(np.repeat(np.arange(len(per_body)), counts), pa.int64()),
            "token": pa.array(
                [_phone_token(t) if k == "digits" else t for body in per_body for t, k in body],
                pa.string(),
            ),
            "token_kind": pa.array([k for body in per_body for _, k in body], pa.string()),
        }
    )
    return tokens


def distinct_bodies(bodies: pa.Array | pa.ChunkedArray) -> tuple[list[str], pa.Array]:
    """Each distinct message text once (a null body is the empty one), and each message's
    position among them: its ``body_id``.

    >>> texts, body_ids = distinct_bodies(pa.array(["a", None, "a"]))
    >>> texts, body_ids.to_pylist()
    (['a', ''], [0, 1, 0])
    """
    text = pc.fill_null(bodies, "")
    if isinstance(text, pa.ChunkedArray):
        text = text.combine_chunks()
    encoded = pc.dictionary_encode(text)
    return encoded.dictionary.to_pylist(), encoded.indices.cast(pa.int64())


def _tokens(body: str) -> list[tuple[str, str]]:
    text = join_digit_groups(unicodedata.normalize("NFKC", body or ""))
    found: list[tuple[str, str]] = [(m.upper(), "digits") for m in DIGITS.findall(text)]
    simplified = simplified_text(body or "")
    grams: dict[str, None] = {}
    for run in CJK_RUN.findall(simplified):
        for length in NAME_LENGTHS:
            for start in range(len(run) - length + 1):
                grams.setdefault(run[start : start + length])
    return found + [(g, "name") for g in grams][:4096]


def _phone_token(token: str) -> str:
    """An 11-digit mainland mobile in a message, as the E.164 a victim's phone is stored in."""
    return f"+86{token}" if len(token) == 11 and token.startswith("1") else token


def prepare(case: Case) -> dict[str, pa.Table]:
    """The tables the rules read, by name."""
    calls = _arrow(
        case,
        "calls",
        ["caller", "callee", "own_number", "other_number", "duration_s", "answered",
         "call_type", "direction", "origin", "den", "line", "extension"],
        "started_at",
    )  # fmt: skip
    messages = _arrow(
        case, "messages", ["sender", "conversation", "body", "origin", "den", "channel"], "sent_at"
    )
    transactions = _arrow(
        case,
        "transactions",
        ["account", "counterparty_account", "counterparty_name", "counterparty_id",
         "counterparty_phone", "amount_fen", "direction", "origin", "den", "holder_name",
         "holder_id", "summary", "time_resolution_s"],
        "occurred_at",
    )  # fmt: skip
    accounts = _arrow(case, "accounts", ["account", "holder_name", "holder_id", "phone"], None)
    distinct, body_ids = distinct_bodies(messages.column("body"))
    tokens, acts = token_table(distinct), body_acts(distinct)
    return {
        "calls": calls,
        "messages": messages.append_column("body_id", body_ids),
        "body_tokens": tokens,
        "body_acts": acts,
        "transactions": transactions,
        "accounts": accounts,
        "person_identifiers": _person_identifiers(case),
        "members": _members(case),
        "victim_list": _victim_list(case),
        "known_accounts": _known_accounts(case),
    }


def _person_identifiers(case: Case) -> pa.Table:
    """One row per (roster person, phone / handle / extension), with the person's den."""
    rows: list[dict[str, object]] = []
    for person in _records(case.tables["persons"]):
        for kind, column in (("phone", "phones"), ("handle", "skype"), ("handle", "wechat"),
                             ("handle", "qq")):  # fmt: skip
            for value in person[column] or ():
                rows.append(
                    {
                        "person_id": person["person_id"],
                        "name": person["name"],
                        "den": person["den"],
                        "kind": kind,
                        "value": str(value),
                        "source_file": person["source_file"],
                        "source_row": person["source_row"],
                        "source_sheet": person["source_sheet"],
                    }
                )
    return _table(rows, ["person_id", "name", "den", "kind", "value", *PROVENANCE])


def _members(case: Case) -> pa.Table:
    """One row per roster person: the ID number accounts are held by, name and den."""
    rows = [
        {column: person[column] for column in ("person_id", "name", "id_type", "den", *PROVENANCE)}
        for person in _records(case.tables["persons"])
        if person["person_id"]
    ]
    return _table(rows, ["person_id", "name", "id_type", "den", *PROVENANCE])


def _victim_list(case: Case) -> pa.Table:
    """One row per (reported victim, identifier): the keys a victim is found by.

    A victim is keyed by their normalized ID number, else their phone, else the list row.
    """
    rows: list[dict[str, object]] = []
    for victim in _records(case.tables["victims"]):
        id_number, phone, name = victim["id_number"], victim["phone"], victim["name"]
        key = id_number or phone or f"{victim['source_file']}#{victim['source_row']}"
        base = {
            "victim_key": key,
            "name": name,
            "source_file": victim["source_file"],
            "source_row": victim["source_row"],
            "source_sheet": victim["source_sheet"],
        }
        values: list[tuple[str, str | None]] = [("id", id_number), ("phone", phone), ("name", name)]
        values += [("account", str(a)) for a in victim["accounts"] or ()]
        values += [("payee", str(a)) for a in victim["payee_accounts"] or ()]
        for kind, value in values:
            if value:
                rows.append({**base, "kind": kind, "value": value})
    return _table(rows, ["victim_key", "name", "kind", "value", *PROVENANCE])


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of an Arrow-backed table as dicts of Python values, nulls as None and lists
    as lists (``iterrows`` builds a Series per row: seconds for ten thousand victims)."""
    rows: list[dict[str, Any]] = pa.Table.from_pandas(frame, preserve_index=False).to_pylist()
    return rows


def _known_accounts(case: Case) -> pa.Table:
    """case.toml's ``known_group_accounts``, normalized."""
    raw = case.config.facts.get("known_group_accounts", [])
    values = sorted({normalize_account(str(a)) for a in raw})
    return pa.table({"account": pa.array(values, pa.string())})


def _table(rows: list[dict[str, object]], columns: list[str]) -> pa.Table:
    frame = pd.DataFrame(rows, columns=columns)
    types = {"source_row": pa.int64()}
    return pa.table(
        {
            c: pa.array(
                frame[c].astype(object).where(frame[c].notna(), None).tolist(),
                types.get(c, pa.string()),
            )
            for c in columns
        }
    )
