"""The simulated world behind a synthetic case: who did what to whom, when, with which money.

``simulate`` draws, from one seed, the groups, dens, staff and their stays abroad, the victims
and the story of each (auto-dialer call, first/second/third line, chat reports, installments,
refunds), the accounts and the layering of every payment through mule accounts to cash-out.
It records *events*, not files: the writers decide which events reach which export (a dial list
holds calls, a bank return holds an account's transactions) and the ground truth is computed
from the same events, so the two can never disagree.

Only what concerns victims and staff is held in memory; the bulk that makes a case large
(broadcasts nobody answered, chatter, unrelated relay money) is drawn in chunks by
``synth/noise.py`` while the files are written.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from typing import TypeVar
from zoneinfo import ZoneInfo

import numpy as np
import opencc

from linkage.synth.identities import BANKS, Bank, Identities
from linkage.synth.profile import DenPlan, GroupPlan, Profile

__all__ = [
    "Account",
    "Call",
    "Den",
    "Line",
    "Message",
    "Person",
    "Stay",
    "Transfer",
    "Victim",
    "World",
    "simulate",
    "traditional",
]

BEIJING = ZoneInfo("Asia/Shanghai")
UTC = dt.UTC
ICBC = BANKS[0]
T = TypeVar("T")
REFUND_LAYER = 9
"""The layer number of a group's refund card: outside the chain money is layered through."""


@dataclass(frozen=True)
class Line:
    """A VoIP gateway line and the caller id it shows (spoofed: a Chinese landline)."""

    den: str
    line_id: str
    displayed: str


@dataclass
class Den:
    """A den as simulated: its plan, clock, working window and chat room."""

    plan: DenPlan
    group_id: str
    opens_at: dt.datetime
    closes_at: dt.datetime
    lines: list[Line]
    chat: str
    """The den's Skype group-chat id, where callers report to the organisers."""
    chat_title: str

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
    """One stretch a person spent at one den, from leaving for it to coming back (or the raid)."""

    den: Den
    departs_at: dt.datetime
    """When the person left China (or Taiwan) for the den's country."""
    returns_at: dt.datetime | None
    """When they came back; None when they were still there at the raid."""
    works_from: dt.datetime
    works_until: dt.datetime


@dataclass
class Person:
    """A suspect: identity, group, true role, numbers and handles, stays abroad."""

    key: str
    name: str
    female: bool
    birth: dt.date
    id_type: str
    """resident_id, passport or permit."""
    person_id: str
    taiwanese: bool
    group_id: str
    role: str
    subrole: str
    phone: str
    skype: str
    extensions: dict[str, str] = field(default_factory=dict)
    """Extension (分机号) per den name: numbers repeat across dens, never within one."""
    stays: list[Stay] = field(default_factory=list)
    accounts: list[str] = field(default_factory=list)
    """Mule accounts this person operated (laundering crew)."""
    role_noted: str = ""
    """What the roster says; usually the truth, sometimes the investigators' mistake."""


@dataclass
class Account:
    """A bank account: holder (a kit seller's name for group accounts), bank, layer."""

    number: str
    internal: str
    bank: Bank
    holder_name: str
    holder_id: str
    phone: str
    group_id: str | None
    layer: int
    """1 designated (一级卡), 2 and 3 mule layers, ``REFUND_LAYER`` the card 返利 are paid
    from, 0 a private person's own account."""
    opened: dt.date
    operator: str | None = None
    """Key of the laundering-crew member who operated it."""
    returned: bool = True
    """False when the bank never answered the query: its statement is missing."""
    active_from: dt.datetime | None = None
    active_until: dt.datetime | None = None
    designated_from: dt.datetime | None = None
    """When an organiser first named the card in a den chat (profiles with chat designations)."""
    designated_until: dt.datetime | None = None
    """When an organiser first stopped it there; None while in use at the raid."""


@dataclass
class Call:
    """One call as the den's dial list records it (and the victim's carrier, if asked)."""

    den: str
    line: Line
    callee: str
    dialled: str
    """The callee as the dial list writes it (0086…, 86…, 17951… or eleven digits)."""
    started_at: dt.datetime
    duration_s: int
    answered: bool
    extension: str
    forwarded_to: str
    task_id: str
    key_pressed: str
    person: str | None
    """Key of the staff member on the extension, if any."""
    victim: str | None


@dataclass
class Message:
    """One chat message in a den's group chat."""

    den: str
    sender: str
    """Key of the staff member who wrote it."""
    sent_at: dt.datetime
    body: str
    victim: str | None
    """The victim it is about, if any."""
    names_victim_by: str
    """id, phone, card or name: the strongest identifier the text gives in full."""


