"""The designated world's truth, re-derived from its written files alone.

A truth the evidence cannot support is a generator bug: a victim counted as `corroborated` whose
files hold one kind of evidence, a loss no statement shows, a stay no border record opens. So
this test reads only the case folder (never the simulation's objects, never the library's
rules), works out by DOMAIN.md's rules which group defrauded whom, by what evidence and for how
much, and where each member was when, and requires the ground truth to say exactly that.

It is deliberately written apart from linkage: plain pandas over the files, so that a mistake
in linkage's readers or rules cannot hide the same mistake in the generator.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import sqlite3
import tomllib
import unicodedata
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

import opencc
import pandas as pd
import pytest

from linkage.synth import generate

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "designated-2016"
BEIJING = ZoneInfo("Asia/Shanghai")


@pytest.fixture(scope="module", params=["sample", 3, 7, 42, "18x0.5", "4x2"], ids=str)
def made(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample, three seeds, and two seeds at other scales (seed x scale)."""
    if request.param == "sample":
        return SAMPLE
    seed, _, scale = str(request.param).partition("x")
    out = tmp_path_factory.mktemp("truth") / f"seed-{request.param}"
    generate(out, seed=int(seed), scale=float(scale or 1), profile="designated")
    return out


T2S = opencc.OpenCC("t2s")


def text(value: str) -> str:
    """A chat body as it is compared: unescaped, NFKC, simplified, digit groups joined."""
    plain = T2S.convert(unicodedata.normalize("NFKC", html.unescape(value)))
    return re.sub(r"(?<=\d)[ -](?=\d)", "", plain)


def phone(dialled: str) -> str:
    """The eleven-digit mobile behind a dialled number (0086…, 86…, 17951…)."""
    return dialled[-11:]


def csv(path: Path, encoding: str = "utf-8") -> pd.DataFrame:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding=encoding)
    frame.columns = [c.strip().strip("\t").rstrip("*") for c in frame.columns]
    return frame.map(lambda v: v.strip().strip("\t"))


@dataclass
class Files:
    """Everything the case folder holds, read plainly."""

    seized_at: dt.datetime
    zone_of: dict[str, ZoneInfo]
    calls: pd.DataFrame
    chats: pd.DataFrame
    statements: pd.DataFrame
    holders: pd.DataFrame
    payers: pd.DataFrame
    carrier: pd.DataFrame
    roster: pd.DataFrame
    victims: pd.DataFrame
    travel: pd.DataFrame
    foreign: pd.DataFrame
    group_of: dict[str, str] = field(default_factory=dict)


def read(root: Path) -> Files:
    case = root / "case"
    config = tomllib.loads((case / "case.toml").read_text(encoding="utf-8"))
    zone_of = {s["den"]: ZoneInfo(s["timezone"]) for s in config["source"] if s.get("timezone")}
    calls = []
    for path in sorted((case / "seized").glob("*/dial_list.csv")):
        frame = csv(path, "gb18030").assign(den=path.parent.name)
        calls.append(frame[frame["被叫号码"].str.fullmatch(r"\d{11,16}")])
    chats = []
    for path in sorted((case / "seized").glob("*/main.db")):
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
            frame = pd.read_sql("SELECT author, timestamp, body_xml FROM Messages", db)
        chats.append(frame.assign(den=path.parent.name, body=frame["body_xml"].map(text)))
    bank = next(p for p in (case / "bank").iterdir() if any(p.glob("*交易明细信息.csv")))
    statements = pd.concat(
        [csv(p, "gb18030") for p in sorted(bank.glob("*交易明细信息.csv"))], ignore_index=True
    )
    statements = statements[statements["查询反馈结果原因"] == ""].copy()
    statements["card"] = statements["交易卡号"].str.replace(r"_156_1$", "", regex=True)
    statements["fen"] = statements["交易金额"].map(lambda v: round(float(v) * 100))
    statements["at"] = pd.to_datetime(statements["交易时间"]).dt.tz_localize(BEIJING)
    payer_folder = next(
        p for p in (case / "bank").iterdir() if not any(p.glob("*交易明细信息.csv"))
    )
    carrier = pd.concat(
        [csv(p, "gbk") for p in sorted((case / "telecom").glob("*.csv"))], ignore_index=True
    )
    police = case / "police"
    return Files(
        seized_at=dt.datetime.fromisoformat(config["case"]["seized_at"]),
        zone_of=zone_of,
        calls=pd.concat(calls, ignore_index=True),
        chats=pd.concat(chats, ignore_index=True),
        statements=statements,
        holders=csv(bank / "账户信息.csv", "gb18030"),
        payers=csv(payer_folder / "账户信息.csv", "gb18030"),
        carrier=carrier[carrier["己方号码"].str.fullmatch(r"\d{11}")],
        roster=pd.read_excel(police / "roster.xlsx", dtype=str, engine="calamine").fillna(""),
        victims=pd.read_excel(police / "victims.xlsx", dtype=str, engine="calamine").fillna(""),
        travel=csv(case / "immigration" / "exit_entry.csv"),
        foreign=csv(case / "immigration" / "foreign_records.csv"),
    )


