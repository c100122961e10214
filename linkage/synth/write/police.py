"""The case officers' own lists (xlsx): the suspects' roster and the reported victims.

The roster is evidence, not truth: its 角色 column holds the investigators' notes, a few of them
wrong or empty, and a member who moved between dens lists the last den and every extension
used. The victim list holds what each victim told the police: their loss as they remember it
(sometimes rounded), the accounts they paid, when they reported.
"""

from __future__ import annotations

import openpyxl

from linkage.synth.files import CaseFolder, Source
from linkage.synth.world import BEIJING, World

__all__ = ["write_roster", "write_victim_list"]

ROSTER = "police/roster.xlsx"
VICTIMS = "police/victims.xlsx"
ROSTER_HEADER = ("序号", "姓名", "性别", "证件类型", "证件号码", "出生日期", "国籍", "手机号码",
                 "Skype账号", "微信号", "QQ号", "窝点", "分机号", "角色", "备注")  # fmt: skip
"""The police roster's columns, in the order a 人员名单 export lists them."""
ID_TYPES = {"resident_id": "居民身份证", "passport": "护照", "permit": "台湾居民来往大陆通行证"}


def write_roster(folder: CaseFolder, world: World) -> None:
    """Every suspect of every group, in the order they were processed."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "人员名单"
    sheet.append(list(ROSTER_HEADER))
    for number, person in enumerate(world.people, start=1):
        dens = [stay.den.name for stay in person.stays]
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
                person.skype,
                "",
                "",
                dens[-1] if dens else "",
                ";".join(person.extensions[d] for d in dict.fromkeys(dens)),
                person.role_noted,
                "曾在" + "、".join(dens[:-1]) if len(dens) > 1 else "",
            ]
        )
        sheet.cell(sheet.max_row, 6).number_format = "yyyy-mm-dd"
    folder.save_workbook(ROSTER, book)
    folder.add(Source(ROSTER, "persons", "police"))


def write_victim_list(folder: CaseFolder, world: World) -> None:
    """Every reported victim, whichever group (or nobody in the case) defrauded them."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "被害人"
    sheet.append(
        [
            "序号",
            "被害人姓名",
            "身份证号码",
            "联系电话",
            "报案时间",
            "报案地点",
            "被骗金额(元)",
            "被害人账号",
            "收款账号",
            "首次被骗时间",
            "被骗经过",
        ]
    )
    reported = sorted(
        (v for v in world.victims if v.reported and v.reported_at is not None),
        key=lambda v: (v.reported_at, v.key),
    )
    for number, victim in enumerate(reported, start=1):
        assert victim.reported_at is not None
        first = victim.hooked_at.astimezone(BEIJING) if victim.hooked_at else None
        sheet.append(
            [
                number,
                victim.name,
                victim.id_number.lower() if number % 17 == 0 else victim.id_number,
                victim.phone,
                victim.reported_at.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M"),
                "市公安局反诈中心",
                victim.reported_loss_fen / 100 if victim.reported_loss_fen else 0,
                victim.card,
                ";".join(dict.fromkeys(victim.payees)),
                first.strftime("%Y-%m-%d %H:%M") if first else "",
                _story(victim.scenario),
            ]
        )
    folder.save_workbook(VICTIMS, book)
    folder.add(Source(VICTIMS, "victims", "police"))


def _story(scenario: str) -> str:
    return {
        "weak_call": "接到自称快递员电话，说包裹有违禁品，后挂断未转账",
        "weak_chat": "对方称其涉嫌洗钱，要求提供身份证号和卡号",
        "outside": "接到自称检察院电话，转账到安全账户",
    }.get(scenario, "接到快递电话后转给公安，按要求转账到安全账户")
