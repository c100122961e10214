"""The requests for further evidence, read from the files a run writes as a user's script
reads them: every gap a victim has is answered by a request, and supplying what a request
asks for turns the victims it names as it said."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pandas as pd
import pytest
from case_runs import DESIGNATED, Ran

import linkage
from linkage.errors import ConfigError
from linkage.flow import Flows
from linkage.further import RequestParams, carrier_of
from linkage.further.banks import bank_parts
from linkage.further.carriers import carrier_parts
from linkage.further.facts import Facts, VictimState
from linkage.further.people import people_parts
from linkage.match.gaps import GAP_CODES

HAND_WRITTEN = Path(__file__).resolve().parents[2] / "sample_data" / "den-2016"
"""A case written by hand, not by the generator: its conventions are not the generator's."""

ZONE = ZoneInfo("Asia/Shanghai")

REMOVED = "bank/6100000020160426101500/中国银行交易明细信息.csv"
"""The Bank of China's statements in the second world's bank return: four group cards."""


def covered(missing: str, sentences: set[str]) -> bool:
    """Whether ``missing`` is exactly ``sentences`` (some of them) joined by ``"; "``; a
    sentence may hold ``"; "`` itself, so the text is consumed from the front."""
    if not missing:
        return True
    for sentence in sorted(sentences, key=len, reverse=True):
        rest = missing.removeprefix(sentence)
        ends_here = rest != missing and (rest == "" or rest.startswith("; "))
        if ends_here and covered(rest.removeprefix("; "), sentences):
            return True
    return False


def test_covered_reads_sentences_that_hold_the_separator() -> None:
    call = "no seized dial list calls the victim's phone; no carrier records for it"
    chat = "no seized chat names the victim"
    assert covered(f"{call}; {chat}", {call, chat})
    assert not covered(f"{call}; {chat}", {chat})
    assert not covered(f"{call}; {chat}", {"no seized dial list calls the victim's phone", chat})


def _outputs(ran: Ran) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    return ran.output("victims"), ran.output("requests"), ran.output("request_victims")


@pytest.fixture(scope="module")
def hand_written_run(tmp_path_factory: pytest.TempPathFactory) -> Ran:
    out = tmp_path_factory.mktemp("hand-written")
    result = linkage.run(HAND_WRITTEN, out / "out")
    return Ran("den-2016", HAND_WRITTEN, HAND_WRITTEN, out / "out", result)


@pytest.mark.parametrize("which", ["sample", "designated", "benchmark:2016", "hand-written"])
def test_every_missing_sentence_maps_to_a_request(
    which: str, case_runs: Callable[[str], Ran], hand_written_run: Ran
) -> None:
    """On the sample of each profile (and the hand-written case), each victim's ``missing``
    is made of gaps that request_victims.csv answers, each under a request of requests.csv."""
    ran = hand_written_run if which == "hand-written" else case_runs(which)
    victims, requests, answered = _outputs(ran)
    gaps = answered.groupby("victim_id")["gap"].agg(set).to_dict()
    with_gaps = victims[victims["missing"] != ""]
    assert len(with_gaps), "the sample should leave something missing"
    for victim, missing in zip(with_gaps["victim_id"], with_gaps["missing"], strict=True):
        assert covered(missing, gaps.get(victim, set())), (victim, missing, gaps.get(victim))
    assert set(answered["request_id"]) <= set(requests["request_id"])


@pytest.mark.parametrize("which", ["sample", "designated"])
def test_each_request_says_what_it_closes_and_what_could_change(
    which: str, case_runs: Callable[[str], Ran]
) -> None:
    _, requests, answered = _outputs(case_runs(which))
    assert requests["request_id"].tolist() == [f"R{n:03d}" for n in range(1, len(requests) + 1)]
    assert set(requests["to"]) == {"bank", "carrier", "people"}
    order = requests["to"].map({"bank": 0, "carrier": 1, "people": 2})
    assert order.is_monotonic_increasing
    for column in ("addressee", "ask", "subject", "closes", "could_change"):
        assert (requests[column] != "").all(), column
    assert (requests["asked_from"] <= requests["asked_to"]).all()
    for day in (*requests["asked_from"], *requests["asked_to"]):
        dt.date.fromisoformat(day)
    turns = answered[answered["verdict"] != answered["verdict_if_found"]]
    assert set(requests.loc[requests["priority"] == "1", "request_id"]) == set(turns["request_id"])
    behind = answered.groupby("request_id")["victim_id"].agg(lambda v: ";".join(sorted(set(v))))
    named = requests.set_index("request_id")["victim_ids"]
    assert (named[behind.index] == behind).all()
    assert (requests.set_index("request_id").loc[behind.index, "victims"].astype(int)
            == behind.str.count(";") + 1).all()  # fmt: skip


