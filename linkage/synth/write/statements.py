"""Victims' own ICBC statement downloads (明细查询文件下载, UTF-8 CSV, dates only).

A victim who brings their statement to the police shows the payments to the group (支出, with
the designated account and its holder's name) and any 返利 received, among their everyday
salary and spending. The download's quirks are kept: a preamble with the card masked, every cell
padded and ended by a tab, a comma closing each line, and a blank line and a 人民币合计 trailer
that a loader must reject.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from linkage.synth.files import CaseFolder, Source
from linkage.synth.world import BEIJING, Transfer, Victim, World

__all__ = ["write_statements"]

HEADER = (
    "交易日期,摘要,交易详情,交易场所,交易国家或地区简称,钞/汇,交易金额(收入),交易金额(支出),交易币种,"
    "记账金额(收入),记账金额(支出),记账币种,余额,对方户名,对方账户"
)
EVERYDAY = (
    ("工资", "代发工资", True),
    ("消费", "超市购物", False),
    ("消费", "餐饮", False),
    ("转账", "手机银行转账", False),
    ("缴费", "水电费", False),
)


def _money(fen: int) -> str:
    return f"{fen / 100:,.2f}" if fen else "-"


def _cell(value: str) -> str:
    padded = f"{value:<20}\t"
    return f'"{padded}"' if "," in padded else padded


def write_statements(folder: CaseFolder, world: World, seed: np.random.SeedSequence) -> None:
    """Write ``victims/<key>_icbc.csv`` for every victim who handed in a statement."""
    rng = np.random.default_rng(seed)
    holders = {a.number: a.holder_name for a in world.accounts.values()}
    mine: dict[str, list[Transfer]] = {}
    for t in world.transfers:
        if t.victim is not None and t.purpose in ("payment", "refund", "other_group"):
            mine.setdefault(t.victim, []).append(t)
    for victim in world.victims:
        if victim.statement:
            _write_one(
                folder,
                victim,
                mine.get(victim.key, []),
                holders,
                rng,
                world.profile.statement_rows_per_victim,
            )


def _write_one(
    folder: CaseFolder,
    victim: Victim,
    transfers: list[Transfer],
    holders: dict[str, str],
    rng: np.random.Generator,
    everyday: int,
) -> None:
    relative = f"victims/{victim.key}_icbc.csv"
    rows: list[tuple[str, str, str, int, int, str, str]] = []
    for t in transfers:
        day = t.at.astimezone(BEIJING).date().isoformat()
        if t.source == victim.card:
            rows.append(
                (
                    day,
                    "转账",
                    "网银转账",
                    0,
                    t.amount_fen,
                    holders.get(t.target or "", ""),
                    t.target or "",
                )
            )
        else:
            rows.append(
                (
                    day,
                    "转账",
                    "返利",
                    t.amount_fen,
                    0,
                    holders.get(t.source or "", ""),
                    t.source or "",
                )
            )
    anchor = transfers[0].at.astimezone(BEIJING).date() if transfers else None
    for _ in range(everyday if anchor else 0):
        summary, detail, is_income = EVERYDAY[int(rng.integers(len(EVERYDAY)))]
        assert anchor is not None
        day = (anchor + dt.timedelta(days=int(rng.integers(-40, 20)))).isoformat()
        fen = int(rng.integers(20, 800)) * 100 if is_income else int(rng.integers(100, 50_000))
        rows.append(
            (day, summary, detail, fen if is_income else 0, 0 if is_income else fen, "", "")
        )
    rows.sort(key=lambda r: r[0])
    balance = sum(r[4] for r in rows) + int(rng.integers(1, 50)) * 100_000
    lines = [
        "明细查询文件下载",
        "",
        f'卡号: {victim.card[:4]}****{victim.card[-4:]},"卡别名: "',
        "",
        '子账户序号: 00000,子账户类别: 活期,"子账户别名: "',
        "",
        HEADER,
    ]
    for day, summary, detail, income, spent, name, account in rows:
        balance += income - spent
        cells = [
            day,
            summary,
            detail,
            "网上银行",
            "CHN",
            "钞",
            "-",
            "-",
            "-",
            _money(income),
            _money(spent),
            "人民币",
            f"{balance / 100:,.2f}",
            name,
            account,
        ]
        lines.append(",".join(_cell(c) for c in cells) + ",")
    lines.append(" ")
    folder.plant(relative, len(lines), "blank_row", "the blank line before the trailer")
    total_in = sum(r[3] for r in rows)
    total_out = sum(r[4] for r in rows)
    lines.append(f'人民币合计,,,,,,,,,"{total_in / 100:,.2f}\t","{total_out / 100:,.2f}\t",')
    folder.plant(relative, len(lines), "summary_row", "the 人民币合计 trailer")
    folder.count("transactions", len(rows))
    folder.write_text(relative, lines)
    folder.add(Source(relative, "transactions", "victim", owner=victim.card))
