"""The designated-accounts world: the story of every card, victim and payment.

``simulate`` draws from one seed the groups (``staff.py``: dens, staff and their stays), the
receiving cards the organisers designated and stopped in the chats, every victim's story (the
dialer's leg and the forwards, the reports, the payments, test transfers sent back, small
refunds) and the money's way on through relay accounts to a laundering hub both groups share.
It records events (``events.py``); the writers choose which reach which file, and the ground
truth is computed from the same events.

This world shares with the first (``synth/world.py``) only the identifier generators and, in
its writers, the file layouts: it is written from DOMAIN.md and FORMATS.md, so that a rule
fitted to one world's habits shows up as a wrong number in the other.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import numpy as np

from linkage.synth.designated import wording
from linkage.synth.designated.draws import Draw, office_hours
from linkage.synth.designated.events import (
    ANSWER_S,
    BEIJING,
    HUB,
    RING_S,
    STAFF_ROLES,
    UTC,
    Account,
    CarrierCall,
    Den,
    Leg,
    Message,
    Person,
    Transfer,
    Victim,
    World,
    is_present,
)
from linkage.synth.designated.plan import GroupPlan, WorldPlan
from linkage.synth.designated.staff import Staffing
from linkage.synth.identities import BANKS, Identities

__all__ = ["simulate"]


class _Simulation:
    """Builds a World step by step; each method is one part of the story."""

    def __init__(self, plan: WorldPlan, seed: int) -> None:
        self.plan = plan
        self.seed = seed
        streams = np.random.SeedSequence([seed, 20]).spawn(3)
        self.ids = Identities(np.random.default_rng(streams[0]))
        self.draw = Draw(np.random.default_rng(streams[1]))
        self.words = np.random.default_rng(streams[2])
        self.staffing = Staffing(plan, self.ids, self.draw)
        self.dens = self.staffing.dens
        self.people = self.staffing.people
        self.victims: list[Victim] = []
        self.accounts: dict[str, Account] = {}
        self.legs: list[Leg] = []
        self.messages: list[Message] = []
        self.transfers: list[Transfer] = []
        self.carrier_calls: list[CarrierCall] = []
        self.paid: dict[str, int] = {}
        self.names: set[str] = set()
        self.paid_stopped: set[str] = set()
        """Groups one of whose victims has paid a card after the chats stopped it."""

    def run(self) -> World:
        hub = self._account(HUB, 3, dt.date(2014, 6, 1))
        hub.returned = False
        self.hub = hub
        for plan in self.plan.groups:
            dens = self.staffing.group_dens(plan)
            people = self.staffing.group_staff(plan, dens)
            self._cards(plan, dens, people)
            self._relays(plan, dens)
            for scenario in self._scenarios(plan):
                self._victim(plan, dens, people, scenario)
            for _ in range(plan.leads):
                self._lead(plan, dens)
            self._instructions(dens, people)
        self.staffing.holiday()
        self._namesakes()
        for _ in range(self.plan.outside_victims):
            self._outside()
        self._forward()
        self._refund_after_raid()
        self._floats()
        self.transfers.sort(key=lambda t: (t.at, t.serial))
        self.legs.sort(key=lambda c: (c.den, c.started_at, c.callee, c.extension))
        self.messages.sort(key=lambda m: (m.den, m.sent_at, m.sender))
        self.carrier_calls.sort(key=lambda c: (c.victim, c.at))
        return World(
            self.plan,
            self.seed,
            self.dens,
            self.people,
            self.victims,
            self.accounts,
            self.legs,
            self.messages,
            self.transfers,
            self.carrier_calls,
        )

    # -- accounts ------------------------------------------------------------------------------

    def _account(
        self, group_id: str | None, layer: int, opened: dt.date, holder: Person | None = None
    ) -> Account:
        bank = self.draw.pick(BANKS)
        if holder is None:
            female = self.draw.chance(0.4)
            name = self.ids.name()
            holder_id = self.ids.resident_id(self.ids.birth(18, 60), female)
            phone = self.ids.mobile()
        else:
            name, holder_id, phone = holder.name, holder.person_id, holder.phone
        account = Account(
            number=self.ids.card(bank),
            internal=self.ids.internal_account(),
            bank=bank,
            holder_name=name,
            holder_id=holder_id,
            phone=phone,
            group_id=group_id,
            layer=layer,
            opened=opened,
        )
        self.accounts[account.number] = account
        return account

    def _cards(self, plan: GroupPlan, dens: list[Den], people: list[Person]) -> None:
        """The first-layer cards, held by the mules, designated and stopped in the chats."""
        mules = [p for p in people if p.role == "money_mule"]
        organisers = [p for p in people if p.role == "organiser"]
        start = min(d.opens_at for d in dens) + dt.timedelta(days=2)
        end = max(d.closes_at for d in dens) - dt.timedelta(days=10)
        step = (end - start) / plan.first_layer_cards
        in_use: list[Account] = []
        forms = int(self.draw.rng.integers(5))  # the ways a card is typed take turns
        for number in range(plan.first_layer_cards):
            holder = mules[number % len(mules)]
            at = self._posting_time(dens, start + step * number + self.draw.seconds(0, 86400))
            card = self._account(plan.group_id, 1, (at - dt.timedelta(days=20)).date(), holder)
            holder.cards.append(card.number)
            den = self._active_den(dens, at)
            author = self._author(organisers, den, at)
            surname = holder.name[0]
            replaces = bool(in_use) and (number % 3 != 1)
            if replaces:
                body = wording.switch(
                    card.number, card.bank.name, surname, self.words, forms + number
                )
                for old in in_use:
                    old.designated_until = at
                in_use = []
            else:
                body = wording.addition(
                    card.number, card.bank.name, surname, self.words, forms + number
                )
            card.designated_from = at
            in_use.append(card)
            self._post(den, author, at, body, "designation")
            if len(in_use) > 1 and self.draw.chance(0.5):
                # a card stopped on its own, some days later, while the other stays in use
                later = self._posting_time(dens, at + step * 0.5)
                old = in_use.pop(0)
                old.designated_until = later
                den = self._active_den(dens, later)
                text = wording.retirement(old.number, self.words)
                author = self._author(organisers, den, later)
                self._post(den, author, later, text, "retirement")

    def _posting_time(self, dens: list[Den], around: dt.datetime) -> dt.datetime:
        """The morning (den time) nearest ``around`` when a den of the group was running."""
        for shift in range(60):
            at = around + dt.timedelta(days=shift)
            den = next(
                (d for d in dens if d.opens_at + dt.timedelta(days=1) <= at < d.closes_at), None
            )
            if den is not None:
                local = at.astimezone(den.zone).replace(
                    hour=8, minute=int(self.draw.rng.integers(0, 50))
                )
                return local.astimezone(UTC).replace(second=int(self.draw.rng.integers(60)))
        raise RuntimeError("no den was running to post in")  # pragma: no cover

    @staticmethod
    def _active_den(dens: list[Den], at: dt.datetime) -> Den:
        return next(d for d in dens if d.opens_at <= at < d.closes_at)

    def _author(self, organisers: list[Person], den: Den, at: dt.datetime) -> Person:
        present = [p for p in organisers if is_present(p, den, at)]
        return self.draw.pick(present or organisers)

    def _relays(self, plan: GroupPlan, dens: list[Den]) -> None:
        opened = (min(d.opens_at for d in dens) - dt.timedelta(days=30)).date()
        for _ in range(plan.relay_accounts):
            self._account(plan.group_id, 2, opened)

    def _designated(self, group_id: str, at: dt.datetime) -> list[Account]:
        return [
            a
            for a in self.accounts.values()
            if a.group_id == group_id
            and a.layer == 1
            and a.designated_from is not None
            and a.designated_from <= at
            and (a.designated_until is None or at < a.designated_until)
        ]

    def _stopped(self, group_id: str, at: dt.datetime) -> list[Account]:
        """The first-layer cards the chats stopped before ``at``."""
        return [
            a
            for a in self.accounts.values()
            if a.group_id == group_id
            and a.layer == 1
            and a.designated_until is not None
            and a.designated_until <= at
        ]

    def _latest(self, group_id: str, at: dt.datetime) -> list[Account]:
        """The card designated last before ``at`` (a victim told the number before it stopped)."""
        cards = [
            a
            for a in self.accounts.values()
            if a.group_id == group_id
            and a.layer == 1
            and a.designated_from is not None
            and a.designated_from <= at
        ]
        return [max(cards, key=lambda a: (a.designated_from or at, a.number))]

    # -- victims -------------------------------------------------------------------------------

    def _scenarios(self, plan: GroupPlan) -> list[str]:
        scenarios = (
            ["reported"] * plan.reported
            + ["transfer_only"] * plan.transfer_only
            + ["unreported"] * plan.unreported
            + ["early"] * plan.early
            + ["weak_call"] * plan.weak_call
            + ["weak_chat"] * plan.weak_chat
            + ["name_only"] * plan.name_only
        )
        order = self.draw.rng.permutation(len(scenarios))
        return [scenarios[i] for i in order]

    def _new_victim(self, group_id: str | None, scenario: str) -> Victim:
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
            reported=scenario != "unreported",
        )
        while any(victim.name in n or n in victim.name for n in self.names):
            # a name in a chat must point at one victim: none inside another (张伟 in 张伟强)
            victim.name = self.ids.name()
        self.names.add(victim.name)
        opened = dt.date(2010, 1, 1) + dt.timedelta(days=int(self.draw.rng.integers(0, 1500)))
        own = self._account(None, 0, opened)
        own.holder_name, own.holder_id, own.phone = victim.name, victim.id_number, victim.phone
        victim.card = own.number
        self.victims.append(victim)
        return victim

    def _victim(
        self, plan: GroupPlan, dens: list[Den], people: list[Person], scenario: str
    ) -> None:
        victim = self._new_victim(plan.group_id, scenario)
        den, chain, hooked = self._assignment(dens, people, early=scenario == "early")
        victim.den, victim.hooked_at = den.name, hooked
        pays = scenario not in ("weak_call", "weak_chat", "name_only")
        called = scenario not in ("weak_chat", "name_only")
        logged = scenario in ("reported", "unreported", "weak_call")
        victim.carrier_records = scenario == "early" or (
            scenario in ("reported", "weak_call")
            and self.draw.chance(self.plan.carrier_record_share)
        )
        talk_end = hooked + dt.timedelta(minutes=20)
        if called:
            talk_end = self._chain(victim, den, chain, hooked, logged)
        first = chain[0]
        if scenario in ("reported", "weak_chat") or (
            scenario == "unreported" and self.draw.chance(0.5)
        ):
            name = wording.traditional(victim.name) if first.taiwanese else victim.name
            # for a victim nobody reported, the report is what ties their phone to their card
            form = wording.PHONE_AND_CARD if scenario == "unreported" else None
            body, by = wording.hooked(
                name, victim.phone, victim.id_number, victim.card, self.words, form
            )
            middle = hooked + (talk_end - hooked) / 3
            self._post(den, first, middle.replace(microsecond=0), body, "hooked", victim.key, by)
        if scenario == "name_only":  # a name alone, with nothing else of theirs: links nobody
            name = wording.traditional(victim.name) if first.taiwanese else victim.name
            text = wording.dropped(name, self.words)
            self._post(den, first, hooked, text, "mention", victim.key, frozenset({"name"}))
        if pays:
            chatted = any(m.victim == victim.key for m in self.messages)
            self._payments(
                victim, den, chain, talk_end, asked=scenario == "unreported" and not chatted
            )
        self._report(victim)

    def _assignment(
        self, dens: list[Den], people: list[Person], early: bool
    ) -> tuple[Den, list[Person], dt.datetime]:
        doubter = self.draw.chance(self.plan.third_line_share)
        roles = STAFF_ROLES if doubter else STAFF_ROLES[:2]
        if not any(p.role == "third_line" for p in people):
            roles = STAFF_ROLES[:2]
        for _ in range(1000):
            den = self.draw.pick(dens)
            low = den.opens_at + dt.timedelta(days=3)
            high = den.closes_at - dt.timedelta(days=5)
            if early:
                if den.dial_log_from <= den.opens_at:
                    continue
                high = den.dial_log_from - dt.timedelta(days=3)
            elif den.dial_log_from > den.opens_at:
                low = den.dial_log_from + dt.timedelta(days=1)
            if high <= low:
                continue
            at = office_hours(self.draw, self.draw.between(low, high).astimezone(BEIJING).date())
            if not low <= at <= high or not self._designated(den.group_id, at):
                continue
            chain = []
            for role in roles:
                present = [p for p in people if p.role == role and is_present(p, den, at)]
                if not present:
                    break
                chain.append(self.draw.pick(present))
            later = at + dt.timedelta(hours=2)
            if len(chain) >= 2 and all(is_present(p, den, later) for p in chain):
                return den, chain, at
        raise RuntimeError("no den had its lines staffed")  # pragma: no cover

    def _dialled(self, phone: str) -> str:
        return self.draw.pick(("", "", "86", "0086", "17951")) + phone

    def _chain(
        self, victim: Victim, den: Den, chain: list[Person], hooked: dt.datetime, logged: bool
    ) -> dt.datetime:
        """The dialer's leg and one row per forward, every row carrying the session's 任务ID."""
        line = self.draw.pick(den.lines)
        task = (
            f"{hooked.astimezone(den.zone):%Y%m%d}{line.line_id}{self.draw.rng.integers(100):02d}"
        )
        dialled = self._dialled(victim.phone)
        recording = int(self.draw.rng.integers(25, 70))
        legs = [  # the dialer's own leg: no extension, passed to the first line's
            Leg(den=den.name, line=line, callee=victim.phone, dialled=dialled, started_at=hooked,
                duration_s=recording, answered=True, extension="",
                forwarded_to=chain[0].extensions[den.name], task_id=task, key_pressed="1",
                person=None, victim=victim.key, logged=logged)
        ]  # fmt: skip
        at = hooked + dt.timedelta(seconds=RING_S + recording + 1)
        for position, person in enumerate(chain):
            duration = int(self.draw.rng.integers(240, 1400 if position == 0 else 2400))
            following = (
                chain[position + 1].extensions[den.name] if position + 1 < len(chain) else ""
            )
            legs.append(
                Leg(den=den.name, line=line, callee=victim.phone, dialled=dialled, started_at=at,
                    duration_s=duration, answered=True, extension=person.extensions[den.name],
                    forwarded_to=following, task_id=task, key_pressed="", person=person.key,
                    victim=victim.key, logged=logged)
            )  # fmt: skip
            at += dt.timedelta(seconds=ANSWER_S + duration)
        self.legs += legs
        if victim.carrier_records:
            held = int((at - hooked).total_seconds())
            self.carrier_calls.append(
                CarrierCall(
                    victim.key, hooked + dt.timedelta(seconds=RING_S), "被叫", line.displayed, held
                )
            )
        if logged and self.draw.chance(0.5):
            second = chain[1]
            again = office_hours(self.draw, (at + dt.timedelta(days=1)).astimezone(BEIJING).date())
            if is_present(second, den, again):
                answered = self.draw.chance(0.6)
                self.legs.append(  # the second line calls back by hand: no task
                    Leg(den=den.name, line=line, callee=victim.phone,
                        dialled=self._dialled(victim.phone), started_at=again,
                        duration_s=int(self.draw.rng.integers(60, 600)) if answered else 0,
                        answered=answered, extension=second.extensions[den.name],
                        forwarded_to="", task_id="", key_pressed="", person=second.key,
                        victim=victim.key, logged=True)
                )  # fmt: skip
        return at

    def _payments(
        self,
        victim: Victim,
        den: Den,
        chain: list[Person],
        talk_end: dt.datetime,
        asked: bool,
    ) -> None:
        """A test yuan sent back for some, then one to three installments to a card in use.

        ``asked``: nothing but the bank's answer about the paying card can tie this victim's
        card to their phone, so the first installment is large enough for the police to have
        asked (``payer_query_from_fen``)."""
        group_id = den.group_id
        at = talk_end + self.draw.seconds(8 * 60, 80 * 60)
        reporter = chain[1]
        if self.draw.chance(self.plan.test_transfer_share):
            card = self.draw.pick(self._designated(group_id, at))
            test = self._transfer(victim.card, card.number, 100, at, "payment", victim.key)
            test.test = True
            victim.payees.append(card.number)
            back = at + self.draw.seconds(60, 300)
            self._transfer(
                card.number, victim.card, 100, back, "refund", victim.key, answers=test.serial
            )
            at = back + self.draw.seconds(120, 600)
        installments = 1 + int(self.draw.rng.choice(3, p=(0.5, 0.35, 0.15)))
        previous: Account | None = None
        for number in range(installments):
            if number:
                at = office_hours(self.draw, (at + dt.timedelta(days=1)).astimezone(BEIJING).date())
                if at >= den.closes_at - dt.timedelta(hours=2):
                    break
            cards = self._designated(group_id, at) or self._latest(group_id, at)
            stopped = self._stopped(group_id, at)
            if previous is not None and previous not in cards and self.draw.chance(0.4):
                card = previous  # the victim paid the card they paid before, after it stopped
            elif number and stopped and group_id not in self.paid_stopped:
                # a victim who kept the number they were first given: once in every group
                card = max(stopped, key=lambda a: (a.designated_until or at, a.number))
                self.paid_stopped.add(group_id)
            else:
                card = self.draw.pick(cards)
            low = self.plan.payer_query_from_fen // 100 + 2_000 if asked and not number else 3_000
            amount = self.draw.yuan(low, 250_000 if number == 0 else 100_000)
            payment = self._transfer(victim.card, card.number, amount, at, "payment", victim.key)
            self.paid[victim.key] = self.paid.get(victim.key, 0) + amount
            victim.payees.append(card.number)
            previous = card
            posted = at + self.draw.seconds(120, 1500)
            if victim.scenario != "transfer_only" and is_present(reporter, den, posted):
                name = wording.traditional(victim.name) if reporter.taiwanese else victim.name
                text = wording.paid(name, amount, self.words)
                self._post(den, reporter, posted, text, "paid", victim.key, frozenset({"name"}))
            if number == 0 and self.draw.chance(self.plan.refund_share):
                back = at + self.draw.seconds(3 * 3600, 30 * 3600)
                fen = int(self.draw.rng.integers(20, 201)) * 1_000  # 200 to 2,000 yuan
                self._transfer(card.number, victim.card, min(fen, amount // 10), back, "refund",
                               victim.key, answers=payment.serial)  # fmt: skip

    def _report(self, victim: Victim) -> None:
        if not victim.reported:
            return
        victim.reported_loss_fen = self.paid.get(victim.key, 0)
        victim.lists_payee = self.draw.chance(self.plan.listed_payee_share)
        start = victim.hooked_at or self.plan.seized_at
        victim.reported_at = office_hours(
            self.draw,
            (start + dt.timedelta(days=int(self.draw.rng.integers(1, 25))))
            .astimezone(BEIJING)
            .date(),
        )

    def _lead(self, plan: GroupPlan, dens: list[Den]) -> None:
        payer = self._account(None, 0, dt.date(2012, 3, 1))
        den = self.draw.pick([d for d in dens if d.seized] or dens)
        for _ in range(100):
            at = office_hours(
                self.draw,
                self.draw.between(den.opens_at, den.closes_at - dt.timedelta(days=3))
                .astimezone(BEIJING)
                .date(),
            )
            cards = self._designated(plan.group_id, at)
            if cards and den.opens_at < at < den.closes_at:
                self._transfer(
                    payer.number,
                    self.draw.pick(cards).number,
                    self.draw.yuan(1_000, 30_000),
                    at,
                    "lead",
                )
                return

    def _outside(self) -> None:
        victim = self._new_victim(None, "outside")
        elsewhere = self._account(None, 0, dt.date(2014, 1, 1))
        den = self.draw.pick(self.dens)
        at = office_hours(
            self.draw, self.draw.between(den.opens_at, den.closes_at).astimezone(BEIJING).date()
        )
        victim.hooked_at = at
        amount = self.draw.yuan(3_000, 150_000)
        self._transfer(victim.card, elsewhere.number, amount, at, "other_group", victim.key)
        victim.payees.append(elsewhere.number)
        self.paid[victim.key] = amount
        self._report(victim)

    # -- chats ---------------------------------------------------------------------------------

    def _post(
        self,
        den: Den,
        author: Person,
        at: dt.datetime,
        body: str,
        purpose: str,
        victim: str | None = None,
        names_by: frozenset[str] = frozenset(),
    ) -> None:
        if author.taiwanese and purpose in ("designation", "retirement", "instruction"):
            body = wording.traditional(body)
        self.messages.append(Message(den.name, author.key, at, body, purpose, victim, names_by))

    def _post_whenis_present(
        self,
        den: Den,
        candidates: list[Person],
        window: tuple[dt.datetime, dt.datetime],
        text: Callable[[], str],
        purpose: str,
        tries: int,
    ) -> None:
        """Post ``text()`` at a moment in ``window`` by one of ``candidates`` at the den then;
        nothing when none of ``tries`` moments finds one there."""
        for _ in range(tries):
            at = self.draw.between(*window)
            present = [p for p in candidates if is_present(p, den, at)]
            if present:
                self._post(den, self.draw.pick(present), at, text(), purpose)
                return

    def _instructions(self, dens: list[Den], people: list[Person]) -> None:
        """Organisers' instructions and targets, about one every six days at each den."""
        organisers = [p for p in people if p.role == "organiser"]
        for den in dens:
            window = (den.opens_at + dt.timedelta(days=1), den.closes_at - dt.timedelta(hours=3))
            for _ in range(max(1, (den.closes_at - den.opens_at).days // 6)):
                self._post_whenis_present(
                    den, organisers, window, lambda: wording.instruction(self.words),
                    "instruction", tries=1,
                )  # fmt: skip

    def _namesakes(self) -> None:
        """Names that must link nobody: a caller of each group with one name, and a caller of
        the main group noting, by name only, a target who shares a name with a victim of the
        other group."""
        groups = [g.group_id for g in self.plan.groups]
        if len(groups) < 2:
            return
        callers = {
            group: [p for p in self.people if p.group_id == group and p.role == "first_line"]
            for group in groups[:2]
        }
        if callers[groups[0]] and callers[groups[1]]:
            callers[groups[1]][0].name = callers[groups[0]][0].name
        other = next((v for v in self.victims if v.group_id == groups[1]), None)
        dens = [d for d in self.dens if d.group_id == groups[0] and d.seized]
        if other is None or not dens:
            return
        window = (dens[0].opens_at + dt.timedelta(days=2), dens[0].closes_at - dt.timedelta(days=1))
        self._post_whenis_present(
            dens[0], callers[groups[0]], window, lambda: wording.dropped(other.name, self.words),
            "mention", tries=200,
        )  # fmt: skip

    # -- money ---------------------------------------------------------------------------------

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
            self.ids.serial("Z"), source, target, fen, at, purpose, victim, answers, parent
        )
        self.transfers.append(transfer)
        return transfer

    def _forward(self) -> None:
        """First-layer cards pass each payment on within minutes to a relay account; relays
        pass most of it to the hub both groups use and draw the rest in cash."""
        incoming: dict[str, list[Transfer]] = {}
        for t in self.transfers:
            target = self.accounts.get(t.target or "")
            if (
                target is not None
                and target.layer == 1
                and t.purpose in ("payment", "lead")
                and not t.test
            ):
                incoming.setdefault(target.number, []).append(t)
        relayed: dict[str, list[Transfer]] = {}
        for number in sorted(incoming):
            card = self.accounts[number]
            relays = sorted(
                (a for a in self.accounts.values() if a.group_id == card.group_id and a.layer == 2),
                key=lambda a: a.number,
            )
            busy = dt.datetime.min.replace(tzinfo=UTC)
            for arrival in sorted(incoming[number], key=lambda t: (t.at, t.serial)):
                at = max(arrival.at, busy) + self.draw.seconds(90, 900)
                relay = self.draw.pick(relays)
                hop = self._transfer(number, relay.number, arrival.amount_fen, at, "layer",
                                     arrival.victim, parent=arrival.serial)  # fmt: skip
                relayed.setdefault(relay.number, []).append(hop)
                busy = at
        for number in sorted(relayed):
            busy = dt.datetime.min.replace(tzinfo=UTC)
            for arrival in sorted(relayed[number], key=lambda t: (t.at, t.serial)):
                at = max(arrival.at, busy) + self.draw.seconds(60, 600)
                if self.draw.chance(0.6):
                    self._transfer(number, self.hub.number, arrival.amount_fen, at, "layer",
                                   arrival.victim, parent=arrival.serial)  # fmt: skip
                else:
                    remaining = arrival.amount_fen
                    while remaining > 0:
                        part = min(remaining, 4_000_000)
                        self._transfer(number, None, part, at, "cash_out", arrival.victim,
                                       parent=arrival.serial)  # fmt: skip
                        remaining -= part
                        at += self.draw.seconds(60, 240)
                busy = at

    def _floats(self) -> None:
        """Each first-layer card opens with its holder's own cash: what it will pay back, and
        5,000 yuan more, so no refund ever overdraws it (the payments themselves move on)."""
        for account in self.accounts.values():
            if account.layer == 1 and account.designated_from is not None:
                back = sum(t.amount_fen for t in self.transfers if t.source == account.number
                           and t.purpose == "refund")  # fmt: skip
                at = account.designated_from - dt.timedelta(hours=20)
                self._transfer(None, account.number, back + 500_000, at, "float")

    def _refund_after_raid(self) -> None:
        """A mule at home pays the last victim of the main group something back after the raid:
        money returned after the case broke is not deducted from the loss."""
        group = self.plan.groups[0].group_id
        cards = {a.number for a in self.accounts.values() if a.group_id == group and a.layer == 1}
        payments = [
            t for t in self.transfers if t.purpose == "payment" and not t.test and t.target in cards
        ]
        if not payments:
            return
        last = max(payments, key=lambda t: (t.at, t.serial))
        victim = next(v for v in self.victims if v.key == last.victim)
        at = self.plan.seized_at.astimezone(UTC) + self.draw.seconds(86400, 2 * 86400)
        self._transfer(last.target, victim.card, min(200_000, last.amount_fen // 5), at, "refund",
                       victim.key, answers=last.serial)  # fmt: skip


def simulate(plan: WorldPlan, seed: int) -> World:
    """The world ``plan`` and ``seed`` describe; the same pair always gives the same world."""
    return _Simulation(plan, seed).run()
