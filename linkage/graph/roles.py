"""Roles from behaviour, with the roster's note as evidence beside it, never above it.

Each member's role is the first of these that their acts show:

1. **Organiser**: they ran the group. They designated the group's receiving accounts in a seized
   chat, or posted instructions and targets to it (``graph/management.py``), and took fewer
   calls and chain legs than that (organisers do not call, or hardly), or the roster names them
   组织者 too (a boss who closes some calls himself).
2. **First, second or third line**: their extension took legs of forwarded chains (the hops
   from the auto-dialer, ``graph/acts.py``), or a den's ledger credits them with a line; the
   line most of that evidence shows.
3. The roster's 组织者, for a member who took no legs: the note is then the evidence.
4. **Money mule**: at no den, they hold a group account, in their own name (the bank's holder
   ID is theirs) or as its operator (the bank has their phone on file for a mule layer, one
   grown from the group's own payments). Whatever the roster says. A den member's own card
   makes nobody a mule: callers use their own cards too.
5. **Support (card supplier)**: at no den, the bank has their phone on file for a collecting
   account in another person's name: the card kit came with their SIM.
6. The roster's note, for anyone else it names.
7. **Support**: at a den (a stay there) with no extension on the roster and no call: den staff
   who take no calls, such as a technician.
8. ``unknown``: no evidence of a role. A caller whose calls were all dialled by hand, or whose
   extension placed no call in the seized dial lists, is one: every line dials by hand (calls
   back), so nothing in the case says which line they held.

Every role keeps the facts behind it (``roles_evidence``, each with its file and row) and
whether the roster agrees; where behaviour and note disagree, the attribution lists it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import pandas as pd

__all__ = ["ROLE_OF_POSITION", "Role", "assign_roles", "held_as_mule", "listed"]


class Role(StrEnum):
    """The roles of the contract's ``defendants.role``."""

    ORGANISER = "organiser"
    FIRST_LINE = "first_line"
    SECOND_LINE = "second_line"
    THIRD_LINE = "third_line"
    MONEY_MULE = "money_mule"
    SUPPORT = "support"
    UNKNOWN = "unknown"


ROLE_OF_POSITION = {1: Role.FIRST_LINE, 2: Role.SECOND_LINE, 3: Role.THIRD_LINE}

HOW_HELD = {
    "holder": "holder of group account ",
    "phone": "bank's phone on file for group account ",
}


