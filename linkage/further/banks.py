"""Requests to banks: the statements that are not in the case.

Four reasons to ask a bank for statements, each from a gap the run found:

- the tracer followed victims' money into an account whose statement is missing (the money
  vanishes there: ``destinations`` ends ``statement_missing``): one request per account,
  ranked by that money;
- the group's own accounts (made the group's by a ledger, a designation, a holder, case.toml)
  with no statement in the case: a payment into one is seen only where the payer's own
  statement is at hand. One request per group and bank lists them. It could answer for every
  victim of the group whose payments may be incomplete (none found, less found than they
  reported, or found by collision in other statements); a designated card's period of use
  does not narrow this, because victims go on paying a card after the chats replace it;
- a victim says they paid an account no rule made the group's: its statement and holder say
  whose it is, and where the money went;
- a victim's own accounts have no statement in the case, or the statements at hand show less
  than they reported. With no account known, the banks are asked what accounts the victim's
  ID number holds (a 资金查控 query by ID).
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
PAYMENT_INTO_GROUP = "if it shows a payment into a group account"

GapsByVictim = dict[str, dict[str, tuple[str, str]]]
"""victim_id → gap code → (sentence, ;-joined subjects)."""


def bank_parts(
    facts: Facts, gaps: pd.DataFrame, flows: Flows, group_identifiers: pd.DataFrame
) -> Iterator[Part]:
    """Every bank request part: money the tracer lost, group accounts without a statement,
    payees not the group's, victims' own accounts."""
    by_victim = gaps_by_victim(gaps)
    parts = [
        *_traced_into_missing(facts, flows),
        *_group_accounts(facts, by_victim, group_identifiers),
        *_payees(facts, by_victim),
        *_own_accounts(facts, by_victim),
    ]
    banks = facts.banks_of({p.subject for p in parts if p.subject_kind == "account"})
    for part in parts:
        if part.subject_kind == "account" and not part.addressee:
            part.addressee = banks.get(part.subject, f"the bank holding {part.subject}")
        yield part


def gaps_by_victim(gaps: pd.DataFrame) -> GapsByVictim:
    """The victims' gaps as victim → code → (sentence, subjects)."""
    found: GapsByVictim = {}
    columns = (gaps[c].astype(str).tolist() for c in ("victim_id", "code", "gap", "subjects"))
    for victim, code, gap, subjects in zip(*columns, strict=True):
        found.setdefault(victim, {})[code] = (gap, "" if subjects in ("None", "nan") else subjects)
    return found


def _traced_into_missing(facts: Facts, flows: Flows) -> Iterator[Part]:
    """One part per account the tracer's money vanished into, with the payments behind it."""
    ends = flows.destinations
    missing = ends[ends["end"] == "statement_missing"]
    if missing.empty:
        return
    hops = flows.hops.sort_values(["at", "source_file", "source_row"], kind="stable")
    first_into = hops.drop_duplicates("to_account").set_index("to_account")
    for account, rows in missing.groupby("account", sort=True):
        account = str(account)
        fen = int(rows["amount_fen"].sum())
        shares = rows.groupby("victim_id")["amount_fen"].sum()
        days = pd.to_datetime(rows["at"], utc=True).dropna().dt.tz_convert(facts.zone).dt.date
        first = first_into.loc[account] if account in first_into.index else None
        part = Part(
            to="bank",
            addressee="",
            subject_kind="account",
            subject=account,
            ask=f"statement of {account} and its holder's account-opening record",
            spans=[(min(days), max(days))] if len(days) else [],
            changes=[
                f"where {format_fen(fen, grouping=True)} of {_victims(len(shares))}' "
                f"money went after {account}; the amounts of money mules holding the "
                "accounts it reached"
            ],
            victim_fen=fen,
            payments=set(rows["payment"].astype(str)),
            priority=2,
            provenance=(str(first["source_file"]), int(first["source_row"]), None)
            if first is not None
            else None,
        )
        for victim, share in shares.items():
            state = facts.victims.get(str(victim))
            if state is None:
                continue
            gap = f"the victim's money reached {account}, whose statement is not in the case"
            went = f"where {format_fen(int(share), grouping=True)} of their money went after it"
            part.affected.append(Affected.of(state, gap, otherwise=went))
        yield part


