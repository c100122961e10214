"""What the law attributes to each defendant: one amount rule per role (DOMAIN.md §3).

``AMOUNT_RULE`` is the table, keyed by role, a court may be asked to review:

- organisers answer for their group's whole amount (检例67: ringleaders, any period);
- money mules for what the accounts they hold received from the victims, counted once as it
  enters them (the account-received rule of 掩饰、隐瞒犯罪所得);
- everyone else for the group's payments inside their stays at its dens (the participation-
  period rule): callers of every line, den staff such as a technician, and anyone whose role
  is unknown. A member at no den (a card supplier) has no stay, so nothing.

A payment counts net of the refunds that answer it; a mule's is counted gross, as it entered.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

import numpy as np
import pandas as pd

from linkage.flow import Flows, trace
from linkage.graph.params import AttributionParams
from linkage.graph.roles import Role, held_as_mule
from linkage.graph.stays import DenFacts
from linkage.match.corroborate import Findings
from linkage.normalize.time import epoch_seconds_of
from linkage.schema import DEFENDANT_VICTIMS

__all__ = ["AMOUNT_RULE", "AmountRule", "Amounts", "per_victim", "transfers_in"]


class AmountRule(StrEnum):
    """How a defendant's amount is made up."""

    GROUP_TOTAL = "group_total"
    """Every counted payment to the group."""
    ACCOUNT_RECEIVED = "account_received"
    """The victims' money entering the accounts the person holds."""
    PERIOD = "period"
    """The group's payments whose day falls inside one of the person's stays."""


AMOUNT_RULE: Mapping[Role, AmountRule] = MappingProxyType(
    {
        Role.ORGANISER: AmountRule.GROUP_TOTAL,
        Role.FIRST_LINE: AmountRule.PERIOD,
        Role.SECOND_LINE: AmountRule.PERIOD,
        Role.THIRD_LINE: AmountRule.PERIOD,
        Role.MONEY_MULE: AmountRule.ACCOUNT_RECEIVED,
        Role.SUPPORT: AmountRule.PERIOD,
        Role.UNKNOWN: AmountRule.PERIOD,
    }
)
"""The amount rule of each role."""


@dataclass(frozen=True)
class Amounts:
    """The case's counted payments, ready to be attributed person by person."""

    payments: pd.DataFrame
    """victim_id, group_id, at, group_account, gross, refund, net, evidence_source_file,
    evidence_source_row: each counted victim payment, net of the refunds answering it."""
    days_at: dict[str, np.ndarray]
    """Each payment's day (days since 1970-01-01) in each den's zone."""
    pieces: pd.DataFrame
    """Counted victims' money entering accounts that suspects hold (traced hops)."""
    received_by: dict[str, set[str]]
    """The accounts whose receipts make each money mule's amount."""
    in_group: dict[str, np.ndarray]
    """Which payments are each group's."""

    @classmethod
    def of(
        cls,
        findings: Findings,
        params: AttributionParams,
        dens: DenFacts,
        held: pd.DataFrame,
        flows: Flows | None,
    ) -> Amounts:
        payments = _net_payments(findings, params)
        pieces = _pieces_into_held(findings, held, set(payments["victim_id"]), flows)
        holding = held[held_as_mule(held)]
        received_by = holding.groupby("person_id")["account"].agg(set).to_dict()
        groups = payments["group_id"].to_numpy(dtype=object)
        in_group = {str(g): groups == g for g in pd.unique(groups) if isinstance(g, str)}
        return cls(payments, _payment_days(payments, dens), pieces, received_by, in_group)

    def counted(
        self, person_id: str, role: Role, group: str | None, stays: pd.DataFrame
    ) -> pd.DataFrame:
        """The payments the law attributes to one person under their role's rule, with why
        each counts."""
        rule = AMOUNT_RULE[role]
        if rule == AmountRule.ACCOUNT_RECEIVED:
            return self._received(self.received_by.get(person_id, set()))
        in_group = self.in_group.get(group) if group else None
        if in_group is None:
            return self.payments.iloc[0:0].assign(basis=pd.Series(dtype=object))
        if rule == AmountRule.GROUP_TOTAL:
            chosen = np.flatnonzero(in_group)
            return self.payments.iloc[chosen].assign(basis="organiser: the group's whole amount")
        inside = np.zeros(len(self.payments), dtype=bool)
        basis = np.empty(len(self.payments), dtype=object)
        for stay in stays.itertuples(index=False):
            days = self.days_at[stay.den]
            first, last = _day_number(stay.start_day), _day_number(stay.end_day)
            hit = in_group & (days >= first) & (days <= last) & ~inside
            basis[hit] = f"inside the stay at {stay.den} {stay.start_day}..{stay.end_day}"
            inside |= hit
        chosen = np.flatnonzero(inside)
        return self.payments.iloc[chosen].assign(basis=basis[chosen])

    def _received(self, mine: set[str]) -> pd.DataFrame:
        """Victims' money entering a mule's accounts from accounts they do not hold, once."""
        pieces = self.pieces
        entering = pieces[pieces["to_account"].isin(mine) & ~pieces["from_account"].isin(mine)]
        return pd.DataFrame(
            {
                "victim_id": entering["victim_id"],
                "group_id": None,
                "at": pd.to_datetime(entering["t"], unit="s", utc=True),
                "group_account": entering["to_account"],
                "gross": entering["amount_fen"],
                "refund": 0,
                "net": entering["amount_fen"],
                "evidence_source_file": entering["source_file"],
                "evidence_source_row": entering["source_row"],
                "basis": "traced (FIFO) into an account they hold, from "
                + entering["from_account"],
            }
        )


