"""Per-defendant attribution: group, role, participation periods and the amount the law gives.

``attribute(findings)`` reads the case behind the findings and returns ``Attribution``:

- ``defendants``: one row per roster member (the contract's columns, then bands, counts,
  indicators and the rule used);
- ``defendant_victims``: which victims' payments make up each amount;
- ``roles_evidence``: the facts behind each role;
- ``stays``: each participation period with the rows that set its ends.

Roles come from behaviour (``graph/roles.py``) and amounts from one rule per role
(``graph/amounts.py``, DOMAIN.md §3): organisers the whole group's total; money mules what
the accounts they hold received from the victims; everyone else the group's payments, net of
the refunds answering them, whose day falls inside one of their stays (nothing for a member at
no den, such as a card supplier).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from linkage.engine import Engine, open_engine
from linkage.errors import ConfigError
from linkage.flow import Flows
from linkage.graph.acts import Acts, DialLists, find_acts, presence
from linkage.graph.amounts import AMOUNT_RULE, Amounts, per_victim, transfers_in
from linkage.graph.indicators import (
    amount_band,
    attempt_band,
    mule_indicator,
    overseas_days,
    principal,
)
from linkage.graph.management import management_acts
from linkage.graph.params import AttributionParams
from linkage.graph.roles import Role, assign_roles, listed
from linkage.graph.stays import DenFacts, find_stays
from linkage.load.case import Case
from linkage.load.context import SourceSpec
from linkage.match.corroborate import Findings
from linkage.memory import release_freed_arrow_memory
from linkage.normalize.time import epoch_seconds
from linkage.rejects import RejectReason
from linkage.schema import (
    ATTRIBUTION_GAPS,
    DEFENDANT_VICTIMS,
    DEFENDANTS,
    ROLES_EVIDENCE,
    STAYS,
    arrow_to_frame,
)

__all__ = ["FIRST_ACT_BASIS", "LAST_ACT_BASIS", "Attribution", "attribute"]

FIRST_ACT_BASIS = "first call or chat at the den in this stay"
LAST_ACT_BASIS = "last call or chat at the den in this stay"
"""The bases of a stay's ends the period rules ``first_act`` / ``last_act`` set. The end's
source columns still name the border record (or the seizure) the stay was found from."""


@dataclass(frozen=True)
class Attribution:
    """Defendants, the victims behind each amount, the evidence behind each role, the stays."""

    defendants: pd.DataFrame
    defendant_victims: pd.DataFrame
    roles_evidence: pd.DataFrame
    stays: pd.DataFrame
    gaps: pd.DataFrame
    """What the evidence leaves open: calls nobody can be given, acts outside every stay,
    border records that disagree."""
    params: AttributionParams

    def __repr__(self) -> str:
        roles = self.defendants["role"].value_counts().to_dict()
        shown = ", ".join(f"{k} {v}" for k, v in sorted(roles.items()))
        return f"<Attribution: {len(self.defendants)} defendants ({shown})>"

    def _repr_html_(self) -> str:
        columns = ["person_id", "name", "group_id", "role", "period_start", "period_end",
                   "amount_fen", "victim_count", "call_count", "band"]  # fmt: skip
        table: str = self.defendants[columns].to_html(index=False)
        return f"<p>{self.__repr__()[1:-1]}</p>" + table


def attribute(
    findings: Findings,
    params: AttributionParams | None = None,
    engine: str | Engine = "duckdb",
    flows: Flows | None = None,
) -> Attribution:
    """Attribute the findings' victims and calls to the case's suspects.

    Parameters
    ----------
    findings
        What ``corroborate`` found (it carries its case).
    params
        Period rule, bands and thresholds; default: case.toml's ``[attribution]``.
    engine
        Where the forwarded-chain query runs: ``"duckdb"``, ``"spark"`` or an ``Engine``.
    flows
        ``trace(findings)`` of these same findings, if already done (nothing checks that it
        is): money mules' amounts follow its hops when it was
        traced first in, first out with the default tolerance and depth (``linkage.run``
        traces once for both); otherwise they are traced here.
    """
    case = findings.case
    params = params or AttributionParams.from_toml(case.config.attribution)
    runner = open_engine(engine) if isinstance(engine, str) else engine
    try:
        return _attribute(findings, params, runner, flows)
    finally:
        if isinstance(engine, str):
            runner.close()
        release_freed_arrow_memory()


def _attribute(
    findings: Findings, params: AttributionParams, engine: Engine, flows: Flows | None
) -> Attribution:
    case = findings.case
    persons = case.tables["persons"].drop_duplicates("person_id").reset_index(drop=True)
    case_zone = ZoneInfo(case.config.timezone)
    dens = _den_facts(findings)
    held = _held_accounts(findings, persons)
    person_groups = _person_groups(persons, dens, held, findings)
    dial = DialLists.of(case.calls, dens.zone_of)
    seen = presence(dial, case.tables["messages"], persons)
    stays = find_stays(persons, case.tables["travel"], person_groups, dens, case_zone, seen)
    acts = find_acts(
        dial,
        case.tables["messages"],
        case.transactions,
        persons,
        stays,
        dens.zone_of,
        engine,
        params.forward_slack_s,
    )
    stays = _apply_period_rule(stays, acts.act_times, params, dens, case_zone)
    management = management_acts(case.tables["messages"], persons, findings.group_identifiers)
    calls = acts.call_counts.groupby("person_id")["calls"].sum().to_dict()
    roles, evidence = assign_roles(
        persons, acts.positions, held, management, stays, calls, params.organiser_directives
    )
    amounts = Amounts.of(findings, params, dens, held, flows)
    rows: list[dict[str, object]] = []
    behind: list[pa.Table] = []  # Arrow per defendant: as objects, 1M rows doubled the memory
    role_of = roles.set_index("person_id")
    stays_of = {key: part for key, part in stays.groupby("person_id", sort=False)}
    no_stays = stays.iloc[0:0]
    for person in persons.itertuples(index=False):
        role = role_of.loc[person.person_id]
        mine = stays_of.get(person.person_id, no_stays)
        group = person_groups.get(person.person_id)
        counted = amounts.counted(person.person_id, Role(role["role"]), group, mine)
        behind.append(DEFENDANT_VICTIMS.to_arrow(per_victim(counted, person.person_id)))
        rows.append(_defendant_row(person, group, role, mine, counted, acts, params, dens))
    defendants = pd.DataFrame(rows)
    victims_behind = (
        pa.concat_tables(behind) if behind else DEFENDANT_VICTIMS.arrow_schema().empty_table()
    )
    gaps = _gaps(acts, stays, dens, case_zone, params.forward_slack_s, roles, persons)
    gaps = pd.concat([gaps, after_seizure_gaps(findings.case)], ignore_index=True)
    return Attribution(
        defendants=DEFENDANTS.conform(defendants),
        gaps=ATTRIBUTION_GAPS.conform(gaps),
        defendant_victims=arrow_to_frame(victims_behind),
        roles_evidence=ROLES_EVIDENCE.conform(evidence),
        stays=STAYS.conform(_stay_output(stays)),
        params=params,
    )


def _den_facts(findings: Findings) -> DenFacts:
    case = findings.case
    identifiers = findings.group_identifiers
    located = identifiers.dropna(subset=["den", "group_id"])
    group_of = dict(zip(located["den"], located["group_id"], strict=True))
    zone_of = _den_zones(case.config.sources, case.config.timezone)
    active: dict[str, tuple[int, int]] = {}
    for table, column in ((case.calls, "started_at"), (case.tables["messages"], "sent_at")):
        arrow = pa.Table.from_pandas(table[["den", column, "origin"]], preserve_index=False)
        seized = arrow.filter(
            pc.and_(pc.equal(arrow.column("origin"), "seized"), pc.is_valid(arrow.column("den")))
        )
        seconds = epoch_seconds(seized.column(column))
        spans = pa.table({"den": seized.column("den"), "t": seconds}).group_by("den")
        for row in spans.aggregate([("t", "min"), ("t", "max")]).to_pylist():
            first, last = row["t_min"], row["t_max"]
            old = active.get(str(row["den"]), (first, last))
            active[str(row["den"])] = (min(first, old[0]), max(last, old[1]))
    for den in set(group_of) | set(active):
        zone_of.setdefault(den, ZoneInfo(case.config.timezone))
    return DenFacts(group_of, zone_of, active, case.config.seized_at)


def _den_zones(sources: Sequence[SourceSpec], case_zone: str) -> dict[str, ZoneInfo]:
    """Each den's clock: the zone its sources name (they must agree), else the case's.

    A Skype database stores UTC and names no zone; the den's dial list and ledger do. Two
    different zones for one den would put its calls and its payments on different days.
    """
    named: dict[str, set[str]] = {}
    for source in sources:
        if source.den:
            named.setdefault(source.den, set())
            if source.timezone:
                named[source.den].add(source.timezone)
    zones = {}
    for den, found in named.items():
        if len(found) > 1:
            raise ConfigError(f"case.toml: den {den!r} has sources in zones {sorted(found)}")
        zones[den] = ZoneInfo(found.pop() if found else case_zone)
    return zones


def _held_accounts(findings: Findings, persons: pd.DataFrame) -> pd.DataFrame:
    """Group accounts whose bank record names a suspect as holder (``how`` = ``holder``) or
    carries their phone (``phone``): who holds which card.

    A seeded card is ``designated`` (the collecting layer): one a seized ledger, chat or
    case.toml names, a den member's, or the card of a member at no den that a victim's
    transfer reached. Every other group account is a ``mule`` layer: grown through the
    returns, or the card of a member at no den that only the group's own accounts paid (the
    rule in ``leads_sql`` too). An identifier seen by several rules is collecting if any says so.
    """
    accounts = findings.case.tables["accounts"]
    group = findings.group_identifiers
    group = group[(group["kind"] == "account") & group["group_id"].notna()]
    links = findings.links
    collected = set(links.loc[links["kind"] == "transfer", "counterpart"])
    relayed_only = (
        (group["rule"] == "held_by_member")
        & group["den"].isna()
        & ~group["identifier"].isin(collected)
    )
    collecting = (group["seed"].astype(bool) & ~relayed_only).groupby(group["identifier"])
    group = group.assign(collecting=collecting.transform("any"))
    layer = group.assign(layer=group["collecting"].map({True: "designated", False: "mule"}))
    layer = layer.drop_duplicates("identifier")[["identifier", "group_id", "layer"]]
    on_file = accounts[["account", "holder_id", "phone", "source_file", "source_row"]]
    on_file = on_file[on_file["account"].notna()]
    phones = persons[["person_id", "phones"]].explode("phones").dropna()
    by_phone = on_file.merge(phones, left_on="phone", right_on="phones").assign(how="phone")
    by_holder = on_file.merge(persons[["person_id"]], left_on="holder_id", right_on="person_id")
    held = pd.concat([by_holder.assign(how="holder"), by_phone], ignore_index=True)
    held = held.merge(layer, left_on="account", right_on="identifier")
    held = held.drop_duplicates(["person_id", "account"])  # a holder before a phone on file
    return held[["person_id", "account", "group_id", "layer", "how", "source_file",
                 "source_row"]]  # fmt: skip


def _person_groups(
    persons: pd.DataFrame, dens: DenFacts, held: pd.DataFrame, findings: Findings
) -> dict[str, str]:
    """Each suspect's group: by the roster's den, else by the group accounts they hold, else
    by a handle the group's chats show. A name never places anyone."""
    groups: dict[str, str] = {}
    handles = findings.group_identifiers
    handles = handles[(handles["kind"] == "handle") & handles["group_id"].notna()]
    group_of_handle = dict(zip(handles["identifier"], handles["group_id"], strict=True))
    held_groups = held.groupby("person_id")["group_id"].agg(lambda g: sorted(set(g)))
    for person in persons.itertuples(index=False):
        den = person.den if isinstance(person.den, str) else None
        if den and den in dens.group_of:
            groups[person.person_id] = dens.group_of[den]
        elif person.person_id in held_groups.index and len(held_groups[person.person_id]) == 1:
            groups[person.person_id] = held_groups[person.person_id][0]
        else:
            listed_handles = listed(person.skype) + listed(person.wechat) + listed(person.qq)
            shown = {group_of_handle[h] for h in listed_handles if h in group_of_handle}
            if len(shown) == 1:
                groups[person.person_id] = shown.pop()
    return groups


