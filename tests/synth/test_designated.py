"""The designated-accounts world writes the evidence the other way, and its files show it.

Each test reads the written files (as a user would), not the simulation's objects: the point of
this world is that the evidence, not the generator, carries each convention.
"""

from __future__ import annotations

import re
import sqlite3
import tomllib
import unicodedata
from contextlib import closing
from pathlib import Path

import pandas as pd
import pytest

from linkage.normalize.name import simplified_text
from linkage.synth import generate

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "designated-2016"
CARD = re.compile(r"\d{16,19}")


@pytest.fixture(scope="module", params=["sample", 3, 7, 42], ids=str)
def made(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    if request.param == "sample":
        return SAMPLE
    out = tmp_path_factory.mktemp("designated") / f"seed-{request.param}"
    generate(out, seed=int(request.param), profile="designated")
    return out


def truth(root: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(root / "ground_truth" / f"{name}.csv", dtype=str, keep_default_na=False)


def dial_lists(root: Path) -> pd.DataFrame:
    frames = []
    for path in sorted((root / "case" / "seized").glob("*/dial_list.csv")):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="gb18030")
        frames.append(frame.assign(den=path.parent.name))
    return pd.concat(frames, ignore_index=True)


def messages(root: Path) -> pd.DataFrame:
    frames = []
    for path in sorted((root / "case" / "seized").glob("*/main.db")):
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
            frame = pd.read_sql("SELECT author, from_dispname, body_xml FROM Messages", db)
        frames.append(frame.assign(den=path.parent.name))
    return pd.concat(frames, ignore_index=True)


def digits(text: str) -> list[str]:
    """Card numbers in a message, read as people type them (full width, spaced, hyphenated)."""
    plain = re.sub(r"(?<=\d)[ -](?=\d)", "", unicodedata.normalize("NFKC", text))
    return CARD.findall(plain)


def roster(root: Path) -> pd.DataFrame:
    return pd.read_excel(
        root / "case" / "police" / "roster.xlsx", dtype=str, engine="calamine"
    ).fillna("")


def accounts(root: Path) -> pd.DataFrame:
    folder = next(p for p in (root / "case" / "bank").iterdir() if (p / "账户信息.csv").exists()
                  and any(p.glob("*交易明细信息.csv")))  # fmt: skip
    return pd.read_csv(
        folder / "账户信息.csv", dtype=str, keep_default_na=False, encoding="gb18030"
    )


def test_case_toml_names_no_group_account_and_no_ledger_exists(made: Path) -> None:
    config = tomllib.loads((made / "case" / "case.toml").read_text(encoding="utf-8"))
    assert "known_group_accounts" not in config["case"]
    assert {p.name for p in (made / "case").rglob("*.xlsx")} == {"roster.xlsx", "victims.xlsx"}


def test_every_leg_of_a_session_repeats_its_task_id_and_the_dialer_leg_has_no_extension(
    made: Path,
) -> None:
    """A session is one callee's call within a broadcast task: the dialer's leg (no extension,
    1 pressed, 转接分机 naming a first-line extension), then one row per caller it reached, each
    repeating the task's 任务ID. Victims' chains reach the second line; most handoffs of
    people who never pay stop at the first."""
    calls = dial_lists(made)
    dialer = calls[calls["按键"] == "1"]
    assert len(dialer) > 10
    assert (dialer["分机号"] == "").all()
    handed = dialer[dialer["转接分机"] != ""]
    assert len(handed) >= 0.9 * len(dialer), "a first-liner is almost always there"
    lengths = []
    for row in handed.itertuples():
        session = calls[(calls["den"] == row.den) & (calls["任务ID"] == row.任务ID)
                        & (calls["被叫号码"] == row.被叫号码)]  # fmt: skip
        forwarded = session[session["分机号"] == row.转接分机]
        assert len(forwarded) == 1, row.任务ID
        lengths.append(len(session))
    assert sum(n >= 3 for n in lengths) >= 10, "the dialer's leg, the first and second line"
    assert sum(n == 2 for n in lengths) >= 10, "handed to a first-liner, who lost them"


def test_organisers_designate_cards_many_ways_and_mules_on_the_roster_hold_them(
    made: Path,
) -> None:
    people = roster(made)
    mules = people[people["角色"] == "水房"]
    assert len(mules) >= 2
    assert (mules["备注"] == "国内抓获").all()
    assert (mules["窝点"] == "").all()
    held = accounts(made)
    by_mule = held[held["开户人证件号码"].isin(mules["证件号码"])]
    chats = messages(made)
    named = {card for body in chats["body_xml"] for card in digits(body)}
    assert set(by_mule["交易卡号"]) <= named, "every card a mule holds is named in a chat"
    cards = set(by_mule["交易卡号"])
    designations = chats[chats["body_xml"].map(lambda body: bool(set(digits(body)) & cards))]
    bodies = list(designations["body_xml"])
    assert any("\uff10" <= c <= "\uff19" for b in bodies for c in b), "full-width digits"
    assert any(re.search(r"\d{4} \d{4} \d{4}", b) for b in bodies), "groups of four"
    traditional = [b for b in bodies if simplified_text(b) != unicodedata.normalize("NFKC", b)]
    assert traditional, "an organiser from Taiwan writes traditional characters"
    wordings = {re.sub(r"[\d０-９ \-]+", "#", b)[:6] for b in bodies}
    assert len(wordings) >= 4, wordings
    assert any("停用" in b or "作废" in b or "作廢" in b for b in chats["body_xml"])
    full_names = set(mules["姓名"])
    assert not any(name in body for name in full_names for body in chats["body_xml"])


def test_organisers_take_no_calls_and_post_the_designations(made: Path) -> None:
    people = roster(made)
    organisers = people[
        people["证件号码"].isin(truth(made, "defendants").query("role == 'organiser'")["person_id"])
    ]
    assert len(organisers) >= 2
    assert (organisers["分机号"] == "").all(), "no extension: no dial-list row is theirs"
    held = set(accounts(made)["交易卡号"])
    chats = messages(made)
    designations = chats[chats["body_xml"].map(lambda body: bool(set(digits(body)) & held))]
    assert set(designations["author"]) <= set(organisers["Skype账号"])


def test_every_unreported_victim_is_known_by_a_bank_answer_on_the_card_that_paid(
    made: Path,
) -> None:
    victims = truth(made, "victims")
    hidden = victims[victims["scenario"] == "unreported"]
    answers = pd.concat(
        pd.read_csv(p, dtype=str, keep_default_na=False, encoding="gb18030")
        for p in (made / "case" / "bank").glob("*/账户信息.csv")
    )
    assert set(hidden["victim_id"]) <= set(answers["开户人证件号码"])
    assert set(hidden["card"]) <= set(answers["交易卡号"])


def test_a_victims_own_card_named_in_a_chat_is_not_a_group_card(made: Path) -> None:
    victims = truth(made, "victims")
    chats = messages(made)
    named = {card for body in chats["body_xml"] for card in digits(body)}
    own = named & set(victims["card"])
    assert own, "some reports name the victim's own card"
    held = set(accounts(made)["交易卡号"])
    assert not own & held


def test_an_unrelated_den_shares_names_and_extensions_but_no_identifier(made: Path) -> None:
    staff = truth(made, "defendants")
    calls = dial_lists(made)
    g1 = staff[staff["group_id"] == "G1"]
    g2 = staff[staff["group_id"] == "G2"]
    assert set(g1["name"]) & set(g2["name"]), "a caller of each group with one name"
    main = set(calls.loc[calls["den"] == "den-kampala", "分机号"]) - {""}
    other = set(calls.loc[calls["den"] == "den-entebbe", "分机号"]) - {""}
    assert main & other, "extensions reuse the main den's numbers"
    assert not set(g1["person_id"]) & set(g2["person_id"])


def test_both_groups_pay_one_laundering_hub_whose_statement_is_missing(made: Path) -> None:
    statements = pd.concat(
        pd.read_csv(p, dtype=str, keep_default_na=False, encoding="gb18030")
        for p in (made / "case" / "bank").glob("*/*交易明细信息.csv")
    )
    statements["card"] = statements["交易卡号"].str.replace("_156_1", "")
    chats = messages(made)
    named = chats.assign(cards=chats["body_xml"].map(digits)).explode("cards")
    cards_of = named.dropna().groupby("den")["cards"].agg(set)
    group_of = {"den-manila": "G1", "den-kampala": "G1", "den-entebbe": "G2"}
    relays: dict[str, set[str]] = {}
    for den, cards in cards_of.items():
        out = statements[statements["card"].isin(cards) & (statements["收付标志"] == "出")]
        relays.setdefault(group_of[str(den)], set()).update(out["交易对手账卡号"])
    paid_on = statements[statements["收付标志"] == "出"]
    into = {
        group: set(paid_on.loc[paid_on["card"].isin(accounts), "交易对手账卡号"]) - {""}
        for group, accounts in relays.items()
    }
    hubs = into["G1"] & into["G2"]
    assert len(hubs) == 1, "one account both groups' relays pay"
    assert not hubs & set(statements["card"]), "its statement is not in the case"


def test_every_scenario_the_matcher_must_face_is_there(made: Path) -> None:
    victims = truth(made, "victims")
    assert {"reported", "transfer_only", "unreported", "early", "weak_call", "weak_chat",
            "outside"} <= set(victims["scenario"])  # fmt: skip
    assert (
        victims.loc[victims["scenario"] == "transfer_only", "evidence_kinds"] == "transfer"
    ).all()
    assert (victims.loc[victims["scenario"] == "outside", "expected_verdict"] == "unlinked").all()
    transfers = truth(made, "transfers")
    refunds = transfers[transfers["purpose"] == "refund"]
    assert (refunds["amount_fen"] == "100").any(), "a test yuan sent back"
    assert (refunds["amount_fen"].astype(int) > 100).any(), "a small refund"
    assert len(truth(made, "leads")) > 0
    listed = pd.read_excel(made / "case" / "police" / "victims.xlsx", dtype=str, engine="calamine")
    transfer_only = victims[victims["scenario"] == "transfer_only"]
    assert set(transfer_only["card"]) <= set(listed["被害人账号"])
    calls = dial_lists(made)
    assert not set(transfer_only["phone"]) & set(calls["被叫号码"].str[-11:])


def test_early_victims_show_the_call_only_in_their_own_records(made: Path) -> None:
    victims = truth(made, "victims")
    early = victims[victims["scenario"] == "early"]
    assert len(early) > 0
    assert early["evidence_kinds"].str.contains("call").all()
    dialled = set(dial_lists(made)["被叫号码"].str[-11:])
    assert not set(early["phone"]) & dialled
    records = pd.concat(
        pd.read_csv(p, dtype=str, keep_default_na=False, encoding="gbk")
        for p in (made / "case" / "telecom").glob("*.csv")
    ).map(lambda v: v.strip())
    lines = set(dial_lists(made)["主叫号码"])
    for number in early["phone"]:
        rang = records[records["己方号码*"] == number]
        assert rang["对方号码*"].isin(lines).any(), "a line the seized dial lists show calling"


def test_members_come_and_go(made: Path) -> None:
    staff = truth(made, "defendants")
    stays = staff["periods"].str.split(";")
    dens = stays.map(lambda periods: [p.split(":")[0] for p in periods if p])
    assert dens.map(lambda d: len(d) > len(set(d))).any(), "home mid-way and back: two stays"
    assert dens.map(lambda d: len(set(d)) > 1).any(), "someone moved on to the next den"
    assert (staff["periods"] == "").sum() == (staff["role"] == "money_mule").sum()
    travel = pd.read_csv(made / "case" / "immigration" / "exit_entry.csv", dtype=str)
    trips = travel[travel["前往地/出发地"] == "泰国"]
    assert len(trips) == 2, "one holiday abroad, out and back"
    first_den = min(staff.loc[staff["period_start"] != "", "period_start"])
    assert (trips["出入境日期"] < first_den).all(), "before the group existed"
