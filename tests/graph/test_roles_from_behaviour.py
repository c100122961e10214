"""Roles from what each person did, on the second world's sample, where the roster is no help:
organisers without a note who take no calls, money mules at home who never write in a den
chat, a technician in a den. Each role rests on rows a reader can open in the evidence."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import pytest
from case_runs import Ran
from evidence_rows import row_text

from linkage.graph.roles import Behaviour, Role
from linkage.match.designations import join_digit_groups


@pytest.fixture(scope="module")
def designated(case_runs: Callable[[str | int], Ran]) -> Ran:
    return case_runs("designated")


def _defendants(ran: Ran) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(truth, ours): the true and the output defendants, by person_id."""
    truth = ran.truth_table("defendants").set_index("person_id")
    return truth, ran.output("defendants").set_index("person_id")


def _evidence(ran: Ran, person_id: str) -> pd.DataFrame:
    evidence = pd.read_parquet(ran.out / "roles_evidence.parquet")
    return evidence[evidence["person_id"] == person_id]


def test_an_organiser_with_no_legs_and_no_note_is_known_by_what_they_managed(
    designated: Ran,
) -> None:
    truth, ours = _defendants(designated)
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
    truth, ours = _defendants(designated)
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
    truth, ours = _defendants(designated)
    technicians = truth.index[truth["subrole"] == "technician"]
    assert len(technicians) == 1
    row = ours.loc[technicians[0]]
    assert row["role"] == "support" and row["amount_rule"] == "period"
    assert row["amount_fen"] == truth.at[technicians[0], "amount_fen"] != "0"


def _behaviour(**given: object) -> Behaviour:
    facts: dict[str, object] = {
        "legs": None, "designations": 0, "directives": 0, "holds": False, "supplies": False,
        "at_den": False, "extension": False, "calls": 0,
    }  # fmt: skip
    facts.update(given)
    return Behaviour(**facts)  # type: ignore[arg-type]


SECOND_LINE_LEGS = pd.Series({2: 5})


@pytest.mark.parametrize(
    ("facts", "noted", "role"),
    [
        ({"designations": 2, "at_den": True}, Role.UNKNOWN, Role.ORGANISER),
        ({"directives": 3, "at_den": True}, Role.UNKNOWN, Role.ORGANISER),
        ({"directives": 2, "at_den": True}, Role.UNKNOWN, Role.SUPPORT),
        # a caller who dials by hand and talks of fines in the chat runs nothing
        ({"directives": 4, "calls": 49, "at_den": True, "extension": True}, Role.UNKNOWN,
         Role.UNKNOWN),
        # a boss who closes some calls himself, named 组织者 on the roster
        ({"designations": 2, "legs": pd.Series({3: 5}), "calls": 5, "at_den": True},
         Role.ORGANISER, Role.ORGANISER),
        ({"designations": 2, "legs": pd.Series({3: 5}), "calls": 5, "at_den": True},
         Role.UNKNOWN, Role.THIRD_LINE),
        ({"legs": SECOND_LINE_LEGS, "calls": 5}, Role.FIRST_LINE, Role.SECOND_LINE),
        ({"holds": True}, Role.SUPPORT, Role.MONEY_MULE),
        # a den member's own card makes nobody a mule: the roster's note stands
        ({"holds": True, "at_den": True, "extension": True, "calls": 30}, Role.FIRST_LINE,
         Role.FIRST_LINE),
        ({"supplies": True}, Role.UNKNOWN, Role.SUPPORT),
        ({"at_den": True, "extension": True}, Role.UNKNOWN, Role.UNKNOWN),
        ({}, Role.UNKNOWN, Role.UNKNOWN),
    ],
)  # fmt: skip
def test_the_first_rule_the_behaviour_meets_gives_the_role(
    facts: dict[str, object], noted: Role, role: Role
) -> None:
    assert _behaviour(**facts).role(noted, organiser_directives=3)[0] == role