@dataclass
class Transfer:
    """Money from one account to another, or cash in and out (other side None)."""

    serial: str
    source: str | None
    target: str | None
    amount_fen: int
    at: dt.datetime
    purpose: str
    """payment (victim to group), refund (group to victim), layer (group to group), cash_out,
    deposit (cash onto the refund card), lead (unexplained payer), other_group (an outside
    victim's payment to an account no group in the case holds)."""
    victim: str | None = None
    answers: str | None = None
    """For a refund: the serial of the payment it is deducted from."""
    parent: str | None = None
    """For layering and cash-out: the serial of the incoming transfer this one passes on."""


@dataclass
class Victim:
    """A person defrauded (or, for the outside scenario, defrauded by nobody in the case)."""

    key: str
    name: str
    female: bool
    birth: dt.date
    id_number: str
    phone: str
    card: str
    group_id: str | None
    scenario: str
    """reported, unreported, weak_call, weak_chat, weak_transfer or outside."""
    reported: bool
    den: str | None = None
    hooked_at: dt.datetime | None = None
    carrier_records: bool = False
    statement: bool = False
    reported_at: dt.datetime | None = None
    reported_loss_fen: int = 0
    payees: list[str] = field(default_factory=list)


@dataclass
class World:
    """Everything simulated: the writers read it, the ground truth is computed from it."""

    profile: Profile
    seed: int
    dens: list[Den]
    people: list[Person]
    victims: list[Victim]
    accounts: dict[str, Account]
    calls: list[Call]
    messages: list[Message]
    transfers: list[Transfer]
    refund_accounts: dict[str, str]
    """Group id to the account it paid 返利 from (known to investigators: case.toml)."""


class _Draw:
    """Small helpers over one random stream, so the simulation reads as a story."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng

    def chance(self, share: float) -> bool:
        return bool(self.rng.random() < share)

    def pick(self, items: list[T] | tuple[T, ...]) -> T:
        return items[int(self.rng.integers(len(items)))]

    def seconds(self, low: float, high: float) -> dt.timedelta:
        return dt.timedelta(seconds=int(self.rng.integers(int(low), int(high) + 1)))

    def between(self, start: dt.datetime, end: dt.datetime) -> dt.datetime:
        span = max(0, int((end - start).total_seconds()))
        return start + dt.timedelta(seconds=int(self.rng.integers(0, span + 1)))

    def yuan(self, low: int, high: int) -> int:
        """An amount in fen, log-uniform between two yuan figures; mostly round hundreds."""
        value = float(np.exp(self.rng.uniform(np.log(low), np.log(high))))
        if self.chance(0.8):
            return round(value / 100) * 100 * 100
        return round(value * 100)


def _local_midnight(day: dt.date, zone: ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=zone).astimezone(UTC)


def _office_hours(draw: _Draw, day: dt.date) -> dt.datetime:
    """A time between 09:00 and 17:30 Beijing time: when victims answer and banks open."""
    start = dt.datetime.combine(day, dt.time(9), tzinfo=BEIJING)
    return draw.between(start, start + dt.timedelta(hours=8, minutes=30)).astimezone(UTC)


def _dens(profile: Profile, plan: GroupPlan, ids: Identities, draw: _Draw) -> list[Den]:
    dens = []
    for den_plan in plan.dens:
        zone = ZoneInfo(den_plan.zone)
        closes = (
            profile.seized_at.astimezone(UTC)
            if den_plan.closes is None
            else _local_midnight(den_plan.closes + dt.timedelta(days=1), zone)
        )
        lines = [
            Line(den_plan.name, f"L{n:02d}", ids.landline()) for n in range(1, den_plan.lines + 1)
        ]
        chat = f"#{ids.handle('boss')}/$" + f"{draw.rng.integers(16**12):012x}"
        dens.append(
            Den(
                den_plan,
                plan.group_id,
                _local_midnight(den_plan.opens, zone),
                closes,
                lines,
                chat,
                f"{den_plan.name[4:]}业绩群",
            )
        )
    return dens


def _identity(person_id_kind: str, ids: Identities, birth: dt.date, female: bool) -> str:
    if person_id_kind == "permit":
        return ids.taiwan_permit()
    if person_id_kind == "passport":
        return ids.passport()
    return ids.resident_id(birth, female)


def _staff(
    profile: Profile, plan: GroupPlan, dens: list[Den], ids: Identities, draw: _Draw, first: int
) -> list[Person]:
    """The group's people with their stays: den staff abroad, laundering crew and suppliers home."""
    roles = (
        [("organiser", "organiser")] * plan.organisers
        + [("first_line", "")] * plan.first_line
        + [("second_line", "")] * plan.second_line
        + [("third_line", "")] * plan.third_line
        + [("money_mule", "")] * plan.money_mules
        + [("support", "card_supplier")] * plan.card_suppliers
    )
    if plan.organisers > 1:
        roles[1] = ("organiser", "trainer")
    people = []
    next_extension: dict[tuple[str, str], int] = {}
    for number, (role, subrole) in enumerate(roles):
        female = draw.chance(0.3)
        birth = ids.birth(19, 50)
        in_den = role not in ("money_mule", "support")
        taiwanese = in_den and role != "organiser" and draw.chance(profile.taiwan_share)
        kind = "permit" if taiwanese else "resident_id"
        if kind == "resident_id" and draw.chance(profile.passport_share):
            kind = "passport"
        person = Person(
            key=f"P{first + number:04d}",
            name=ids.name(),
            female=female,
            birth=birth,
            id_type=kind,
            person_id=_identity(kind, ids, birth, female),
            taiwanese=taiwanese,
            group_id=plan.group_id,
            role=role,
            subrole=subrole,
            phone=ids.mobile(),
            skype=ids.handle(f"{plan.group_id.lower()}.{role[:2]}"),
        )
        if in_den:
            _plan_stays(profile, person, dens, draw, organiser=role == "organiser")
            for stay in person.stays:
                _give_extension(person, stay.den, next_extension)
        people.append(person)
    return people