def test_banks_are_asked_for_every_statement_the_tracer_missed(sample_run: Ran) -> None:
    """Each account the victims' money vanished into is one bank request, with that money and
    the payments behind it; banks are ranked by the money within a priority."""
    requests = sample_run.output("requests")
    ends = sample_run.output("destinations")
    lost = ends[ends["end"] == "statement_missing"].assign(
        fen=lambda t: t["amount_fen"].astype(int)
    )
    banks = requests[(requests["to"] == "bank") & (requests["subject_kind"] == "account")]
    banks = banks.set_index("subject")
    assert len(lost)
    for account, rows in lost.groupby("account"):
        asked = banks.loc[account]
        assert int(asked["victim_fen"]) == rows["fen"].sum()
        assert set(asked["payment_ids"].split(";")) == set(rows["payment"])
        assert asked["addressee"] != f"the bank holding {account}", "the return names its bank"
    for _, same in banks.reset_index().groupby("priority"):
        fen = same["victim_fen"].replace("", "0").astype(int)
        assert fen.is_monotonic_decreasing


def test_an_account_a_victim_paid_that_is_not_the_groups_is_asked_of_its_bank(
    sample_run: Ran,
) -> None:
    requests = sample_run.output("requests")
    gaps = sample_run.output("account_gaps")
    paid = gaps[gaps["gap"] == "paid_not_group"]["account"]
    asked = requests[requests["to"] == "bank"].set_index("subject")
    assert len(paid)
    for account in paid:
        assert "holder" in asked.loc[account, "ask"]
        assert "unlinked → linked" in asked.loc[account, "could_change"]


def test_supplying_a_requested_statement_turns_the_victims_it_names(
    designated_run: Ran, tmp_path: Path
) -> None:
    """Take the Bank of China's statements out of the second world's bank return: the run
    asks that bank for every card whose statement went, naming the victims whose verdicts or
    losses it could turn. Putting the statements back (the full sample) turns exactly those
    victims, each as predicted: to the verdict named, and a loss rises only where it said it
    may."""
    case = tmp_path / "case"
    shutil.copytree(DESIGNATED / "case", case)
    (case / REMOVED).unlink()
    cut = linkage.run(case, tmp_path / "out")
    requests = pd.read_csv(tmp_path / "out" / "requests.csv", dtype=str, keep_default_na=False)
    answered = pd.read_csv(
        tmp_path / "out" / "request_victims.csv", dtype=str, keep_default_na=False
    )
    statements = designated_run.result.case.tables["transactions"]
    removed = set(statements.loc[statements["source_file"] == REMOVED, "account"].dropna())
    subjects = requests["subject"].str.split(";")
    asked = requests[(requests["to"] == "bank") & subjects.map(lambda s: bool(set(s) & removed))]
    assert set(asked["subject"].str.split(";").explode()) >= removed
    assert (asked["addressee"] == "中国银行").all()
    predicted = answered[answered["request_id"].isin(asked["request_id"])]

    before = cut.findings.victims.set_index("victim_id")
    after = designated_run.result.findings.victims.set_index("victim_id")
    both = before.index.intersection(after.index)
    turned_verdict = [v for v in both if before.at[v, "verdict"] != after.at[v, "verdict"]]
    rose = [v for v in both if after.at[v, "loss_fen"] > before.at[v, "loss_fen"]]
    fell = [v for v in both if after.at[v, "loss_fen"] < before.at[v, "loss_fen"]]
    assert turned_verdict and rose and not fell
    for victim in turned_verdict:
        verdicts = set(predicted.loc[predicted["victim_id"] == victim, "verdict_if_found"])
        assert after.at[victim, "verdict"] in verdicts, victim
    for victim in rose:
        rises = predicted.loc[predicted["victim_id"] == victim, "loss_may_rise"]
        assert (rises == "true").any(), victim
    discovered = set(after.index) - set(before.index)
    assert discovered, "the statements also show payers nobody reported"
    assert asked["could_change"].str.contains("not on the victim list may be found").any()


