"""The group's accounts: which rule made each one the group's, when a designated card was in
use, who on the roster holds it, and what the evidence leaves open about them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
from case_runs import DESIGNATED, Ran, run_case
from case_variants import with_messages
from evidence_rows import row_text

from linkage.engine import DuckDBEngine
from linkage.match import rules
from linkage.match.designations import message_acts
from linkage.match.validity import designation_periods, outside_periods
from linkage.synth.identities import luhn_digit

OLD = "621700001234567890" + luhn_digit("621700001234567890")
NEW = "622202000011112222" + luhn_digit("622202000011112222")
SPARE = "621661000033334444" + luhn_digit("621661000033334444")
CaseRuns = Callable[[str | int], Ran]


@pytest.mark.parametrize(
    ("body", "designated", "replaces"),
    [
        (f"今天起收款卡 {OLD}（建行，李某）", (OLD,), False),
        (f"加一张卡备用：{SPARE}", (SPARE,), False),
        (f"新卡 {SPARE} 可以用了", (SPARE,), False),
        (f"换卡了，新卡{NEW}，旧卡停用", (NEW,), True),
        (f"大家注意，收款账户换成{NEW}，之前那张作废", (NEW,), True),
        (f"從現在起只用 {NEW}，原來的卡別再報給客戶了", (NEW,), True),
        (f"旧卡被冻了，马上换新卡：{NEW}", (NEW,), True),
    ],
)
def test_a_designation_puts_its_card_in_use_and_a_replacement_ends_the_others(
    body: str, designated: tuple[str, ...], replaces: bool
) -> None:
    acts = message_acts(body)
    assert acts.designated == designated
    assert acts.replaces is replaces
    assert acts.stopped == () and acts.stopped_tails == ()


@pytest.mark.parametrize(
    ("body", "stopped", "tails"),
    [
        (f"{OLD} 停用", (OLD,), ()),
        (f"尾号{OLD[-4:]}那张卡停用了，别再报", (), (OLD[-4:],)),
        (f"{OLD[-4:]}这张作废，客户问就说系统升级", (), (OLD[-4:],)),
    ],
)
def test_a_stop_names_its_card_in_full_or_by_its_last_four_digits(
    body: str, stopped: tuple[str, ...], tails: tuple[str, ...]
) -> None:
    acts = message_acts(body)
    assert (acts.designated, acts.stopped, acts.stopped_tails) == ((), stopped, tails)
    assert not acts.replaces


def test_a_number_that_fails_its_check_digit_is_listed_never_guessed() -> None:
    wrong = OLD[:-1] + str((int(OLD[-1]) + 1) % 10)
    acts = message_acts(f"新卡 {wrong}")
    assert acts.designated == () and acts.unreadable == (wrong,)
    assert message_acts(f"客户张伟 13800138000 卡{wrong}").unreadable == ()


def _acts(*rows: tuple[int, str, str, str | None, str | None]) -> pd.DataFrame:
    """Acts as (time, den, act, account, tail), one message each."""
    return pd.DataFrame(
        {
            "t": [r[0] for r in rows],
            "den": [r[1] for r in rows],
            "act": [r[2] for r in rows],
            "account": [r[3] for r in rows],
            "tail": [r[4] for r in rows],
            "source_file": "main.db",
            "source_sheet": "Messages",
            "source_row": [r[0] // 100 for r in rows],  # one message at each time
        }
    )


def test_periods_follow_designations_stops_and_replacements_across_the_groups_dens() -> None:
    acts = _acts(
        (100, "manila", "designate", OLD, None),
        (200, "manila", "designate", SPARE, None),
        (300, "manila", "stop_tail", None, SPARE[-4:]),
        (400, "kampala", "designate", NEW, None),
        (400, "kampala", "replace", None, None),
        (500, "kampala", "stop", SPARE, None),  # stopped twice: the first stop ended it
        (600, "kampala", "stop_tail", None, "0000"),  # no card ends so: a gap
    )
    groups = {"manila": "G1", "kampala": "G1"}
    found = designation_periods(acts, groups, {OLD, NEW, SPARE})
    assert sorted(map(tuple, found.periods.values.tolist())) == sorted(
        [("G1", NEW, 400, None), ("G1", OLD, 100, 400), ("G1", SPARE, 200, 300)]
    )
    assert [(s["tail"], s["cards_in_use"], s["source_row"]) for s in found.unmatched_stops] == [
        ("0000", 0, 6)
    ]
    other_group = designation_periods(acts, {"manila": "G1", "kampala": "G2"}, {OLD, NEW, SPARE})
    assert ("G1", OLD, 100, None) in map(tuple, other_group.periods.values.tolist())


def test_a_card_stopped_before_any_designation_was_in_use_from_an_unknown_time() -> None:
    acts = _acts((100, "d", "stop", OLD, None), (200, "d", "designate", OLD, None))
    found = designation_periods(acts, {"d": "G1"}, {OLD})
    assert found.periods.values.tolist() == [["G1", OLD, None, 100], ["G1", OLD, 200, None]]
    assert found.bounds().values.tolist() == [["G1", OLD, None, None]]


def test_a_payment_outside_every_period_is_marked_and_a_date_only_record_may_overlap() -> None:
    periods = pd.DataFrame(
        {"group_id": ["G1", "G1"], "account": [OLD, OLD], "start_t": [None, 1_000],
         "end_t": [100, 2_000]}
    )  # fmt: skip
    transfers = pd.DataFrame(
        {
            "group_id": ["G1", "G1", "G1", "G1", "G2"],
            "group_account": [OLD, OLD, OLD, NEW, OLD],
            "t": [50, 500, 900, 500, 500],
            "t_span": [0, 0, 86_400, 0, 0],
        }
    )
    assert outside_periods(transfers, periods).tolist() == [False, True, False, False, False]


def _members_held(accounts: pa.Table, members: pa.Table) -> list[tuple[str, str]]:
    engine = DuckDBEngine()
    try:
        engine.register("accounts", accounts)
        engine.register("members", members)
        empty = {c: pa.array([], pa.string()) for c in ("account", "holder_id", "holder_name",
                                                        "origin", "source_file", "source_sheet")}  # fmt: skip
        engine.register("transactions", pa.table({**empty, "source_row": pa.array([], pa.int64())}))
        engine.register("victim_list", pa.table({"kind": ["account"], "value": ["VICTIM"]}))
        rows = engine.query(rules.member_accounts_sql()).to_pylist()
    finally:
        engine.close()
    return sorted((r["account"], r["person_id"]) for r in rows)


def test_an_account_is_a_members_by_id_and_by_name_where_the_id_is_not_a_resident_id() -> None:
    resident, permit = "110105198411160471", "55634144"
    accounts = pa.table(
        {
            "account": ["A", "B", "C", "D", "E", "VICTIM"],
            "holder_id": [resident, resident, permit, permit, "999", resident],
            "holder_name": ["朱建", None, "董平", "王五", "朱建", "朱建"],
            "source_file": ["账户信息.csv"] * 6,
            "source_row": list(range(2, 8)),
            "source_sheet": [None] * 6,
        }
    )
    members = pa.table(
        {
            "person_id": [resident, permit],
            "name": ["朱建", "董平"],
            "id_type": ["resident_id", "permit"],
            "den": [None, "den-kampala"],
        }
    )
    # A: ID and name agree; B: a resident ID alone; C: a permit with its name; D: a permit
    # with another name; E: no one's ID; VICTIM: a listed victim's account
    assert _members_held(accounts, members) == [("A", resident), ("B", resident), ("C", permit)]
    wrong_name = accounts.set_column(2, "holder_name", pa.array(["李四"] * 6))
    assert _members_held(wrong_name, members) == []


def _designated_cases(case_runs: CaseRuns) -> list[Ran]:
    """The second world's cases, and a case of the benchmark profile: the first world's den
    ledgers list the cards its chats also name, and its crew hold the mule layers."""
    return [
        case_runs("designated"),
        *(case_runs(f"designated:{seed}") for seed in (3, 7, 42)),
        case_runs("benchmark:7"),
    ]


def test_each_designated_card_has_the_period_the_chats_gave_it(case_runs: CaseRuns) -> None:
    for ran in _designated_cases(case_runs):
        truth = ran.truth_table("group_accounts").query("designated_from != ''")
        assert len(truth) >= 2, ran.label
        found = pd.read_parquet(ran.out / "group_identifiers.parquet")
        designated = found[found["valid_from"].notna()].drop_duplicates("identifier")
        by_card = designated.set_index("identifier")
        assert set(by_card.index) == set(truth["account"]), ran.label
        for card in truth.itertuples():
            row = by_card.loc[card.account]
            assert row["valid_from"] == pd.Timestamp(card.designated_from), (ran.label, card)
            until = pd.Timestamp(card.designated_until) if card.designated_until else None
            assert (pd.isna(row["valid_to"]) and until is None) or row["valid_to"] == until, (
                ran.label,
                card,
            )
            if row["rule"] == "chat_designation":
                assert row["written_by"].startswith("live:"), row
            else:  # a den ledger lists the card too, and comes first
                assert row["rule"] == "ledger" and pd.isna(row["written_by"]), row


def test_each_card_a_member_holds_names_its_holder(case_runs: CaseRuns) -> None:
    """Every card a member holds whose bank answered (the account record names the holder;
    nothing in the case names the holder of a card whose bank never did)."""
    for ran in _designated_cases(case_runs):
        roster = set(ran.truth_table("defendants")["person_id"])
        truth = ran.truth_table("group_accounts")
        held = truth[truth["holder_id"].isin(roster) & (truth["returned"] == "true")]
        assert len(held) >= 4
        found = pd.read_parquet(ran.out / "group_identifiers.parquet").query("kind == 'account'")
        holder = dict(zip(found["identifier"], found["held_by"], strict=True))
        for card in held.itertuples():
            assert holder.get(card.account) == card.holder_id, (ran.label, card.account)
        unknown = truth[truth["holder_id"].isin(roster) & (truth["returned"] == "false")]
        strangers = found[~found["identifier"].isin(held["account"])]
        strangers = strangers[~strangers["identifier"].isin(unknown["account"])]
        assert strangers["held_by"].isna().all(), strangers


def test_the_crews_cards_join_the_group_whose_accounts_paid_them(case_runs: CaseRuns) -> None:
    """The benchmark profile's crew, on the roster at no den, hold the mule layers in their
    own names: only the group's own accounts pay those cards, so those place them."""
    ran = case_runs("benchmark:7")
    truth = ran.truth_table("group_accounts")
    crew = set(ran.truth_table("defendants").query("role == 'money_mule'")["person_id"])
    held = truth[truth["layer"].isin(["2", "3"]) & (truth["returned"] == "true")]
    assert len(held) >= 6 and set(held["holder_id"]) <= crew
    found = ran.output("group_identifiers").query("kind == 'account'")
    by_card = found.drop_duplicates("identifier").set_index("identifier")
    for card in held.itertuples():
        row = by_card.loc[card.account]
        assert (row["rule"], row["den"], row["group_id"]) == ("held_by_member", "", card.group_id)
        assert "group account(s) of" in row["basis"], row["basis"]
    leads = ran.output("leads")
    assert set(leads["account"]) == set(ran.truth_table("leads")["account"]), (
        "the strangers a crew card relays money for are no leads"
    )


