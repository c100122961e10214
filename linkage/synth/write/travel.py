"""Border crossings: Chinese immigration records and transcribed foreign records.

Mainland members appear in the Chinese immigration query (出境 when they left for a den, 入境
when they came back or were deported), in Beijing time at a Chinese port. Members from Taiwan
never crossed a mainland border on the way: their stays are known from the den country's
records and passport stamps, transcribed by investigators with a date only. Which record opens
and closes each stay is the ground truth's participation period rule; both are computed by the
same functions here.
"""

from __future__ import annotations

import datetime as dt

from linkage.synth.files import CaseFolder, Source
from linkage.synth.world import BEIJING, Person, Stay, World

__all__ = ["stay_days", "write_travel"]

IMMIGRATION = "immigration/exit_entry.csv"
TRANSCRIBED = "immigration/foreign_records.csv"
FLIGHT = dt.timedelta(hours=14)
"""Travel time from a Chinese or Taiwanese airport to the den: arrival is the next local day
or the same one, and the truth must say which."""


def stay_days(person: Person, stay: Stay, seized_at: dt.datetime) -> tuple[dt.date, dt.date]:
    """First and last day of a stay, as calendar days in the den's zone, both inclusive.

    Mainland members: from the day of the Chinese exit record to that of the entry record back
    (or the seizure day). Taiwanese members: from the day the den country recorded their entry
    to the day it recorded their exit (or the seizure day). This is the library's default rule
    (DOMAIN.md §5b): entry into the den's country, or leaving China for it when only Chinese
    records exist.
    """
    zone = stay.den.zone
    if person.taiwanese:
        start = (stay.departs_at + FLIGHT).astimezone(zone).date()
        end_at = stay.returns_at - FLIGHT if stay.returns_at else seized_at
    else:
        start = stay.departs_at.astimezone(zone).date()
        end_at = stay.returns_at or seized_at
    return start, end_at.astimezone(zone).date()


def write_travel(folder: CaseFolder, world: World) -> None:
    """Write the immigration query and the transcribed foreign records."""
    deported = world.profile.seized_at + dt.timedelta(days=4, hours=5)
    immigration = [
        "姓名,性别,出生日期,国籍,证件类型,证件号码,出入境类型,出入境日期,出入境时间,口岸,"
        "前往地/出发地,交通工具,航班号"
    ]
    transcribed = ["name,passport_no,nationality,country,direction,date,source"]
    crossings: list[tuple[dt.datetime, str, str]] = []
    for person in world.people:
        for stay in person.stays:
            back = stay.returns_at or deported
            if person.taiwanese:
                source = "passport" if stay.den.plan.country == "ID" else "foreign_police"
                arrive = (stay.departs_at + FLIGHT).astimezone(stay.den.zone)
                leave = (back - FLIGHT).astimezone(stay.den.zone)
                for when, direction in ((arrive, "entry"), (leave, "exit")):
                    transcribed.append(
                        f"{person.name},{person.person_id},TWN,{stay.den.plan.country},"
                        f"{direction},{when:%Y-%m-%d},{source}"
                    )
                continue
            kind = {"resident_id": "居民身份证", "passport": "护照"}[person.id_type]
            for when, direction in ((stay.departs_at, "出境"), (back, "入境")):
                local = when.astimezone(BEIJING)
                crossings.append(
                    (
                        when,
                        person.key,
                        f"{person.name},{'女' if person.female else '男'},{person.birth:%Y-%m-%d},"
                        f"中国,{kind},{person.person_id},{direction},{local:%Y-%m-%d},"
                        f"{local:%H:%M},广州白云机场,{stay.den.plan.country_name},飞机,CZ6043",
                    )
                )
    immigration += [line for _, _, line in sorted(crossings)]
    folder.write_text(IMMIGRATION, immigration)
    folder.add(Source(IMMIGRATION, "travel", "immigration"))
    folder.write_text(TRANSCRIBED, transcribed)
    folder.add(Source(TRANSCRIBED, "travel", "police"))
