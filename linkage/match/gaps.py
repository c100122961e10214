"""What evidence is missing for a victim, in words a prosecutor can act on.

A ``linked`` victim is what the defence attacks, so the missing kinds matter most: each gap
says what was looked for and why it was not found (no carrier records asked for, records with
no group line in them, an account the victim named that is not the group's, no statement).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from linkage.engine import Engine

__all__ = ["GAP_CODES", "EvidenceAtHand", "Gap", "missing_evidence", "victim_gaps"]


@dataclass(frozen=True)
class EvidenceAtHand:
    """The case-wide facts the gaps are phrased from, gathered once."""

    phones_with_records: frozenset[str]
    """Phones of the case's people (listed victims, bridges) whose own call records (carrier,
    handset) are in the case."""
    accounts_with_statements: frozenset[str]
    """Accounts whose statements (bank returns, victims' exports) are in the case."""
    group_accounts: frozenset[str]
    statements_without_account: tuple[str, ...] = ()
    """Files of statements in the case (victims' bills and downloads) whose account is not
    known: a credit card bill names its card by the last four digits only, a WeChat bill its
    owner by a nickname. A victim's own statement may be among them, unread as theirs until
    case.toml names the account."""

    @classmethod
    def of(cls, engine: Engine, group_accounts: set[str]) -> EvidenceAtHand:
        """Read from the rules' tables (``reached_calls`` holds every call record of a phone a
        victim can have)."""
        own = _values(engine, "SELECT DISTINCT own_number FROM reached_calls "
                              "WHERE origin <> 'seized' AND own_number IS NOT NULL")  # fmt: skip
        stated = _values(engine, "SELECT DISTINCT account FROM transactions "
                                 "WHERE origin <> 'seized' AND account IS NOT NULL")  # fmt: skip
        unnamed = _values(engine, "SELECT DISTINCT source_file FROM transactions "
                                  "WHERE origin <> 'seized' AND account IS NULL")  # fmt: skip
        return cls(own, stated, frozenset(group_accounts), tuple(sorted(unnamed)))


def _values(engine: Engine, sql: str) -> frozenset[str]:
    """The one column a statement returns, as a set."""
    return frozenset(engine.query(sql).column(0).to_pylist())


GAP_CODES = (
    "group_line_absent",
    "no_call_records",
    "no_phone",
    "no_chat",
    "no_transfer",
    "payee_not_group",
    "no_own_statement",
)
"""What a victim's evidence can lack, in the order the sentences are written. The requests
(``linkage.further``) answer each code with the evidence that would close it."""


@dataclass(frozen=True)
class Gap:
    """One thing missing for one victim: what kind of gap, its sentence, and the identifiers
    it is about (the phones without records, the payees not known as the group's, the
    victim's own accounts without a statement)."""

    code: str
    text: str
    subjects: tuple[str, ...] = ()


def missing_evidence(
    kinds: list[str], identifiers: list[tuple[str, str]], at_hand: EvidenceAtHand
) -> str:
    """The gaps of one victim, ``;``-joined; empty when every kind was found.

    >>> at_hand = EvidenceAtHand(frozenset(), frozenset(), frozenset({"622"}))
    >>> gaps = missing_evidence(["call"], [("phone", "+8613912345678"), ("payee", "9")], at_hand)
    >>> for gap in gaps.split("; "):
    ...     print(gap)
    no seized chat names the victim
    no transfer into a group account in the statements at hand
    the account the victim paid (9) is not known as a group account
    no statement of the victim's own accounts
    """
    return "; ".join(gap.text for gap in victim_gaps(kinds, identifiers, at_hand))


def victim_gaps(
    kinds: list[str], identifiers: list[tuple[str, str]], at_hand: EvidenceAtHand
) -> list[Gap]:
    """The gaps of one victim, in the order ``missing`` writes them.

    >>> at_hand = EvidenceAtHand(frozenset(), frozenset(), frozenset())
    >>> [(g.code, g.subjects) for g in victim_gaps(["chat", "transfer"], [("phone", "+86139")],
    ...                                            at_hand)]
    [('no_call_records', ('+86139',))]
    """
    values: dict[str, list[str]] = {}
    for kind, value in identifiers:
        values.setdefault(kind, []).append(value)
    gaps = []
    if "call" not in kinds:
        phones = tuple(sorted(set(values.get("phone", []))))
        if any(p in at_hand.phones_with_records for p in phones):
            gaps.append(Gap("group_line_absent", "the victim's call records show no group "
                            "line, and no seized dial list calls their phone", phones))  # fmt: skip
        elif phones:
            gaps.append(Gap("no_call_records", "no seized dial list calls the victim's phone; "
                            "no carrier records for it", phones))  # fmt: skip
        else:
            gaps.append(Gap("no_phone", "no phone number known for the victim"))
    if "chat" not in kinds:
        gaps.append(Gap("no_chat", "no seized chat names the victim"))
    if "transfer" not in kinds:
        gaps.append(Gap("no_transfer",
                        "no transfer into a group account in the statements at hand"))  # fmt: skip
        payees = tuple(sorted({p for p in values.get("payee", [])
                               if p not in at_hand.group_accounts}))  # fmt: skip
        if payees:
            paid = f"the account the victim paid ({', '.join(payees)})"
            gaps.append(Gap("payee_not_group", f"{paid} is not known as a group account", payees))
        accounts = tuple(sorted(set(values.get("account", []))))
        if not any(a in at_hand.accounts_with_statements for a in accounts):
            gaps.append(Gap("no_own_statement", "no statement of the victim's own accounts"
                            + _unnamed(at_hand), accounts))  # fmt: skip
    return gaps


def _unnamed(at_hand: EvidenceAtHand) -> str:
    """What to add when statements of unknown cards are in the case (none: nothing).

    >>> _unnamed(EvidenceAtHand(frozenset(), frozenset(), frozenset(), ("a.csv", "b.csv")))
    ' (2 statements in the case belong to no known account, a.csv, b.csv: give each its \
owner in case.toml)'
    """
    files = at_hand.statements_without_account
    if not files:
        return ""
    shown = ", ".join(files[:3]) + (", …" if len(files) > 3 else "")
    return (
        f" ({len(files)} statements in the case belong to no known account, {shown}: "
        "give each its owner in case.toml)"
    )


def identifiers_by_victim(victim_ids: pd.DataFrame) -> dict[str, list[tuple[str, str]]]:
    """Each victim's (kind, value) pairs."""
    grouped: dict[str, list[tuple[str, str]]] = {}
    columns = (victim_ids[name].tolist() for name in ("victim_key", "kind", "value"))
    for key, kind, value in zip(*columns, strict=True):
        grouped.setdefault(key, []).append((kind, value))
    return grouped
