"""Which group an account held by a member at no den served, as the money says.

The roster places a mule caught at home at no den, so nothing seized with a den ties their
accounts to a group. Two kinds of payment do: the victims whose calls and chats tie them to a
group paid it (a first-layer card), or the group's own accounts passed money on to it (a
second- or third-layer card). Victims vote first; an account no victim paid is then placed by
the group accounts that paid it, layer by layer, since a third-layer card is paid by a
second-layer card that is itself placed only once its own payers are. Each vote counts
distinct payers, and a tie between groups places the account nowhere: a court would ask why
one group and not the other.
"""

from __future__ import annotations

import pandas as pd

from linkage.engine import Engine
from linkage.match import rules

__all__ = ["placed_by_relays", "placed_by_victims"]


def placed_by_victims(engine: Engine, seed: pd.DataFrame) -> pd.DataFrame | None:
    """The seed with each unplaced member account given to the group whose victims paid it
    (``payer_groups_sql`` over the checked links); None when none moves."""
    unplaced = _unplaced(seed)
    if not unplaced.any():
        return None
    engine.create("victim_groups", rules.victim_groups_sql())
    votes = engine.query(rules.payer_groups_sql()).to_pandas()
    votes = votes.rename(columns={"victims": "payers"})
    votes = votes[votes["account"].isin(set(seed.loc[unplaced, "identifier"]))]
    return _place(seed, votes, "victim(s)")


def placed_by_relays(
    engine: Engine, seed: pd.DataFrame, identifiers: pd.DataFrame
) -> pd.DataFrame | None:
    """The seed with each unplaced member account given to the group whose accounts
    (``identifiers``: seeded and grown) paid it in the returned statements
    (``relayed_payments``); None when none moves. An account a victim's transfer reached
    (``checked_links``) is the victims' to place, even when their votes tied. Needs the
    tables account growth and the links made.

    An account placed here votes for the accounts it paid in turn, until none moves: the
    crew's second-layer cards place their third-layer cards without growing again between.
    """
    unplaced = set(seed.loc[_unplaced(seed), "identifier"])
    if not unplaced:
        return None
    relays = engine.query(rules.member_relays_sql()).to_pandas()
    accounts = identifiers[(identifiers["kind"] == "account") & identifiers["group_id"].notna()]
    groups = accounts[["identifier", "group_id"]].drop_duplicates()
    placed = seed
    while True:
        votes = (
            relays.merge(groups, left_on="payer", right_on="identifier")
            .groupby(["account", "group_id"], as_index=False)["payer"]
            .nunique()
            .rename(columns={"payer": "payers"})
        )
        moved = _place(placed, votes[votes["account"].isin(unplaced)], "group account(s)")
        if moved is None:
            return None if placed is seed else placed
        now = moved[moved["identifier"].isin(unplaced) & moved["group_id"].notna()]
        unplaced -= set(now["identifier"])
        groups = pd.concat([groups, now[["identifier", "group_id"]]], ignore_index=True)
        placed = moved


def _unplaced(seed: pd.DataFrame) -> pd.Series:
    return seed["group_id"].isna() & (seed["rule"] == "held_by_member")


def _place(seed: pd.DataFrame, votes: pd.DataFrame, payers: str) -> pd.DataFrame | None:
    """Each account in ``votes`` (account, group_id, payers: how many paid it from that group) given
    to the group with most payers, its basis saying so; None when no account has a winner."""
    placed: dict[str, tuple[str, int]] = {}
    for account, ballots in votes.groupby("account", sort=True):
        ranked = ballots.sort_values(["payers", "group_id"], ascending=[False, True])
        top = ranked["payers"].tolist()
        if len(top) == 1 or top[0] > top[1]:
            placed[str(account)] = (str(ranked["group_id"].iloc[0]), int(top[0]))
    if not placed:
        return None
    seed = seed.copy()
    unplaced = _unplaced(seed)
    for account, (group, count) in placed.items():
        row = unplaced & (seed["identifier"] == account)
        seed.loc[row, "group_id"] = group
        seed.loc[row, "basis"] += f"; paid by {count} {payers} of {group}"
    return seed
