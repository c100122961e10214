"""What evidence is missing for a victim, in words a prosecutor can act on.

A ``linked`` victim is what the defence attacks, so the missing kinds matter most: each gap
says what was looked for and why it was not found (no carrier records asked for, records with
no group line in them, an account the victim named that is not the group's, no statement).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from linkage.load.case import Case

__all__ = ["EvidenceAtHand", "missing_evidence"]


@dataclass(frozen=True)
class EvidenceAtHand:
    """The case-wide facts the gaps are phrased from, gathered once."""

    phones_with_records: frozenset[str]
    """Numbers whose own call records (carrier, handset) are in the case."""
    accounts_with_statements: frozenset[str]
    """Accounts whose statements (bank returns, victims' exports) are in the case."""
    group_accounts: frozenset[str]

    @classmethod
    def of(cls, case: Case, group_accounts: set[str]) -> EvidenceAtHand:
        own = _not_seized(case.tables["calls"], "own_number")
        stated = _not_seized(case.tables["transactions"], "account")
        return cls(own, stated, frozenset(group_accounts))


def _not_seized(table: pd.DataFrame, column: str) -> frozenset[str]:
    """The distinct values of ``column`` in rows not seized from the group (filtered in
    Arrow: a pandas mask over ten million calls copies the column first)."""
    elsewhere = pc.not_equal(pa.array(table["origin"].array), "seized")
    values = pc.unique(pc.filter(pa.array(table[column].array), elsewhere))
    return frozenset(v for v in values.to_pylist() if v is not None)


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
    values: dict[str, list[str]] = {}
    for kind, value in identifiers:
        values.setdefault(kind, []).append(value)
    gaps = []
    if "call" not in kinds:
        phones = values.get("phone", [])
        if any(p in at_hand.phones_with_records for p in phones):
            gaps.append("the victim's call records show no group line, and no seized dial list "
                        "calls their phone")  # fmt: skip
        elif phones:
            gaps.append("no seized dial list calls the victim's phone; no carrier records for it")
        else:
            gaps.append("no phone number known for the victim")
    if "chat" not in kinds:
        gaps.append("no seized chat names the victim")
    if "transfer" not in kinds:
        gaps.append("no transfer into a group account in the statements at hand")
        payees = [p for p in values.get("payee", []) if p not in at_hand.group_accounts]
        if payees:
            gaps.append(
                f"the account the victim paid ({', '.join(sorted(set(payees)))}) is not known "
                "as a group account"
            )
        accounts = values.get("account", [])
        if not any(a in at_hand.accounts_with_statements for a in accounts):
            gaps.append("no statement of the victim's own accounts")
    return "; ".join(gaps)


def identifiers_by_victim(victim_ids: pd.DataFrame) -> dict[str, list[tuple[str, str]]]:
    """Each victim's (kind, value) pairs."""
    grouped: dict[str, list[tuple[str, str]]] = {}
    columns = (victim_ids[name].tolist() for name in ("victim_key", "kind", "value"))
    for key, kind, value in zip(*columns, strict=True):
        grouped.setdefault(key, []).append((kind, value))
    return grouped
