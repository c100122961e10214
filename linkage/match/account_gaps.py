"""What the evidence leaves open about the group's accounts, in words a case team acts on.

Three kinds of gap, one row each (``schema.ACCOUNT_GAPS``): an account victims say they paid
that no rule made the group's (ask its bank who holds it), a card number in a seized chat that
fails its check digit (read the message again: it was never guessed at), and a stop naming
last four digits that no card in use ends in, or several do (it stopped nothing).
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pandas as pd

from linkage.engine import Engine
from linkage.match import rules
from linkage.normalize.time import local_iso
from linkage.schema import ACCOUNT_GAPS

__all__ = ["gaps_about_accounts"]


def gaps_about_accounts(
    engine: Engine, unmatched_stops: list[dict[str, object]], zone: ZoneInfo
) -> pd.DataFrame:
    """The account gaps of a run, from the rules' tables (``group_accounts``, ``body_acts``)
    and the stops ``match/validity.py`` could not match, sorted by gap, account and row."""
    paid = engine.query(rules.unknown_payees_sql()).to_pandas()
    paid = paid.assign(
        gap="paid_not_group",
        group_id=None,
        detail=[
            f"{n} victim(s) say they paid it (first: {first}); no ledger, designation, "
            "member's holding, case.toml or bank return makes it the group's"
            for n, first in zip(paid["count"], paid["first_victim"], strict=True)
        ],
    )
    unreadable = engine.query(rules.unreadable_numbers_sql()).to_pandas()
    unreadable = unreadable.assign(
        gap="unreadable_number",
        detail=[
            "a card-shaped number fails its check digit (mistyped or misread) and is not "
            f"guessed at; first written {_when(t, zone)}: {body}"
            for t, body in zip(unreadable["t"], unreadable["body"], strict=True)
        ],
    )
    stops = pd.DataFrame(unmatched_stops)
    if not stops.empty:
        stops = stops.assign(
            gap="stop_names_no_card",
            account=stops["tail"],
            count=1,
            detail=[
                f"a stop written {_when(t, zone)} names a card ending {tail}; "
                f"{n} card(s) in use end so, so it stops none"
                for t, tail, n in zip(stops["t"], stops["tail"], stops["cards_in_use"],
                                      strict=True)
            ],
        )  # fmt: skip
    gaps = pd.concat([paid, unreadable, stops], ignore_index=True)
    columns = list(ACCOUNT_GAPS.column_names)
    if gaps.empty:
        return pd.DataFrame(columns=columns)
    return gaps[columns].sort_values(
        ["gap", "account", "source_file", "source_row"], kind="stable", na_position="first"
    )


def _when(epoch: float | None, zone: ZoneInfo) -> str:
    """A message's time for a sentence: ISO 8601 in ``zone``, or that it is unknown."""
    if epoch is None or pd.isna(epoch):
        return "at an unknown time"
    return f"at {local_iso(int(epoch), zone)}"