def _facts(victims: dict[str, VictimState], paid_on: dict[str, list[dt.date]]) -> Facts:
    """Facts with nothing at hand but ``victims`` and the groups' payment days."""
    empty = pd.DataFrame(columns=["account", "bank", "counterparty_account",
                                  "counterparty_bank", "direction", "origin", "amount_fen"])  # fmt: skip
    return Facts(victims, ZONE, 7, None, frozenset(), frozenset(), empty, empty, {}, paid_on)


def _stays_and_travel(**moved: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Three suspects' stays at den-k, each found from an exit record (rows 2-4 of the Chinese
    records) and ended by the seizure, with the border records; ``moved`` overrides stay
    columns as a period rule would."""
    stays = pd.DataFrame(
        {
            "person_id": ["P1", "P2", "P3"],
            "group_id": ["G1"] * 3,
            "den": ["den-k"] * 3,
            "start_day": ["2016-01-01"] * 3,
            "end_day": ["2016-03-01"] * 3,
            "start_basis": ["left China (immigration record)"] * 3,
            "start_source_file": ["immigration/cn.csv"] * 3,
            "start_source_row": [2, 3, 4],
            "end_basis": ["seizure"] * 3,
            "end_source_file": ["case.toml"] * 3,
            "end_source_row": [None] * 3,
            "conflict": [None, "left China 2016-01-01 but entered 2016-01-11", None],
        }
    ).assign(**moved)
    travel = pd.DataFrame(
        {
            "person_id": ["P1", "P2", "P2", "P3", "P3"],
            "crossed_on": pd.to_datetime(
                ["2016-01-01", "2016-01-01", "2016-01-11", "2016-01-01", "2016-01-02"]
            ).date,
            "record_source": ["immigration", "immigration", "foreign_police", "immigration",
                              "passport"],
            "origin": ["immigration"] * 5,
            "source_file": ["immigration/cn.csv"] * 3 + ["immigration/passport.csv"] * 2,
            "source_row": [2, 3, 5, 2, 3],
        }
    )  # fmt: skip
    travel.loc[3, "source_file"] = "immigration/cn.csv"
    travel.loc[3, "source_row"] = 4
    return stays, travel


SUSPECTS = pd.DataFrame(
    {
        "person_id": ["P1", "P2", "P3"],
        "name": ["林一", "陈二", "黄三"],
        "role": ["first_line", "organiser", "second_line"],
    }
)


def test_suspects_whose_stay_rests_on_one_source_or_conflicting_ones_are_asked() -> None:
    """林一's stay rests on Chinese records alone and a payment falls two days after its
    start: his amount could change. 陈二's records disagree, but an organiser answers for
    the group's whole amount. 黄三's exit is confirmed by the passport: nothing to ask."""
    stays, travel = _stays_and_travel()
    facts = _facts({}, {"G1": [dt.date(2016, 1, 3), dt.date(2016, 2, 1)]})
    parts = {p.subject: p for p in people_parts(facts, _no_gaps(), set(), stays, SUSPECTS, travel)}
    assert set(parts) == {"P1", "P2"}, "黄三's stay rests on two sources that agree"
    assert parts["P1"].closes == [
        "the stay at den-k from 2016-01-01 to 2016-03-01 rests on immigration records alone"
    ]
    assert parts["P1"].priority == 2, "a first-liner's amount follows the period"
    assert parts["P1"].changes == [
        "林一's period and amount: 1 of the group's payments fall within 7 days of the stay's ends"
    ]
    assert parts["P2"].closes == [
        "border records disagree (left China 2016-01-01 but entered 2016-01-11)"
    ]
    assert parts["P2"].priority == 3, "an organiser answers for the group whatever the period"
    quiet = _facts({}, {"G1": [dt.date(2016, 2, 1)]})
    (far,) = [p for p in people_parts(quiet, _no_gaps(), set(), stays, SUSPECTS, travel)
              if p.subject == "P1"]  # fmt: skip
    assert far.priority == 3 and "no payment of the group falls near" in far.changes[0]


def test_a_period_set_by_acts_is_read_against_the_records_it_was_found_from() -> None:
    """Under ``period_start = "first_act"`` a stay starts at the first act, weeks after the
    exit record: the records are still found (黄三 is still not asked), the request asks for
    the days from the exit record on, and a payment near the first act is no reason to ask,
    since a passport does not move an act."""
    stays, travel = _stays_and_travel(
        start_day=["2016-02-10"] * 3,
        start_basis=["first call or chat at the den in this stay"] * 3,
    )
    facts = _facts({}, {"G1": [dt.date(2016, 2, 12)]})
    parts = {p.subject: p for p in people_parts(facts, _no_gaps(), set(), stays, SUSPECTS, travel)}
    assert set(parts) == {"P1", "P2"}
    assert parts["P1"].closes == [
        "the stay at den-k from 2016-02-10 to 2016-03-01 rests on immigration records alone"
    ]
    assert parts["P1"].spans == [(dt.date(2016, 1, 1), dt.date(2016, 3, 1))]
    assert parts["P1"].priority == 3, "the only payment is near the first act, not a record"


def _no_gaps() -> pd.DataFrame:
    return pd.DataFrame(columns=["victim_id", "position", "code", "gap", "subjects"])


def _victim(victim_id: str, **changes: object) -> VictimState:
    state = VictimState(victim_id, "李四", "G1", "linked", frozenset({"transfer"}), 500_000,
                        None, "110105194110018166", ("622",), (), True, None, "v.csv", 3,
                        None)  # fmt: skip
    return dataclasses.replace(state, **changes)  # type: ignore[arg-type]


def test_victims_asked_again_only_for_what_banks_and_carriers_cannot_answer() -> None:
    """Questioning brings no link of its own: the victim's verdict does not turn on it, the
    answers say where to look."""
    gaps = pd.DataFrame(
        {"victim_id": ["V1", "V1"], "position": [0, 1], "code": ["no_call_records", "no_chat"],
         "gap": ["no seized dial list calls the victim's phone; no carrier records for it",
                 "no seized chat names the victim"], "subjects": ["+8613912345678", ""]}
    )  # fmt: skip
    answered = {("V1", "no seized dial list calls the victim's phone; no carrier records for it")}
    empty = pd.DataFrame(columns=["person_id"])
    (part,) = people_parts(_facts({"V1": _victim("V1")}, {}), gaps, answered, empty, empty, empty)
    assert part.subject == "V1" and part.addressee == "victim 李四"
    assert [a.gap for a in part.affected] == [
        "no seized chat names the victim",
        "the loss rests on one kind of evidence (transfer)",
    ]
    assert {a.verdict_if_found for a in part.affected} == {"linked"}
    assert all("search the seized records" in a.change for a in part.affected)


def test_two_victims_reporting_from_one_phone_keep_their_own_losses(tmp_path: Path) -> None:
    """钱七 reports from 张三's phone and has no ID number, so her victim_id is the phone.
    Her requests carry her own reported loss, days and accounts, never 张三's."""
    case = tmp_path / "case"
    shutil.copytree(HAND_WRITTEN, case)
    listed = case / "police" / "victims.xlsx"
    book = openpyxl.load_workbook(listed)
    book.active.append(
        ["5", "钱七", None, "13912345678", "2016-03-28 09:00", "北京市公安局", "5000",
         "6222000099998888777", "6222029999000011112", "2016-03-27 10:00", "冒充快递"]
    )  # fmt: skip
    book.save(listed)
    linkage.run(case, tmp_path / "out")
    requests = pd.read_csv(tmp_path / "out" / "requests.csv", dtype=str, keep_default_na=False)
    hers = requests[requests["victim_ids"] == "+8613912345678"]
    banks = hers[hers["to"] == "bank"]
    assert set(banks["subject"]) == {"6222000099998888777", "6222029999000011112"}
    assert (banks["unproven_fen"] == "500000").all(), "her 5,000 yuan, not 张三's 200,000"
    assert (hers["asked_to"] >= "2016-03-28").all(), "the days she reported are asked for"
    zhang = requests[requests["victim_ids"].str.contains("110105194901010021")]
    assert not set(zhang["subject"]) & set(banks["subject"])


