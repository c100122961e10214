"""The second world's sample rewritten by the other conventions an investigator meets.

The same fraud can reach the case folder as den ledgers listing the collecting cards, as
designations in the den chats, as both, or only as cards held by members on the roster. Each
variant here copies the committed sample into a test's folder and changes only that: a
ledger per den written from the victims' payments, or the designating messages emptied in the
chat databases. The rules must give the same victims and losses whichever way it came.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
import tomllib
from contextlib import closing
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pandas as pd

from linkage.match.designations import message_acts

LEDGER_HEADER = ("日期", "时间", "被害人", "被害人电话", "被害人卡号", "金额(元)", "收款卡号",
                 "收款户名", "收款银行", "一线", "二线", "三线", "备注")  # fmt: skip
"""A den's monthly takings sheet, as the first world's dens keep it."""


def copied(sample: Path, folder: Path) -> Path:
    """``sample/case`` copied to ``folder/case``; returns the copy."""
    case = folder / "case"
    shutil.copytree(sample / "case", case)
    return case


def with_den_ledgers(sample: Path, folder: Path) -> Path:
    """The sample with a ledger per den beside its chats: every victim payment into a card the
    group's chats designate, at the den the victim was worked from, in the den's clock."""
    case = copied(sample, folder)
    truth = sample / "ground_truth"
    victims = pd.read_csv(truth / "victims.csv", dtype=str, keep_default_na=False)
    cards = pd.read_csv(truth / "group_accounts.csv", dtype=str, keep_default_na=False)
    cards = cards[cards["designated_from"] != ""].set_index("account")
    payments = pd.read_csv(truth / "transfers.csv", dtype=str, keep_default_na=False)
    payments = payments[
        (payments["purpose"] == "payment") & payments["to_account"].isin(cards.index)
    ]
    payments = payments.merge(victims[["victim_id", "name", "phone", "den"]], on="victim_id")
    toml = (case / "case.toml").read_text(encoding="utf-8")
    zones = _den_zones(toml)
    for den, rows in sorted(payments.groupby("den")):
        zone = ZoneInfo(zones[den])
        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.title = "业绩"
        sheet.append((f"{den} 业绩",))
        sheet.append(LEDGER_HEADER)
        for payment in rows.sort_values("at").itertuples():
            at = dt.datetime.fromisoformat(payment.at).astimezone(zone)
            yuan, fen = divmod(int(payment.amount_fen), 100)
            holder = cards.loc[payment.to_account, "holder_name"]
            sheet.append((at.strftime("%Y-%m-%d"), at.strftime("%H:%M"), payment.name,
                          payment.phone, payment.from_account, f"{yuan}.{fen:02d}",
                          payment.to_account, holder, None, None, None, None, None))  # fmt: skip
        path = f"seized/{den}/ledger.xlsx"
        book.save(case / path)
        toml += (f'\n[[source]]\npath = "{path}"\nkind = "transactions"\norigin = "seized"\n'
                 f'timezone = "{zones[den]}"\nden = "{den}"\n')  # fmt: skip
    (case / "case.toml").write_text(toml, encoding="utf-8")
    return case


def without_designations(sample: Path, folder: Path) -> Path:
    """The sample with every message that designates, stops or replaces a card emptied to
    ``收到``: the cards are then known only as the accounts members on the roster hold."""
    case = copied(sample, folder)
    for database in sorted((case / "seized").glob("*/main.db")):
        with closing(sqlite3.connect(database)) as db:
            rows = db.execute("SELECT id, body_xml FROM Messages").fetchall()
            for message_id, body in rows:
                acts = message_acts(body or "")
                if acts.designated or acts.stopped or acts.stopped_tails or acts.replaces:
                    db.execute("UPDATE Messages SET body_xml = '收到' WHERE id = ?", (message_id,))
            db.commit()
    return case


def _den_zones(toml: str) -> dict[str, str]:
    """Each den's clock, from the dial lists' sources in case.toml."""
    zones: dict[str, str] = {}
    for source in tomllib.loads(toml)["source"]:
        if "den" in source and "timezone" in source:
            zones.setdefault(source["den"], source["timezone"])
    return zones


def with_messages(sample: Path, folder: Path, den: str, bodies: list[str]) -> Path:
    """The sample with ``bodies`` posted in ``den``'s chat, each a day after the one before,
    starting the day after its first message, by the writer of that message."""
    case = copied(sample, folder)
    with closing(sqlite3.connect(case / "seized" / den / "main.db")) as db:
        columns = [row[1] for row in db.execute("PRAGMA table_info(Messages)")]
        first = db.execute("SELECT * FROM Messages ORDER BY timestamp, id LIMIT 1").fetchone()
        last_id = db.execute("SELECT max(id) FROM Messages").fetchone()[0]
        template = dict(zip(columns, first, strict=True))
        for n, body in enumerate(bodies, start=1):
            row = template | {"id": last_id + n, "timestamp": template["timestamp"] + n * 86400,
                              "body_xml": body}  # fmt: skip
            marks = ", ".join("?" for _ in columns)
            db.execute(f"INSERT INTO Messages VALUES ({marks})", [row[c] for c in columns])
        db.commit()
    return case
