"""The ground truth of a synthetic case: what a correct analysis must find, computed from the world.

Every figure is derived from the same simulated events the files were written from, by the
rules of DOMAIN.md with the library's documented defaults (docs/synthetic.md explains each
column). The library never reads these files; tests compare its outputs with them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from linkage.synth.files import Planted, planted_rows
from linkage.synth.world import BEIJING, Person, Transfer, Victim, World
from linkage.synth.write.travel import stay_days

__all__ = [
    "GroundTruth",
    "GroupAccount",
    "ground_truth",
    "group_account_rows",
    "write_ground_truth",
]

STRONG = ("id", "phone", "card")
"""Chat identifiers that name a victim on their own; a name needs other evidence beside it."""


@dataclass(frozen=True)
class GroundTruth:
    """The truth tables, as lists of rows (dicts) in a stable order."""

    victims: list[dict[str, object]]
    defendants: list[dict[str, object]]
    transfers: list[dict[str, object]]
    fund_flows: list[dict[str, object]]
    destinations: list[dict[str, object]]
    leads: list[dict[str, object]]
    rejects: list[dict[str, object]]
    group_accounts: list[dict[str, object]] = field(default_factory=list)
    """The group's accounts with their holders and periods of use; written when a world
    keeps them (the designated world, and profiles that designate cards in the chats or put
    the mule layers in the crew's names)."""


def _iso(at: dt.datetime | None) -> str:
    return at.astimezone(BEIJING).isoformat() if at else ""


def _kinds(victim: Victim, named: set[str], calls: set[str], payments: set[str]) -> list[str]:
    """The kinds of evidence the written files hold for the victim."""
    kinds = []
    if victim.key in calls:
        kinds.append("call")
    other = victim.key in calls or victim.key in payments
    if named & set(STRONG) or ("name" in named and other):
        kinds.append("chat")
    if victim.key in payments:
        kinds.append("transfer")
    return sorted(kinds)


def _verdict(kinds: list[str]) -> str:
    return "corroborated" if len(kinds) >= 2 else "linked" if kinds else "unlinked"


def _net_by_payment(world: World) -> dict[str, int]:
    """Each payment's amount less the refunds that answer it (refunds follow their payment)."""
    net = {t.serial: t.amount_fen for t in world.transfers if t.purpose == "payment"}
    for t in world.transfers:
        if t.purpose == "refund" and t.answers in net:
            net[t.answers] -= t.amount_fen
    return net


def ground_truth(
    world: World,
    planted: list[Planted],
    calls_placed: dict[str, int],
    messages_sent: dict[str, int],
) -> GroundTruth:
    """Compute every truth table from the world and what the writers reported."""
    called = {c.victim for c in world.calls if c.victim}
    payments = [t for t in world.transfers if t.purpose == "payment"]
    paid = {t.victim for t in payments if t.victim}
    net = _net_by_payment(world)
    by_victim = {v.key: v for v in world.victims}
    transfers_of: dict[str, list[Transfer]] = {}
    for t in world.transfers:
        if t.victim is not None and t.purpose in ("payment", "refund", "other_group"):
            transfers_of.setdefault(t.victim, []).append(t)
    contacts_of: dict[str, list[dt.datetime]] = {}
    named_by: dict[str, set[str]] = {}
    for c in world.calls:
        if c.victim is not None:
            contacts_of.setdefault(c.victim, []).append(c.started_at)
    for m in world.messages:
        if m.victim is not None:
            contacts_of.setdefault(m.victim, []).append(m.sent_at)
            named_by.setdefault(m.victim, set()).add(m.names_victim_by)
    victims_rows = []
    linked: set[str] = set()
    for victim in world.victims:
        named = named_by.get(victim.key, set())
        kinds = _kinds(victim, named, called, paid) if victim.group_id else []
        if kinds:
            linked.add(victim.key)
        mine = transfers_of.get(victim.key, [])
        gross = sum(t.amount_fen for t in mine if t.purpose == "payment")
        refund = sum(t.amount_fen for t in mine if t.purpose == "refund")
        contacts = contacts_of.get(victim.key, []) + [t.at for t in mine if t.purpose == "payment"]
        last = max((t.at for t in mine if t.purpose == "payment"), default=None)
        victims_rows.append(
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
                "gross_fen": gross if victim.group_id else 0,
                "refund_fen": refund,
                "loss_fen": gross - refund if victim.group_id else 0,
                "paid_elsewhere_fen": 0 if victim.group_id else sum(t.amount_fen for t in mine),
                "first_contact_at": _iso(min(contacts)) if kinds and contacts else "",
                "last_transfer_at": _iso(last) if victim.group_id else "",
                "den": victim.den or "",
            }
        )
    flows, destinations = _flows(world)
    visible = {str(f["serial"]) for f in flows if f["in_returned_statement"] == "true"}
    defendants = [
        _defendant(p, world, payments, net, linked, by_victim, calls_placed, messages_sent)
        | _provable(p, world, linked, visible)
        for p in world.people
    ]
    return GroundTruth(
        victims_rows,
        defendants,
        _transfers(world, by_victim),
        flows,
        destinations,
        _leads(world),
        planted_rows(planted),
        group_account_rows(world.accounts.values()) if _keeps_accounts(world) else [],
    )


