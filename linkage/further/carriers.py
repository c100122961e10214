"""Requests to carriers: call records that would show the group's lines reaching a victim.

- A victim's phone no dial list reached and no carrier record covers: its call records.
- A victim whose own records are in the case but show no group line, or whose phone is not
  known: the numbers registered under their ID number, with their records (the group may
  have called another of them).
- The group's own Chinese mobiles (from the roster or the chats; a dial list's display
  numbers are the gateway's and no carrier holds their calls) whose records are not in the
  case, when the group has victims without call evidence: one request per group and carrier.

The carrier of a mainland mobile is read from its number block as allocated; a number ported
to another carrier since must be asked of that one.
"""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd

from linkage.further.facts import Facts
from linkage.further.parts import Affected, Part

__all__ = ["carrier_of", "carrier_parts"]

BLOCKS = {
    "China Mobile (中国移动)": (
        "134",
        "135",
        "136",
        "137",
        "138",
        "139",
        "147",
        "150",
        "151",
        "152",
        "157",
        "158",
        "159",
        "172",
        "178",
        "182",
        "183",
        "184",
        "187",
        "188",
        "195",
        "197",
        "198",
    ),
    "China Unicom (中国联通)": (
        "130",
        "131",
        "132",
        "145",
        "155",
        "156",
        "166",
        "175",
        "176",
        "185",
        "186",
        "196",
    ),
    "China Telecom (中国电信)": (
        "133",
        "149",
        "153",
        "173",
        "177",
        "180",
        "181",
        "189",
        "190",
        "191",
        "193",
        "199",
    ),
}
"""Mainland mobile number blocks by the carrier they were allocated to. The blocks resold by
virtual operators (170, 171, 162, 165, 167) are left to "the carrier of" the number."""

CARRIER_OF_BLOCK = {block: name for name, blocks in BLOCKS.items() for block in blocks}
EVERY_CARRIER = "China Mobile, China Unicom and China Telecom (numbers registered to an ID)"
CALL = frozenset({"call"})
GROUP_LINE = "if they show a call with a group line"
CALL_GAPS = ("no_call_records", "group_line_absent", "no_phone")


def carrier_of(phone: str) -> str:
    """The carrier a phone's number block was allocated to, or "the carrier of" it.

    >>> carrier_of("+8613912345678"), carrier_of("+8618912345678")
    ('China Mobile (中国移动)', 'China Telecom (中国电信)')
    >>> carrier_of("+861087765427")
    'the carrier of +861087765427'
    """
    if phone.startswith("+861") and len(phone) == 14:
        found = CARRIER_OF_BLOCK.get(phone[3:6])
        if found:
            return found
    return f"the carrier of {phone}"


def carrier_parts(facts: Facts, gaps: pd.DataFrame, group_phones: pd.DataFrame) -> Iterator[Part]:
    """Every carrier request part, victims' phones and ID numbers first, then the groups'
    numbers."""
    lacking: dict[str, list[tuple[str, str]]] = {}
    for row in gaps[gaps["code"].isin(CALL_GAPS)].itertuples(index=False):
        state = facts.victims.get(str(row.victim_id))
        if state is None:
            continue
        provenance = (state.source_file, state.source_row, state.source_sheet)
        if state.group_id:
            lacking.setdefault(state.group_id, []).append((state.victim_id, str(row.gap)))
        if row.code == "no_call_records":
            for phone in str(row.subjects).split(";"):
                yield Part(
                    to="carrier",
                    addressee=carrier_of(phone),
                    subject_kind="phone",
                    subject=phone,
                    ask=f"call detail records of {phone}",
                    spans=[state.days],
                    affected=[Affected.of(state, str(row.gap), CALL, condition=GROUP_LINE)],
                    provenance=provenance,
                )
        elif state.id_number:
            yield Part(
                to="carrier",
                addressee=EVERY_CARRIER,
                subject_kind="id_number",
                subject=state.id_number,
                ask=f"the numbers registered under ID number {state.id_number}, with their "
                "call detail records",
                spans=[state.days],
                affected=[Affected.of(state, str(row.gap), CALL, condition=GROUP_LINE)],
                provenance=provenance,
            )
    yield from _group_numbers(facts, lacking, group_phones)


def _group_numbers(
    facts: Facts, lacking: dict[str, list[tuple[str, str]]], group_phones: pd.DataFrame
) -> Iterator[Part]:
    """One part per group and carrier for the group's mainland mobiles without records."""
    mobiles = group_phones[
        (group_phones["kind"] == "phone")
        & (group_phones["rule"] != "dial_list")
        & group_phones["identifier"].astype(str).str.match(r"^\+861\d{10}$")
        & ~group_phones["identifier"].isin(facts.phones_with_records)
    ]
    for group, victims in sorted(lacking.items()):
        numbers = sorted(set(mobiles.loc[mobiles["group_id"] == group, "identifier"].astype(str)))
        by_carrier: dict[str, list[str]] = {}
        for phone in numbers:
            by_carrier.setdefault(carrier_of(phone), []).append(phone)
        for carrier, phones in sorted(by_carrier.items()):
            first = mobiles[mobiles["identifier"].isin(phones)].iloc[0]
            part = Part(
                to="carrier",
                addressee=carrier,
                subject_kind="phones",
                subject=";".join(phones),
                ask=f"call detail records of group {group}'s {len(phones)} number"
                f"{'s' if len(phones) > 1 else ''}",
                provenance=(
                    str(first["source_file"]),
                    int(first["source_row"]),
                    None if pd.isna(first["source_sheet"]) else str(first["source_sheet"]),
                ),
            )
            for victim, gap in victims:
                state = facts.victims[victim]
                part.spans.append(state.days)
                part.affected.append(
                    Affected.of(state, gap, CALL, condition="if they show calls to the victim")
                )
            yield part