EXTENSION_BASE = {"first_line": 8001, "second_line": 8101, "third_line": 8201, "organiser": 8901}


def _give_extension(person: Person, den: Den, taken: dict[tuple[str, str], int]) -> None:
    slot = (den.name, person.role)
    number = taken.get(slot, EXTENSION_BASE[person.role])
    taken[slot] = number + 1
    person.extensions[den.name] = str(number)


def _plan_stays(
    profile: Profile, person: Person, dens: list[Den], draw: _Draw, organiser: bool
) -> None:
    """Stays abroad: organisers run every den; others join late, leave early or move on."""
    if organiser:
        chosen = dens if person.subrole != "trainer" else [dens[-1]]
    else:
        home = draw.pick(dens)
        chosen = [home]
        later = [d for d in dens if d.opens_at > home.opens_at]
        if later and draw.chance(profile.mover_share):
            chosen.append(later[0])
    for position, den in enumerate(chosen):
        departs = den.opens_at - draw.seconds(2 * 86400, 6 * 86400)
        if not organiser and position == 0 and draw.chance(profile.late_join_share):
            departs = draw.between(den.opens_at, den.opens_at + (den.closes_at - den.opens_at) / 2)
        if person.stays:
            previous = person.stays[-1]
            if previous.returns_at is None or departs <= previous.returns_at:
                departs = den.opens_at + draw.seconds(86400, 10 * 86400)
                previous.returns_at = departs - draw.seconds(3 * 86400, 8 * 86400)
                previous.works_until = previous.returns_at - dt.timedelta(hours=12)
        returns: dt.datetime | None = None
        last_one = position == len(chosen) - 1
        if not den.seized:
            returns = den.closes_at + draw.seconds(86400, 4 * 86400)
        if last_one and not organiser and draw.chance(profile.early_leave_share):
            middle = departs + (den.closes_at - departs) * 0.6
            returns = draw.between(middle, den.closes_at - dt.timedelta(days=5))
        works_from = max(departs + dt.timedelta(days=1), den.opens_at)
        works_until = den.closes_at if returns is None else min(returns, den.closes_at)
        if returns is not None:
            works_until -= dt.timedelta(hours=12)
        person.stays.append(Stay(den, departs, returns, works_from, works_until))


def _accounts(
    profile: Profile,
    plan: GroupPlan,
    people: list[Person],
    dens: list[Den],
    ids: Identities,
    draw: _Draw,
) -> list[Account]:
    """Group accounts in kit sellers' names: designated cards by period, mule layers, operators
    (who hold the mule layers in their own names where the profile says so)."""
    start = min(d.opens_at for d in dens)
    end = max(d.closes_at for d in dens)
    crew = [p for p in people if p.role == "money_mule"]
    suppliers = [p for p in people if p.subrole == "card_supplier"]
    accounts = []
    span = (end - start) / plan.first_layer_accounts
    for n in range(plan.first_layer_accounts):
        account = _group_account(plan.group_id, 1, ids, draw, start - dt.timedelta(days=20))
        account.active_from = start + span * n
        account.active_until = start + span * (n + 1.5)
        if suppliers:
            # a kit comes with the supplier's SIM: its number is the one the bank has on file
            account.phone = suppliers[n % len(suppliers)].phone
        accounts.append(account)
    for n in range(plan.mule_accounts):
        layer = 2 if n < max(1, round(plan.mule_accounts * 0.6)) else 3
        account = _group_account(plan.group_id, layer, ids, draw, start - dt.timedelta(days=30))
        if crew:
            operator = crew[n % len(crew)]
            account.operator = operator.key
            # the laundering crew re-binds the cards they work to their own phones
            account.phone = operator.phone
            operator.accounts.append(account.number)
            if profile.mules_hold_cards:
                account.holder_name, account.holder_id = operator.name, operator.person_id
        accounts.append(account)
    return accounts


def _group_account(
    group_id: str, layer: int, ids: Identities, draw: _Draw, around: dt.datetime
) -> Account:
    bank = draw.pick(BANKS)
    female = draw.chance(0.4)
    birth = ids.birth(18, 60)
    return Account(
        number=ids.card(bank),
        internal=ids.internal_account(),
        bank=bank,
        holder_name=ids.name(),
        holder_id=ids.resident_id(birth, female),
        phone=ids.mobile(),
        group_id=group_id,
        layer=layer,
        opened=(around - draw.seconds(0, 60 * 86400)).date(),
    )


