"""The people of each group: dens, staff with their stays abroad, numbers, roster notes.

Organisers run every den of their group and take no calls. Callers join one den (some late),
some leave early, some move on to the next den, and one goes home mid-way and comes back (two
stays at one den). The first member of each role staffs one den each from its opening to its
end, so every line is manned all along. Money mules stay at home; a technician works in a den.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from linkage.synth.designated.draws import Draw, local_midnight
from linkage.synth.designated.events import STAFF_ROLES, UTC, Den, Line, Person, Stay, Trip
from linkage.synth.designated.plan import GroupPlan, WorldPlan
from linkage.synth.identities import Identities

__all__ = ["EXTENSION_BASE", "Staffing"]

EXTENSION_BASE = {"first_line": 801, "second_line": 821, "third_line": 841}
"""Extensions of each role in a group; the unrelated den numbers its own the same way."""


class Staffing:
    """Draws the dens and people of each group in turn; ``dens`` and ``people`` gather them."""

    def __init__(self, plan: WorldPlan, ids: Identities, draw: Draw) -> None:
        self.plan = plan
        self.ids = ids
        self.draw = draw
        self.dens: list[Den] = []
        self.people: list[Person] = []

    # -- dens and people -----------------------------------------------------------------------

    def group_dens(self, plan: GroupPlan) -> list[Den]:
        dens = []
        for den_plan in plan.dens:
            zone = ZoneInfo(den_plan.zone)
            closes = (
                self.plan.seized_at.astimezone(UTC)
                if den_plan.closes is None
                else local_midnight(den_plan.closes + dt.timedelta(days=1), zone)
            )
            opens = local_midnight(den_plan.opens, zone)
            log_from = (
                local_midnight(den_plan.dial_log_from, zone) if den_plan.dial_log_from else opens
            )
            lines = [Line(f"{n:02d}", self.ids.landline()) for n in range(1, den_plan.lines + 1)]
            chat = f"#{self.ids.handle('admin')}/${self.draw.rng.integers(16**12):012x}"
            title = f"{den_plan.name.removeprefix('den-')}工作群"
            den = Den(den_plan, plan.group_id, opens, closes, lines, chat, title, log_from)
            dens.append(den)
        self.dens += dens
        return dens

    def group_staff(self, plan: GroupPlan, dens: list[Den]) -> list[Person]:
        roles = (
            [("organiser", "")] * plan.organisers
            + [("first_line", "")] * plan.first_line
            + [("second_line", "")] * plan.second_line
            + [("third_line", "")] * plan.third_line
            + [("support", "technician")] * plan.technicians
            + [("money_mule", "")] * plan.money_mules
        )
        people: list[Person] = []
        seen: dict[str, int] = {}
        for role, subrole in roles:
            rank = seen[role] = seen.get(role, -1) + 1
            female = self.draw.chance(0.3)
            birth = self.ids.birth(19, 48)
            abroad = role != "money_mule"
            taiwanese = abroad and role in STAFF_ROLES and self.draw.chance(self.plan.taiwan_share)
            taiwanese = taiwanese or (role == "organiser" and rank == 1)  # writes traditional
            if taiwanese:
                id_type, person_id = "permit", self.ids.taiwan_permit()
            else:
                id_type, person_id = "resident_id", self.ids.resident_id(birth, female)
            person = Person(
                key=f"P{len(self.people) + len(people) + 1:04d}",
                name=self.ids.name(),
                female=female,
                birth=birth,
                id_type=id_type,
                person_id=person_id,
                taiwanese=taiwanese,
                group_id=plan.group_id,
                role=role,
                subrole=subrole,
                phone=self.ids.mobile(),
                skype=self.ids.handle(f"{plan.group_id.lower()}x"),
            )
            if abroad:
                self._stays(person, dens, anchor=dens[rank] if rank < len(dens) else None)
            people.append(person)
        self._extensions(people)
        if not self.people:  # the main group: one member goes home mid-way and comes back
            self._send_home(people)
        self._notes(people)
        self.people += people
        return people

    def _stays(self, person: Person, dens: list[Den], anchor: Den | None) -> None:
        """Organisers run every den; callers join one (some late), some leave early, some go
        home for a while and come back, some move on to the next den.

        ``anchor``: the first members of each role staff one den each from its opening to its
        end, so that every den has each line manned all along."""
        draw = self.draw
        if anchor is not None and person.role != "organiser":
            person.stays.append(
                self._stay(
                    anchor,
                    anchor.opens_at - draw.seconds(2 * 86400, 5 * 86400),
                    None if anchor.seized else anchor.closes_at + draw.seconds(86400, 3 * 86400),
                )
            )
            return
        chosen = list(dens) if person.role == "organiser" else [draw.pick(dens)]
        moves_on = person.role != "organiser" and len(dens) > 1 and chosen[0] is dens[0]
        if moves_on and draw.chance(0.3):
            chosen.append(dens[1])
        for position, den in enumerate(chosen):
            departs = den.opens_at - draw.seconds(2 * 86400, 5 * 86400)
            span = den.closes_at - den.opens_at
            if person.role in STAFF_ROLES and position == 0 and draw.chance(0.3):
                departs = draw.between(den.opens_at + span * 0.1, den.opens_at + span * 0.45)
            if person.stays and (
                person.stays[-1].returns_at is None or departs <= person.stays[-1].returns_at
            ):
                departs = den.opens_at + draw.seconds(86400, 5 * 86400)
            returns = None if den.seized else den.closes_at + draw.seconds(86400, 3 * 86400)
            last = position == len(chosen) - 1
            if last and person.role in STAFF_ROLES and draw.chance(0.2):
                returns = draw.between(
                    departs + (den.closes_at - departs) * 0.6, den.closes_at - dt.timedelta(days=6)
                )
            if last and person.role in STAFF_ROLES and returns is None and draw.chance(0.2):
                # home mid-way (a family matter) and back a few weeks later: two stays
                away = draw.between(departs + span * 0.25, departs + span * 0.45)
                back = away + draw.seconds(12 * 86400, 25 * 86400)
                if back < den.closes_at - dt.timedelta(days=20):
                    person.stays.append(self._stay(den, departs, away))
                    departs = back
            person.stays.append(self._stay(den, departs, returns))

    def _send_home(self, people: list[Person]) -> None:
        """Make sure someone went home mid-way and came back: split the longest single stay at
        the raided den of a first-liner who has not already done so."""
        if any(len(p.stays) > len({s.den.name for s in p.stays}) for p in people):
            return
        single = [
            p
            for p in people
            if p.role == "first_line" and len(p.stays) == 1 and p.stays[0].den.seized
        ]
        if not single:
            return
        person = max(single, key=lambda p: (p.stays[0].works_until - p.stays[0].works_from, p.key))
        stay = person.stays[0]
        span = stay.works_until - stay.works_from
        away = self.draw.between(stay.works_from + span * 0.3, stay.works_from + span * 0.4)
        back = away + min(self.draw.seconds(12 * 86400, 25 * 86400), span * 0.3)
        person.stays = [
            self._stay(stay.den, stay.departs_at, away),
            self._stay(stay.den, back, stay.returns_at),
        ]

    @staticmethod
    def _stay(den: Den, departs: dt.datetime, returns: dt.datetime | None) -> Stay:
        works_from = max(departs + dt.timedelta(days=1), den.opens_at)
        works_until = den.closes_at if returns is None else min(returns, den.closes_at)
        if returns is not None:
            works_until -= dt.timedelta(hours=12)
        return Stay(den, departs, returns, works_from, works_until)

    @staticmethod
    def _extensions(people: list[Person]) -> None:
        """One extension per caller for the group's every den, so the roster's 分机号 names
        one person; the unrelated den numbers its callers the same way."""
        for role, base in EXTENSION_BASE.items():
            for number, person in enumerate(p for p in people if p.role == role):
                for stay in person.stays:
                    person.extensions[stay.den.name] = str(base + number)

    def _notes(self, people: list[Person]) -> None:
        """The roster's 角色 and 备注: many rows carry no note, a few carry a wrong one."""
        notes = {
            "organiser": "组织者",
            "first_line": "一线",
            "second_line": "二线",
            "third_line": "三线",
            "support": "技术",
            "money_mule": "水房",
        }
        for person in people:
            if person.role == "money_mule":
                person.role_noted, person.remark = "水房", "国内抓获"
                continue
            if self.draw.chance(0.45):
                continue
            person.role_noted = notes[person.role]
            if person.role == "second_line" and self.draw.chance(0.3):
                person.role_noted = "一线"
            if person.role == "organiser" and self.draw.chance(0.5):
                person.role_noted = ""
            if len(person.stays) > 1 and person.stays[0].den is not person.stays[-1].den:
                person.remark = f"曾在{person.stays[0].den.name}"

    def holiday(self) -> None:
        """A member of the main group took a holiday abroad before the group existed."""
        first = self.dens[0]
        member = next(p for p in self.people if p.role in STAFF_ROLES and not p.taiwanese)
        leaves = first.opens_at - dt.timedelta(days=int(self.draw.rng.integers(200, 320)))
        member.trips.append(Trip(leaves, leaves + dt.timedelta(days=7, hours=3), "泰国"))