def groups(files: Files) -> dict[str, str]:
    """Dens joined into groups by a chat handle that wrote in both (the organisers do)."""
    authors = files.chats.groupby("den")["author"].agg(set)
    dens = sorted(authors.index)
    parent = {d: d for d in dens}
    for a in dens:
        for b in dens:
            if a < b and authors[a] & authors[b]:
                parent[max(parent[a], parent[b])] = min(parent[a], parent[b])
    roots = {parent[d] for d in dens}
    first_day = {d: files.calls.loc[files.calls["den"] == d, "开始时间"].min() for d in dens}
    ordered = sorted(roots, key=lambda r: min(first_day[d] for d in dens if parent[d] == r))
    names = {root: f"G{n}" for n, root in enumerate(ordered, start=1)}
    return {d: names[parent[d]] for d in dens}


@dataclass
class Person:
    """Someone the evidence tells about: their identifiers and what ties them to a group."""

    card: str
    phone: str = ""
    id_number: str = ""
    name: str = ""


def people(files: Files) -> dict[str, Person]:
    """Victims on the list and every payer into a group card, keyed by their card."""
    found: dict[str, Person] = {}
    for row in files.victims.itertuples():
        found[row.被害人账号] = Person(
            row.被害人账号, row.联系电话, row.身份证号码.upper(), row.被害人姓名
        )
    for row in files.payers.itertuples():
        person = found.setdefault(row.交易卡号, Person(row.交易卡号))
        person.phone = person.phone or row.联系手机
        person.id_number = person.id_number or row.开户人证件号码
        person.name = person.name or row.账户开户名称
    return found


def group_cards(files: Files, group_of: dict[str, str]) -> dict[str, set[str]]:
    """Cards a group's chats name that a member on the roster holds (by the bank's holder ID).

    A victim's own card named in a report is held by the victim, so it never counts."""
    members = set(files.roster["证件号码"])
    held = set(files.holders.loc[files.holders["开户人证件号码"].isin(members), "交易卡号"])
    cards: dict[str, set[str]] = {}
    for row in files.chats.itertuples():
        for card in re.findall(r"\d{16,19}", row.body):
            if card in held:
                cards.setdefault(group_of[row.den], set()).add(card)
    return cards


Derived = tuple[str, str, int, int, int, str]
"""Group, evidence kinds, gross, refunds and loss in fen, and the last payment (Beijing time)."""


def derive(files: Files) -> dict[str, Derived]:
    """Every card the files tie to a group, with what they show about its holder."""
    group_of = groups(files)
    cards = group_cards(files, group_of)
    statements = files.statements
    payments = statements[
        (statements["收付标志"] == "进")
        & statements["card"].isin(set().union(*cards.values()))
        & (statements["交易对手账卡号"] != "")  # cash the holder put in is nobody's payment
    ]
    everyone = people(files)
    for card in payments["交易对手账卡号"]:
        everyone.setdefault(card, Person(card))
    for row in files.chats.itertuples():  # a report naming a phone and a card ties the two
        phones = re.findall(r"(?<!\d)1\d{10}(?!\d)", row.body)
        for card in re.findall(r"\d{16,19}", row.body):
            if card in everyone and phones and not everyone[card].phone:
                everyone[card].phone = phones[0]
    displayed = files.calls.groupby(files.calls["den"].map(group_of))["主叫号码"].agg(set)
    derived: dict[str, Derived] = {}
    for person in everyone.values():
        for group, mine in cards.items():
            dens = [d for d, g in group_of.items() if g == group]
            paid = payments[
                (payments["交易对手账卡号"] == person.card) & payments["card"].isin(mine)
            ]
            back = statements[
                (statements["收付标志"] == "出")
                & statements["card"].isin(mine)
                & (statements["交易对手账卡号"] == person.card)
                & (statements["at"] < files.seized_at)
            ]
            dialled = set(files.calls.loc[files.calls["den"].isin(dens), "被叫号码"].map(phone))
            records = files.carrier[files.carrier["己方号码"] == person.phone]
            rang = records["对方号码"].isin(displayed[group]).any()
            call = bool(person.phone) and (person.phone in dialled or rang)
            bodies = list(files.chats.loc[files.chats["den"].isin(dens), "body"])
            strong = [x for x in (person.id_number, person.phone, person.card) if x]
            named = any(x in b for b in bodies for x in strong)
            by_name = bool(person.name) and any(person.name in b for b in bodies)
            chat = named or (by_name and (call or len(paid) > 0))
            found = (("call", call), ("chat", chat), ("transfer", len(paid) > 0))
            kinds = ";".join(kind for kind, there in found if there)
            if kinds:
                gross, refund = int(paid["fen"].sum()), int(back["fen"].sum())
                last = paid["at"].max().isoformat() if len(paid) else ""
                derived[person.card] = (group, kinds, gross, refund, gross - refund, last)
    return derived