def _private_account(
    ids: Identities, draw: _Draw, name: str, holder_id: str, phone: str, bank: Bank | None = None
) -> Account:
    chosen = bank or draw.pick(BANKS)
    return Account(
        number=ids.card(chosen),
        internal=ids.internal_account(),
        bank=chosen,
        holder_name=name,
        holder_id=holder_id,
        phone=phone,
        group_id=None,
        layer=0,
        opened=dt.date(2010, 1, 1) + dt.timedelta(days=int(draw.rng.integers(0, 1800))),
    )


class _Simulation:
    """Builds a World step by step; each method is one part of the story."""

    def __init__(self, profile: Profile, seed: int) -> None:
        self.profile = profile
        self.seed = seed
        streams = np.random.SeedSequence(seed).spawn(4)
        self.ids = Identities(np.random.default_rng(streams[0]))
        self.draw = _Draw(np.random.default_rng(streams[1]))
        self.dens: list[Den] = []
        self.people: list[Person] = []
        self.victims: list[Victim] = []
        self.accounts: dict[str, Account] = {}
        self.calls: list[Call] = []
        self.messages: list[Message] = []
        self.transfers: list[Transfer] = []
        self.refund_accounts: dict[str, str] = {}
        self.designated: dict[str, list[Account]] = {}
        self.paid: dict[str, int] = {}
        """Fen each victim paid the group, as the victim will report it."""

    def run(self) -> World:
        for plan in self.profile.groups:
            dens = _dens(self.profile, plan, self.ids, self.draw)
            people = _staff(self.profile, plan, dens, self.ids, self.draw, len(self.people) + 1)
            self.dens += dens
            self.people += people
            for account in _accounts(self.profile, plan, people, dens, self.ids, self.draw):
                self.accounts[account.number] = account
                if account.layer == 1:
                    self.designated.setdefault(plan.group_id, []).append(account)
            if self.profile.chat_designations:
                self._announce_cards(plan.group_id, dens, people)
            self._refund_account(plan.group_id, dens)
            for scenario in self._scenarios(plan.victims):
                self._group_victim(plan, dens, people, scenario)
            self._leads(plan)
        self._size_deposits()
        self._plant_name_collisions()
        self._note_roles()
        for _ in range(self.profile.outside_victims):
            self._outside_victim()
        self._layer_and_cash_out()
        self.transfers.sort(key=lambda t: (t.at, t.serial))
        self.calls.sort(key=lambda c: (c.den, c.started_at, c.callee))
        self.messages.sort(key=lambda m: (m.den, m.sent_at))
        return World(
            self.profile,
            self.seed,
            self.dens,
            self.people,
            self.victims,
            self.accounts,
            self.calls,
            self.messages,
            self.transfers,
            self.refund_accounts,
        )

    # -- accounts and money ------------------------------------------------------------------

    def _refund_account(self, group_id: str, dens: list[Den]) -> None:
        """The card 返利 are paid from, topped up with cash by an organiser when it opens."""
        start = min(d.opens_at for d in dens)
        account = _group_account(group_id, 2, self.ids, self.draw, start)
        account.layer = REFUND_LAYER
        self.accounts[account.number] = account
        self.refund_accounts[group_id] = account.number
        self._transfer(None, account.number, 0, start + dt.timedelta(hours=3), "deposit")

    def _transfer(
        self,
        source: str | None,
        target: str | None,
        fen: int,
        at: dt.datetime,
        purpose: str,
        victim: str | None = None,
        answers: str | None = None,
        parent: str | None = None,
    ) -> Transfer:
        transfer = Transfer(
            self.ids.serial("S"), source, target, fen, at, purpose, victim, answers, parent
        )
        self.transfers.append(transfer)
        return transfer

    def _size_deposits(self) -> None:
        """Top up each refund card with what it will pay out, plus a float, so it never runs dry."""
        for number in self.refund_accounts.values():
            refunds = sum(t.amount_fen for t in self.transfers if t.source == number)
            for transfer in self.transfers:
                if transfer.target == number and transfer.purpose == "deposit":
                    transfer.amount_fen = refunds + 1_000_000

    def _designated(self, group_id: str, at: dt.datetime) -> Account:
        """A designated account of the group that was in use at ``at``."""
        cards = self.designated[group_id]
        current = [
            a
            for a in cards
            if a.active_from is not None
            and a.active_until is not None
            and a.active_from <= at < a.active_until
        ]
        return self.draw.pick(current or cards)

    def _announce_cards(self, group_id: str, dens: list[Den], people: list[Person]) -> None:
        """Shortly before a collecting card comes into use, an organiser at each den then open
        names it in the den's chat; once it is out of use, one stops it by its last four digits.

        Cards overlap in use, so an announcement adds a card and never replaces the others.
        """
        organisers = [p for p in people if p.role == "organiser"]
        for card in self.designated[group_id]:
            assert card.active_from is not None and card.active_until is not None
            named = self.draw.pick(ANNOUNCEMENTS).format(
                number=_in_fours(card.number), bank=card.bank.name, holder=card.holder_name
            )
            stopped = self.draw.pick(STOPS).format(tail=card.number[-4:], bank=card.bank.name)
            lead = self.draw.seconds(600, 3600)
            ends = card.active_until + self.draw.seconds(600, 3600)
            for den in dens:
                author = next((o for o in organisers if _present(o, den, card.active_from)), None)
                if author is not None:
                    stay = next(
                        s
                        for s in author.stays
                        if s.den is den and s.works_from <= card.active_from <= s.works_until
                    )
                    at = max(card.active_from - lead, stay.works_from)
                    self.messages.append(Message(den.name, author.key, at, named, None, ""))
                    card.designated_from = min(at, card.designated_from or at)
                author = next((o for o in organisers if _present(o, den, ends)), None)
                if author is not None and card.designated_from is not None:
                    self.messages.append(Message(den.name, author.key, ends, stopped, None, ""))
                    card.designated_until = ends

    def _layer_and_cash_out(self) -> None:
        """Every payment is forwarded within minutes, split over mule layers, then drawn in cash.

        Each account forwards its incoming money in the order it arrived and in full, so a FIFO
        trace over complete statements recovers exactly the paths drawn here.
        """
        by_group: dict[str, list[Account]] = {}
        for account in self.accounts.values():
            if account.group_id and account.layer in (2, 3):
                by_group.setdefault(account.group_id, []).append(account)
        for accounts in by_group.values():
            second_layer = sorted((a for a in accounts if a.layer == 2), key=lambda a: a.number)
            missing = round(len(accounts) * self.profile.missing_statement_share)
            for account in second_layer[:missing]:
                account.returned = False
        for layer in (1, 2, 3):
            incoming: dict[str, list[Transfer]] = {}
            for transfer in self.transfers:
                target = self.accounts.get(transfer.target or "")
                passes_on = transfer.purpose in ("payment", "lead", "layer")
                if target is not None and target.layer == layer and target.group_id and passes_on:
                    incoming.setdefault(target.number, []).append(transfer)
            for number in sorted(incoming):
                self._forward(self.accounts[number], sorted(incoming[number], key=lambda t: t.at))

    def _forward(self, account: Account, arrivals: list[Transfer]) -> None:
        next_layer = [
            a
            for a in self.accounts.values()
            if a.group_id == account.group_id and a.layer == account.layer + 1
        ]
        busy_until = dt.datetime.min.replace(tzinfo=UTC)
        for arrival in arrivals:
            at = max(arrival.at, busy_until) + self.draw.seconds(60, 900)
            if account.layer == 3 or not next_layer:
                parts = _split(arrival.amount_fen, 5_000_000, self.draw)
                for part in parts:
                    self._transfer(
                        account.number,
                        None,
                        part,
                        at,
                        "cash_out",
                        arrival.victim,
                        parent=arrival.serial,
                    )
                    at += self.draw.seconds(60, 240)
            else:
                parts = _halves(arrival.amount_fen, self.draw)
                for part in parts:
                    target = self.draw.pick(next_layer)
                    self._transfer(
                        account.number,
                        target.number,
                        part,
                        at,
                        "layer",
                        arrival.victim,
                        parent=arrival.serial,
                    )
                    at += self.draw.seconds(20, 180)
            busy_until = at

    # -- victims -----------------------------------------------------------------------------

    def _new_victim(self, group_id: str | None, scenario: str, reported: bool) -> Victim:
        female = self.draw.chance(0.5)
        birth = self.ids.birth(22, 75)
        victim = Victim(
            key=f"V{len(self.victims) + 1:05d}",
            name=self.ids.name(),
            female=female,
            birth=birth,
            id_number=self.ids.resident_id(birth, female),
            phone=self.ids.mobile(),
            card="",
            group_id=group_id,
            scenario=scenario,
            reported=reported,
        )
        self.victims.append(victim)
        return victim

    def _scenarios(self, victims: int) -> list[str]:
        """Each victim's scenario, in random order: shares as the profile sets them, and every
        weak kind at least once when the group has ten victims or more."""
        profile = self.profile
        unreported = round(victims * (1 - profile.reported_share))
        weak = round((victims - unreported) * profile.weak_share)
        if victims >= 10:
            weak = max(weak, 3)
        kinds = ("weak_call", "weak_chat", "weak_transfer")
        scenarios = ["unreported"] * unreported + [kinds[i % 3] for i in range(weak)]
        scenarios += ["reported"] * (victims - len(scenarios))
        order = self.draw.rng.permutation(len(scenarios))
        return [scenarios[i] for i in order]

    def _group_victim(
        self, plan: GroupPlan, dens: list[Den], people: list[Person], scenario: str
    ) -> None:
        reported = scenario != "unreported"
        victim = self._new_victim(plan.group_id, scenario, reported)
        pays = scenario not in ("weak_call", "weak_chat")
        victim.statement = pays and reported and self.draw.chance(self.profile.statement_share)
        bank = ICBC if victim.statement else self.draw.pick(BANKS)
        own = _private_account(
            self.ids, self.draw, victim.name, victim.id_number, victim.phone, bank
        )
        self.accounts[own.number] = own
        victim.card = own.number
        den, first, second, third, hooked = self._assignment(dens, people)
        victim.den = den.name
        victim.hooked_at = hooked
        victim.carrier_records = reported and self.draw.chance(self.profile.carrier_record_share)
        calls = scenario not in ("weak_chat", "weak_transfer")
        chats = scenario in ("reported", "weak_chat") or (
            scenario == "unreported" and self.draw.chance(0.5)
        )
        if not calls:
            victim.carrier_records = False
        talk_end = self._calls(victim, den, first, second, third, hooked, record=calls)
        if chats:
            middle = hooked + (talk_end - hooked) // 3
            self._report_victim(victim, den, first, middle.replace(microsecond=0), pays)
        if pays:
            self._payments(victim, den, second, talk_end)
        self._report(victim)

    def _assignment(
        self, dens: list[Den], people: list[Person]
    ) -> tuple[Den, Person, Person, Person | None, dt.datetime]:
        """A den, the first-, second- and (for a doubter) third-liner who worked the victim, and
        the moment the auto-dialer reached them: office hours in Beijing, inside every involved
        member's stay, at least four days before the den closed (installments follow)."""
        doubter = self.draw.chance(self.profile.third_line_share)
        roles = (
            ("first_line", "second_line", "third_line")
            if doubter
            else ("first_line", "second_line")
        )
        for _ in range(500):
            den = self.draw.pick(dens)
            last = den.closes_at - dt.timedelta(days=4)
            if last <= den.opens_at + dt.timedelta(days=3):
                continue
            at = _office_hours(
                self.draw,
                self.draw.between(den.opens_at + dt.timedelta(days=3), last)
                .astimezone(BEIJING)
                .date(),
            )
            if not den.opens_at < at < last:
                continue
            staff = []
            for role in roles:
                present = [p for p in people if p.role == role and _present(p, den, at)]
                if not present:
                    break
                staff.append(self.draw.pick(present))
            else:
                later = at + dt.timedelta(hours=2)
                if all(_present(p, den, later) for p in staff):
                    third = staff[2] if doubter else None
                    return den, staff[0], staff[1], third, at
        raise RuntimeError("no den had its lines staffed at once")  # pragma: no cover

    def _dialled(self, phone: str) -> str:
        prefix = self.draw.pick(("", "", "86", "0086", "17951"))
        return prefix + phone

    def _calls(
        self,
        victim: Victim,
        den: Den,
        first: Person,
        second: Person,
        third: Person | None,
        hooked: dt.datetime,
        record: bool,
    ) -> dt.datetime:
        """The forwarded chain of calls; returns when the last line hung up."""
        line = self.draw.pick(den.lines)
        task = f"T{hooked.astimezone(den.zone):%m%d}{line.line_id[1:]}"
        chain = [p for p in (first, second, third) if p is not None]
        at = hooked
        for position, person in enumerate(chain):
            duration = int(self.draw.rng.integers(240, 1500 if position == 0 else 2400))
            following = chain[position + 1] if position + 1 < len(chain) else None
            call = Call(
                den=den.name,
                line=line,
                callee=victim.phone,
                dialled=self._dialled(victim.phone),
                started_at=at,
                duration_s=duration,
                answered=True,
                extension=person.extensions[den.name],
                forwarded_to=following.extensions[den.name] if following else "",
                task_id=task if position == 0 else "",
                key_pressed="1" if position == 0 else "",
                person=person.key,
                victim=victim.key,
            )
            if record:
                self.calls.append(call)
            at += dt.timedelta(seconds=duration + 15 + 20)
        if record:
            for _ in range(int(self.draw.rng.integers(0, 3))):
                again = _office_hours(
                    self.draw, (at + dt.timedelta(days=1)).astimezone(BEIJING).date()
                )
                if not _present(second, den, again):
                    continue
                answered = self.draw.chance(0.6)
                self.calls.append(
                    Call(
                        den.name,
                        line,
                        victim.phone,
                        self._dialled(victim.phone),
                        again,
                        int(self.draw.rng.integers(60, 900)) if answered else 0,
                        answered,
                        second.extensions[den.name],
                        "",
                        "",
                        "",
                        second.key,
                        victim.key,
                    )
                )
        return at

    def _report_victim(
        self, victim: Victim, den: Den, author: Person, at: dt.datetime, pays: bool
    ) -> None:
        """The first-liner's report in the den chat: who the victim is, by some identifier."""
        name = traditional(victim.name) if author.taiwanese else victim.name
        id_number = victim.id_number
        if self.draw.chance(0.15):
            id_number = id_number.translate(FULL_WIDTH)
        outcome = "已转二线" if pays else "没转，挂了"
        templates = [
            (f"被害人{name}，身份证{id_number}，卡号{victim.card}，{outcome}", "id"),
            (f"{name} {victim.phone} {outcome}", "phone"),
            (f"客户{_typo(name, self.draw)} 卡{victim.card} {outcome}", "card"),
            (
                f"{name}，身份证{victim.id_number[:6]}********{victim.id_number[-4:]}，"
                f"手机{victim.phone}，{outcome}",
                "phone",
            ),
        ]
        body, by = self.draw.pick(templates)
        self.messages.append(Message(den.name, author.key, at, body, victim.key, by))

    def _payments(self, victim: Victim, den: Den, second: Person, talk_end: dt.datetime) -> None:
        """One to three installments to designated accounts; some victims get a 返利 first."""
        group_id = victim.group_id or ""
        at = talk_end + self.draw.seconds(10 * 60, 90 * 60)
        installments = 1 + int(self.draw.rng.choice(3, p=(0.55, 0.3, 0.15)))
        refund: tuple[int, dt.datetime] | None = None
        if self.draw.chance(self.profile.refund_share):
            refund = (self.draw.yuan(100, 1000), at - self.draw.seconds(5 * 60, 9 * 60))
        first_serial = None
        for number in range(installments):
            if number:
                day = (at + dt.timedelta(days=1)).astimezone(BEIJING).date()
                at = _office_hours(self.draw, day)
            amount = self.draw.yuan(2_000, 300_000 if number == 0 else 120_000)
            designated = self._designated(group_id, at)
            payment = self._transfer(
                victim.card, designated.number, amount, at, "payment", victim.key
            )
            first_serial = first_serial or payment.serial
            self.paid[victim.key] = self.paid.get(victim.key, 0) + amount
            victim.payees.append(designated.number)
            posted = at + self.draw.seconds(120, 1800)
            if (
                victim.scenario != "weak_transfer"
                and _present(second, den, posted)
                and self.draw.chance(0.6)
            ):
                text = f"{traditional(victim.name) if second.taiwanese else victim.name}" + (
                    f"已转{_wan(amount)}到{designated.number[-4:]}尾号卡"
                )
                self.messages.append(
                    Message(
                        den.name,
                        second.key,
                        posted,
                        text,
                        victim.key,
                        "name",
                    )
                )
        if refund is not None:
            fen, when = refund
            self._transfer(
                self.refund_accounts[group_id],
                victim.card,
                fen,
                when,
                "refund",
                victim.key,
                answers=first_serial,
            )

    def _report(self, victim: Victim) -> None:
        """When the victim went to the police and what they said they lost."""
        if not victim.reported:
            return
        paid = self.paid.get(victim.key, 0)
        victim.reported_loss_fen = paid
        if paid >= 1_000_000 and self.draw.chance(0.15):
            victim.reported_loss_fen = round(paid, -5)  # "about 31,000": victims round
        start = victim.hooked_at or self.profile.seized_at
        victim.reported_at = _office_hours(
            self.draw,
            (start + dt.timedelta(days=int(self.draw.rng.integers(2, 20))))
            .astimezone(BEIJING)
            .date(),
        )

    def _leads(self, plan: GroupPlan) -> None:
        """Payers into designated accounts that no call or chat explains."""
        count = round(
            self.profile.lead_payers * plan.victims / sum(g.victims for g in self.profile.groups)
        )
        dens = [d for d in self.dens if d.group_id == plan.group_id]
        for _ in range(count):
            female = self.draw.chance(0.5)
            birth = self.ids.birth(22, 70)
            payer = _private_account(
                self.ids,
                self.draw,
                self.ids.name(),
                self.ids.resident_id(birth, female),
                self.ids.mobile(),
            )
            self.accounts[payer.number] = payer
            den = self.draw.pick(dens)
            at = _office_hours(
                self.draw,
                self.draw.between(den.opens_at, den.closes_at - dt.timedelta(days=3))
                .astimezone(BEIJING)
                .date(),
            )
            target = self._designated(plan.group_id, at)
            self._transfer(payer.number, target.number, self.draw.yuan(1_000, 50_000), at, "lead")

    def _outside_victim(self) -> None:
        """Reported, but defrauded by a group none of whose evidence is in the case."""
        victim = self._new_victim(None, "outside", True)
        own = _private_account(self.ids, self.draw, victim.name, victim.id_number, victim.phone)
        self.accounts[own.number] = own
        victim.card = own.number
        elsewhere = _private_account(
            self.ids,
            self.draw,
            self.ids.name(),
            self.ids.resident_id(self.ids.birth(20, 50), False),
            self.ids.mobile(),
        )
        self.accounts[elsewhere.number] = elsewhere
        den = self.draw.pick(self.dens)
        at = _office_hours(
            self.draw, self.draw.between(den.opens_at, den.closes_at).astimezone(BEIJING).date()
        )
        victim.hooked_at = at
        self._transfer(
            victim.card,
            elsewhere.number,
            self.draw.yuan(3_000, 200_000),
            at,
            "other_group",
            victim.key,
        )
        victim.payees.append(elsewhere.number)
        self.paid[victim.key] = self.transfers[-1].amount_fen
        self._report(victim)

    def _plant_name_collisions(self) -> None:
        """Two suspects named alike, and victims of different groups named alike.

        A name alone must never link anybody: these pairs are what would go wrong if it did.
        """
        staff = [p for p in self.people if p.role in ("first_line", "second_line", "third_line")]
        if len(staff) >= 2:
            staff[-1].name = staff[0].name
        by_group: dict[str | None, list[Victim]] = {}
        for victim in self.victims:
            by_group.setdefault(victim.group_id, []).append(victim)
        groups = [g for g in by_group if g is not None]
        if len(groups) >= 2:
            _rename(
                by_group[groups[1]][0], by_group[groups[0]][0].name, self.messages, self.accounts
            )

    def _note_roles(self) -> None:
        """The roster's 角色 column: the truth, except a few slips investigators made."""
        notes = {
            "organiser": "组织者",
            "first_line": "一线",
            "second_line": "二线",
            "third_line": "三线",
            "money_mule": "水房",
            "support": "卡商",
        }
        for person in self.people:
            person.role_noted = notes[person.role]
            if person.subrole == "trainer":
                person.role_noted = "组织者（培训）"
            if person.role == "second_line" and self.draw.chance(0.15):
                person.role_noted = "一线"
            elif person.role == "first_line" and self.draw.chance(0.1):
                person.role_noted = ""