def _group_accounts(
    facts: Facts, by_victim: GapsByVictim, group_identifiers: pd.DataFrame
) -> Iterator[Part]:
    """One part per group and bank for the group's accounts without a statement in the case,
    for the victims whose payments they could complete."""
    accounts = group_identifiers[
        (group_identifiers["kind"] == "account")
        & group_identifiers["group_id"].notna()
        & ~group_identifiers["identifier"].isin(facts.statements)
    ]
    if accounts.empty:
        return
    banks = facts.banks_of(set(accounts["identifier"].astype(str)))
    accounts = accounts.assign(
        bank=[banks.get(str(a), "the banks holding them") for a in accounts["identifier"]]
    )
    open_by_group: dict[str, list[tuple[VictimState, str]]] = {}
    for victim, state in sorted(facts.victims.items()):
        gap = _open_payments(state, by_victim.get(victim, {}))
        if gap is not None and state.group_id is not None:
            open_by_group.setdefault(state.group_id, []).append((state, gap))
    for (group, bank), rows in accounts.groupby(["group_id", "bank"], sort=True):
        listed = sorted(set(rows["identifier"].astype(str)))
        rules = ", ".join(sorted(set(rows["rule"].astype(str))))
        part = Part(
            to="bank",
            addressee=str(bank),
            subject_kind="accounts",
            subject=";".join(listed),
            ask=f"statements of group {group}'s {len(listed)} account"
            f"{'s' if len(listed) > 1 else ''} made the group's by {rules}",
            spans=[_period_of_use(rows, facts)],
            priority=3,
            changes=["payers into them not on the victim list may be found"],
            victim_fen=sum(facts.victims_paid.get(a, 0) for a in listed) or None,
            provenance=_first_row(rows),
        )
        for state, gap in open_by_group.get(str(group), []):
            named = sorted(set(listed) & set(state.payees))
            said = (
                (
                    f"the victim says they paid {', '.join(named)}, a group account whose "
                    "statement is not in the case"
                )
                if named
                else gap
            )
            part.spans.append(state.days)
            part.affected.append(
                Affected.of(state, said, TRANSFER, loss_may_rise=True, condition=PAYMENT_INTO_GROUP)
            )
        yield part


def _open_payments(state: VictimState, gaps: dict[str, tuple[str, str]]) -> str | None:
    """Why a victim's payments may be incomplete, or None: no payment found, less found
    than reported, or found by collision in the statements at hand (which hold only the
    payments into accounts whose statements they are)."""
    if "no_transfer" in gaps:
        return gaps["no_transfer"][0]
    if _below_reported(state):
        return _below_reported_gap(state)
    if not state.listed and "transfer" in state.kinds:
        return (
            "the victim was found in the statements at hand, which show only the payments "
            "into the accounts whose statements they are"
        )
    return None


def _payees(facts: Facts, by_victim: GapsByVictim) -> Iterator[Part]:
    """The statement and holder of each account a victim paid that is not the group's."""
    named = {
        victim: gaps for victim, gaps in sorted(by_victim.items()) if "payee_not_group" in gaps
    }
    paid = facts.paid_into({a for g in named.values() for a in _split(g["payee_not_group"][1])})
    for victim, gaps in named.items():
        state = facts.victims.get(victim)
        if state is None:
            continue
        closed = [gaps["payee_not_group"][0]] + (
            [gaps["no_transfer"][0]] if "no_transfer" in gaps else []
        )
        for account in _split(gaps["payee_not_group"][1]):
            fen = sum(paid.get((account, own), 0) for own in state.accounts)
            part = Part(
                to="bank",
                addressee="",
                subject_kind="account",
                subject=account,
                ask=f"statement of {account} and its holder's account-opening record (whose "
                "it is, and where the money went)",
                spans=[state.days],
                priority=3,
                changes=[
                    f"{account} becomes a group account if its holder is a member or "
                    "its money goes on to the group's accounts"
                ],
                victim_fen=fen or None,
                provenance=(state.source_file, state.source_row, state.source_sheet),
            )
            for gap in closed:
                part.affected.append(
                    Affected.of(
                        state,
                        gap,
                        TRANSFER,
                        loss_may_rise=True,
                        condition=f"if {account} proves to be the group's",
                    )
                )
            yield part


