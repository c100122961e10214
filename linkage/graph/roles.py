"""Roles from behaviour, with the roster's note as evidence beside it, never above it.

- A member whose extension took legs of forwarded chains, or whom a den's ledger credits with a
  line, holds the line most of that evidence shows (first, second or third).
- The roster's 组织者 makes an organiser of a member who took no legs (organisers do not
  call; the note is then the evidence, with the reports and ledger they kept). One who did
  take legs holds the line they show, and the disagreement is reported.
- A member whose phone a bank has on file for a mule account of the group (grown from the
  returns) holds or operates it: a money mule. One whose phone is on file for a designated
  account supplied that card kit: support (card supplier), unless the roster says 水房.
- Otherwise the roster's note, else ``unknown``.

Every role keeps the evidence behind it (``roles_evidence``) and whether the roster agrees.
"""

from __future__ import annotations

import pandas as pd

__all__ = ["ROLE_OF_POSITION", "assign_roles"]

ROLE_OF_POSITION = {1: "first_line", 2: "second_line", 3: "third_line"}
ROLES = ("organiser", "first_line", "second_line", "third_line", "money_mule", "support")


def assign_roles(
    persons: pd.DataFrame, positions: pd.DataFrame, held: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(roles, evidence): one role per person, and one evidence row per fact behind it.

    ``held`` lists (person_id, account, group_id, layer) for the group accounts whose bank
    record carries the person's phone; ``layer`` is ``designated`` or ``mule``.
    """
    votes = positions.groupby(["person_id", "position"]).size().unstack(fill_value=0)
    holds = held.groupby("person_id")["layer"].agg(set).to_dict()
    rows = []
    for person in persons.itertuples(index=False):
        noted = person.role if isinstance(person.role, str) else "unknown"
        counts = votes.loc[person.person_id] if person.person_id in votes.index else None
        role, basis = _role(noted, counts, holds.get(person.person_id, set()))
        rows.append(
            {
                "person_id": person.person_id,
                "role": role,
                "subrole": _subrole(person.role_noted, role),
                "role_noted": person.role_noted if isinstance(person.role_noted, str) else None,
                "roster_agrees": noted == role if isinstance(person.role_noted, str) else None,
                "role_basis": basis,
            }
        )
    roles = pd.DataFrame(rows)
    return roles, _evidence(persons, positions, held)


def _role(noted: str, counts: pd.Series | None, layers: set[str]) -> tuple[str, str]:
    if counts is not None and counts.sum() > 0:
        top = counts.max()
        best = sorted(p for p, n in counts.items() if n == top)
        position = next((p for p in best if ROLE_OF_POSITION[int(p)] == noted), best[0])
        shares = ", ".join(f"{ROLE_OF_POSITION[int(p)]} {n}" for p, n in counts.items() if n)
        return ROLE_OF_POSITION[int(position)], f"chain legs and ledger credits: {shares}"
    if noted == "organiser":
        return "organiser", "the roster names them organiser and they took no calls"
    if "mule" in layers:
        return "money_mule", "the bank has their phone on file for a mule account of the group"
    if noted == "money_mule" and layers:
        return "money_mule", "the roster names them 水房 and a group account carries their phone"
    if "designated" in layers:
        return "support", "the bank has their phone on file for a designated account (card kit)"
    if noted in ROLES:
        return noted, "the roster's note only"
    return "unknown", "no evidence of a role"


def _subrole(noted: object, role: str) -> str | None:
    if isinstance(noted, str) and "培训" in noted:
        return "trainer"
    if role == "support":
        return "card_supplier"
    return None


def _evidence(persons: pd.DataFrame, positions: pd.DataFrame, held: pd.DataFrame) -> pd.DataFrame:
    """The facts behind the roles, one row each, with the file and row that show it."""
    legs = positions.assign(
        role_shown=positions["position"].map(lambda p: ROLE_OF_POSITION[int(p)]),
        detail=positions["evidence"],
    )[["person_id", "role_shown", "detail", "t", "source_file", "source_row"]]
    accounts = held.assign(
        role_shown=held["layer"].map({"mule": "money_mule", "designated": "support"}),
        detail="bank's phone on file for group account " + held["account"],
        t=pd.NA,
    )[["person_id", "role_shown", "detail", "t", "source_file", "source_row"]]
    notes = persons[persons["role_noted"].notna()]
    noted = pd.DataFrame(
        {
            "person_id": notes["person_id"],
            "role_shown": notes["role"].fillna("unknown"),
            "detail": "roster note " + notes["role_noted"].astype(str),
            "t": pd.NA,
            "source_file": notes["source_file"],
            "source_row": notes["source_row"],
        }
    )
    evidence = pd.concat([noted, legs, accounts], ignore_index=True)
    return evidence.sort_values(
        ["person_id", "source_file", "source_row"], kind="stable", na_position="first"
    ).reset_index(drop=True)