ANNOUNCEMENTS = (
    "今天起收款卡 {number}（{bank}，{holder}）",
    "加一张卡备用：{number} {bank} 户名{holder}",
    "新收款账户{number}，{bank}，{holder}，报给二线",
)
"""How an organiser names a new collecting card; none speaks of the others as old."""
STOPS = (
    "尾号{tail}这张停用，别再报",
    "{bank}尾号{tail}那张作废",
    "{tail}这张不要再用了",
)
"""How an organiser stops a card, by its last four digits."""


def _in_fours(number: str) -> str:
    """A card number as people type it, in groups of four."""
    return " ".join(number[i : i + 4] for i in range(0, len(number), 4))


def _present(person: Person, den: Den, at: dt.datetime) -> bool:
    """Whether ``person`` was working at ``den`` at ``at``."""
    return any(s.den is den and s.works_from <= at <= s.works_until for s in person.stays)


def _rename(
    victim: Victim, name: str, messages: list[Message], accounts: dict[str, Account]
) -> None:
    """Give ``victim`` another name everywhere it is written: chats and their bank's records."""
    for message in messages:
        if message.victim == victim.key:
            message.body = message.body.replace(victim.name, name)
            message.body = message.body.replace(traditional(victim.name), traditional(name))
    victim.name = name
    accounts[victim.card].holder_name = name