def _own_accounts(facts: Facts, by_victim: GapsByVictim) -> Iterator[Part]:
    """The statements of victims' own accounts: where none is in the case, or where those at
    hand show less than the victim reported. With no account known, the accounts the victim's
    ID number holds; with no ID number either, the victim is asked (``people.py``)."""
    for victim, state in sorted(facts.victims.items()):
        gaps = by_victim.get(victim, {})
        if "no_own_statement" in gaps:
            accounts = _split(gaps["no_own_statement"][1])
            closed = [gaps["no_own_statement"][0]] + (
                [gaps["no_transfer"][0]] if "no_transfer" in gaps else []
            )
        elif _below_reported(state):
            accounts = [a for a in state.accounts if a not in facts.statements]
            closed = [_below_reported_gap(state)]
            if not accounts:
                continue
        else:
            continue
        if accounts:
            targets = [
                ("account", a, f"statement of {a} (the victim's own account)", "") for a in accounts
            ]
        elif state.id_number:
            targets = [
                (
                    "id_number",
                    state.id_number,
                    f"the accounts held under ID number {state.id_number}, with their statements",
                    EVERY_BANK,
                )
            ]
        else:
            continue
        for kind, subject, ask, addressee in targets:
            part = Part(
                to="bank",
                addressee=addressee,
                subject_kind=kind,
                subject=subject,
                ask=ask,
                spans=[state.days],
                priority=3,
                provenance=(state.source_file, state.source_row, state.source_sheet),
            )
            for gap in closed:
                part.affected.append(
                    Affected.of(
                        state, gap, TRANSFER, loss_may_rise=True, condition=PAYMENT_INTO_GROUP
                    )
                )
            yield part


def _below_reported(state: VictimState) -> bool:
    """The victim reported more than the payments found make their loss."""
    return bool(
        state.reported_loss_fen
        and state.reported_loss_fen > state.loss_fen
        and "transfer" in state.kinds
    )


def _below_reported_gap(state: VictimState) -> str:
    proven = format_fen(state.loss_fen, grouping=True)
    reported = format_fen(state.reported_loss_fen or 0, grouping=True)
    return f"the proven loss {proven} is below the reported {reported}"


def _period_of_use(rows: pd.DataFrame, facts: Facts) -> tuple[dt.date, dt.date] | None:
    """The days the group's chats gave its cards, in the case's zone; None when any of them
    is open at either end (or was never designated)."""
    starts = pd.to_datetime(rows["valid_from"], utc=True)
    ends = pd.to_datetime(rows["valid_to"], utc=True)
    if starts.isna().any() or ends.isna().any():
        return None
    return starts.min().tz_convert(facts.zone).date(), ends.max().tz_convert(facts.zone).date()


def _first_row(rows: pd.DataFrame) -> tuple[str, int, str | None]:
    """The row that made the first of ``rows`` the group's."""
    first = rows.sort_values(["source_file", "source_row"], kind="stable").iloc[0]
    sheet = first["source_sheet"]
    return (
        str(first["source_file"]),
        int(first["source_row"]),
        None if pd.isna(sheet) else str(sheet),
    )


def _victims(count: int) -> str:
    return f"{count} victim" if count == 1 else f"{count} victims"


def _split(joined: object) -> list[str]:
    """A ``;``-joined cell as its values."""
    return [value for value in str(joined or "").split(";") if value]
