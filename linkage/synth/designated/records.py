"""What the police gathered at home: bank returns, victims' call records, the roster, the victim
list and the border records, in the first world's layouts with this world's rows.

The bank return's 账户信息 names each first-layer card's holder by the holder's own ID number,
which is the roster's 证件号码 of a money mule: that, and the designations in the chats, is how
the case shows the cards are the group's. A second query answers who holds the cards that paid
large sums into them, and the paying cards the chats name; other payers stay known by their
card alone.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import openpyxl

from linkage.synth.designated.events import BEIJING, Account, Transfer, World
from linkage.synth.files import CaseFolder, Source
from linkage.synth.noise import noise_phones
from linkage.synth.text import local_times
from linkage.synth.write.bank import ACCOUNT_HEADER, PERSON_HEADER
from linkage.synth.write.bank import ENCODING as BANK_ENCODING
from linkage.synth.write.bank import HEADER as BANK_HEADER
from linkage.synth.write.carrier import CARRIERS
from linkage.synth.write.carrier import ENCODING as CARRIER_ENCODING
from linkage.synth.write.carrier import HEADER as CARRIER_HEADER
from linkage.synth.write.police import ID_TYPES, ROSTER_HEADER

__all__ = [
    "write_bank_returns",
    "write_carrier_records",
    "write_roster",
    "write_travel",
    "write_victim_list",
]

QUERY = "bank/6100000020160426101500"
PAYER_QUERY = "bank/6100000020160429090000"
FLIGHT = dt.timedelta(hours=15)
"""From a Chinese or Taiwanese airport to the den: the arrival day may be the next local day."""
DEPORTED_AFTER = dt.timedelta(days=3, hours=20)
VICTIM_HEADER = ("序号", "被害人姓名", "身份证号码", "联系电话", "报案时间", "报案地点",
                 "被骗金额(元)", "被害人账号", "收款账号", "首次被骗时间", "被骗经过")  # fmt: skip


def _yuan(fen: int) -> str:
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    return f"{sign}{whole}.{cents:02d}"


def _beijing(at: dt.datetime) -> str:
    return f"{at.astimezone(BEIJING):%Y-%m-%d %H:%M:%S}"


def _statement(account: Account, transfers: list[Transfer], world: World) -> list[str]:
    """The account's rows in time order, with a running balance that never goes below zero."""
    balance = 0
    lines = []
    for t in sorted(transfers, key=lambda t: (t.at, t.serial)):
        incoming = t.target == account.number
        other = world.accounts.get((t.source if incoming else t.target) or "")
        balance += t.amount_fen if incoming else -t.amount_fen
        if balance < 0:
            raise AssertionError(f"{account.number} went below zero")  # pragma: no cover
        cash = other is None
        summary = (
            ("存现" if incoming else "取现")
            if cash
            else ("退款" if t.purpose == "refund" else "网银转账")
        )
        cells = [
            account.number + ("_156_1" if account.layer == 1 else ""),
            "\t" + account.internal,
            account.holder_name,
            account.holder_id,
            _beijing(t.at),
            _yuan(t.amount_fen),
            _yuan(balance),
            "进" if incoming else "出",
            "" if other is None else other.number,
            "现金" if cash else "其它",
            "" if other is None else other.holder_name,
            "\\N",
            "" if other is None else other.bank.name,
            summary,
            "CNY",
            "", "", "01", "", "", "", "",
            t.serial,
            "", "", "", "", "", "",
            ("存现" if incoming else "取现") if cash else "转账",
            "",
        ]  # fmt: skip
        lines.append(",".join(cells))
    return lines


def _account_lines(accounts: list[Account]) -> list[str]:
    return [ACCOUNT_HEADER] + [
        f"{a.holder_name},{a.holder_id},{a.number},{a.internal},{a.opened:%Y%m%d},0.00,0.00,CNY,,"
        f"{a.bank.name[:4]}分行,正常,,借记卡,{a.bank.name},{a.phone}"
        for a in accounts
    ]