def _split(amount: int, largest: int, draw: _Draw) -> list[int]:
    """``amount`` in parts no larger than ``largest`` (the last part takes the rest)."""
    parts = []
    remaining = amount
    while remaining > largest:
        part = int(draw.rng.integers(largest // 2, largest + 1)) // 100 * 100 or largest
        parts.append(part)
        remaining -= part
    parts.append(remaining)
    return parts


def _halves(amount: int, draw: _Draw) -> list[int]:
    """``amount`` whole, or in two parts of whole yuan: mule crews split to blur the trail."""
    if amount < 200_000 or draw.chance(0.5):
        return [amount]
    first = int(amount * draw.rng.uniform(0.3, 0.7)) // 100 * 100
    return [first, amount - first]


FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


@functools.cache
def _s2t() -> opencc.OpenCC:
    return opencc.OpenCC("s2t")


@functools.cache
def traditional(name: str) -> str:
    """The name as a Taiwanese operator types it (traditional characters)."""
    return str(_s2t().convert(name))


def _typo(name: str, draw: _Draw) -> str:
    """The name with one character swapped for a homophone-like neighbour, now and then."""
    if len(name) < 2 or not draw.chance(0.3):
        return name
    return name[:-1] + draw.pick(tuple("伟玮炜芳方敏明"))


def _wan(fen: int) -> str:
    """An amount as a caller writes it in chat: 5万, 15.5万 or 8000."""
    yuan = fen / 100
    if yuan >= 10_000 and fen % 100_000 == 0:
        return f"{yuan / 10_000:g}万"
    return f"{yuan:g}"


def simulate(profile: Profile, seed: int) -> World:
    """Draw a whole world from ``profile`` and ``seed``; the same pair gives the same world."""
    return _Simulation(profile, seed).run()
