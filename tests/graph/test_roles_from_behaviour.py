"""Roles from what each person did, on the second world's sample, where the roster is no help:
organisers without a note who take no calls, money mules at home who never write in a den
chat, a technician in a den. Each role rests on rows a reader can open in the evidence."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import pytest
from case_runs import Ran
from evidence_rows import row_text

from linkage.match.designations import join_digit_groups


@pytest.fixture(scope="module")
def designated(case_runs: Callable[[str | int], Ran]) -> Ran:
    return case_runs("designated")


def _evidence(ran: Ran, person_id: str) -> pd.DataFrame:
    evidence = pd.read_parquet(ran.out / "roles_evidence.parquet")
    return evidence[evidence["person_id"] == person_id]


def test_an_organiser_with_no_legs_and_no_note_is_known_by_what_they_managed(
    designated: Ran,
) -> None:
    truth = designated.truth_table("defendants").set_index("person_id")
    ours = designated.output("defendants").set_index("person_id")
    silent = [
        p for p in truth.index[truth["role"] == "organiser"] if truth.at[p, "role_noted"] == ""
    ]
    assert silent, "the sample has an organiser the roster does not name"
    for person_id in silent:
        row = ours.loc[person_id]
        assert row["role"] == "organiser" and row["call_count"] == "0"
        assert row["roster_agrees"] == "" and row["amount_rule"] == "group_total"
        assert row["role_basis"].startswith("management acts:")
        acts = _evidence(designated, person_id)
        acts = acts[acts["role_shown"] == "organiser"]
        designations = acts[acts["detail"].str.startswith("designated group account")]
        assert len(designations) >= 1
        for act in designations.itertuples():
            card = act.detail.split()[3]
            text = join_digit_groups(
                row_text(designated.case, act.source_file, int(act.source_row), "Messages")
            )
            assert card in text.replace(" ", ""), (act.source_file, act.source_row, text)


def test_a_mule_absent_from_every_chat_holds_cards_that_took_victims_money(
    designated: Ran,
) -> None:
    truth = designated.truth_table("defendants").set_index("person_id")
    ours = designated.output("defendants").set_index("person_id")
    mules = truth.index[truth["role"] == "money_mule"]
    assert len(mules) >= 3
    for person_id in mules:
        row = ours.loc[person_id]
        assert row["message_count"] == "0" and row["call_count"] == "0"
        assert row["role"] == "money_mule" and row["amount_rule"] == "account_received"
        assert row["amount_fen"] == truth.at[person_id, "provable_amount_fen"] != "0"
        held = _evidence(designated, person_id)
        held = held[held["detail"].str.startswith("holder of group account")]
        assert len(held) >= 1
        for fact in held.itertuples():
            text = row_text(designated.case, fact.source_file, int(fact.source_row), None)
            assert person_id in text and fact.detail.split()[-1] in text


def test_a_technician_in_a_den_answers_for_the_losses_inside_their_stay(
    designated: Ran,
) -> None:
    truth = designated.truth_table("defendants").set_index("person_id")
    ours = designated.output("defendants").set_index("person_id")
    technicians = truth.index[truth["subrole"] == "technician"]
    assert len(technicians) == 1
    row = ours.loc[technicians[0]]
    assert row["role"] == "support" and row["amount_rule"] == "period"
    assert row["amount_fen"] == truth.at[technicians[0], "amount_fen"] != "0"


def test_every_disagreement_with_the_roster_is_listed(designated: Ran) -> None:
    ours = designated.output("defendants")
    gaps = designated.output("attribution_gaps")
    listed = gaps[gaps["gap"] == "behaviour and roster note disagree"]
    assert sorted(listed["person_id"]) == sorted(
        ours.loc[ours["roster_agrees"] == "false", "person_id"]
    )
