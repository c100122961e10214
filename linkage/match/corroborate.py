"""Corroborate every victim: group identifiers, links, agreement in time, verdicts and losses.

``corroborate(case)`` runs the rules of ``match/rules.py`` on an engine, stage by stage:

1. the group's identifiers seized at each den, and the groups (dens joined by a shared
   identifier: a den's chat sender who is on another den's roster, an account two dens'
   ledgers collect into);
2. the group's accounts grown through the bank returns (``account_growth_hops`` layers);
3. victims: the reported list, plus people found by collision (answered a group call and paid a
   group account, tied together by a bank's account record or a den ledger);
4. links: calls, chats and transfers (and refunds), each with the rows of both sides;
5. agreement in time, the group of each victim, verdicts, losses and what is missing.

The result is plain tables (``Findings``); nothing here writes a file.
"""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from linkage.engine import Engine, open_engine
from linkage.errors import RuleError
from linkage.load.case import Case
from linkage.match import rules
from linkage.match.account_gaps import gaps_about_accounts
from linkage.match.gaps import EvidenceAtHand, Gap, identifiers_by_victim, victim_gaps
from linkage.match.groups import den_groups
from linkage.match.params import MatchParams
from linkage.match.placement import placed_by_relays, placed_by_victims
from linkage.match.prepare import prepare
from linkage.match.validity import Periods, designation_periods, outside_periods
from linkage.memory import release_freed_arrow_memory
from linkage.normalize.time import local_iso
from linkage.progress import bar as progress_bar
from linkage.schema import (
    ACCOUNT_GAPS,
    FINDING_VICTIMS,
    GROUP_IDENTIFIERS,
    LEADS,
    LINKS,
    VICTIM_GAPS,
    VICTIM_TRANSFERS,
)

__all__ = ["Findings", "corroborate"]

STAGES = ("identifiers", "accounts", "victims", "links", "verdicts")


@dataclass(frozen=True)
class Findings:
    """What corroboration found, as tables with canonical columns (``linkage.schema``)."""

    victims: pd.DataFrame
    links: pd.DataFrame
    group_identifiers: pd.DataFrame
    leads: pd.DataFrame
    params: MatchParams
    transfers: pd.DataFrame
    """Each linked victim's payments and refunds, one row per transfer (what losses sum)."""
    case: Case = field(repr=False, compare=False)
    """The case the findings come from: later stages (attribution, tracing) read its tables."""
    account_gaps: pd.DataFrame = field(default_factory=ACCOUNT_GAPS.empty)
    """Accounts victims paid that no rule made the group's, unreadable card numbers, stops
    that name no card."""
    victim_gaps: pd.DataFrame = field(default_factory=VICTIM_GAPS.empty)
    """Each sentence of a victim's ``missing``, one row each, with the identifiers it is
    about: what ``linkage.further`` turns into requests."""

    def summary(self) -> pd.DataFrame:
        """Victims by group, verdict and reported flag, with their losses."""
        table = self.victims.assign(group_id=self.victims["group_id"].fillna(""))
        return (
            table.groupby(["group_id", "verdict", "reported"], dropna=False)
            .agg(victims=("victim_id", "size"), loss_fen=("loss_fen", "sum"))
            .reset_index()
        )

    def __repr__(self) -> str:
        verdicts = self.victims["verdict"].value_counts().to_dict()
        shown = ", ".join(f"{k} {v}" for k, v in sorted(verdicts.items()))
        discovered = int((~self.victims["reported"].astype(bool)).sum())
        return (
            f"<Findings: {len(self.victims)} victims ({shown}; {discovered} discovered), "
            f"{len(self.links)} links, {len(self.leads)} leads>"
        )

    def _repr_html_(self) -> str:
        table: str = self.summary().to_html(index=False)
        return f"<p>{self.__repr__()[1:-1]}</p>" + table


class _Stages:
    """One progress bar over the stages; silent when ``show`` is false."""

    def __init__(self, show: bool) -> None:
        self.bar = progress_bar(total=len(STAGES), desc="corroborate", disable=not show)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        self.bar.set_postfix_str(name)
        yield
        self.bar.update(1)

    def close(self) -> None:
        self.bar.close()


