"""The same fraud written by each convention gives the same victims, losses and accounts.

The group's receiving cards reach a case folder as den ledgers (the first world), as
designations in the den chats (the second), as both, or only as accounts held by members on the
roster (the designations lost with a wiped phone). Every way must link the same victims to the
same group for the same loss, and the group's accounts must say which rule found them.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from case_runs import DESIGNATED, Ran, run_case
from case_variants import with_den_ledgers, without_designations

COLUMNS = ["victim_id", "group_id", "verdict", "loss_fen", "gross_fen", "refund_fen", "reported"]


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> Ran:
    folder = tmp_path_factory.mktemp("ledgers-and-designations")
    case = with_den_ledgers(DESIGNATED, folder)
    return run_case(case, DESIGNATED / "ground_truth", folder / "out", "both")


@pytest.fixture(scope="module")
def holders_only(tmp_path_factory: pytest.TempPathFactory) -> Ran:
    folder = tmp_path_factory.mktemp("holders-only")
    case = without_designations(DESIGNATED, folder)
    return run_case(case, DESIGNATED / "ground_truth", folder / "out", "holders")


def _victims(ran: Ran) -> pd.DataFrame:
    return ran.output("victims")[COLUMNS].sort_values("victim_id").reset_index(drop=True)


def _first_layer(ran: Ran) -> set[str]:
    cards = ran.truth_table("group_accounts")
    return set(cards.loc[cards["layer"] == "1", "account"])


def _accounts(ran: Ran) -> pd.DataFrame:
    found = pd.read_parquet(ran.out / "group_identifiers.parquet")
    return found[found["kind"] == "account"]


def test_ledgers_beside_the_designations_change_no_victim(designated_run: Ran, both: Ran) -> None:
    pd.testing.assert_frame_equal(_victims(both), _victims(designated_run))
    accounts = _accounts(both)
    assert _first_layer(both) <= set(accounts["identifier"])
    ledger = accounts[accounts["rule"] == "ledger"]
    assert set(ledger["identifier"]) == _first_layer(both) - {""}
    assert ledger["valid_from"].notna().all(), "a card in a ledger keeps its designation's period"
    assert ledger["held_by"].notna().all()


def test_cards_known_only_by_their_holders_give_the_same_victims(
    designated_run: Ran, holders_only: Ran
) -> None:
    pd.testing.assert_frame_equal(_victims(holders_only), _victims(designated_run))
    accounts = _accounts(holders_only)
    assert "chat_designation" not in set(accounts["rule"])
    held = accounts[accounts["rule"] == "held_by_member"]
    assert set(held["identifier"]) == _first_layer(holders_only)
    roster = holders_only.truth_table("defendants").set_index("person_id")["name"]
    assert (held["held_by_name"] == held["held_by"].map(roster)).all()


def test_the_truth_holds_in_every_convention(both: Ran, holders_only: Ran) -> None:
    for ran in (both, holders_only):
        truth = ran.truth_table("victims").set_index("victim_id")
        found = ran.output("victims").set_index("victim_id")
        assert (found["loss_fen"] == truth.loc[found.index, "loss_fen"]).all(), ran.label
        linked = found["verdict"] != "unlinked"
        assert (found.loc[linked, "group_id"] == truth.loc[found.index[linked], "group_id"]).all()


def test_no_ledger_path_is_left_unnamed(both: Ran) -> None:
    ledgers = sorted(Path(both.case).glob("seized/*/ledger.xlsx"))
    assert len(ledgers) == 3
    toml = (both.case / "case.toml").read_text(encoding="utf-8")
    assert all(str(p.relative_to(both.case)) in toml for p in ledgers)
