"""People to question again: victims whose evidence only they can complete, and suspects
whose period rests on one border record or on records that disagree.

A victim is asked once, for everything the banks and carriers cannot answer: the chat
accounts the callers wrote from (a seized chat names a victim by their phone, account or ID;
a victim's own export shows the handles to search for), their phone when none is known and
no ID number can find it, the accounts they paid from and into when their statements at hand
show nothing, and, when the loss rests on the transfers alone, their account of the calls.

A suspect is asked for their passport (its stamps), and the den country's border police for
their records, where the stay that sets the period rests on one source of records, or where
Chinese and den-country records disagree by more than a day.
"""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd

from linkage.further.facts import Facts, VictimState
from linkage.further.parts import Affected, Part
from linkage.graph.amounts import AMOUNT_RULE, AmountRule
from linkage.graph.roles import Role

__all__ = ["people_parts"]

ASKS = {
    "no_chat": ("chat", "the chat accounts the callers wrote from, and an export of the "
                "victim's chats with them"),
    "no_phone": ("call", "the phone numbers the callers reached"),
    "no_transfer": ("transfer", "the accounts paid from and into, with the receipts"),
}  # fmt: skip
"""Per victim gap asked of the victim: the kind of evidence it can bring, and what to ask."""

ONE_KIND = "the loss rests on one kind of evidence ({kind})"


def people_parts(facts: Facts, gaps: pd.DataFrame, asked_elsewhere: set[tuple[str, str]],
                 stays: pd.DataFrame, defendants: pd.DataFrame,
                 travel: pd.DataFrame) -> Iterator[Part]:  # fmt: skip
    """One part per victim to question again, then one per suspect whose period is open.
    ``asked_elsewhere`` holds the (victim, gap) pairs a bank or carrier already answers."""
    by_victim = {str(v): rows for v, rows in gaps.groupby("victim_id", sort=True)}
    for victim, state in sorted(facts.victims.items()):
        rows = by_victim.get(victim)
        part = _victim(state, rows, asked_elsewhere)
        if part is not None:
            yield part
    yield from _suspects(facts, stays, defendants, travel)


def _victim(state: VictimState, rows: pd.DataFrame | None,
            asked_elsewhere: set[tuple[str, str]]) -> Part | None:  # fmt: skip
    """The questions for one victim, or None when banks and carriers answer every gap."""
    asks: list[str] = []
    affected: list[Affected] = []
    for code, gap in zip(rows["code"], rows["gap"], strict=True) if rows is not None else ():
        if code not in ASKS or (state.victim_id, str(gap)) in asked_elsewhere:
            continue
        kind, ask = ASKS[code]
        asks.append(ask)
        affected.append(Affected.of(state, str(gap), frozenset({kind}),
                                    loss_may_rise=kind == "transfer"))  # fmt: skip
    if state.verdict == "linked" and state.loss_fen > 0 and len(state.kinds) == 1:
        (kind,) = state.kinds
        lacking = frozenset({"call", "chat"}) - state.kinds
        asks.append("their account of the calls and chats, with the numbers and handles")
        affected.append(Affected.of(state, ONE_KIND.format(kind=kind), lacking))
    if not affected:
        return None
    return Part(
        to="people", addressee=f"victim {state.name}".strip(), subject_kind="victim",
        subject=state.victim_id, ask="question the victim again: " + "; ".join(asks),
        spans=[state.days], affected=affected,
        provenance=(state.source_file, state.source_row, state.source_sheet),
    )  # fmt: skip


def _suspects(facts: Facts, stays: pd.DataFrame, defendants: pd.DataFrame,
              travel: pd.DataFrame) -> Iterator[Part]:  # fmt: skip
    """One part per suspect with a stay resting on one source of border records, or with
    records that disagree."""
    if stays.empty:
        return
    people = defendants.set_index("person_id")
    for person, rows in stays.groupby("person_id", sort=True):
        person = str(person)
        open_stays = []
        for stay in rows.itertuples(index=False):
            sources = _record_sources(travel, person, str(stay.start_day), str(stay.end_day))
            conflict = stay.conflict if isinstance(stay.conflict, str) and stay.conflict else ""
            if conflict:
                open_stays.append((stay, f"border records disagree ({conflict})"))
            elif len(sources) <= 1:
                said = next(iter(sources)) if sources else "no"
                where = f"the stay at {stay.den} from {stay.start_day} to {stay.end_day}"
                open_stays.append((stay, f"{where} rests on {said} records alone"))
        if not open_stays:
            continue
        name = str(people.at[person, "name"]) if person in people.index else ""
        role = str(people.at[person, "role"]) if person in people.index else "unknown"
        by_period = AMOUNT_RULE.get(Role(role), AmountRule.PERIOD) is AmountRule.PERIOD
        first = open_stays[0][0]
        yield Part(
            to="people", addressee=f"suspect {name}".strip(), subject_kind="suspect",
            subject=person,
            ask="the suspect's passport (entry and exit stamps), and the den country's "
                "border records of them",
            spans=[(pd.Timestamp(s.start_day).date(), pd.Timestamp(s.end_day).date())
                   for s, _ in open_stays],
            closes=[gap for _, gap in open_stays],
            changes=[f"{name or person}'s period" + (" and amount (period rule)"
                                                    if by_period else "")],
            person_ids={person}, priority=2 if by_period else 3,
            provenance=(str(first.start_source_file), int(first.start_source_row), None),
        )  # fmt: skip


def _record_sources(travel: pd.DataFrame, person: str, first: str, last: str) -> set[str]:
    """The sources of a suspect's border records from the day before ``first`` to the day
    after ``last``: Chinese immigration, the den country's police, passport stamps, ... as
    the records name them."""
    days = pd.to_datetime(travel["crossed_on"], errors="coerce")
    start = pd.Timestamp(first) - pd.Timedelta(days=1)
    end = pd.Timestamp(last) + pd.Timedelta(days=1)
    rows = travel[(travel["person_id"] == person) & (days >= start) & (days <= end)]
    named = rows["record_source"].fillna(rows["origin"]).astype(str)
    return set(named.tolist())