def _apply_period_rule(
    stays: pd.DataFrame,
    act_times: pd.DataFrame,
    params: AttributionParams,
    dens: DenFacts,
    case_zone: ZoneInfo,
) -> pd.DataFrame:
    """Move each stay's ends to the member's first / last act in it, when the rule says so.

    Under such a rule a stay in which the member did nothing at the den is no period.
    """
    stays = stays.assign(period_rule=f"start={params.period_start}; end={params.period_end}")
    if params.period_start == "entry" and params.period_end == "exit":
        return stays
    acts_of = {key: part for key, part in act_times.groupby(["person_id", "den"], sort=False)}
    out = stays.copy()
    idle = []
    for index, stay in stays.iterrows():
        mine = acts_of.get((stay["person_id"], stay["den"]))
        inside = None
        if mine is not None:
            inside = mine[
                (mine["last_t"] >= stay["start_at"]) & (mine["first_t"] <= stay["end_at"])
            ]
        if inside is None or inside.empty:
            idle.append(index)
            continue
        zone = dens.zone(str(stay["den"]), case_zone)
        if params.period_start == "first_act":
            first = max(int(inside["first_t"].min()), int(stay["start_at"]))
            out.loc[index, "start_day"] = _local_day(first, zone)
            out.loc[index, "start_basis"] = FIRST_ACT_BASIS
        if params.period_end == "last_act":
            last = min(int(inside["last_t"].max()), int(stay["end_at"]))
            out.loc[index, "end_day"] = _local_day(last, zone)
            out.loc[index, "end_basis"] = LAST_ACT_BASIS
    return out.drop(index=idle)


