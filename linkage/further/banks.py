"""Requests to banks: the statements that are not in the case.

Four reasons to ask a bank for an account's statement, each from a gap the run found:

- the tracer followed victims' money into an account whose statement is missing (the money
  vanishes there: ``destinations`` ends ``statement_missing``); ranked by that money;
- a group account (made the group's by a ledger, a designation, a holder, case.toml) has no
  statement in the case: a payment into it is seen only where the payer's own statement is
  at hand. The victims it could answer for are those who named it as the account they paid,
  and the group's victims with no payment found, or less found than they reported, whose
  evidence falls in its period of use;
- a victim says they paid an account no rule made the group's (its statement and holder say
  whose it is, and where the money went);
- a victim's own accounts have no statement in the case, or none that shows a payment to the
  group, or not all the payments the victim reported. With no account known, the banks are
  asked what accounts the victim's ID number holds (a 资金查控 query by ID).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pandas as pd

from linkage.flow import Flows
from linkage.further.facts import Facts, VictimState
from linkage.further.parts import Affected, Part
from linkage.normalize.amount import format_fen

__all__ = ["bank_parts"]

EVERY_BANK = "every bank (a 资金查控 query by ID number)"
TRANSFER = frozenset({"transfer"})


def bank_parts(
    facts: Facts, gaps: pd.DataFrame, flows: Flows, group_identifiers: pd.DataFrame
) -> Iterator[Part]:
    """Every bank request part: money the tracer lost, group accounts without a statement,
    payees not the group's, victims' own accounts."""
    parts = [
        *_traced_into_missing(facts, flows),
        *_group_accounts(facts, gaps, group_identifiers),
        *_victim_parts(facts, gaps),
    ]
    banks = facts.banks_of({p.subject for p in parts if p.subject_kind == "account"})
    for part in parts:
        if part.subject_kind == "account":
            part.addressee = banks.get(part.subject, f"the bank holding {part.subject}")
        yield part


def _traced_into_missing(facts: Facts, flows: Flows) -> Iterator[Part]:
    """One part per account the tracer's money vanished into, with the payments behind it."""
    ends = flows.destinations
    missing = ends[ends["end"] == "statement_missing"]
    if missing.empty:
        return
    hops = flows.hops.sort_values(["at", "source_file", "source_row"], kind="stable")
    for account, rows in missing.groupby("account", sort=True):
        account = str(account)
        fen = int(rows["amount_fen"].sum())
        victims = sorted(set(rows["victim_id"].astype(str)))
        days = pd.to_datetime(rows["at"], utc=True).dt.tz_convert(facts.zone).dt.date
        into = hops[hops["to_account"] == account]
        first = into.iloc[0] if len(into) else None
        part = Part(
            to="bank", addressee="", subject_kind="account", subject=account,
            ask=f"statement of {account} and its holder's account-opening record",
            spans=[(min(days), max(days))],
            changes=[f"where {format_fen(fen, grouping=True)} of {_victims(len(victims))}' "
                     f"money went after {account}; the amounts of money mules holding the "
                     "accounts it reached"],
            victim_fen=fen, payments=set(rows["payment"].astype(str)), priority=2,
            provenance=(str(first["source_file"]), int(first["source_row"]), None)
            if first is not None else None,
        )  # fmt: skip
        for victim in victims:
            state = facts.victims.get(victim)
            if state is None:
                continue
            share = format_fen(int(rows.loc[rows["victim_id"] == victim, "amount_fen"].sum()),
                               grouping=True)  # fmt: skip
            gap = f"the victim's money reached {account}, whose statement is not in the case"
            part.affected.append(
                Affected.of(state, gap, otherwise=f"where {share} of their money went after it")
            )
        yield part


def _group_accounts(
    facts: Facts, gaps: pd.DataFrame, group_identifiers: pd.DataFrame
) -> Iterator[Part]:
    """One part per group account without a statement in the case, for the victims whose
    missing payments it could show."""
    accounts = group_identifiers[group_identifiers["kind"] == "account"]
    accounts = accounts[~accounts["identifier"].isin(facts.statements)]
    if accounts.empty:
        return
    no_transfer = dict(
        zip(*(gaps.loc[gaps["code"] == "no_transfer", c].astype(str) for c in ("victim_id", "gap")),
            strict=True)
    )  # fmt: skip
    open_by_group: dict[str, list[tuple[VictimState, str]]] = {}
    for victim, state in sorted(facts.victims.items()):
        gap = _open_payments(state, no_transfer.get(victim))
        if gap is not None and state.group_id is not None:
            open_by_group.setdefault(state.group_id, []).append((state, gap))
    for account, rows in accounts.groupby("identifier", sort=True):
        account = str(account)
        group = str(rows["group_id"].iloc[0]) if rows["group_id"].notna().any() else None
        period = _period_of_use(rows, facts)
        part = Part(
            to="bank", addressee="", subject_kind="account", subject=account,
            ask=f"statement of group account {account} (made the group's by "
                f"{', '.join(sorted(set(rows['rule'].astype(str))))})",
            spans=[period] if period else [], priority=3,
            changes=[f"payers into {account} not on the victim list may be found"],
            victim_fen=facts.paid_into(account, None),
            provenance=_first_row(rows),
        )  # fmt: skip
        named = f"the victim says they paid {account}, a group account whose statement is " \
            "not in the case"  # fmt: skip
        for state, gap in open_by_group.get(group or "", []):
            said = named if account in state.payees else gap
            part.spans.append(state.days)
            part.affected.append(Affected.of(state, said, TRANSFER, loss_may_rise=True))
        yield part