def _keeps_accounts(world: World) -> bool:
    """Whether the profile writes the cards anywhere but the ledgers and the returns."""
    return world.profile.chat_designations or world.profile.mules_hold_cards


class GroupAccount(Protocol):
    """What either world's account tells the truth about a group's card."""

    @property
    def number(self) -> str: ...
    @property
    def group_id(self) -> str | None: ...
    @property
    def layer(self) -> int: ...
    @property
    def holder_id(self) -> str: ...
    @property
    def holder_name(self) -> str: ...
    @property
    def returned(self) -> bool: ...
    @property
    def designated_from(self) -> dt.datetime | None: ...
    @property
    def designated_until(self) -> dt.datetime | None: ...


def group_account_rows(every: Iterable[GroupAccount]) -> list[dict[str, object]]:
    """``group_accounts.csv``: every account a group used, by group, layer and number, with
    its holder, whether its bank answered, and the chats' period for a card they name (empty
    where they never named or never stopped it)."""
    accounts = sorted(
        (a for a in every if a.group_id), key=lambda a: (a.group_id or "", a.layer, a.number)
    )
    return [
        {
            "account": a.number,
            "group_id": a.group_id,
            "layer": a.layer,
            "holder_id": a.holder_id,
            "holder_name": a.holder_name,
            "returned": str(a.returned).lower(),
            "designated_from": _iso(a.designated_from),
            "designated_until": _iso(a.designated_until),
        }
        for a in accounts
    ]


def _defendant(
    person: Person,
    world: World,
    payments: list[Transfer],
    net: dict[str, int],
    linked: set[str],
    by_victim: dict[str, Victim],
    calls_placed: dict[str, int],
    messages_sent: dict[str, int],
) -> dict[str, object]:
    """One suspect's true role, periods and what the participation-period rule gives them."""
    group_payments = [
        t
        for t in payments
        if t.victim in linked and by_victim[t.victim or ""].group_id == person.group_id
    ]
    periods = [
        (stay.den, *stay_days(person, stay, world.profile.seized_at)) for stay in person.stays
    ]
    if person.role == "organiser":
        counted = group_payments
    elif person.role == "money_mule":
        counted = []
    else:
        counted = [
            t
            for t in group_payments
            if any(start <= t.at.astimezone(den.zone).date() <= end for den, start, end in periods)
        ]
    amount = sum(net[t.serial] for t in counted)
    victims = {t.victim for t in counted}
    if person.role == "money_mule":
        mine = set(person.accounts)
        received = [
            t
            for t in world.transfers
            if t.purpose == "layer"
            and t.target in mine
            and t.source not in mine
            and t.victim in linked
        ]
        amount = sum(t.amount_fen for t in received)
        victims = {t.victim for t in received}
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


def _provable(
    person: Person, world: World, linked: set[str], visible: set[str]
) -> dict[str, object]:
    """What the returned statements can prove of a money mule's amount: the victims' money
    entering their returned accounts along a path of returned statements only. Money that
    passed an account whose bank never answered cannot be followed (issue of tracing, not of
    the law); for everyone else the provable amount is the amount."""
    if person.role != "money_mule":
        return {}
    mine = {a for a in person.accounts if world.accounts[a].returned}
    received = [
        t
        for t in world.transfers
        if t.purpose == "layer"
        and t.target in mine
        and t.source not in set(person.accounts)
        and t.victim in linked
        and t.serial in visible
    ]
    return {
        "provable_amount_fen": sum(t.amount_fen for t in received),
        "provable_victim_count": len({t.victim for t in received}),
    }