def assign_roles(
    persons: pd.DataFrame,
    positions: pd.DataFrame,
    held: pd.DataFrame,
    management: pd.DataFrame,
    stays: pd.DataFrame,
    calls: dict[str, int],
    organiser_directives: int,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(roles, evidence): one role per person, and one evidence row per fact behind it.

    ``held`` lists (person_id, account, group_id, layer, how) for the group accounts a person
    holds: ``layer`` ``designated`` (collecting) or ``mule``; ``how`` ``holder`` (their own
    name) or ``phone`` (their phone on file). ``management`` lists their management acts
    (``designation`` or ``directive``); ``stays`` their stays at the dens; ``calls`` the
    dial-list rows on each member's extension.
    """
    votes = positions.groupby(["person_id", "position"]).size().unstack(fill_value=0)
    acts = management.groupby(["person_id", "act"]).size().unstack(fill_value=0)
    at_den = set(stays["person_id"])
    holders = set(held.loc[held_as_mule(held), "person_id"])
    suppliers = set(held["person_id"])
    rows = []
    for person in persons.itertuples(index=False):
        noted = Role(person.role) if isinstance(person.role, str) else Role.UNKNOWN
        counts = votes.loc[person.person_id] if person.person_id in votes.index else None
        managed = acts.loc[person.person_id] if person.person_id in acts.index else None
        behaviour = Behaviour(
            legs=counts,
            designations=int(managed.get("designation", 0)) if managed is not None else 0,
            directives=int(managed.get("directive", 0)) if managed is not None else 0,
            holds=person.person_id in holders,
            supplies=person.person_id in suppliers,
            at_den=person.person_id in at_den,
            extension=len(listed(person.extensions)) > 0,
            calls=calls.get(person.person_id, 0),
        )
        role, basis = behaviour.role(noted, organiser_directives)
        has_note = isinstance(person.role_noted, str)
        rows.append(
            {
                "person_id": person.person_id,
                "role": str(role),
                "subrole": _subrole(person.role_noted, role, basis),
                "role_noted": person.role_noted if has_note else None,
                "roster_agrees": noted == role if has_note else None,
                "role_basis": basis,
            }
        )
    columns = ["person_id", "role", "subrole", "role_noted", "roster_agrees", "role_basis"]
    roles = pd.DataFrame(rows, columns=columns)  # the columns even for a case with no roster
    return roles, _evidence(persons, positions, held, management)


@dataclass(frozen=True)
class Behaviour:
    """What one member's acts show, and the role the rules above read from them."""

    legs: pd.Series | None
    """Chain legs and ledger credits per position, or None."""
    designations: int
    directives: int
    holds: bool
    """Holds a group account in their own name, or operates a mule layer."""
    supplies: bool
    """Their phone is on file for some group account."""
    at_den: bool
    extension: bool
    calls: int

    def role(self, noted: Role, organiser_directives: int) -> tuple[Role, str]:
        legs = int(self.legs.sum()) if self.legs is not None else 0
        managed = self.designations + self.directives
        runs = self.designations > 0 or self.directives >= organiser_directives
        calling = max(legs, self.calls)
        if runs and (calling < managed or noted == Role.ORGANISER):
            return Role.ORGANISER, (
                f"management acts: {self.designations} account designation(s), "
                f"{self.directives} instruction(s) to the group; {legs} chain leg(s), "
                f"{self.calls} call(s)"
            )
        if legs:
            return self._line(noted)
        if noted == Role.ORGANISER:
            return Role.ORGANISER, "the roster names them organiser and they took no calls"
        if self.holds and not self.at_den:
            return Role.MONEY_MULE, (
                "holds a group account: in their own name, or the bank has their phone on file "
                "for a mule layer"
            )
        if self.supplies and not self.at_den:
            return Role.SUPPORT, (
                "the bank has their phone on file for a collecting account in another's name "
                "(card kit)"
            )
        if noted != Role.UNKNOWN:
            return noted, "the roster's note only"
        if self.calls:
            return Role.UNKNOWN, "calls on their extension, none of them a leg of a forwarded chain"
        if self.at_den and not self.extension:
            return Role.SUPPORT, "at a den with no extension on the roster and no call"
        if self.extension:
            return Role.UNKNOWN, "an extension on the roster, but no call on it in the dial lists"
        return Role.UNKNOWN, "no evidence of a role"

    def _line(self, noted: Role) -> tuple[Role, str]:
        assert self.legs is not None
        counts = self.legs[self.legs > 0]
        top = counts.max()
        best = sorted(int(p) for p, n in counts.items() if n == top)
        position = next((p for p in best if ROLE_OF_POSITION[p] == noted), best[0])
        shares = ", ".join(f"{ROLE_OF_POSITION[int(p)]} {n}" for p, n in counts.items())
        return ROLE_OF_POSITION[position], f"chain legs and ledger credits: {shares}"


def held_as_mule(held: pd.DataFrame) -> pd.Series:
    """Which holdings make a mule's: a group account in their own name, or a mule layer they
    operate (the rest are phones on file for a collecting card: a card kit)."""
    return (held["how"] == "holder") | (held["layer"] == "mule")


def listed(values: object) -> list[str]:
    """A list cell (Arrow list, numpy array) as strings; nothing for a null."""
    if values is None or isinstance(values, str | float):
        return []
    return [str(v) for v in values]  # type: ignore[attr-defined]


def _subrole(noted: object, role: Role, basis: str) -> str | None:
    if isinstance(noted, str) and "培训" in noted:
        return "trainer"
    kit = isinstance(noted, str) and ("卡商" in noted or "卡头" in noted)
    if role == Role.SUPPORT and ("card kit" in basis or kit):
        return "card_supplier"
    if role == Role.SUPPORT and isinstance(noted, str) and "技术" in noted:
        return "technician"
    return None


def _evidence(
    persons: pd.DataFrame, positions: pd.DataFrame, held: pd.DataFrame, management: pd.DataFrame
) -> pd.DataFrame:
    """The facts behind the roles, one row each, with the file and row that show it."""
    columns = ["person_id", "role_shown", "detail", "t", "source_file", "source_row"]
    legs = positions.assign(
        role_shown=positions["position"].map(lambda p: str(ROLE_OF_POSITION[int(p)])),
        detail=positions["evidence"],
    )[columns]
    accounts = held.assign(
        role_shown=held_as_mule(held).map({True: str(Role.MONEY_MULE), False: str(Role.SUPPORT)}),
        detail=held["how"].map(HOW_HELD) + held["account"],
        t=pd.NA,
    )[columns]
    managing = management.assign(role_shown=str(Role.ORGANISER))[columns]
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
    evidence = pd.concat([noted, legs, managing, accounts], ignore_index=True)
    return evidence.sort_values(
        ["person_id", "source_file", "source_row"], kind="stable", na_position="first"
    ).reset_index(drop=True)