def test_payments_outside_a_cards_periods_are_marked_and_counted(case_runs: CaseRuns) -> None:
    marked = 0
    for ran in _designated_cases(case_runs):
        cards = ran.truth_table("group_accounts").query("designated_from != ''")
        starts = dict(zip(cards["account"], pd.to_datetime(cards["designated_from"]), strict=True))
        ends = {
            a: pd.Timestamp(u) for a, u in zip(cards["account"], cards["designated_until"],
                                               strict=True) if u
        }  # fmt: skip
        transfers = pd.read_parquet(ran.out / "transfers.parquet")
        for row in transfers.itertuples():
            at = row.at
            expected = (
                row.flow == "payment"
                and row.group_account in starts
                and (
                    at < starts[row.group_account]
                    or (row.group_account in ends and at >= ends[row.group_account])
                )
            )
            assert row.outside_designation == expected, (ran.label, row)
            marked += int(row.outside_designation)
    assert marked >= 1, "some victim pays a card again after the chats stopped it"


def test_account_gaps_list_misread_numbers_stops_of_no_card_and_unknown_payees(
    tmp_path: Path,
) -> None:
    misread = OLD[:-1] + str((int(OLD[-1]) + 1) % 10)
    case = with_messages(
        DESIGNATED, tmp_path, "den-manila", [f"新卡 {misread} 可以用了", "尾号0000那张卡停用了"]
    )
    ran = run_case(case, DESIGNATED / "ground_truth", tmp_path / "out", "gaps")
    gaps = pd.read_parquet(ran.out / "account_gaps.parquet")
    unreadable = gaps[gaps["gap"] == "unreadable_number"]
    assert unreadable["account"].tolist() == [misread]
    row = unreadable.iloc[0]
    assert misread in row_text(case, row["source_file"], int(row["source_row"]), "Messages")
    assert row["group_id"] == "G1" and misread in row["detail"]
    stops = gaps[gaps["gap"] == "stop_names_no_card"]
    assert stops["account"].tolist() == ["0000"] and stops["group_id"].tolist() == ["G1"]
    outside = ran.truth_table("victims").query("scenario == 'outside'")
    paid = ran.truth_table("transfers").query("purpose == 'other_group'")
    unknown = gaps[gaps["gap"] == "paid_not_group"]
    assert set(unknown["account"]) <= set(paid["to_account"])
    assert len(unknown) >= 1 and len(outside) >= 1