def _gaps(
    acts: Acts,
    stays: pd.DataFrame,
    dens: DenFacts,
    case_zone: ZoneInfo,
    slack_s: int,
    roles: pd.DataFrame,
    persons: pd.DataFrame,
) -> pd.DataFrame:
    """One row per open question the attribution could not settle from the evidence."""
    rows: list[dict[str, object]] = []
    for slot in acts.unowned.itertuples(index=False):
        zone = dens.zone(str(slot.den), case_zone)
        rows.append(
            {
                "person_id": None,
                "den": slot.den,
                "gap": "calls nobody can be given",
                "count": int(slot.calls),
                "detail": f"extension {slot.extension}, {_local_day(int(slot.first_t), zone)}.."
                f"{_local_day(int(slot.last_t), zone)}: no roster member (or several) listing it "
                "was at the den those days",
            }
        )
    spans = {key: part for key, part in stays.groupby(["person_id", "den"], sort=False)}
    for (person_id, den), mine in acts.act_times.groupby(["person_id", "den"], sort=True):
        covered = spans.get((person_id, den))
        outside = mine
        if covered is not None:
            for stay in covered.itertuples(index=False):
                outside = outside[
                    (outside["last_t"] < stay.start_at - 86_400)
                    | (outside["first_t"] > stay.end_at + 86_400)
                ]
        if len(outside):
            zone = dens.zone(str(den), case_zone)
            rows.append(
                {
                    "person_id": person_id,
                    "den": den,
                    "gap": "acts outside every stay",
                    "count": len(outside),
                    "detail": f"calls or chats {_local_day(int(outside['first_t'].min()), zone)}"
                    f"..{_local_day(int(outside['last_t'].max()), zone)} with no border "
                    "record placing them there",
                }
            )
    for den, late in acts.late_forwards.groupby("den", sort=True):
        shown = "; ".join(
            f"{f.source_file} row {f.source_row} forwards to {f.forwarded_to}, whose leg "
            f"({f.late_file} row {f.late_row}) began {int(f.late_s)} s after it ended"
            for f in late.head(5).itertuples(index=False)
        )
        more = f"; and {len(late) - 5} more" if len(late) > 5 else ""
        rows.append(
            {
                "person_id": None,
                "den": den,
                "gap": "forwarded chains broken by a late leg",
                "count": len(late),
                "detail": f"{shown}{more}: beyond the slack of {slack_s} s, so the later legs "
                "take no position from these",
            }
        )
    for stay in stays[stays["conflict"].notna()].itertuples(index=False):
        rows.append(
            {
                "person_id": stay.person_id,
                "den": stay.den,
                "gap": "border records disagree",
                "count": 1,
                "detail": str(stay.conflict),
            }
        )
    disagreeing = roles[roles["roster_agrees"].eq(False).fillna(False).astype(bool)]
    for person in disagreeing.itertuples(index=False):
        rows.append(
            {
                "person_id": person.person_id,
                "den": None,
                "gap": "behaviour and roster note disagree",
                "count": 1,
                "detail": f"the roster notes {person.role_noted}; the role followed what they "
                f"did: {person.role} ({person.role_basis})",
            }
        )
    for person in persons[persons["name"].isna()].itertuples(index=False):
        rows.append(
            {
                "person_id": person.person_id,
                "den": None,
                "gap": "no name on the roster",
                "count": 1,
                "detail": f"{person.source_file} row {person.source_row}: 姓名 is empty or a "
                "formula with no saved value; the defendant is known by the ID number only",
            }
        )
    return pd.DataFrame(rows, columns=["person_id", "den", "gap", "count", "detail"])


