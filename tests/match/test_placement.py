"""A card held by a member at no den joins the group whose accounts paid it, layer by layer,
and no group at all where two groups paid it alike."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa

from linkage.engine import DuckDBEngine
from linkage.match.placement import placed_by_relays

HELD = ["SECOND", "THIRD", "SHARED", "IDLE", "VICTIMS"]
"""Cards of crew members at no den: a second layer, the third layer it pays, one that both
groups' cards pay once each, one no group account paid, and one victims of both groups paid
alike (a tie the group cards paying it too must not break)."""


def _seed() -> pd.DataFrame:
    rows = [
        ("G1CARD", "G1", "ledger", "collecting account in a seized ledger"),
        ("G2CARD", "G2", "ledger", "collecting account in a seized ledger"),
        *((card, None, "held_by_member", f"account held by crew {card}") for card in HELD),
    ]
    return pd.DataFrame(
        [{"identifier": i, "kind": "account", "group_id": g, "rule": r, "basis": b}
         for i, g, r, b in rows]
    )  # fmt: skip


def _engine(payments: list[tuple[str, str]]) -> DuckDBEngine:
    """An engine holding the returned payments between accounts, the crew's cards and one
    victim's transfer into ``VICTIMS``."""
    engine = DuckDBEngine()
    engine.register(
        "relayed_payments",
        pa.table({"account": [p for p, _ in payments],
                  "counterparty_account": [c for _, c in payments]}),
    )  # fmt: skip
    engine.register("member_accounts", pa.table({"account": HELD, "den": [None] * len(HELD)}))
    engine.register(
        "checked_links",
        pa.table({"kind": ["transfer", "call"], "group_account": ["VICTIMS", None]}),
    )
    return engine


def test_relays_place_the_crews_cards_layer_by_layer_and_a_tie_nowhere() -> None:
    payments = [("G1CARD", "SECOND"), ("G1CARD", "SECOND"), ("SECOND", "THIRD"),
                ("G1CARD", "SHARED"), ("G2CARD", "SHARED"), ("G1CARD", "VICTIMS")]  # fmt: skip
    engine = _engine(payments)
    try:
        seed = _seed()
        placed = placed_by_relays(engine, seed, seed)
    finally:
        engine.close()
    assert placed is not None
    group = dict(zip(placed["identifier"], placed["group_id"], strict=True))
    assert (group["SECOND"], group["THIRD"]) == ("G1", "G1")
    assert pd.isna(group["SHARED"]) and pd.isna(group["IDLE"])
    assert pd.isna(group["VICTIMS"]), "a card victims paid is placed by the victims alone"
    basis = dict(zip(placed["identifier"], placed["basis"], strict=True))
    assert basis["SECOND"].endswith("; paid by 1 group account(s) of G1")
    assert basis["THIRD"].endswith("; paid by 1 group account(s) of G1")
    assert seed["group_id"].isna().sum() == len(HELD), "the seed given is left as it was"


def test_nothing_moves_when_no_group_account_paid_a_crew_card() -> None:
    """A stranger's returned account paying a crew card is no group's vote."""
    engine = _engine([("STRANGER", "IDLE"), ("STRANGER", "SECOND")])
    try:
        assert placed_by_relays(engine, _seed(), _seed()) is None
    finally:
        engine.close()