def corroborate(
    case: Case,
    params: MatchParams | None = None,
    engine: str | Engine = "duckdb",
    progress: bool = False,
) -> Findings:
    """Link the case's victims to its groups, with evidence, verdicts, gaps and exact losses.

    Parameters
    ----------
    case
        A loaded case (``load_case``).
    params
        Windows and switches; default: case.toml's ``[rules]`` over the documented defaults.
    engine
        ``"duckdb"`` (embedded), ``"spark"`` (a local Spark session) or an ``Engine`` such as
        ``SparkEngine(session)``.
    progress
        Show a progress bar over the stages.
    """
    params = params or MatchParams.from_toml(case.config.rules)
    runner = open_engine(engine) if isinstance(engine, str) else engine
    stages = _Stages(progress)
    tables = _Scratch(runner)
    failed = True
    try:
        findings = _run(case, params, tables, stages)
        failed = False
        return findings
    finally:
        stages.close()
        if not isinstance(engine, str):
            tables.drop_all(quietly=failed)
        elif failed:  # a dead engine may fail to close too: the run's own error is the one shown
            with contextlib.suppress(Exception):
                runner.close()
        else:
            runner.close()
        release_freed_arrow_memory()


class _Scratch:
    """The engine as the rules use it, remembering every table they register or create.

    An engine passed in outlives corroboration (``run_case`` hands it on to attribution);
    the rules' tables are dropped when the findings are out, or the engine would hold the
    prepared calls' and messages' columns (the calls' epoch seconds alone are 80 MB at 10M
    calls) through every later stage.
    A caller's own tables stay; one named as the rules name theirs (``calls``, ``links``, ...)
    is hidden or replaced by the rules' while they run.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.name = engine.name
        self.made: list[str] = []

    def register(self, table_name: str, table: pa.Table) -> None:
        self._remember(table_name)
        self.engine.register(table_name, table)

    def query(self, sql: str, parameters: dict[str, Any] | None = None) -> pa.Table:
        return self.engine.query(sql, parameters)

    def create(self, table_name: str, sql: str, parameters: dict[str, Any] | None = None) -> None:
        self._remember(table_name)
        self.engine.create(table_name, sql, parameters)

    def drop(self, table_name: str) -> None:
        if table_name in self.made:
            self.made.remove(table_name)
        drop = getattr(self.engine, "drop", None)
        if drop is not None:
            drop(table_name)

    def close(self) -> None:
        """Nothing: the engine belongs to whoever opened it."""

    def drop_all(self, quietly: bool = False) -> None:
        """Drop every table the rules made, the last made first. An engine written before
        ``Engine.drop`` existed keeps them. A table that cannot be dropped stays, with a
        warning (the findings are the run's result, not the engine's tidiness); ``quietly``:
        the run failed, and nothing may be said over why."""
        left = []
        while self.made:
            name = self.made.pop()
            try:
                self.drop(name)
            except Exception as error:
                left.append(f"{name} ({error})")
        if left and not quietly:
            warnings.warn(
                f"the {self.name} engine kept tables it could not drop: {', '.join(left)}",
                RuntimeWarning,
                stacklevel=3,
            )

    def _remember(self, table_name: str) -> None:
        if table_name not in self.made:
            self.made.append(table_name)


def _run(case: Case, params: MatchParams, engine: Engine, stages: _Stages) -> Findings:
    tables = prepare(case)
    for name, table in tables.items():
        engine.register(name, table)
    zone = ZoneInfo(case.config.timezone)
    parameters = params.sql_parameters(case.config)
    with stages.stage("identifiers"):
        engine.create("member_accounts", rules.member_accounts_sql())
        engine.create("designated", rules.designated_sql())
        seed = engine.query(rules.group_seed_sql()).to_pandas()
        dens = den_groups(seed, tables["calls"])
        engine.register("den_groups", pa.Table.from_pandas(dens, preserve_index=False))
        seed = seed.merge(dens, on="den", how="left").assign(seed=True)
        periods = _periods(engine, dens)
        engine.register("group_identifiers", _arrow(seed))
        engine.create(
            "group_phones",
            """SELECT * FROM (
                   SELECT *, row_number() OVER (
                       PARTITION BY identifier ORDER BY group_id, den, source_file,
                                source_sheet NULLS FIRST, source_row
                   ) AS first_of_phone
                   FROM group_identifiers WHERE kind = 'phone') AS phones
               WHERE first_of_phone = 1""",
        )
    with stages.stage("accounts"):
        engine.create("victim_accounts", rules.victim_accounts_sql())
        identifiers = _grow_accounts(engine, seed, params)
    with stages.stage("victims"):
        engine.create("bridges", rules.bridges_sql())
        engine.create("reached_calls", rules.reached_calls_sql())  # call links read it too
        victim_ids = _victim_identifiers(engine, parameters)
        engine.register("victim_ids", _arrow(victim_ids))
    with stages.stage("links"):
        links = _links(engine, parameters)
        seed, identifiers, moved = _placed(engine, seed, identifiers, params)
        if moved:  # accounts of members at no den, now in their payers' group
            links = _links(engine, parameters)
    with stages.stage("verdicts"):
        victims, gaps = _verdicts(engine, case, parameters, victim_ids, links, zone)
        leads = engine.query(rules.leads_sql()).to_pandas()
        transfers = engine.query("SELECT * FROM victim_transfers").to_pandas()
        transfers["outside_designation"] = outside_periods(transfers, periods.periods) & (
            transfers["flow"] == "payment"
        )
        account_gaps = gaps_about_accounts(engine, periods.unmatched_stops, zone)
    return Findings(
        victims=FINDING_VICTIMS.conform(victims),
        links=LINKS.conform(_link_output(links)),
        group_identifiers=GROUP_IDENTIFIERS.conform(
            _identifier_output(identifiers, periods, _holders(engine))
        ),
        leads=LEADS.conform(_lead_output(leads)),
        params=params,
        transfers=VICTIM_TRANSFERS.conform(_transfer_output(transfers)),
        case=case,
        account_gaps=ACCOUNT_GAPS.conform(account_gaps),
        victim_gaps=VICTIM_GAPS.conform(gaps),
    )


def _periods(engine: Engine, dens: pd.DataFrame) -> Periods:
    """The designated cards' periods of use, read from the seized messages' acts."""
    acts = engine.query(
        """SELECT a.act, a.account, a.tail, m.den, m.t, m.source_file, m.source_sheet,
                  m.source_row
           FROM body_acts AS a JOIN messages AS m ON m.body_id = a.body_id
           WHERE m.origin = 'seized' AND m.den IS NOT NULL AND m.t IS NOT NULL
             AND a.act <> 'unreadable'"""
    ).to_pandas()
    cards = set(engine.query("SELECT DISTINCT account FROM designated").column(0).to_pylist())
    groups = dict(zip(dens["den"].tolist(), dens["group_id"].tolist(), strict=True))
    return designation_periods(acts, groups, cards)


def _placed(
    engine: Engine, seed: pd.DataFrame, identifiers: pd.DataFrame, params: MatchParams
) -> tuple[pd.DataFrame, pd.DataFrame, bool]:
    """Seed and identifiers with the accounts of members at no den placed in a group (by the
    victims who paid them, then by the group accounts that did, ``match/placement.py``), the
    accounts grown again after each move; and whether any moved."""
    moved = False
    placed = placed_by_victims(engine, seed)
    if placed is not None:
        seed, identifiers, moved = placed, _grow_accounts(engine, placed, params), True
    relays = params.account_growth_hops >= 1  # relayed payments exist when accounts grow
    while relays and (placed := placed_by_relays(engine, seed, identifiers)) is not None:
        seed, identifiers, moved = placed, _grow_accounts(engine, placed, params), True
    return seed, identifiers, moved


def _holders(engine: Engine) -> pd.DataFrame:
    """Each member-held account's holder: ``identifier``, ``held_by``, ``held_by_name``."""
    held = engine.query("SELECT account, person_id, name FROM member_accounts").to_pandas()
    return held.rename(
        columns={"account": "identifier", "person_id": "held_by", "name": "held_by_name"}
    )


