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

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pandas as pd

from linkage.further.facts import Facts, VictimState
from linkage.further.parts import Affected, Part
from linkage.graph.amounts import AMOUNT_RULE, AmountRule
from linkage.graph.attribution import FIRST_ACT_BASIS, LAST_ACT_BASIS
from linkage.graph.roles import Role

__all__ = ["people_parts"]

ASKS = {
    "no_chat": "the chat accounts the callers wrote from, and an export of the victim's chats "
    "with them",
    "no_phone": "the phone numbers the callers reached",
    "group_line_absent": "the other phone numbers the callers reached",
    "no_transfer": "the accounts paid from and into, with the receipts",
    "no_own_statement": "the victim's bank accounts",
}
"""What to ask a victim for each gap no bank or carrier answers."""
LEADS = (
    "gives the numbers, handles and accounts to search the seized records and the "
    "statements for; the verdict or loss can change only through what those show"
)
"""What a victim's answers change: testimony is no link, but it says where to look."""

ONE_KIND = "the loss rests on one kind of evidence ({kind})"


def people_parts(
    facts: Facts,
    gaps: pd.DataFrame,
    asked_elsewhere: set[tuple[str, str]],
    stays: pd.DataFrame,
    defendants: pd.DataFrame,
    travel: pd.DataFrame,
) -> Iterator[Part]:
    """One part per victim to question again, then one per suspect whose period is open.
    ``asked_elsewhere`` holds the (victim, gap) pairs a bank or carrier already answers."""
    by_victim = {str(v): rows for v, rows in gaps.groupby("victim_id", sort=True)}
    for victim, state in sorted(facts.victims.items()):
        rows = by_victim.get(victim)
        part = _victim(state, rows, asked_elsewhere)
        if part is not None:
            yield part
    yield from _suspects(facts, stays, defendants, travel, facts.payment_days)


def _victim(
    state: VictimState, rows: pd.DataFrame | None, asked_elsewhere: set[tuple[str, str]]
) -> Part | None:
    """The questions for one victim, or None when banks and carriers answer every gap."""
    asks: list[str] = []
    affected: list[Affected] = []
    for code, gap in zip(rows["code"], rows["gap"], strict=True) if rows is not None else ():
        if code not in ASKS or (state.victim_id, str(gap)) in asked_elsewhere:
            continue
        if ASKS[code] not in asks:
            asks.append(ASKS[code])
        affected.append(Affected.of(state, str(gap), otherwise=LEADS))
    if state.verdict == "linked" and state.loss_fen > 0 and len(state.kinds) == 1:
        (kind,) = state.kinds
        asks.append("their account of the calls and chats, with the numbers and handles")
        affected.append(Affected.of(state, ONE_KIND.format(kind=kind), otherwise=LEADS))
    if not affected:
        return None
    return Part(
        to="people",
        addressee=f"victim {state.name}".strip(),
        subject_kind="victim",
        subject=state.victim_id,
        ask=("question the victim again: " if state.listed else "question the victim: ")
        + "; ".join(asks),
        spans=[state.days],
        affected=affected,
        provenance=(state.source_file, state.source_row, state.source_sheet),
    )


