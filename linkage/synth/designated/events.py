"""The events of the designated-accounts world: dens, people, cards, calls, chats and money.

The simulation (``world.py``, ``staff.py``) records what happened as these values; the writers
choose which events reach which file, and the ground truth is computed from the same events, so
the two can never disagree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from linkage.synth.designated.plan import DenPlan, WorldPlan
from linkage.synth.identities import Bank

__all__ = [
    "ANSWER_S",
    "BEIJING",
    "HUB",
    "RING_S",
    "STAFF_ROLES",
    "UTC",
    "Account",
    "CarrierCall",
    "Den",
    "Leg",
    "Line",
    "Message",
    "Person",
    "Stay",
    "Transfer",
    "Trip",
    "Victim",
    "World",
    "is_present",
]

UTC = dt.UTC
BEIJING = ZoneInfo("Asia/Shanghai")
HUB = "hub"
"""The group id written on the laundering hub both groups pay into: it belongs to neither."""
STAFF_ROLES = ("first_line", "second_line", "third_line")
RING_S = 8
"""Seconds a victim's phone rings before they pick up the dialer's call."""
ANSWER_S = 3
"""Seconds an extension takes to pick up a forwarded call."""


@dataclass(frozen=True)
class Line:
    line_id: str
    displayed: str
    """The caller id the gateway shows (a spoofed Chinese landline)."""


@dataclass
class Den:
    plan: DenPlan
    group_id: str
    opens_at: dt.datetime
    closes_at: dt.datetime
    lines: list[Line]
    chat: str
    chat_title: str
    dial_log_from: dt.datetime

    @property
    def name(self) -> str:
        return self.plan.name

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.plan.zone)

    @property
    def seized(self) -> bool:
        return self.plan.closes is None


@dataclass
class Stay:
    """A stretch at a den: left home, worked, came back (or was there at the raid)."""

    den: Den
    departs_at: dt.datetime
    returns_at: dt.datetime | None
    works_from: dt.datetime
    works_until: dt.datetime


@dataclass(frozen=True)
class Trip:
    """A journey abroad that was no work for any group (a holiday): not a participation period."""

    departs_at: dt.datetime
    returns_at: dt.datetime
    country_name: str


@dataclass
class Person:
    key: str
    name: str
    female: bool
    birth: dt.date
    id_type: str
    person_id: str
    taiwanese: bool
    group_id: str
    role: str
    subrole: str
    phone: str
    skype: str
    extensions: dict[str, str] = field(default_factory=dict)
    stays: list[Stay] = field(default_factory=list)
    trips: list[Trip] = field(default_factory=list)
    cards: list[str] = field(default_factory=list)
    """First-layer cards held in this person's own name (money mules)."""
    role_noted: str = ""
    remark: str = ""


@dataclass
class Account:
    number: str
    internal: str
    bank: Bank
    holder_name: str
    holder_id: str
    phone: str
    group_id: str | None
    layer: int
    """1 first-layer (receives victims' money), 2 relay, 3 the hub, 0 a private account."""
    opened: dt.date
    returned: bool = True
    designated_from: dt.datetime | None = None
    designated_until: dt.datetime | None = None
    """When a chat stopped it; None while it was in use at the raid."""


@dataclass
class Leg:
    """One row of a dial list: the dialer's own leg, or one forward of the chain."""

    den: str
    line: Line
    callee: str
    dialled: str
    started_at: dt.datetime
    duration_s: int
    answered: bool
    extension: str
    forwarded_to: str
    task_id: str
    key_pressed: str
    person: str | None
    victim: str | None
    logged: bool
    """In the recovered dial list (False: before the log starts, or a line never recovered)."""


@dataclass
class Message:
    den: str
    sender: str
    sent_at: dt.datetime
    body: str
    purpose: str
    """designation, retirement, instruction, hooked, paid or mention (a name only)."""
    victim: str | None = None
    names_by: frozenset[str] = frozenset()
    """Which of the victim's identifiers the text gives in full: name, phone, id, card."""


@dataclass
class Transfer:
    serial: str
    source: str | None
    target: str | None
    amount_fen: int
    at: dt.datetime
    purpose: str
    """payment, refund, layer, cash_out, float (a mule's own cash to open a card), lead,
    other_group."""
    victim: str | None = None
    answers: str | None = None
    parent: str | None = None
    test: bool = False
    """A 1-yuan test the group sends straight back."""


@dataclass(frozen=True)
class CarrierCall:
    """A row of a victim's own call records: the den's line ringing them, or them calling back."""

    victim: str
    at: dt.datetime
    direction: str
    other: str
    duration_s: int


@dataclass
class Victim:
    key: str
    name: str
    female: bool
    birth: dt.date
    id_number: str
    phone: str
    card: str
    group_id: str | None
    scenario: str
    """reported, transfer_only, unreported, early, weak_call, weak_chat, name_only or outside."""
    reported: bool
    den: str | None = None
    hooked_at: dt.datetime | None = None
    carrier_records: bool = False
    reported_at: dt.datetime | None = None
    reported_loss_fen: int = 0
    payees: list[str] = field(default_factory=list)
    lists_payee: bool = False


@dataclass
class World:
    plan: WorldPlan
    seed: int
    dens: list[Den]
    people: list[Person]
    victims: list[Victim]
    accounts: dict[str, Account]
    legs: list[Leg]
    messages: list[Message]
    transfers: list[Transfer]
    carrier_calls: list[CarrierCall]


def is_present(person: Person, den: Den, at: dt.datetime) -> bool:
    """Whether ``person`` was working at ``den`` at ``at``."""
    return any(s.den is den and s.works_from <= at <= s.works_until for s in person.stays)
