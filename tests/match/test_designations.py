"""Accounts designated in seized chats: read however worded, never a victim's own card."""

from __future__ import annotations

import sqlite3
from contextlib import closing

import pandas as pd
import pyarrow as pa
import pytest
from case_runs import Ran
from hypothesis import given
from hypothesis import strategies as st

from linkage.engine import DuckDBEngine
from linkage.match import rules
from linkage.match.designations import designated_numbers, join_digit_groups
from linkage.match.prepare import body_tokens
from linkage.synth.identities import luhn_digit

CARD = "621700001234567890" + luhn_digit("621700001234567890")
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def grouped(number: str, separator: str = " ") -> str:
    return separator.join(number[i : i + 4] for i in range(0, len(number), 4))


@pytest.mark.parametrize(
    "body",
    [
        f"今天起收款卡 {grouped(CARD)}（建行，李某）",
        f"换卡了，新卡{CARD}，旧卡停用",
        f"加一张卡备用：{grouped(CARD, '-')}",
        f"大家注意，收款账户换成{CARD.translate(FULL_WIDTH)}，之前那张作废",
        f"從現在起只用 {grouped(CARD)} 工行 戶名王**",
        f"{CARD} 停用",
    ],
)
def test_a_card_is_read_however_the_message_is_worded(body: str) -> None:
    assert designated_numbers(body) == [CARD]


@pytest.mark.parametrize(
    "body",
    [
        f"一线报：张伟，手机13800138000，卡{grouped(CARD)}",
        f"客户张伟，身份证110105194901010021，卡号{CARD}",
        f"客户 张伟 138 0013 8000 卡{CARD}",
    ],
)
def test_a_card_named_beside_a_persons_phone_or_id_is_about_that_person(body: str) -> None:
    assert designated_numbers(body) == []


def test_a_unionpay_card_that_fails_its_check_digit_is_never_guessed() -> None:
    wrong = CARD[:-1] + str((int(CARD[-1]) + 1) % 10)
    assert designated_numbers(f"新卡 {wrong}") == []
    assert designated_numbers("对公账户 1234567890123456789") == ["1234567890123456789"]


def test_short_numbers_and_numbers_a_space_apart_are_not_joined() -> None:
    assert designated_numbers("尾号1234那张卡停用了") == []
    assert join_digit_groups("6217 0000 1234 5678 901 138") == "6217000012345678901 138"
    assert join_digit_groups(f"{CARD} {CARD}") == f"{CARD} {CARD}"


@given(st.text(alphabet=st.sampled_from("0123456789 -６２１７卡号新换停用，X\t"), max_size=80))
def test_any_text_gives_numbers_of_card_length_it_holds(body: str) -> None:
    for number in designated_numbers(body):
        assert 16 <= len(number) <= 19 and number.isdigit()
    assert designated_numbers(body) == designated_numbers(body)


def _message(case: Ran, source_file: str, row: int) -> str:
    with closing(sqlite3.connect(f"file:{case.case / source_file}?mode=ro", uri=True)) as db:
        found = db.execute("SELECT body_xml FROM Messages WHERE id = ?", (row,)).fetchone()
    assert found is not None, (source_file, row)
    return str(found[0])


def test_every_designated_account_points_at_the_message_that_names_it(designated_run: Ran) -> None:
    found = designated_run.output("group_identifiers")
    designated = found[found["basis"] == "account designated in a seized chat"]
    assert len(designated) >= 6
    for row in designated.itertuples():
        body = _message(designated_run, row.source_file, int(row.source_row))
        assert row.identifier in designated_numbers(body), (row.identifier, body)


def test_the_cards_mules_hold_are_the_groups_and_no_victims_card_is(designated_run: Ran) -> None:
    found = designated_run.output("group_identifiers")
    accounts = set(found.loc[found["kind"] == "account", "identifier"])
    truth = designated_run.truth_table("victims")
    assert not accounts & set(truth["card"]), "a victim's own card is never the group's"
    holders = pd.read_csv(
        next((designated_run.case / "bank").glob("*/人员信息.csv")).parent / "账户信息.csv",
        dtype=str,
        encoding="gb18030",
    )
    mules = designated_run.truth_table("defendants").query("role == 'money_mule'")
    held = set(holders.loc[holders["开户人证件号码"].isin(mules["person_id"]), "交易卡号"])
    assert held <= accounts