def _suspects(
    facts: Facts,
    stays: pd.DataFrame,
    defendants: pd.DataFrame,
    travel: pd.DataFrame,
    paid_on: dict[str, list[dt.date]],
) -> Iterator[Part]:
    """One part per suspect with a stay resting on one source of border records, or with
    records that disagree. ``paid_on`` holds each group's payment days: a stay's amount can
    change only if some fall near an end the records might move."""
    if stays.empty:
        return
    people = defendants.set_index("person_id")
    travel = travel.assign(day=pd.to_datetime(travel["crossed_on"], errors="coerce"))
    crossed = _crossing_days(travel)
    pad = dt.timedelta(days=facts.padding_days)
    for person, rows in stays.groupby("person_id", sort=True):
        person = str(person)
        open_stays = []
        spans: list[tuple[dt.date, dt.date] | None] = []
        for stay in rows.itertuples(index=False):
            first, last = _record_ends(stay, crossed)
            sources = _record_sources(travel, person, first, last)
            conflict = stay.conflict if isinstance(stay.conflict, str) and stay.conflict else ""
            if conflict:
                open_stays.append((stay, f"border records disagree ({conflict})"))
            elif len(sources) <= 1:
                said = next(iter(sources)) if sources else "no"
                where = f"the stay at {stay.den} from {stay.start_day} to {stay.end_day}"
                open_stays.append((stay, f"{where} rests on {said} records alone"))
            else:
                continue
            # the days to ask about: the stay as its records place it and as its period runs
            spans.append((min(first, _date(stay.start_day)), max(last, _date(stay.end_day))))
        if not open_stays:
            continue
        name = str(people.at[person, "name"]) if person in people.index else ""
        role = str(people.at[person, "role"]) if person in people.index else "unknown"
        by_period = AMOUNT_RULE.get(Role(role), AmountRule.PERIOD) is AmountRule.PERIOD
        near = sum(
            _payments_near(stay, paid_on.get(str(stay.group_id), []), pad) for stay, _ in open_stays
        )
        if by_period and near:
            change = (
                f"{name or person}'s period and amount: {near} of the group's payments "
                f"fall within {facts.padding_days} days of the stay's ends"
            )
        else:
            change = f"{name or person}'s period (no amount changes: " + (
                "no payment of the group falls near the stay's ends)"
                if by_period
                else f"the amount of a {role} does not follow the period)"
            )
        first = open_stays[0][0]
        yield Part(
            to="people",
            addressee=f"suspect {name}".strip(),
            subject_kind="suspect",
            subject=person,
            ask="the suspect's passport (entry and exit stamps), and the den country's "
            "border records of them",
            spans=spans,
            closes=[gap for _, gap in open_stays],
            changes=[change],
            person_ids={person},
            priority=2 if by_period and near else 3,
            provenance=(str(first.start_source_file), int(first.start_source_row), None),
        )


def _payments_near(stay: Any, days: list[dt.date], pad: dt.timedelta) -> int:
    """The payment days within ``pad`` of an end of the stay that a border record sets: an end
    at the seizure is not in doubt, and one a period rule put at the first or last act follows
    the acts, which a passport does not move."""
    ends = []
    if str(stay.start_basis) != FIRST_ACT_BASIS:
        ends.append(_date(stay.start_day))
    if str(stay.end_basis) not in ("seizure", LAST_ACT_BASIS):
        ends.append(_date(stay.end_day))
    return sum(1 for day in days if any(abs(day - end) <= pad for end in ends))


def _crossing_days(travel: pd.DataFrame) -> dict[tuple[str, int], dt.date]:
    """Each border record's day, by the (file, row) a stay's ends name it by."""
    known = travel.dropna(subset=["day", "source_row"])
    return {
        (str(file), int(row)): day.date()
        for file, row, day in zip(
            known["source_file"], known["source_row"], known["day"], strict=True
        )
    }


def _record_ends(stay: Any, crossed: dict[tuple[str, int], dt.date]) -> tuple[dt.date, dt.date]:
    """The days of the border records a stay was found from. A period rule of first or last
    acts moves ``start_day`` and ``end_day`` to acts but leaves the ends' source columns naming
    the records; an end no record sets (the seizure) keeps the stay's day."""

    def day_of(file: object, row: object, otherwise: object) -> dt.date:
        if isinstance(file, str) and pd.notna(row):
            return crossed.get((file, int(row)), _date(otherwise))  # type: ignore[call-overload]
        return _date(otherwise)

    return (
        day_of(stay.start_source_file, stay.start_source_row, stay.start_day),
        day_of(stay.end_source_file, stay.end_source_row, stay.end_day),
    )


def _date(value: object) -> dt.date:
    return dt.date.fromisoformat(str(value)[:10])


def _record_sources(travel: pd.DataFrame, person: str, first: dt.date, last: dt.date) -> set[str]:
    """The sources of a suspect's border records (``travel`` with its ``day``) from the day
    before ``first`` to the day after ``last``: Chinese immigration, the den country's
    police, passport stamps, ... as the records name them."""
    start = pd.Timestamp(first) - pd.Timedelta(days=1)
    end = pd.Timestamp(last) + pd.Timedelta(days=1)
    days = travel["day"]
    rows = travel[(travel["person_id"] == person) & (days >= start) & (days <= end)]
    named = rows["record_source"].fillna(rows["origin"]).astype(str)
    return set(named.tolist())