def test_every_kind_of_gap_is_answered_even_with_nothing_known_of_the_victim() -> None:
    """A victim with no ID number, phone or account: every gap still has a request, the
    victim's own answers where no bank or carrier can be asked."""
    known = _victim("V1", id_number=None, accounts=())
    bare = _victim("V2", id_number=None, accounts=(), kinds=frozenset(), verdict="unlinked",
                   loss_fen=0, group_id=None)  # fmt: skip
    records = "the victim's call records show no group line, and no seized dial list calls " \
        "their phone"  # fmt: skip
    rows = [
        ("V1", "group_line_absent", records, "+8613912345678"),
        ("V1", "no_chat", "no seized chat names the victim", ""),
        ("V2", "no_phone", "no phone number known for the victim", ""),
        ("V2", "no_chat", "no seized chat names the victim", ""),
        ("V2", "no_transfer", "no transfer into a group account in the statements at hand", ""),
        ("V2", "payee_not_group", "the account the victim paid (9) is not known as a group "
                                  "account", "9"),
        ("V2", "no_own_statement", "no statement of the victim's own accounts", ""),
    ]  # fmt: skip
    gaps = pd.DataFrame(rows, columns=["victim_id", "code", "gap", "subjects"]).assign(position=0)
    assert set(gaps["code"]) == set(GAP_CODES) - {"no_call_records"}
    facts = _facts({"V1": known, "V2": bare}, {})
    no_flows = Flows(pd.DataFrame(columns=["to_account", "at", "source_file", "source_row"]),
                     pd.DataFrame(columns=["end"]), pd.DataFrame(), "fifo", 0, 0)  # fmt: skip
    no_groups = pd.DataFrame(columns=["kind", "group_id", "identifier", "rule"])
    parts = [*bank_parts(facts, gaps, no_flows, no_groups),
             *carrier_parts(facts, gaps, no_groups)]  # fmt: skip
    answered = {(a.victim_id, a.gap) for p in parts for a in p.affected}
    empty = pd.DataFrame(columns=["person_id"])
    parts += people_parts(facts, gaps, answered, empty, empty, empty)
    closed = {(a.victim_id, a.gap) for p in parts for a in p.affected}
    assert closed >= set(zip(gaps["victim_id"], gaps["gap"], strict=True))
    asked = {(p.to, p.subject) for p in parts}
    assert ("bank", "9") in asked, "the payee's bank is asked whose account it is"
    assert ("people", "V2") in asked