def _arrow(frame: pd.DataFrame) -> pa.Table:
    """A frame as Arrow for the engine: text as ``string``, integers as ``int64``, nulls null.

    Converted column by column as pandas holds it (a pass through Python objects took half a
    second for the 100,000 links of the 10M-call case), then given the types every rule and
    engine expects.
    """
    table = pa.Table.from_pandas(frame, preserve_index=False)
    fields = [
        field.with_type(pa.string()) if pa.types.is_large_string(field.type)
        else field.with_type(pa.int64()) if pa.types.is_integer(field.type)
        else field
        for field in table.schema
    ]  # fmt: skip
    return table.cast(pa.schema(fields))


def _grow_accounts(engine: Engine, seed: pd.DataFrame, params: MatchParams) -> pd.DataFrame:
    """The group's accounts: seized and named ones, then each layer the returns show."""
    identifiers = seed
    accounts = seed[seed["kind"] == "account"].sort_values(
        ["identifier", "group_id", "den", "source_file", "source_sheet", "source_row"],
        na_position="first",
    )
    accounts = accounts.drop_duplicates("identifier")
    engine.register("group_accounts", _arrow(accounts))
    if params.account_growth_hops < 1:
        return identifiers
    engine.create("returned_accounts", rules.returned_accounts_sql())
    engine.create("relayed_payments", rules.relayed_payments_sql())
    for _ in range(params.account_growth_hops):
        grown = engine.query(rules.account_growth_sql()).to_pandas()
        if grown.empty:
            break
        grown = grown.assign(seed=False)
        accounts = pd.concat([accounts, grown], ignore_index=True)
        identifiers = pd.concat([identifiers, grown], ignore_index=True)
        engine.register("group_accounts", _arrow(accounts))
    return identifiers