def test_each_victims_group_evidence_and_loss_is_what_the_files_show(made: Path) -> None:
    files = read(made)
    derived = derive(files)
    truth = pd.read_csv(made / "ground_truth" / "victims.csv", dtype=str, keep_default_na=False)
    for row in truth.itertuples():
        if row.expected_verdict == "unlinked":  # no group in the case, or a name alone
            assert row.card not in derived, (row.name, row.scenario)
            continue
        expected = (row.group_id, row.evidence_kinds, int(row.gross_fen), int(row.refund_fen),
                    int(row.loss_fen), row.last_transfer_at)  # fmt: skip
        assert derived.get(row.card) == expected, (row.name, row.scenario, derived.get(row.card))


def test_payers_with_no_call_or_chat_are_the_leads_and_nobody_else(made: Path) -> None:
    files = read(made)
    derived = derive(files)
    truth = pd.read_csv(made / "ground_truth" / "victims.csv", dtype=str, keep_default_na=False)
    leads = set(pd.read_csv(made / "ground_truth" / "leads.csv", dtype=str)["account"])
    listed = set(files.victims["被害人账号"])
    only_paid = {c for c, d in derived.items() if d[1] == "transfer" and c not in listed}
    assert only_paid == leads
    assert set(derived) - set(truth.loc[truth["group_id"] != "", "card"]) == leads


def test_organisers_and_mules_amounts_are_what_the_files_show(made: Path) -> None:
    """Organisers answer for their group's every linked victim; a mule for what victims paid
    into the cards held in the mule's own name (DOMAIN.md §5b). Roles are the truth's."""
    files = read(made)
    derived = derive(files)
    listed = set(files.victims["被害人账号"])
    victims = {c: d for c, d in derived.items() if d[1] != "transfer" or c in listed}
    staff = pd.read_csv(made / "ground_truth" / "defendants.csv", dtype=str, keep_default_na=False)
    statements = files.statements
    for row in staff[staff["role"].isin(["organiser", "money_mule"])].itertuples():
        if row.role == "organiser":
            amount = sum(d[4] for d in victims.values() if d[0] == row.group_id)
        else:
            held = set(
                files.holders.loc[files.holders["开户人证件号码"] == row.person_id, "交易卡号"]
            )
            paid = statements[
                statements["card"].isin(held)
                & (statements["收付标志"] == "进")
                & statements["交易对手账卡号"].isin(victims)
            ]
            amount = int(paid["fen"].sum())
        assert int(row.amount_fen) == amount, (row.name, row.role)


def stays(files: Files, group_of: dict[str, str]) -> dict[str, set[str]]:
    """Each member's stays as ``den:first..last``, from the border records alone."""
    active = {}
    for den, frame in files.chats.groupby("den"):
        active[den] = (int(frame["timestamp"].min()), int(frame["timestamp"].max()))
    journeys: dict[str, list[tuple[dt.datetime, dt.datetime | None, bool]]] = {}
    for person_id, rows in files.travel.groupby("证件号码"):
        rows = rows.sort_values(["出入境日期", "出入境时间"])
        at = [
            dt.datetime.fromisoformat(f"{d} {t}").replace(tzinfo=BEIJING)
            for d, t in zip(rows["出入境日期"], rows["出入境时间"], strict=True)
        ]
        kinds = list(rows["出入境类型"])
        for n, kind in enumerate(kinds):
            if kind == "出境":
                back = at[n + 1] if n + 1 < len(kinds) and kinds[n + 1] == "入境" else None
                journeys.setdefault(str(person_id), []).append((at[n], back, False))
    for person_id, rows in files.foreign.groupby("passport_no"):
        rows = rows.sort_values("date")
        days = [dt.datetime.fromisoformat(d).replace(tzinfo=dt.UTC) for d in rows["date"]]
        for n, kind in enumerate(rows["direction"]):
            if kind == "entry":
                back = days[n + 1] if n + 1 < len(days) else None
                journeys.setdefault(str(person_id), []).append((days[n], back, True))
    found: dict[str, set[str]] = {}
    roster_group = {r.证件号码: group_of.get(r.窝点, "") for r in files.roster.itertuples()}
    for person_id, trips in journeys.items():
        for leaves, back, dated in trips:
            end = back or files.seized_at
            if back is not None and back > files.seized_at:
                end = files.seized_at
            for den, (low, high) in active.items():
                if group_of[den] != roster_group.get(person_id):
                    continue
                if leaves.timestamp() < high and end.timestamp() > low:
                    zone = files.zone_of[den]
                    first = leaves.date() if dated else leaves.astimezone(zone).date()
                    last = (
                        end.date()
                        if dated and back is not None and back <= files.seized_at
                        else end.astimezone(zone).date()
                    )
                    found.setdefault(person_id, set()).add(f"{den}:{first}..{last}")
    return found


def test_every_stay_is_what_the_border_records_show(made: Path) -> None:
    files = read(made)
    derived = stays(files, groups(files))
    truth = pd.read_csv(made / "ground_truth" / "defendants.csv", dtype=str, keep_default_na=False)
    for row in truth.itertuples():
        expected = set(row.periods.split(";")) - {""}
        assert derived.get(row.person_id, set()) == expected, (row.name, row.role)