def _transfers(world: World, by_victim: dict[str, Victim]) -> list[dict[str, object]]:
    rows = []
    for t in world.transfers:
        if t.purpose not in ("payment", "refund", "other_group"):
            continue
        victim = by_victim[t.victim or ""]
        rows.append(
            {
                "victim_id": victim.id_number,
                "serial": t.serial,
                "purpose": t.purpose,
                "from_account": t.source or "",
                "to_account": t.target or "",
                "amount_fen": t.amount_fen,
                "at": _iso(t.at),
                "answers": t.answers or "",
                "in_victim_statement": str(victim.statement).lower(),
            }
        )
    return rows


def _flows(world: World) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """Every hop of every victim's money, and where each payment's money ends up."""
    ids = {v.key: v.id_number for v in world.victims}
    children: dict[str, list[Transfer]] = {}
    for t in world.transfers:
        if t.parent:
            children.setdefault(t.parent, []).append(t)
    flows: list[dict[str, object]] = []
    destinations: list[dict[str, object]] = []
    for payment in (t for t in world.transfers if t.purpose == "payment"):
        _walk(world, payment, payment, 1, children, ids, flows, destinations, visible=True)
    return flows, destinations


def _walk(
    world: World,
    payment: Transfer,
    hop: Transfer,
    depth: int,
    children: dict[str, list[Transfer]],
    ids: dict[str, str],
    flows: list[dict[str, object]],
    destinations: list[dict[str, object]],
    visible: bool,
) -> None:
    target = world.accounts.get(hop.target or "")
    flows.append(
        {
            "victim_id": ids[payment.victim or ""],
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
    if hop.target is None:
        if visible:
            destinations.append(_end(ids, payment, hop, "cash_out", hop.source or ""))
        return
    assert target is not None
    if visible and not target.returned:
        destinations.append(_end(ids, payment, hop, "statement_missing", target.number))
    for child in children.get(hop.serial, []):
        _walk(
            world,
            payment,
            child,
            depth + 1,
            children,
            ids,
            flows,
            destinations,
            visible and target.returned,
        )


def _end(
    ids: dict[str, str], payment: Transfer, hop: Transfer, how: str, account: str
) -> dict[str, object]:
    return {
        "victim_id": ids[payment.victim or ""],
        "payment_serial": payment.serial,
        "end": how,
        "account": account,
        "amount_fen": hop.amount_fen,
        "at": _iso(hop.at),
    }


def _leads(world: World) -> list[dict[str, object]]:
    rows = []
    for t in world.transfers:
        if t.purpose == "lead":
            payer = world.accounts[t.source or ""]
            rows.append(
                {
                    "account": payer.number,
                    "holder_name": payer.holder_name,
                    "holder_id": payer.holder_id,
                    "to_account": t.target or "",
                    "group_id": world.accounts[t.target or ""].group_id or "",
                    "amount_fen": t.amount_fen,
                    "at": _iso(t.at),
                }
            )
    return rows


def _csv(rows: Iterable[dict[str, object]], columns: list[str]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def write_ground_truth(truth: GroundTruth, folder: Path, readme: str) -> None:
    """Write each table as UTF-8 CSV (header even when empty) and the README."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in (
        "victims",
        "defendants",
        "transfers",
        "fund_flows",
        "destinations",
        "leads",
        "rejects",
    ):
        rows: list[dict[str, object]] = getattr(truth, name)
        columns = list(rows[0]) if rows else list(EMPTY_COLUMNS[name])
        (folder / f"{name}.csv").write_text(_csv(rows, columns), encoding="utf-8")
    if truth.group_accounts:
        columns = list(truth.group_accounts[0])
        text = _csv(truth.group_accounts, columns)
        (folder / "group_accounts.csv").write_text(text, encoding="utf-8")
    (folder / "README.md").write_text(readme, encoding="utf-8")


EMPTY_COLUMNS = {
    "leads": ("account", "holder_name", "holder_id", "to_account", "group_id", "amount_fen", "at"),
    "rejects": ("source_file", "source_row", "source_sheet", "reason", "why"),
    "victims": ("victim_id",),
    "defendants": ("person_id",),
    "transfers": ("victim_id",),
    "fund_flows": ("victim_id",),
    "destinations": ("victim_id",),
}