def _victim_identifiers(engine: Engine, parameters: dict[str, Any]) -> pd.DataFrame:
    """Reported victims' identifiers (accounts in their name included) and discovered ones."""
    listed = engine.query(
        """SELECT victim_key, name, kind, value, source_file, source_row, source_sheet
           FROM victim_list
           UNION
           SELECT a.victim_key, l.name, 'account', a.account, a.source_file, a.source_row,
                  a.source_sheet
           FROM victim_accounts AS a
           JOIN (SELECT DISTINCT victim_key, name FROM victim_list) AS l
             ON l.victim_key = a.victim_key
           WHERE a.basis <> 'listed by the victim'"""
    ).to_pandas()
    found = engine.query(rules.discovered_victims_sql(), parameters).to_pandas()
    return pd.concat(
        [listed.assign(reported=True), found.assign(reported=False)], ignore_index=True
    ).sort_values(  # every column: the first row of a victim names them, whatever the engine
        ["victim_key", "kind", "value", "source_file", "source_sheet", "source_row", "name",
         "reported"],
        kind="stable",
        na_position="first",
    )  # fmt: skip


def _links(engine: Engine, parameters: dict[str, Any]) -> pd.DataFrame:
    """Every link, one per (victim, record, kind), with its agreement in time, by ``link_id``."""
    engine.register("links", _numbered(engine.query(rules.links_sql())))
    checked = engine.query(rules.corroboration_sql(), parameters).sort_by("link_id")
    engine.register("checked_links", checked)
    return checked.to_pandas()


def _numbered(found: pa.Table) -> pa.Table:
    """The links in ``rules.LINK_ORDER``, the first of each record's (``rules.ONE_RECORD``)
    kept, numbered from 0 (``link_id``).

    Ordered by Arrow, not the engine: a window ordering the 140,000 wide rows of the 10M-call
    case took DuckDB a third of a second, single-threaded. Only the record's key columns are
    put in order to find each record's first link; the wide rows are taken once, at the end.
    """
    order = _order_nulls_first(found, rules.LINK_ORDER)
    keys = found.select(rules.ONE_RECORD).take(order)
    keys = keys.append_column("position", pa.array(np.arange(keys.num_rows)))
    firsts = keys.group_by(rules.ONE_RECORD, use_threads=False).aggregate([("position", "min")])
    kept = np.sort(firsts.column("position_min").to_numpy())
    links = found.take(order.take(pa.array(kept)))
    return links.append_column("link_id", pa.array(np.arange(len(kept), dtype=np.int64)))


PLACEMENT_PER_KEY = int(pa.__version__.split(".")[0]) >= 25
"""pyarrow 25 takes where nulls sort per key, and deprecates the one placement for all keys."""