def write_bank_returns(folder: CaseFolder, world: World) -> None:
    """The query on the group's accounts (every one whose bank answered), and the payer query."""
    returned = sorted(
        (a for a in world.accounts.values() if a.group_id and a.returned and a.layer in (1, 2)),
        key=lambda a: (a.bank.name, a.number),
    )
    touching: dict[str, list[Transfer]] = {}
    for t in world.transfers:
        for side in (t.source, t.target):
            if side is not None:
                touching.setdefault(side, []).append(t)
    planted = False
    for bank in dict.fromkeys(a.bank for a in returned):
        relative = f"{QUERY}/{bank.return_file}"
        lines = [BANK_HEADER]
        for account in (a for a in returned if a.bank is bank):
            lines += _statement(account, touching.get(account.number, []), world)
            if not planted and world.plan.malformed_per_source:
                last = touching[account.number][-1].at
                for _ in range(world.plan.malformed_per_source):
                    lines.append(
                        f"{account.number},\t{account.internal},{account.holder_name},"
                        f"{account.holder_id},{_beijing(last)},0.00,0.00,出,,其它,,\\N,,网银转账,"
                        "CNY,,,01,,,,,,,,,,,,转账,查询失败"
                    )
                    folder.plant(
                        relative, len(lines), "failed_status", "查询反馈结果原因 is 查询失败"
                    )
                planted = True
        folder.count("transactions", len(lines) - 1)
        folder.write_text(relative, lines, BANK_ENCODING)
    folder.write_text(f"{QUERY}/账户信息.csv", _account_lines(returned), BANK_ENCODING)
    folder.write_text(
        f"{QUERY}/人员信息.csv",
        [PERSON_HEADER] + [f"{a.holder_name},{a.holder_id},{a.phone}" for a in returned],
        BANK_ENCODING,
    )
    folder.add(Source(QUERY, "transactions", "bank"))
    folder.add(Source(f"{QUERY}/账户信息.csv", "accounts", "bank"))
    first_layer = {a.number for a in returned if a.layer == 1}
    cards_of = {v.key: v.card for v in world.victims}
    named = {cards_of[m.victim] for m in world.messages if m.victim and "card" in m.names_by}
    asked = sorted(
        {
            t.source
            for t in world.transfers
            if t.target in first_layer
            and t.source is not None
            and (t.amount_fen >= world.plan.payer_query_from_fen or t.source in named)
        }
    )
    relative = f"{PAYER_QUERY}/账户信息.csv"
    folder.write_text(relative, _account_lines([world.accounts[n] for n in asked]), BANK_ENCODING)
    folder.add(Source(relative, "accounts", "bank"))


def _carrier(phone: str) -> str:
    return next(name for name, prefixes in CARRIERS if phone[:3] in prefixes)


def write_carrier_records(folder: CaseFolder, world: World, seed: np.random.SeedSequence) -> None:
    """The asked victims' call records: the den's line ringing them, and their everyday calls."""
    rng = np.random.default_rng(seed)
    by_victim = {v.key: v for v in world.victims}
    calls: dict[str, list[tuple[dt.datetime, str, str, int]]] = {}
    for call in world.carrier_calls:
        calls.setdefault(call.victim, []).append(
            (call.at, call.direction, call.other, call.duration_s)
        )
    for carrier, _ in CARRIERS:
        asked = [by_victim[k] for k in sorted(calls) if _carrier(by_victim[k].phone) == carrier]
        if not asked:
            continue
        relative = f"telecom/{carrier}_话单.csv"
        lines = [CARRIER_HEADER]
        for victim in asked:
            rows = list(calls[victim.key])
            middle = rows[0][0]
            for _ in range(int(rng.integers(3, 9))):
                at = middle + dt.timedelta(seconds=int(rng.integers(-12 * 86400, 12 * 86400)))
                other = str(noise_phones(rng, 1)[0])
                rows.append(
                    (
                        at,
                        "主叫" if rng.random() < 0.5 else "被叫",
                        other,
                        int(rng.integers(10, 500)),
                    )
                )
            rows.sort()
            times = local_times(np.array([int(r[0].timestamp()) for r in rows]), "Asia/Shanghai")
            for (_, direction, other, seconds), when in zip(rows, times.to_pylist(), strict=True):
                cells = [victim.phone, when, direction, other, "4102", "23011", "", "",
                         str(seconds), victim.name, ""]  # fmt: skip
                lines.append(",".join("\t" + c for c in cells))
        for _ in range(world.plan.malformed_per_source):
            cells = ["1.39E+10", "2016-02-01 10:00:00", "主叫", "18700000000", "4100", "20000",
                     "", "", "60", "", ""]  # fmt: skip
            lines.append(",".join("\t" + c for c in cells))
            folder.plant(relative, len(lines), "id_mangled", "己方号码 went through a float")
        folder.count("calls", len(lines) - 1)
        folder.write_text(relative, lines, CARRIER_ENCODING)
        folder.add(Source(relative, "calls", "telecom"))


