"""What the requests are phrased from, gathered once: each victim's standing, the days their
evidence covers, the bank each account is with, and which records the case already holds.

Everything here reads the run's results (findings, flows, attribution) and the case's
canonical tables; nothing is inferred that the evidence does not show. A bank is named as the
evidence writes it (an account record, the returning bank, a counterparty's bank column); an
account no record places stays "the bank holding" it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd

from linkage.match.corroborate import Findings

__all__ = ["Facts", "VictimState"]

RESIDENT_ID = re.compile(r"^\d{17}[\dX]$")


@dataclass(frozen=True)
class VictimState:
    """One victim as the run left them, and what the victim list adds."""

    victim_id: str
    name: str
    group_id: str | None
    verdict: str
    kinds: frozenset[str]
    loss_fen: int
    reported_loss_fen: int | None
    id_number: str | None
    accounts: tuple[str, ...]
    """The victim's own accounts: the list's, and any the run saw paying the group."""
    payees: tuple[str, ...]
    """The accounts the victim says they paid (the victim list)."""
    listed: bool
    """On the police victim list (else found by collision)."""
    days: tuple[dt.date, dt.date] | None
    """First and last day of the victim's evidence (links) and of what the victim list says
    (the day the fraud began, the report): a victim may have paid for weeks after the one
    call the evidence holds."""
    source_file: str
    source_row: int
    source_sheet: str | None


@dataclass(frozen=True)
class Facts:
    """The case-wide facts every kind of request reads."""

    victims: dict[str, VictimState]
    zone: ZoneInfo
    padding_days: int
    case_days: tuple[dt.date, dt.date] | None
    """First and last day of any link: the period asked for when nothing narrower is known."""
    statements: frozenset[str]
    """Accounts whose statements (bank returns, victims' exports) are in the case."""
    phones_with_records: frozenset[str]
    """Phones whose own call records (carrier, handset) are in the case."""
    transactions: pd.DataFrame
    accounts: pd.DataFrame
    victims_paid: dict[str, int]
    """The victims' payments into each group account, in fen, as the run counted them."""
    payment_days: dict[str, list[dt.date]] = field(default_factory=dict)
    """Each group's days of victims' payments, in the case's zone."""

    @classmethod
    def of(cls, findings: Findings, padding_days: int) -> Facts:
        case = findings.case
        zone = ZoneInfo(case.config.timezone)
        transactions = case.tables["transactions"]
        returned = transactions.loc[transactions["origin"] != "seized", "account"]
        calls = case.tables["calls"]
        own = (
            calls.loc[calls["origin"] != "seized", "own_number"]
            if "own_number" in calls
            else pd.Series(dtype=object)
        )
        link_days = _days(findings.links["at"], zone)
        span = (min(link_days), max(link_days)) if len(link_days) else None
        return cls(
            victims=_victim_states(findings, zone),
            zone=zone,
            padding_days=padding_days,
            case_days=span,
            statements=frozenset(returned.dropna().unique().tolist()),
            phones_with_records=frozenset(own.dropna().unique().tolist()),
            transactions=transactions,
            accounts=case.tables["accounts"],
            victims_paid=_victims_paid(findings.transfers),
            payment_days=_payment_days(findings.transfers, zone),
        )

    def period(self, spans: Iterable[tuple[dt.date, dt.date] | None]) -> tuple[str, str] | None:
        """The padded period covering ``spans`` (the case's days when none is known), as
        ISO dates."""
        known = [span for span in spans if span is not None] or (
            [self.case_days] if self.case_days else []
        )
        if not known:
            return None
        pad = dt.timedelta(days=self.padding_days)
        first = min(span[0] for span in known) - pad
        last = max(span[1] for span in known) + pad
        return first.isoformat(), last.isoformat()

    def banks_of(self, accounts: set[str]) -> dict[str, str]:
        """The bank each of ``accounts`` is with, as the evidence writes it: an account
        record, else the bank that returned its statement, else a counterparty's bank column.
        The most frequent spelling wins, ties by text."""
        found: dict[str, str] = {}
        for frame, account, bank in (
            (self.accounts, "account", "bank"),
            (self.transactions, "account", "bank"),
            (self.transactions, "counterparty_account", "counterparty_bank"),
        ):
            if account not in frame or bank not in frame:
                continue
            rows = frame.loc[frame[account].isin(accounts - found.keys()), [account, bank]]
            rows = rows.dropna()
            if rows.empty:
                continue
            counts = rows.value_counts().reset_index(name="n")
            counts = counts.sort_values([account, "n", bank], ascending=[True, False, True])
            for key, name in zip(counts[account], counts[bank], strict=True):
                found.setdefault(str(key), str(name))
        return found

    def paid_into(self, payees: set[str]) -> dict[tuple[str, str], int]:
        """What the statements at hand show paid into each of ``payees``, in fen, by payer:
        (payee, payer account) → fen; one pass over the transactions."""
        t = self.transactions
        rows = t.loc[
            t["counterparty_account"].isin(payees)
            & (t["direction"] == "out")
            & (t["origin"] != "seized"),
            ["counterparty_account", "account", "amount_fen"],
        ]
        sums = rows.groupby(["counterparty_account", "account"])["amount_fen"].sum()
        return {(str(payee), str(payer)): int(fen) for (payee, payer), fen in sums.items()}


def _victims_paid(transfers: pd.DataFrame) -> dict[str, int]:
    """Each group account's victim payments (a transfer made ``times`` times counts so)."""
    paid = transfers[transfers["flow"] == "payment"]
    fen = paid["amount_fen"].astype("int64") * paid["times"].astype("int64")
    sums = fen.groupby(paid["group_account"].astype(str)).sum()
    return {str(account): int(total) for account, total in sums.items()}


def _payment_days(transfers: pd.DataFrame, zone: ZoneInfo) -> dict[str, list[dt.date]]:
    """Each group's days of victims' payments, sorted, in ``zone``."""
    paid = transfers[(transfers["flow"] == "payment") & transfers["group_id"].notna()]
    days = pd.to_datetime(paid["at"], utc=True).dt.tz_convert(zone).dt.date
    found: dict[str, list[dt.date]] = {}
    for group, day in zip(paid["group_id"].astype(str), days, strict=True):
        found.setdefault(group, []).append(day)
    return {group: sorted(found[group]) for group in found}


def _days(times: pd.Series, zone: ZoneInfo) -> list[dt.date]:
    """UTC times as calendar days in ``zone``."""
    known = pd.to_datetime(times.dropna(), utc=True)
    return sorted(set(known.dt.tz_convert(zone).dt.date.tolist()))


def _victim_states(findings: Findings, zone: ZoneInfo) -> dict[str, VictimState]:
    """Every victim's state, keyed by ``victim_id``."""
    entry_of = _list_entries(findings.case.tables["victims"])
    links = findings.links
    spans: dict[str, tuple[dt.date, dt.date]] = {}
    if len(links):
        local = pd.to_datetime(links["at"], utc=True).dt.tz_convert(zone).dt.date
        days = pd.DataFrame({"victim_id": links["victim_id"].astype(str), "day": local})
        for victim, group in days.dropna().groupby("victim_id"):
            spans[str(victim)] = (min(group["day"]), max(group["day"]))
    paying: dict[str, set[str]] = {}
    transfers = findings.transfers
    for victim, account in zip(transfers["victim_id"], transfers["victim_account"], strict=True):
        if _present(account):
            paying.setdefault(str(victim), set()).add(str(account))
    states = {}
    for row in findings.victims.itertuples(index=False):
        victim = str(row.victim_id)
        entry = entry_of(victim, str(row.source_file), int(row.source_row))
        entry = entry if row.reported else None
        span = _union(spans.get(victim), _listed_span(entry, zone))
        id_number = victim if RESIDENT_ID.match(victim) else _text(entry, "id_number")
        reported: Any = getattr(entry, "reported_loss_fen", None) if entry is not None else None
        kinds = frozenset(k for k in str(row.evidence_kinds or "").split(";") if k)
        accounts = set(paying.get(victim, ())) | set(_listed(entry, "accounts"))
        states[victim] = VictimState(
            victim_id=victim,
            name=str(row.name) if _present(row.name) else "",
            group_id=str(row.group_id) if _present(row.group_id) else None,
            verdict=str(row.verdict),
            kinds=kinds,
            loss_fen=int(row.loss_fen),
            reported_loss_fen=int(reported) if _present(reported) else None,
            id_number=id_number,
            accounts=tuple(sorted(accounts)),
            payees=tuple(sorted(set(_listed(entry, "payee_accounts")))),
            listed=bool(row.reported),
            days=span,
            source_file=str(row.source_file),
            source_row=int(row.source_row),
            source_sheet=str(row.source_sheet) if _present(row.source_sheet) else None,
        )
    return states


def _list_entries(listed: pd.DataFrame) -> Callable[[str, str, int], Any]:
    """How a victim finds its row of the victim list: by the row the victim was taken from,
    else by its ID number, else by its phone when only one row gives that phone (two people
    reporting from one family phone must not be given each other's losses and accounts)."""
    by_row: dict[tuple[str, int], Any] = {}
    by_id: dict[str, Any] = {}
    by_phone: dict[str, list[Any]] = {}
    for row in listed.itertuples(index=False):
        by_row.setdefault((str(row.source_file), int(row.source_row)), row)
        if _present(row.id_number):
            by_id.setdefault(str(row.id_number), row)
        if _present(row.phone):
            by_phone.setdefault(str(row.phone), []).append(row)

    def entry_of(victim: str, source_file: str, source_row: int) -> Any:
        found = by_row.get((source_file, source_row)) or by_id.get(victim)
        if found is None and len(by_phone.get(victim, ())) == 1:
            (found,) = by_phone[victim]
        return found

    return entry_of


def _union(
    a: tuple[dt.date, dt.date] | None, b: tuple[dt.date, dt.date] | None
) -> tuple[dt.date, dt.date] | None:
    """The days covering both spans (either may be unknown)."""
    if a is None or b is None:
        return a or b
    return min(a[0], b[0]), max(a[1], b[1])


def _listed_span(entry: object, zone: ZoneInfo) -> tuple[dt.date, dt.date] | None:
    """The days the victim list gives: from the day the fraud began (else the report) to
    the report."""
    if entry is None:
        return None
    times = [getattr(entry, name, None) for name in ("first_defrauded_at", "reported_at")]
    days = [pd.Timestamp(t).tz_convert(zone).date() for t in times if _present(t)]
    return (min(days), max(days)) if days else None


def _listed(entry: object, name: str) -> list[str]:
    """A list cell of the victim list (accounts, payees); empty when there is none."""
    values = getattr(entry, name, None) if entry is not None else None
    return [str(v) for v in values if v] if values is not None else []


def _text(entry: object, name: str) -> str | None:
    value = getattr(entry, name, None) if entry is not None else None
    return str(value) if _present(value) else None


def _present(value: object) -> bool:
    """Not null, NaN, NA or empty text."""
    if value is None or value is pd.NA or value is pd.NaT:
        return False
    if isinstance(value, float) and value != value:
        return False
    return not (isinstance(value, str) and not value)