def _order_nulls_first(table: pa.Table, columns: list[str]) -> pa.Array:
    """The positions of ``table``'s rows sorted by ``columns``, ascending, nulls first."""
    if PLACEMENT_PER_KEY:
        return pc.sort_indices(table, sort_keys=[(c, "ascending", "at_start") for c in columns])
    keys = [(column, "ascending") for column in columns]
    return pc.sort_indices(table, sort_keys=keys, null_placement="at_start")


def _verdicts(
    engine: Engine,
    case: Case,
    parameters: dict[str, Any],
    victim_ids: pd.DataFrame,
    links: pd.DataFrame,
    zone: ZoneInfo,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """victims.csv's rows, and their gaps one sentence a row (``VICTIM_GAPS``)."""
    engine.create("victim_groups", rules.victim_groups_sql())
    group_rows = _by_victim(engine.query("SELECT * FROM victim_groups"))
    engine.create("victim_transfers", rules.victim_transfers_sql(), parameters)
    loss_rows = _by_victim(engine.query(rules.losses_sql(), parameters))
    people = victim_ids.drop_duplicates("victim_key")
    phones = victim_ids[victim_ids["kind"] == "phone"].drop_duplicates("victim_key")
    phone_of = dict(zip(phones["victim_key"].tolist(), phones["value"].tolist(), strict=True))
    link_counts = links["victim_key"].value_counts().to_dict()
    identifiers = identifiers_by_victim(victim_ids)
    group_accounts = engine.query("SELECT identifier FROM group_accounts").column(0).to_pylist()
    at_hand = EvidenceAtHand.of(engine, {a for a in group_accounts if a})
    rows = [
        _victim_row(
            str(key), person, group_rows.get(key), loss_rows.get(key), zone,
            {"link_count": int(link_counts.get(key, 0)), "phone": phone_of.get(key),
             "identifiers": identifiers.get(str(key), []), "at_hand": at_hand},
        )
        for key, person in _by_victim(pa.Table.from_pandas(people, preserve_index=False)).items()
    ]  # fmt: skip
    gaps = _gap_rows(rows)
    if not rows:  # a case with no victim list and nobody discovered: no rows, every column
        return pd.DataFrame(columns=FINDING_VICTIMS.column_names), gaps
    frame = pd.DataFrame(rows)
    order = frame.sort_values(["reported", "victim_id"], ascending=[False, True], kind="stable")
    return order, gaps


def _gap_rows(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """The victims' gaps, one row per sentence, taken out of ``rows`` (where
    ``_victim_row`` left them under ``gaps``), by victim and position."""
    table = [
        {"victim_id": row["victim_id"], "position": position, "code": gap.code,
         "gap": gap.text, "subjects": ";".join(gap.subjects)}
        for row in rows
        for position, gap in enumerate(row.pop("gaps"))
    ]  # fmt: skip
    if not table:
        return pd.DataFrame(columns=VICTIM_GAPS.column_names)
    return pd.DataFrame(table).sort_values(["victim_id", "position"], kind="stable")


def _by_victim(table: pa.Table) -> dict[str, dict[str, Any]]:
    """A table with one row per ``victim_key`` as Python rows by that key (read through Arrow:
    pandas builds a Series per row)."""
    rows = {row["victim_key"]: row for row in table.to_pylist()}
    if len(rows) != table.num_rows:  # a rule gave a victim two rows: never keep one silently
        raise RuleError(f"{table.num_rows - len(rows)} victims have more than one row")
    return rows


KIND_FLAGS = (("call", "has_call"), ("chat", "has_chat"), ("transfer", "has_transfer"))


def _victim_row(
    key: str,
    person: dict[str, Any],
    group: dict[str, Any] | None,
    loss: dict[str, Any] | None,
    zone: ZoneInfo,
    extra: dict[str, Any],
) -> dict[str, object]:
    """One row of victims.csv from the victim's group, evidence and losses."""
    kinds = [kind for kind, flag in KIND_FLAGS if group is not None and group[flag]]
    gaps: list[Gap] = victim_gaps(kinds, extra["identifiers"], extra["at_hand"])
    row: dict[str, object] = {
        "victim_id": key,
        "name": person["name"],
        "group_id": None,
        "verdict": "unlinked",
        "evidence_kinds": ";".join(kinds),
        "loss_fen": 0,
        "first_contact_at": None,
        "last_transfer_at": None,
        "reported": bool(person["reported"]),
        "gross_fen": 0,
        "refund_fen": 0,
        "transfer_count": 0,
        "link_count": extra["link_count"],
        "phone": extra["phone"],
        "missing": "; ".join(gap.text for gap in gaps),
        "source_file": person["source_file"],
        "source_row": person["source_row"],
        "source_sheet": person["source_sheet"],
        "gaps": gaps,  # taken out by _gap_rows
    }
    if group is None or not kinds:
        return row
    row["group_id"] = str(group["group_id"])
    row["verdict"] = "corroborated" if int(group["agreeing_kinds"]) >= 2 else "linked"
    first = [int(group["first_t"])]
    if loss is not None:
        gross, refund = int(loss["gross_fen"]), int(loss["refund_fen"])
        row.update(gross_fen=gross, refund_fen=refund, loss_fen=gross - refund,
                   transfer_count=int(loss["transfer_count"]))  # fmt: skip
        if pd.notna(loss["first_transfer_t"]):
            first.append(int(loss["first_transfer_t"]))
        if pd.notna(loss["last_transfer_t"]):
            row["last_transfer_at"] = local_iso(int(loss["last_transfer_t"]), zone)
    row["first_contact_at"] = local_iso(min(first), zone)
    return row


OUTPUT_NAMES = {"victim_key": "victim_id", "t": "at"} | {
    f"{side}_{part}": f"{side}_source_{part}"
    for side in ("evidence", "victim", "group")
    for part in ("file", "row", "sheet")
}
"""The rules' short column names and the result tables' names for them."""


def _renamed(frame: pd.DataFrame) -> pd.DataFrame:
    """The rules' columns under the result tables' names, with ``at`` as a UTC time."""
    out = frame.rename(columns=OUTPUT_NAMES)
    out["at"] = pd.to_datetime(out["at"], unit="s", utc=True)
    return out


def _link_output(links: pd.DataFrame) -> pd.DataFrame:
    renamed = _renamed(links)
    renamed["corroborates"] = renamed["corroborates"].astype(bool)
    renamed["time_resolution_s"] = renamed["t_span"]
    return renamed[[c for c in LINKS.column_names]]


def _identifier_output(
    identifiers: pd.DataFrame, periods: Periods, holders: pd.DataFrame
) -> pd.DataFrame:
    """The identifiers in a fixed order, designations with their periods of use, accounts
    with their holder on the roster."""
    bounds = periods.bounds().rename(columns={"account": "identifier"})
    bounds = bounds.assign(kind="account")  # a card a ledger shows too keeps its periods
    out = identifiers.merge(bounds, on=["group_id", "identifier", "kind"], how="left")
    for column in ("valid_from", "valid_to"):
        epochs = pd.to_numeric(out.pop(f"{column}_t"), errors="coerce")
        out[column] = pd.to_datetime(epochs, unit="s", utc=True)
    out = out.merge(holders.assign(kind="account"), on=["identifier", "kind"], how="left")
    out = out.sort_values(
        ["kind", "identifier", "den", "source_file", "source_sheet", "source_row"],
        na_position="first",
        kind="stable",
    )
    return out[[c for c in GROUP_IDENTIFIERS.column_names]]


def _lead_output(leads: pd.DataFrame) -> pd.DataFrame:
    out = leads.rename(columns={"first_t": "first_at", "last_t": "last_at"})
    for column in ("first_at", "last_at"):
        out[column] = pd.to_datetime(out[column], unit="s", utc=True)
    return out.sort_values(["group_id", "account"], kind="stable")[list(LEADS.column_names)]


def _transfer_output(transfers: pd.DataFrame) -> pd.DataFrame:
    out = _renamed(transfers)
    out["time_resolution_s"] = out["t_span"]
    order = ["victim_id", "at", "flow", "group_account", "amount_fen", "victim_account",
             "evidence_source_file", "evidence_source_sheet", "evidence_source_row"]  # fmt: skip
    out = out.sort_values(order, kind="stable", na_position="first")
    return out[list(VICTIM_TRANSFERS.column_names)]