def write_roster(folder: CaseFolder, world: World) -> None:
    """Every suspect of both groups; money mules with no den, noted 水房 and 国内抓获."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "人员名单"
    sheet.append(list(ROSTER_HEADER))
    for number, person in enumerate(world.people, start=1):
        dens = list(dict.fromkeys(stay.den.name for stay in person.stays))
        sheet.append(
            [
                number,
                person.name,
                "女" if person.female else "男",
                ID_TYPES[person.id_type],
                person.person_id,
                person.birth,
                "中国台湾" if person.taiwanese else "中国",
                person.phone,
                person.skype if person.stays else "",
                "",
                "",
                dens[-1] if dens else "",
                "、".join(person.extensions[d] for d in dens if d in person.extensions),
                person.role_noted,
                person.remark,
            ]
        )
        sheet.cell(sheet.max_row, 6).number_format = "yyyy-mm-dd"
    folder.save_workbook("police/roster.xlsx", book)
    folder.add(Source("police/roster.xlsx", "persons", "police"))


def write_victim_list(folder: CaseFolder, world: World) -> None:
    """The reported victims; the card they paid only where they could say which."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "被害人"
    sheet.append(list(VICTIM_HEADER))
    reported = sorted(
        (v for v in world.victims if v.reported and v.reported_at is not None),
        key=lambda v: (v.reported_at or world.plan.seized_at, v.key),
    )
    for number, victim in enumerate(reported, start=1):
        assert victim.reported_at is not None
        first = victim.hooked_at.astimezone(BEIJING) if victim.hooked_at else None
        sheet.append(
            [
                number,
                victim.name,
                victim.id_number,
                victim.phone,
                f"{victim.reported_at.astimezone(BEIJING):%Y-%m-%d %H:%M}",
                "市公安局反诈中心",
                victim.reported_loss_fen / 100,
                victim.card,
                ";".join(dict.fromkeys(victim.payees)) if victim.lists_payee else "",
                f"{first:%Y-%m-%d %H:%M}" if first else "",
                "接到自称快递公司电话，转公安、检察院，按要求把钱转到安全账户",
            ]
        )
    folder.save_workbook("police/victims.xlsx", book)
    folder.add(Source("police/victims.xlsx", "victims", "police"))


def write_travel(folder: CaseFolder, world: World) -> None:
    """Chinese immigration for mainland members (holidays too); foreign records for the rest."""
    immigration = [
        "姓名,性别,出生日期,国籍,证件类型,证件号码,出入境类型,出入境日期,出入境时间,口岸,"
        "前往地/出发地,交通工具,航班号"
    ]
    transcribed = ["name,passport_no,nationality,country,direction,date,source"]
    crossings: list[tuple[dt.datetime, str, str]] = []
    deported = world.plan.seized_at + DEPORTED_AFTER
    for person in world.people:
        journeys = [(s.departs_at, s.returns_at or deported, s.den.plan.country_name,
                     s.den.plan.country, s.den.zone) for s in person.stays]  # fmt: skip
        journeys += [
            (t.departs_at, t.returns_at, t.country_name, "TH", BEIJING) for t in person.trips
        ]
        for leaves, back, country_name, country, zone in journeys:
            if person.taiwanese:
                for when, direction in ((leaves + FLIGHT, "entry"), (back - FLIGHT, "exit")):
                    transcribed.append(
                        f"{person.name},{person.person_id},TWN,{country},{direction},"
                        f"{when.astimezone(zone):%Y-%m-%d},foreign_police"
                    )
                continue
            for when, direction in ((leaves, "出境"), (back, "入境")):
                local = when.astimezone(BEIJING)
                crossings.append(
                    (
                        when,
                        person.key,
                        f"{person.name},{'女' if person.female else '男'},{person.birth:%Y-%m-%d},"
                        f"中国,{ID_TYPES[person.id_type]},{person.person_id},{direction},"
                        f"{local:%Y-%m-%d},{local:%H:%M},上海浦东机场,{country_name},飞机,MU5061",
                    )
                )
    immigration += [line for _, _, line in sorted(crossings)]
    folder.write_text("immigration/exit_entry.csv", immigration)
    folder.add(Source("immigration/exit_entry.csv", "travel", "immigration"))
    folder.write_text("immigration/foreign_records.csv", transcribed)
    folder.add(Source("immigration/foreign_records.csv", "travel", "police"))