def _designated(**tables: pa.Table) -> list[tuple[int, str]]:
    """``designated_sql`` on DuckDB over the given tables (empty ones for the rest)."""
    empty = {
        "body_acts": _named(),
        "victim_list": pa.table(
            {c: pa.array([], pa.string()) for c in ("victim_key", "kind", "value")}
        ),
        "accounts": pa.table({c: pa.array([], pa.string()) for c in ("account", "holder_id")}),
        "known_accounts": pa.table({"account": pa.array([], pa.string())}),
    }
    engine = DuckDBEngine()
    try:
        for name, table in {**empty, **tables}.items():
            engine.register(name, table)
        rows = engine.query(rules.designated_sql()).to_pylist()
    finally:
        engine.close()
    return sorted((r["body_id"], r["account"]) for r in rows if r["act"] == "designate")


def _moves(*rows: tuple[str, str, str, str]) -> pa.Table:
    """Transactions as (account, direction, counterparty, origin)."""
    return pa.table(
        {
            "account": [r[0] for r in rows],
            "direction": [r[1] for r in rows],
            "counterparty_account": [r[2] for r in rows],
            "origin": [r[3] for r in rows],
            "den": pa.array([None] * len(rows), pa.string()),
        }
    )


def _named(*accounts: str) -> pa.Table:
    """Texts designating one account each, in ``body_acts``' columns."""
    return pa.table(
        {
            "body_id": pa.array(range(len(accounts)), pa.int64()),
            "act": pa.array(["designate"] * len(accounts), pa.string()),
            "account": pa.array(accounts, pa.string()),
            "tail": pa.array([None] * len(accounts), pa.string()),
        }
    )


def test_a_victims_card_named_in_a_chat_stays_the_victims() -> None:
    # A is designated; V, named beside a name only, paid A (seen on A's return and on V's own)
    moves = _moves(("A", "in", "V", "bank"), ("V", "out", "A", "victim"), ("A", "out", "V", "bank"))
    assert _designated(body_acts=_named("A", "V"), transactions=moves) == [(0, "A")]
    bank_only = _moves(("A", "in", "V", "bank"), ("A", "out", "V", "bank"))
    assert _designated(body_acts=_named("A", "V"), transactions=bank_only) == [(0, "A")]


def test_a_designated_card_that_passes_money_to_another_stays_the_groups() -> None:
    moves = _moves(("A", "in", "V", "bank"), ("A", "out", "B", "bank"), ("B", "in", "A", "bank"))
    assert _designated(body_acts=_named("A", "B"), transactions=moves) == [(0, "A"), (1, "B")]


def test_a_number_that_moved_no_money_is_no_account() -> None:
    moves = _moves(("A", "in", "V", "bank"))
    assert _designated(body_acts=_named("2016031010000000", "A"), transactions=moves) == [(1, "A")]


def test_a_listed_victims_account_is_never_designated() -> None:
    moves = _moves(("A", "in", "V", "bank"), ("V", "in", "X", "bank"))
    victims = pa.table({"victim_key": ["k"], "kind": ["account"], "value": ["V"]})
    assert _designated(body_acts=_named("V"), transactions=moves, victim_list=victims) == []


def test_chat_tokens_read_a_card_and_a_phone_typed_in_groups() -> None:
    tokens, _ = body_tokens(
        pa.array([f"客户张伟 138 0013 8000 卡{grouped(CARD)}", "2016 0310 开会"])
    )
    ids, texts = tokens.column("body_id").to_pylist(), tokens.column("token").to_pylist()
    found = set(zip(ids, texts, strict=True))
    assert {(0, "+8613800138000"), (0, CARD)} <= found
    assert not any(body == 1 and token.isdigit() for body, token in found)
