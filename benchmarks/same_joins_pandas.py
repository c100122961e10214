"""The matching core as a straightforward pandas script: the work of ``same_joins.sql``, step
by step, with ``merge``, ``groupby`` and boolean masks.

``benchmarks/corroborate.py`` times it against the corroboration stage on the small case, and
``tests/match/test_same_joins.py`` checks that it reaches the rules' verdicts and losses. It is
written as an analyst fluent in pandas would write it: vectorised throughout, a Python loop only
over the handful of dens.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

GROWTH_LAYERS = 3
FIRST_ROW = ["source_file", "source_sheet", "source_row"]


def same_joins(tables: dict[str, pa.Table], bound: dict[str, Any]) -> pd.DataFrame:
    """``victim_key``, ``verdict``, ``kinds``, ``loss_fen`` of every linked victim, from
    linkage's prepared tables and the values its statements bind."""
    frames = {name: table.to_pandas() for name, table in tables.items()}
    calls, messages, transactions = frames["calls"], frames["messages"], frames["transactions"]
    victim_list, accounts = frames["victim_list"], frames["accounts"]

    seen = _seen(frames)
    den_group = _den_groups(seen, calls)
    located = seen.merge(den_group, on="den")
    phones = located[located["kind"] == "phone"].sort_values(["identifier", "group_id", "den"])
    group_phones = phones.drop_duplicates("identifier")[["identifier", "group_id", "den"]]

    victim_accounts = _victim_accounts(victim_list, accounts)
    group_accounts = _group_accounts(located, frames["known_accounts"], transactions,
                                     victim_accounts)  # fmt: skip
    discovered = _discovered(frames, victim_accounts, group_accounts, located)
    victim_ids = _victim_ids(victim_list, victim_accounts, discovered)

    links = _links(calls, messages, frames["body_tokens"], transactions, victim_ids, den_group,
                   group_phones, group_accounts)  # fmt: skip
    checked = _checked(links, bound)
    verdicts = _verdicts(checked)
    losses = _losses(checked, verdicts, bound)
    out = verdicts.merge(losses, on="victim_key", how="left")
    out["loss_fen"] = out["loss_fen"].fillna(0).astype("int64")
    out["verdict"] = np.where(out["agreeing_kinds"] >= 2, "corroborated", "linked")
    return out[["victim_key", "verdict", "kinds", "loss_fen"]]


