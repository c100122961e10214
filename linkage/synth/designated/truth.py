"""The ground truth of a designated-accounts case, in the first world's files and columns.

Computed from this world's events by the rules of DOMAIN.md and the library's documented
defaults, so that a test can hold any run against it. Where this world differs from the first,
the difference is in the evidence, not in the rules: a victim's call may be known only from
their own carrier records, a group card is the group's because an organiser designated it and
a mule on the roster holds it, and a mule's amount is what entered the cards they hold.
"""

from __future__ import annotations

import datetime as dt

from linkage.synth.designated.events import BEIJING, Person, Stay, Transfer, Victim, World
from linkage.synth.designated.records import FLIGHT
from linkage.synth.files import Planted, planted_rows
from linkage.synth.truth import GroundTruth, group_account_rows

__all__ = ["ground_truth", "stay_days"]

STRONG = frozenset({"id", "phone", "card"})
"""Identifiers that name a victim on their own; a name needs another kind of evidence beside it."""


def _iso(at: dt.datetime | None) -> str:
    return at.astimezone(BEIJING).isoformat() if at else ""


def stay_days(person: Person, stay: Stay, seized_at: dt.datetime) -> tuple[dt.date, dt.date]:
    """First and last day of a stay in the den's zone, both inclusive (DOMAIN.md §5b).

    Mainland members: from leaving China to coming back (or the seizure day). Members from
    Taiwan, known to the den country's records only: from entering it to leaving it.
    """
    zone = stay.den.zone
    if person.taiwanese:
        start = (stay.departs_at + FLIGHT).astimezone(zone).date()
        end = stay.returns_at - FLIGHT if stay.returns_at else seized_at
    else:
        start = stay.departs_at.astimezone(zone).date()
        end = stay.returns_at or seized_at
    return start, end.astimezone(zone).date()


def _verdict(kinds: list[str]) -> str:
    """Two kinds corroborate; one links (the legal minimum); none leaves the victim unlinked."""
    return "corroborated" if len(kinds) >= 2 else "linked" if kinds else "unlinked"


class _Evidence:
    """What the written files hold about each victim: call times, chats, payments."""

    def __init__(self, world: World) -> None:
        self.calls: dict[str, list[dt.datetime]] = {}
        for leg in world.legs:
            if leg.victim and leg.logged:
                self.calls.setdefault(leg.victim, []).append(leg.started_at)
        for call in world.carrier_calls:
            self.calls.setdefault(call.victim, []).append(call.at)
        self.chats: dict[str, list[tuple[dt.datetime, frozenset[str]]]] = {}
        for message in world.messages:
            if message.victim:
                self.chats.setdefault(message.victim, []).append(
                    (message.sent_at, message.names_by)
                )
        group_cards = {a.number for a in world.accounts.values() if a.layer == 1 and a.group_id}
        self.payments: dict[str, list[Transfer]] = {}
        self.refunds: dict[str, list[Transfer]] = {}
        for t in world.transfers:
            if t.victim and t.purpose == "payment" and t.target in group_cards:
                self.payments.setdefault(t.victim, []).append(t)
            if t.victim and t.purpose == "refund" and t.at < world.plan.seized_at:
                self.refunds.setdefault(t.victim, []).append(t)

    def kinds(self, victim: Victim) -> tuple[list[str], list[dt.datetime]]:
        """The victim's kinds of evidence and the times of every piece that counts."""
        calls = self.calls.get(victim.key, [])
        payments = self.payments.get(victim.key, [])
        other = bool(calls or payments)
        chats = [at for at, by in self.chats.get(victim.key, []) if by & STRONG or other]
        kinds = [
            k for k, found in (("call", calls), ("chat", chats), ("transfer", payments)) if found
        ]
        return kinds, calls + chats + [t.at for t in payments]


def ground_truth(
    world: World,
    planted: list[Planted],
    calls_placed: dict[str, int],
    messages_sent: dict[str, int],
) -> GroundTruth:
    """Every truth table of the case, from the world and what the writers report placing.

    ``calls_placed`` and ``messages_sent`` come from the writers, not the world: the 人次 a
    member is charged with are the rows on their extension that reached the file (noise and
    planted rejects included or not exactly as written)."""
    evidence = _Evidence(world)
    victims = []
    linked: set[str] = set()
    net: dict[str, int] = {}
    for victim in world.victims:
        kinds, times = evidence.kinds(victim) if victim.group_id else ([], [])
        if kinds:
            linked.add(victim.key)
        payments = evidence.payments.get(victim.key, [])
        refunds = evidence.refunds.get(victim.key, [])
        for t in payments:
            net[t.serial] = t.amount_fen - sum(
                r.amount_fen for r in refunds if r.answers == t.serial
            )
        gross = sum(t.amount_fen for t in payments)
        refund = sum(t.amount_fen for t in refunds)
        elsewhere = sum(
            t.amount_fen
            for t in world.transfers
            if t.victim == victim.key and t.purpose == "other_group"
        )
        victims.append(
            {
                "victim_id": victim.id_number,
                "name": victim.name,
                "phone": victim.phone,
                "card": victim.card,
                "group_id": victim.group_id or "",
                "scenario": victim.scenario,
                "reported": str(victim.reported).lower(),
                "expected_verdict": _verdict(kinds),
                "evidence_kinds": ";".join(kinds),
                "gross_fen": gross,
                "refund_fen": refund,
                "loss_fen": gross - refund,
                "paid_elsewhere_fen": elsewhere,
                "first_contact_at": _iso(min(times)) if kinds else "",
                "last_transfer_at": _iso(max((t.at for t in payments), default=None)),
                "den": victim.den or "",
            }
        )
    group_of = {v.key: v.group_id for v in world.victims}
    counted = [t for ts in evidence.payments.values() for t in ts if t.victim in linked]
    counted.sort(key=lambda t: (t.at, t.serial))
    defendants = [
        _defendant(p, world, [t for t in counted if group_of[t.victim or ""] == p.group_id], net,
                   calls_placed, messages_sent)
        for p in world.people
    ]  # fmt: skip
    flows, destinations = _flows(world)
    return GroundTruth(
        victims,
        defendants,
        _transfers(world),
        flows,
        destinations,
        _leads(world),
        planted_rows(planted),
        group_account_rows(world.accounts.values()),
    )


