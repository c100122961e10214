"""A den's own performance ledger (业绩表, xlsx, one sheet per month, den-local time).

Dens keep score: who paid how much to which card, and which first-, second- and third-liner
worked the victim. Found on a seized laptop (or, for a den closed before the raid, among the
files recovered from one, as the Indonesian dens of the guiding case were), it ties victims'
phones and cards to the group's accounts and to named operators, in the den's own words
(traditional characters when a Taiwanese clerk kept it, amounts typed as text now and then).
"""

from __future__ import annotations

import openpyxl

from linkage.synth.files import CaseFolder, Source
from linkage.synth.world import Den, World, traditional

__all__ = ["write_ledger"]

HEADER = [
    "日期",
    "时间",
    "被害人",
    "被害人电话",
    "被害人卡号",
    "金额(元)",
    "收款卡号",
    "收款户名",
    "收款银行",
    "一线",
    "二线",
    "三线",
    "备注",
]


def write_ledger(folder: CaseFolder, world: World, den: Den) -> None:
    """Write ``seized/<den>/ledger.xlsx`` with every payment made by the den's victims."""
    relative = f"seized/{den.name}/ledger.xlsx"
    victims = {v.key: v for v in world.victims if v.den == den.name}
    people = {p.key: p for p in world.people}
    chains: dict[str, list[str]] = {}
    for call in world.calls:
        if call.victim in victims and call.person is not None and call.answered:
            chain = chains.setdefault(call.victim or "", [])
            name = people[call.person].name
            if name not in chain and len(chain) < 3:
                chain.append(name)
    book = openpyxl.Workbook()
    book.remove(book.active)
    sheets: dict[str, openpyxl.worksheet.worksheet.Worksheet] = {}
    payments = [t for t in world.transfers if t.purpose == "payment" and t.victim in victims]
    for number, payment in enumerate(payments):
        victim = victims[payment.victim or ""]
        local = payment.at.astimezone(den.zone)
        month = f"{local:%Y-%m}"
        if month not in sheets:
            sheet = book.create_sheet(month)
            sheet.append([f"{den.plan.name} {local:%Y}年{local.month}月业绩"])
            sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
            sheet.append(HEADER)
            sheets[month] = sheet
        sheet = sheets[month]
        target = world.accounts[payment.target or ""]
        chain = chains.get(victim.key, [])
        name = traditional(victim.name) if number % 3 == 0 else victim.name
        amount: object = payment.amount_fen / 100
        if number % 7 == 0:
            amount = f"{payment.amount_fen / 100:,.2f}"
        sheet.append(
            [
                local.date(),
                f"{local:%H:%M}",
                name,
                victim.phone,
                victim.card,
                amount,
                target.number,
                target.holder_name,
                target.bank.name,
                *[*chain, "", "", ""][:3],
                "",
            ]
        )
        sheet.cell(sheet.max_row, 1).number_format = "yyyy-mm-dd"
        folder.count("transactions", 1)
    if not sheets:
        return
    folder.save_workbook(relative, book)
    folder.add(Source(relative, "transactions", "seized", den.plan.zone, den.name))