def _seen(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """(identifier, kind, den) that each den's seized evidence shows."""
    calls, messages = frames["calls"], frames["messages"]
    transactions, persons = frames["transactions"], frames["person_identifiers"]
    dialled = calls[(calls["origin"] == "seized") & calls["den"].notna()
                    & calls["caller"].str.startswith("+", na=False)]  # fmt: skip
    chats = messages[(messages["origin"] == "seized") & messages["den"].notna()
                     & messages["sender"].notna()]  # fmt: skip
    ledgers = transactions[(transactions["origin"] == "seized") & transactions["den"].notna()
                           & transactions["account"].notna()
                           & (transactions["direction"] == "in")]  # fmt: skip
    parts = [
        dialled[["caller", "den"]].rename(columns={"caller": "identifier"}).assign(kind="phone"),
        persons[persons["den"].notna()].rename(columns={"value": "identifier"}),
        chats[["sender", "den"]].rename(columns={"sender": "identifier"}).assign(kind="handle"),
        ledgers[["account", "den"]].rename(columns={"account": "identifier"})
        .assign(kind="account"),
    ]  # fmt: skip
    return pd.concat([p[["identifier", "kind", "den"]] for p in parts]).drop_duplicates()


def _den_groups(seen: pd.DataFrame, calls: pd.DataFrame) -> pd.DataFrame:
    """Dens sharing an identifier are one group, numbered G1, G2, ... by their first call."""
    first_call = calls.dropna(subset=["den"]).groupby("den")["t"].min()
    dens = sorted(set(seen["den"]) | set(first_call.index))
    pairs = seen.merge(seen, on=["kind", "identifier"])[["den_x", "den_y"]].drop_duplicates()
    root = {den: den for den in dens}
    changed = True
    while changed:
        changed = False
        for a, b in pairs.itertuples(index=False):
            low = min(root[a], root[b])
            if root[a] != low or root[b] != low:
                root[a] = root[b] = low
                changed = True
    groups = pd.DataFrame({"den": dens, "root": [root[d] for d in dens]})
    groups["first_t"] = groups["den"].map(first_call)
    order = groups.groupby("root")["first_t"].min().reset_index()
    order = order.sort_values(["first_t", "root"], na_position="last").reset_index(drop=True)
    order["group_id"] = [f"G{number}" for number in range(1, len(order) + 1)]
    return groups.merge(order[["root", "group_id"]], on="root")[["den", "group_id"]]


def _victim_accounts(victim_list: pd.DataFrame, accounts: pd.DataFrame) -> pd.DataFrame:
    listed = victim_list[victim_list["kind"] == "account"].rename(columns={"value": "account"})
    ids = victim_list[victim_list["kind"] == "id"]
    held = ids.merge(accounts[accounts["account"].notna()], left_on="value",
                     right_on="holder_id")  # fmt: skip
    both = pd.concat([listed[["victim_key", "account"]], held[["victim_key", "account"]]])
    return both.drop_duplicates()


def _group_accounts(located: pd.DataFrame, known: pd.DataFrame, transactions: pd.DataFrame,
                    victim_accounts: pd.DataFrame) -> pd.DataFrame:  # fmt: skip
    """Seized and named accounts, then three layers of the returned statements."""
    seized = located[located["kind"] == "account"].rename(columns={"identifier": "account"})
    seed = pd.concat(
        [seized[["account", "group_id", "den"]], known.assign(group_id=None, den=None)]
    )
    seed = seed.sort_values(["account", "group_id", "den"], na_position="first")
    grown = seed.drop_duplicates("account")
    returned = transactions.loc[
        (transactions["origin"] == "bank") & transactions["account"].notna(), "account"
    ].unique()
    relayed = transactions.loc[
        (transactions["direction"] == "out") & (transactions["origin"] == "bank")
        & transactions["counterparty_account"].isin(returned)
        & ~transactions["counterparty_account"].isin(victim_accounts["account"]),
        ["account", "counterparty_account", "t", *FIRST_ROW],
    ]  # fmt: skip
    for _ in range(GROWTH_LAYERS):
        paid = relayed[~relayed["counterparty_account"].isin(grown["account"])].merge(
            grown, on="account"
        )
        paid = paid.sort_values(["t", *FIRST_ROW], na_position="first")
        layer = paid.drop_duplicates("counterparty_account")[
            ["counterparty_account", "group_id", "den"]
        ].rename(columns={"counterparty_account": "account"})
        grown = pd.concat([grown, layer], ignore_index=True)
    return grown


def _discovered(frames: dict[str, pd.DataFrame], victim_accounts: pd.DataFrame,
                group_accounts: pd.DataFrame, located: pd.DataFrame) -> pd.DataFrame:  # fmt: skip
    """People who answered a group call and paid a group account, tied by a bridge."""
    calls, transactions, accounts = frames["calls"], frames["transactions"], frames["accounts"]
    victim_phones = frames["victim_list"].loc[frames["victim_list"]["kind"] == "phone", "value"]
    on_record = accounts[accounts["account"].notna() & accounts["phone"].notna()].rename(
        columns={"holder_id": "id_number", "holder_name": "name"}
    )
    named = {"counterparty_account": "account", "counterparty_phone": "phone",
             "counterparty_id": "id_number", "counterparty_name": "name"}  # fmt: skip
    ledgers = transactions.loc[
        (transactions["origin"] == "seized") & transactions["counterparty_account"].notna()
        & transactions["counterparty_phone"].notna(),
        [*named, *FIRST_ROW],
    ].rename(columns=named)  # fmt: skip
    columns = ["account", "phone", "id_number", "name", *FIRST_ROW]
    bridges = pd.concat(
        [on_record[columns].assign(priority=1), ledgers[columns].assign(priority=2)]
    )
    called = calls.loc[
        (calls["origin"] == "seized") & calls["den"].notna()
        & calls["answered"].fillna(False).astype(bool)
        & calls["callee"].isin(bridges["phone"]) & ~calls["callee"].isin(victim_phones)
        & ~calls["callee"].isin(located.loc[located["kind"] == "phone", "identifier"]),
        "callee",
    ].unique()  # fmt: skip
    credits = transactions[(transactions["direction"] == "in")
                           & transactions["account"].isin(group_accounts["account"])]  # fmt: skip
    payers = credits.loc[
        credits["counterparty_account"].notna()
        & ~credits["counterparty_account"].isin(victim_accounts["account"])
        & ~credits["counterparty_account"].isin(group_accounts["account"]),
        "counterparty_account",
    ].unique()
    found = bridges[bridges["phone"].isin(called) & bridges["account"].isin(payers)]
    found = found.sort_values(["priority", *FIRST_ROW], na_position="first")
    found = found.drop_duplicates("account")
    return found.assign(victim_key=found["id_number"].fillna(found["phone"]))


def _victim_ids(victim_list: pd.DataFrame, victim_accounts: pd.DataFrame,
                discovered: pd.DataFrame) -> pd.DataFrame:  # fmt: skip
    names = discovered.dropna(subset=["name"]).groupby("victim_key", as_index=False)["name"].max()
    parts = [
        victim_list[["victim_key", "kind", "value"]],
        victim_accounts.rename(columns={"account": "value"}).assign(kind="account"),
        discovered[["victim_key", "account"]].rename(columns={"account": "value"})
        .assign(kind="account"),
        discovered[["victim_key", "phone"]].rename(columns={"phone": "value"}).assign(kind="phone"),
        discovered[["victim_key", "id_number"]].dropna().rename(columns={"id_number": "value"})
        .assign(kind="id"),
        names.rename(columns={"name": "value"}).assign(kind="name"),
    ]  # fmt: skip
    return pd.concat([p[["victim_key", "kind", "value"]] for p in parts]).drop_duplicates()


def _links(calls: pd.DataFrame, messages: pd.DataFrame, tokens: pd.DataFrame,
           transactions: pd.DataFrame, victim_ids: pd.DataFrame, den_group: pd.DataFrame,
           group_phones: pd.DataFrame, group_accounts: pd.DataFrame) -> pd.DataFrame:  # fmt: skip
    """Calls, chats, transfers and refunds, one per victim, kind and record."""
    phones = victim_ids[victim_ids["kind"] == "phone"][["victim_key", "value"]]
    seized = calls[calls["origin"] == "seized"]
    dialled = seized.merge(phones, left_on="callee", right_on="value").merge(den_group, on="den")
    others = calls[calls["origin"].notna() & (calls["origin"] != "seized")]
    carrier = others.merge(phones, left_on="own_number", right_on="value").merge(
        group_phones, left_on="other_number", right_on="identifier", suffixes=("_call", "")
    )
    named = victim_ids.merge(tokens, left_on="value", right_on="token")
    named = named[(named["kind"].isin(["id", "phone", "account"]) & (named["token_kind"] == "digits"))
                  | ((named["kind"] == "name") & (named["token_kind"] == "name"))]  # fmt: skip
    chats = messages[messages["origin"] == "seized"].merge(named, on="body_id")
    chats = chats.merge(den_group, on="den")
    chats = chats.assign(strength=np.where(chats["kind"] == "name", 2, 1))
    accounts = victim_ids[victim_ids["kind"] == "account"][["victim_key", "value"]]
    moving = transactions[transactions["direction"].isin(["in", "out"])]
    into_group = moving.merge(accounts, left_on="counterparty_account", right_on="value").merge(
        group_accounts, on="account", suffixes=("_record", "")
    )
    into_group = into_group.assign(
        link=np.where(into_group["direction"] == "in", "transfer", "refund"),
        victim_account=into_group["counterparty_account"], group_account=into_group["account"],
    )  # fmt: skip
    from_victim = moving.merge(accounts, left_on="account", right_on="value").merge(
        group_accounts.rename(columns={"account": "group_account"}),
        left_on="counterparty_account", right_on="group_account", suffixes=("_record", ""),
    )  # fmt: skip
    from_victim = from_victim.assign(
        link=np.where(from_victim["direction"] == "out", "transfer", "refund"),
        victim_account=from_victim["account"],
    )
    columns = ["victim_key", "link", "t", "t_span", "group_id", "den", "strength", *FIRST_ROW,
               "amount_fen", "victim_account", "group_account"]  # fmt: skip
    parts = [
        dialled.assign(link="call", t_span=0, strength=1),
        carrier.assign(link="call", t_span=0, strength=1),
        chats.assign(link="chat", t_span=0),
        into_group.assign(t_span=into_group["time_resolution_s"].fillna(0), strength=1),
        from_victim.assign(t_span=from_victim["time_resolution_s"].fillna(0), strength=1),
    ]
    found = pd.concat([p.reindex(columns=columns) for p in parts], ignore_index=True)
    found["amount_fen"] = found["amount_fen"].astype("Int64")
    links = found.groupby(["victim_key", "link", *FIRST_ROW], dropna=False, as_index=False).agg(
        t=("t", "min"), t_span=("t_span", "min"), group_id=("group_id", "min"),
        den=("den", "min"), strength=("strength", "min"), amount_fen=("amount_fen", "min"),
        victim_account=("victim_account", "min"), group_account=("group_account", "min"),
    )  # fmt: skip
    return links.assign(link_id=np.arange(len(links)))


def _checked(links: pd.DataFrame, bound: dict[str, Any]) -> pd.DataFrame:
    """Links with whether another kind agrees in time; a name alone, unsupported, dropped."""
    evidence = links[links["link"] != "refund"]
    pairs = evidence.merge(evidence, on="victim_key", suffixes=("", "_b"))
    same_group = (
        pairs["group_id"].isna()
        | pairs["group_id_b"].isna()
        | (pairs["group_id"] == pairs["group_id_b"])
    )
    supported = (pairs["strength"] == 1) | pairs["den_b"].isna() | (pairs["den_b"] == pairs["den"])
    gap = np.maximum.reduce([
        pairs["t_b"] - (pairs["t"] + pairs["t_span"]),
        pairs["t"] - (pairs["t_b"] + pairs["t_span_b"]),
        np.zeros(len(pairs)),
    ])  # fmt: skip
    chat = (pairs["link"] == "chat") | (pairs["link_b"] == "chat")
    window = np.where(chat, bound["chat_window_s"], bound["call_transfer_window_s"])
    agree = (pairs["link"] != pairs["link_b"]) & same_group & (pairs["strength_b"] == 1)
    agree &= supported & (gap <= window)
    checked = links.assign(agrees=links["link_id"].isin(pairs.loc[agree, "link_id"]))
    return checked[(checked["strength"] == 1) | checked["agrees"]]


def _verdicts(checked: pd.DataFrame) -> pd.DataFrame:
    """Each victim's group (most kinds, then most links), kinds and agreeing kinds."""
    usable = checked[checked["link"] != "refund"]
    per_group = usable.dropna(subset=["group_id"]).groupby(["victim_key", "group_id"]).agg(
        kinds=("link", "nunique"), links=("link", "size")
    ).reset_index()  # fmt: skip
    per_group = per_group.sort_values(["victim_key", "kinds", "links", "group_id"],
                                      ascending=[True, False, False, True])  # fmt: skip
    chosen = per_group.drop_duplicates("victim_key")[["victim_key", "group_id"]]
    usable = usable.merge(chosen, on="victim_key", how="left", suffixes=("", "_chosen"))
    usable = usable[usable["group_id"].isna() | (usable["group_id"] == usable["group_id_chosen"])]
    verdicts = usable.groupby("victim_key", as_index=False).agg(
        group_id=("group_id_chosen", "first"), kinds=("link", "nunique")
    )
    agreeing = usable[usable["agrees"]].groupby("victim_key")["link"].nunique()
    agreeing_kinds = verdicts["victim_key"].map(agreeing).fillna(0).astype("int64")
    return verdicts.assign(agreeing_kinds=agreeing_kinds)


def _losses(checked: pd.DataFrame, verdicts: pd.DataFrame, bound: dict[str, Any]) -> pd.DataFrame:
    """Payments minus refunds before the seizure; one transfer seen in several records counted
    as often as its fullest file lists it."""
    money = checked[checked["link"].isin(["transfer", "refund"])].merge(
        verdicts[["victim_key", "group_id"]], on="victim_key", suffixes=("", "_chosen")
    )
    money = money[money["group_id"].isna() | (money["group_id"] == money["group_id_chosen"])]
    money = money.assign(day=(money["t"] + bound["day_offset_s"]) // 86400)
    keys = ["victim_key", "link", "victim_account", "group_account", "amount_fen", "day"]
    per_file = money.groupby([*keys, "source_file"], as_index=False).agg(
        copies=("t", "size"), t=("t", "max")
    )
    transfers = per_file.groupby(keys, as_index=False).agg(times=("copies", "max"), t=("t", "max"))
    value = transfers["amount_fen"].astype("int64") * transfers["times"]
    refunded = (transfers["link"] == "refund") & (transfers["t"] < bound["refund_cutoff_s"])
    signed = np.where(transfers["link"] == "transfer", value, np.where(refunded, -value, 0))
    return transfers.assign(loss_fen=signed).groupby("victim_key", as_index=False)["loss_fen"].sum()