def _open_payments(state: VictimState, no_transfer: str | None) -> str | None:
    """Why a victim's payments may be incomplete, or None: no payment found, less found
    than reported, or found by collision in the statements at hand (which hold only the
    payments into accounts whose statements they are)."""
    if no_transfer:
        return no_transfer
    if _below_reported(state):
        return _below_reported_gap(state)
    if state.reported_loss_fen is None and not state.listed and "transfer" in state.kinds:
        return "the victim was found in the statements at hand, which show payments into " \
            "the accounts whose statements they are"  # fmt: skip
    return None


def _below_reported(state: VictimState) -> bool:
    """The victim reported more than the payments found make their loss."""
    return bool(state.reported_loss_fen and state.reported_loss_fen > state.loss_fen
                and "transfer" in state.kinds)  # fmt: skip


def _below_reported_gap(state: VictimState) -> str:
    proven = format_fen(state.loss_fen, grouping=True)
    reported = format_fen(state.reported_loss_fen or 0, grouping=True)
    return f"the proven loss {proven} is below the reported {reported}"


def _period_of_use(rows: pd.DataFrame, facts: Facts) -> tuple[dt.date, dt.date] | None:
    """A designated card's period of use, as days in the case's zone; None when open."""
    starts = pd.to_datetime(rows["valid_from"], utc=True).dropna()
    ends = pd.to_datetime(rows["valid_to"], utc=True).dropna()
    if starts.empty or ends.empty:
        return None
    return starts.min().tz_convert(facts.zone).date(), ends.max().tz_convert(facts.zone).date()


def _first_row(rows: pd.DataFrame) -> tuple[str, int, str | None]:
    first = rows.iloc[0]
    sheet = first["source_sheet"]
    return str(first["source_file"]), int(first["source_row"]), \
        None if pd.isna(sheet) else str(sheet)  # fmt: skip


def _victim_parts(facts: Facts, gaps: pd.DataFrame) -> Iterator[Part]:
    """Parts for the payees and own accounts of each victim's gaps, and for losses below
    what the victim reported."""
    by_victim = {str(v): rows for v, rows in gaps.groupby("victim_id", sort=True)}
    for victim, state in sorted(facts.victims.items()):
        rows = by_victim.get(victim)
        codes = dict(zip(rows["code"], rows["gap"], strict=True)) if rows is not None else {}
        subjects = dict(zip(rows["code"], rows["subjects"], strict=True)) if rows is not None \
            else {}  # fmt: skip
        no_transfer = codes.get("no_transfer")
        if "payee_not_group" in codes:
            for account in _split(subjects["payee_not_group"]):
                yield _payee(facts, state, account, [codes["payee_not_group"], no_transfer])
        if "no_own_statement" in codes:
            yield from _own(facts, state, _split(subjects["no_own_statement"]),
                            [codes["no_own_statement"], no_transfer])  # fmt: skip
        elif _below_reported(state):
            own = [a for a in state.accounts if a not in facts.statements]
            if own:
                yield from _own(facts, state, own, [_below_reported_gap(state)])


def _payee(facts: Facts, state: VictimState, account: str, gaps: list[str | None]) -> Part:
    """The statement and holder of an account the victim paid that is not the group's."""
    part = Part(
        to="bank", addressee="", subject_kind="account", subject=account,
        ask=f"statement of {account} and its holder's account-opening record (whose it is, "
            "and where the money went)",
        spans=[state.days], priority=3,
        changes=[f"{account} becomes a group account if its holder is a member or its money "
                 "goes on to the group's accounts"],
        victim_fen=facts.paid_into(account, set(state.accounts)),
        provenance=(state.source_file, state.source_row, state.source_sheet),
    )  # fmt: skip
    for gap in gaps:
        if gap:
            part.affected.append(Affected.of(state, gap, TRANSFER, loss_may_rise=True))
    return part


def _own(facts: Facts, state: VictimState, accounts: list[str],
         gaps: list[str | None]) -> Iterator[Part]:  # fmt: skip
    """The statements of the victim's own accounts; with none known, the accounts their ID
    number holds."""
    if not accounts and not state.id_number:
        return  # the victim is asked (people.py)
    targets = [("account", a, f"statement of {a} (the victim's own account)") for a in accounts]
    if not accounts:
        targets = [("id_number", str(state.id_number),
                    f"the accounts held under ID number {state.id_number}, with their "
                    "statements")]  # fmt: skip
    for kind, subject, ask in targets:
        part = Part(
            to="bank", addressee=EVERY_BANK, subject_kind=kind, subject=subject, ask=ask,
            spans=[state.days], priority=3,
            provenance=(state.source_file, state.source_row, state.source_sheet),
        )  # fmt: skip
        for gap in gaps:
            if gap:
                part.affected.append(Affected.of(state, gap, TRANSFER, loss_may_rise=True))
        yield part


def _victims(count: int) -> str:
    return f"{count} victim" if count == 1 else f"{count} victims"


def _split(joined: object) -> list[str]:
    """A ``;``-joined cell as its values."""
    return [value for value in str(joined or "").split(";") if value]