def test_a_carrier_is_named_by_the_number_block() -> None:
    assert carrier_of("+8613912345678") == "China Mobile (中国移动)"
    assert carrier_of("+8618612345678") == "China Unicom (中国联通)"
    assert carrier_of("+8619912345678") == "China Telecom (中国电信)"
    assert carrier_of("+8617012345678") == "the carrier of +8617012345678"
    assert carrier_of("+254712345678") == "the carrier of +254712345678"


def test_the_padding_is_a_parameter_of_case_toml() -> None:
    assert RequestParams.from_toml({}).padding_days == 7
    assert RequestParams.from_toml({"padding_days": 0}).padding_days == 0
    with pytest.raises(ConfigError, match=r"\[requests\]: unknown keys \['padding'\]"):
        RequestParams.from_toml({"padding": 3})
    with pytest.raises(ConfigError, match="padding_days"):
        RequestParams.from_toml({"padding_days": -1})


def test_the_run_records_the_padding_and_writes_every_request_output(sample_run: Ran) -> None:
    manifest = (sample_run.out / "manifest.json").read_text(encoding="utf-8")
    assert '"requests": {\n' in manifest or '"requests":{' in manifest.replace(" ", "")
    assert sample_run.result.requests is not None
    assert sample_run.result.requests.params == RequestParams()
    for name in ("requests", "request_victims"):
        assert (sample_run.out / f"{name}.csv").exists()
        assert (sample_run.out / f"{name}.parquet").exists()
    page = (sample_run.out / "report.html").read_text(encoding="utf-8")
    assert "<h2 id='requests'>补充调证</h2>" in page


def test_a_wider_padding_widens_every_period(tmp_path: Path) -> None:
    case = tmp_path / "den-2016"
    shutil.copytree(HAND_WRITTEN, case)
    narrow = linkage.run(case, tmp_path / "narrow", reports=False).requests
    with (case / "case.toml").open("a", encoding="utf-8") as toml:
        toml.write("\n[requests]\npadding_days = 30\n")
    wide = linkage.run(case, tmp_path / "wide", reports=False).requests
    assert narrow is not None and wide is not None
    key = ["to", "subject_kind", "subject"]  # a wider padding may reorder the requests
    a = narrow.requests.set_index(key)
    b = wide.requests.set_index(key)
    dated = a["asked_from"].notna()
    assert dated.any()
    start = pd.to_datetime(a.loc[dated, "asked_from"]) - pd.Timedelta(days=23)
    wider = pd.to_datetime(b.loc[start.index, "asked_from"])
    assert (wider == start).all()