def _defendant(
    person: Person,
    world: World,
    payments: list[Transfer],
    net: dict[str, int],
    calls_placed: dict[str, int],
    messages_sent: dict[str, int],
) -> dict[str, object]:
    """One suspect's row: organisers the group's total, mules what entered the cards they
    hold (gross: refunds come out of the card, not out of what the mule received), everyone
    else the payments made on a day of one of their stays, each net of its refunds."""
    periods = [(stay.den, *stay_days(person, stay, world.plan.seized_at)) for stay in person.stays]
    if person.role == "organiser":
        counted = payments
        amount = sum(net[t.serial] for t in counted)
    elif person.role == "money_mule":
        counted = [t for t in payments if t.target in set(person.cards)]
        amount = sum(t.amount_fen for t in counted)
    else:
        counted = [
            t
            for t in payments
            if any(start <= t.at.astimezone(den.zone).date() <= end for den, start, end in periods)
        ]
        amount = sum(net[t.serial] for t in counted)
    victims = {t.victim for t in counted}
    return {
        "person_id": person.person_id,
        "name": person.name,
        "group_id": person.group_id,
        "role": person.role,
        "subrole": person.subrole,
        "role_noted": person.role_noted,
        "periods": ";".join(f"{den.name}:{start}..{end}" for den, start, end in periods),
        "period_start": min((s for _, s, _ in periods), default=""),
        "period_end": max((e for _, _, e in periods), default=""),
        "amount_fen": amount,
        "victim_count": len(victims),
        "call_count": calls_placed.get(person.key, 0),
        "message_count": messages_sent.get(person.key, 0),
        "dens": ";".join(dict.fromkeys(den.name for den, _, _ in periods)),
        "provable_amount_fen": amount,
        "provable_victim_count": len(victims),
    }


def _transfers(world: World) -> list[dict[str, object]]:
    """Victims' payments, refunds (before or after the raid) and payments to outside groups."""
    ids = {v.key: v.id_number for v in world.victims}
    return [
        {
            "victim_id": ids[t.victim or ""],
            "serial": t.serial,
            "purpose": t.purpose,
            "from_account": t.source or "",
            "to_account": t.target or "",
            "amount_fen": t.amount_fen,
            "at": _iso(t.at),
            "answers": t.answers or "",
            "in_victim_statement": "false",
        }
        for t in world.transfers
        if t.victim and t.purpose in ("payment", "refund", "other_group")
    ]


def _flows(world: World) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """Every hop of every payment into a group card, and where its money ended."""
    ids = {v.key: v.id_number for v in world.victims}
    children: dict[str, list[Transfer]] = {}
    for t in world.transfers:
        if t.parent:
            children.setdefault(t.parent, []).append(t)
    flows: list[dict[str, object]] = []
    ends: list[dict[str, object]] = []
    for payment in world.transfers:
        if payment.purpose != "payment" or payment.victim is None:
            continue
        stack = [(payment, 1, True)]
        while stack:
            hop, depth, visible = stack.pop()
            target = world.accounts.get(hop.target or "")
            flows.append(
                {
                    "victim_id": ids[payment.victim],
                    "payment_serial": payment.serial,
                    "serial": hop.serial,
                    "parent_serial": hop.parent or "",
                    "hop": depth,
                    "from_account": hop.source or "",
                    "to_account": hop.target or "",
                    "to_layer": target.layer if target else "",
                    "amount_fen": hop.amount_fen,
                    "at": _iso(hop.at),
                    "kind": hop.purpose,
                    "in_returned_statement": str(visible).lower(),
                }
            )
            end = None
            if hop.target is None and visible:
                end = ("cash_out", hop.source or "")
            elif target is not None and visible and not target.returned:
                end = ("statement_missing", target.number)
            elif payment.test and hop is payment:
                end = ("refunded", target.number if target else "")
            if end is not None:
                ends.append(
                    {
                        "victim_id": ids[payment.victim],
                        "payment_serial": payment.serial,
                        "end": end[0],
                        "account": end[1],
                        "amount_fen": hop.amount_fen,
                        "at": _iso(hop.at),
                    }
                )
            returned = target.returned if target is not None else True
            for child in reversed(children.get(hop.serial, [])):
                stack.append((child, depth + 1, visible and returned))
    return flows, ends


def _leads(world: World) -> list[dict[str, object]]:
    """Payers into group cards that no call or chat explains."""
    return [
        {
            "account": t.source or "",
            "holder_name": world.accounts[t.source or ""].holder_name,
            "holder_id": world.accounts[t.source or ""].holder_id,
            "to_account": t.target or "",
            "group_id": world.accounts[t.target or ""].group_id or "",
            "amount_fen": t.amount_fen,
            "at": _iso(t.at),
        }
        for t in world.transfers
        if t.purpose == "lead"
    ]