def after_seizure_gaps(case: Case) -> pd.DataFrame:
    """One gap row per table holding seized rows stamped after the seizure: the integrity
    appraisal has to explain them (``load/integrity.py``)."""
    late = case.rejects[case.rejects["reason"] == str(RejectReason.AFTER_SEIZURE)]
    why = (
        "left out (rejects.csv, reason after_seizure): a device clock set wrong, or records "
        "made after the seizure; the integrity appraisal has to account for them"
    )
    rows = [
        {
            "person_id": None,
            "den": None,
            "gap": "seized evidence stamped after the seizure",
            "count": len(part),
            "detail": f"{len(part)} {table} rows in {_listed(part['source_file'])} {why}",
        }
        for table, part in late.groupby("kind", sort=True)
    ]
    return pd.DataFrame(rows, columns=["person_id", "den", "gap", "count", "detail"])


def _listed(files: pd.Series) -> str:
    return ", ".join(sorted(files.unique()))


def _local_day(epoch: int, zone: ZoneInfo) -> dt.date:
    return dt.datetime.fromtimestamp(epoch, dt.UTC).astimezone(zone).date()


def _defendant_row(
    person: Any,
    group: str | None,
    role: pd.Series,
    stays: pd.DataFrame,
    counted: pd.DataFrame,
    acts: Acts,
    params: AttributionParams,
    dens: DenFacts,
) -> dict[str, object]:
    person_id = person.person_id
    calls = acts.call_counts
    messages = acts.messages
    call_count = int(calls.loc[calls["person_id"] == person_id, "calls"].sum())
    message_count = int(messages.loc[messages["person_id"] == person_id, "messages"].sum())
    amount = int(counted["net"].sum()) if len(counted) else 0
    band, near = amount_band(amount, params)
    days = overseas_days(stays)
    tenure = sum((s.end_day - s.start_day).days + 1 for s in stays.itertuples(index=False))
    stay_dens = list(dict.fromkeys(stays["den"]))
    suggested, reasons = principal(
        str(role["role"]), role["subrole"], len(stay_dens), tenure, call_count, band, params
    )
    return {
        "person_id": person_id,
        "name": person.name,
        "group_id": group,
        "role": role["role"],
        "period_start": min(stays["start_day"]).isoformat() if len(stays) else None,
        "period_end": max(stays["end_day"]).isoformat() if len(stays) else None,
        "amount_fen": amount,
        "victim_count": int(counted["victim_id"].nunique()) if len(counted) else 0,
        "call_count": call_count,
        "message_count": message_count,
        "gross_fen": int(counted["gross"].sum()) if len(counted) else 0,
        "refund_fen": int(counted["refund"].sum()) if len(counted) else 0,
        "band": band,
        "near_next_band": near,
        "attempt_band": attempt_band(call_count, message_count, params),
        "overseas_days": days,
        "periods": ";".join(
            f"{s.den}:{s.start_day}..{s.end_day}" for s in stays.itertuples(index=False)
        ),
        "dens": ";".join(stay_dens),
        "subrole": role["subrole"],
        "role_noted": role["role_noted"],
        "roster_agrees": None if pd.isna(role["roster_agrees"]) else bool(role["roster_agrees"]),
        "role_basis": role["role_basis"],
        "principal_suggested": suggested,
        "principal_reasons": reasons,
        "mule_indicator": mule_indicator(amount, transfers_in(counted), params)
        if role["role"] == "money_mule"
        else None,
        "period_rule": f"start={params.period_start}; end={params.period_end}",
        "amount_rule": str(AMOUNT_RULE[Role(role["role"])]),
        "source_file": person.source_file,
        "source_row": person.source_row,
    }


def _stay_output(stays: pd.DataFrame) -> pd.DataFrame:
    out = stays.drop(columns=["start_at", "end_at"])
    out["start_day"] = out["start_day"].map(lambda d: d.isoformat())
    out["end_day"] = out["end_day"].map(lambda d: d.isoformat())
    return out