def _net_payments(findings: Findings, params: AttributionParams) -> pd.DataFrame:
    """The counted victims' payments, each net of the refunds that answer it.

    A refund answers the victim's latest payment at or before it (money paid back on that
    transfer); a 返利 sent before any payment answers the first payment after it. A refund
    larger than what it answers spills over to the payments before, then after, so no net is
    ever negative and the nets add up to the victim's loss. Refunds after the seizure are
    deducted only when the matching rules deduct them (``refunds_before_seizure``).
    """
    victims = findings.victims
    counted = victims["verdict"] != "unlinked"
    if not params.count_linked:
        counted &= victims["verdict"] == "corroborated"
    if not params.count_discovered:
        counted &= victims["reported"].astype(bool)
    keep = set(victims.loc[counted, "victim_id"])
    transfers = findings.transfers[findings.transfers["victim_id"].isin(keep)].copy()
    transfers["gross"] = transfers["amount_fen"].astype("int64") * transfers["times"].astype(
        "int64"
    )
    payments = transfers[transfers["flow"] == "payment"].sort_values(["victim_id", "at"])
    refunds = transfers[transfers["flow"] == "refund"]
    seized = findings.case.config.seized_at
    if seized is not None and findings.params.refunds_before_seizure:
        refunds = refunds[refunds["at"] < pd.Timestamp(seized)]
    deducted = _deductions(payments, refunds)
    payments = payments.assign(refund=[deducted.get(i, 0) for i in payments.index])
    payments = payments.reset_index(drop=True)
    payments["net"] = payments["gross"] - payments["refund"]
    return payments[["victim_id", "group_id", "at", "group_account", "gross", "refund", "net",
                     "evidence_source_file", "evidence_source_row"]]  # fmt: skip


def _deductions(payments: pd.DataFrame, refunds: pd.DataFrame) -> dict[object, int]:
    """Fen deducted from each payment (by index) for the refunds that answer it."""
    deducted: dict[object, int] = {}
    refunded = payments[payments["victim_id"].isin(set(refunds["victim_id"]))]
    mine = {key: part for key, part in refunded.groupby("victim_id", sort=False)}
    for refund in refunds.sort_values(["victim_id", "at"]).itertuples(index=False):
        theirs = mine.get(refund.victim_id)
        if theirs is None:
            continue
        before = theirs[theirs["at"] <= refund.at].index[::-1].tolist()
        after = theirs[theirs["at"] > refund.at].index.tolist()
        left = int(refund.gross)
        for index in before + after:
            room = int(theirs.at[index, "gross"]) - deducted.get(index, 0)
            take = min(room, left)
            deducted[index] = deducted.get(index, 0) + take
            left -= take
            if left == 0:
                break
    return deducted


def _payment_days(payments: pd.DataFrame, dens: DenFacts) -> dict[str, np.ndarray]:
    """Each payment's calendar day in each den's zone, as days since 1970-01-01 (the period
    rule compares those with the stays' days)."""
    days = {}
    for den, zone in dens.zone_of.items():
        local = payments["at"].dt.tz_convert(str(zone)).dt.tz_localize(None).dt.normalize()
        days[den] = ((local - pd.Timestamp(0)) // pd.Timedelta(days=1)).to_numpy(dtype=np.int64)
    return days


def _day_number(day: dt.date) -> int:
    return (day - dt.date(1970, 1, 1)).days


def per_victim(counted: pd.DataFrame, person_id: str) -> pd.DataFrame:
    """One defendant's counted payments summed per victim: which victims make the total."""
    if counted.empty:
        return pd.DataFrame(columns=list(DEFENDANT_VICTIMS.column_names))
    # one grouping, each aggregate by its own method: a dict of named aggregates took ten
    # times as long, and this runs once per defendant (every organiser over every payment)
    by_victim = counted.groupby("victim_id", sort=True)
    firsts = by_victim[["group_id", "basis", "evidence_source_file", "evidence_source_row"]]
    firsts = firsts.first()
    sums = by_victim[["gross", "refund", "net"]].sum()
    grouped = pd.DataFrame(
        {
            "group_id": firsts["group_id"],
            "payments": by_victim.size(),
            "first_at": by_victim["at"].min(),
            "last_at": by_victim["at"].max(),
            "gross_fen": sums["gross"],
            "refund_fen": sums["refund"],
            "net_fen": sums["net"],
            "basis": firsts["basis"],
            "evidence_source_file": firsts["evidence_source_file"],
            "evidence_source_row": firsts["evidence_source_row"],
        }
    )
    return grouped.reset_index().assign(person_id=person_id)


def _pieces_into_held(
    findings: Findings, held: pd.DataFrame, counted_victims: set[str], flows: Flows | None
) -> pd.DataFrame:
    """Counted victims' money entering accounts that suspects hold, traced first in, first
    out through the returned statements of the group's accounts (``linkage.flow``)."""
    columns = ["to_account", "from_account", "victim_id", "amount_fen", "t", "source_file",
               "source_row"]  # fmt: skip
    if held.empty:
        return pd.DataFrame(columns=columns)
    if flows is None or not flows.is_default_fifo():
        flows = trace(findings, rule="fifo")
    hops = flows.hops
    hops = hops[hops["victim_id"].isin(counted_victims) & hops["to_account"].isin(held["account"])]
    return hops.assign(t=epoch_seconds_of(hops["at"]))[columns]


def transfers_in(counted: pd.DataFrame) -> int:
    """Distinct transfers (statement rows) behind a money mule's amount."""
    if counted.empty:
        return 0
    rows = counted[["evidence_source_file", "evidence_source_row"]].drop_duplicates()
    return len(rows)
