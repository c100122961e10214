"""First in, first out: which victims' money each transfer out of a group account carries.

An account's balance is a queue of lots, each tagged with where it came from (a victim's
payment, or something else). Every credit appends a lot; every debit takes from the oldest lots
first, split exactly in fen, and hands the taken pieces on to the account paid, if it is one
being traced. Statements of all traced accounts are walked together in time order (credits
before debits at the same second, so money that arrives and leaves in one second is passed on),
and a credit that another traced account's debit already delivered is not counted twice.

Money that leaves an account before any recorded arrival covers it is taken from an
``unknown`` lot: the statement does not say where it came from, and the amounts stay conserved.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import pandas as pd

__all__ = ["UNKNOWN", "Piece", "trace_fifo"]

UNKNOWN = ""
"""Tag of money whose origin the traced statements do not show."""


@dataclass(frozen=True)
class Piece:
    """Part of one transfer, carrying money of one origin."""

    from_account: str
    to_account: str
    origin: str
    """The victim whose payment this money is, or ``UNKNOWN``."""
    amount_fen: int
    t: int
    source_file: str
    source_row: int


def trace_fifo(statements: pd.DataFrame, origins: pd.DataFrame) -> list[Piece]:
    """Every piece of every transfer out of (and into) the traced accounts, with its origin.

    ``statements``: account, counterparty_account, direction (in/out), amount_fen, t,
    source_file, source_row, for the traced accounts only. ``origins``: account (the traced
    account credited), counterparty_account (the payer), t, amount_fen, origin: payments whose
    origin is known (a victim's); a credit takes the origin of the known payment with its payer
    and amount nearest in time.
    """
    traced = set(statements["account"])
    known: dict[tuple[str, str, int], list[tuple[int, str]]] = {}
    for o in origins.itertuples(index=False):
        key = (str(o.account), str(o.counterparty_account), int(o.amount_fen))
        known.setdefault(key, []).append((int(o.t), str(o.origin)))
    ordered = statements.assign(order=statements["direction"].map({"in": 0, "out": 1})).sort_values(
        ["t", "order", "account", "source_file", "source_row"], kind="stable"
    )
    queues: dict[str, deque[list[object]]] = {a: deque() for a in traced}
    pieces: list[Piece] = []
    for row in ordered.itertuples(index=False):
        account, other = str(row.account), row.counterparty_account
        amount, t = int(row.amount_fen), int(row.t)
        if row.direction == "in":
            if isinstance(other, str) and other in traced:
                continue  # delivered, with its origins, when the paying account's debit was read
            origin = _origin(known.get((account, str(other), amount), []), t)
            queues[account].append([origin, amount])
            pieces.append(
                Piece(str(other or ""), account, origin, amount, t, row.source_file, row.source_row)
            )
            continue
        for origin, part in _take(queues[account], amount):
            target = str(other) if isinstance(other, str) else ""
            pieces.append(Piece(account, target, origin, part, t, row.source_file, row.source_row))
            if target in traced:
                queues[target].append([origin, part])
    return pieces


def _origin(candidates: list[tuple[int, str]], t: int) -> str:
    """The origin of a credit: the known payment of that payer and amount nearest in time,
    within a day (a statement giving the date only is up to a day off)."""
    near = [(abs(at - t), origin) for at, origin in candidates if abs(at - t) <= 86_400]
    return min(near)[1] if near else UNKNOWN


def _take(queue: deque[list[object]], amount: int) -> list[tuple[str, int]]:
    """Take ``amount`` fen from the oldest lots; what the queue lacks is of unknown origin."""
    taken: list[tuple[str, int]] = []
    left = amount
    while left > 0 and queue:
        lot = queue[0]
        origin, held = str(lot[0]), int(str(lot[1]))
        part = min(held, left)
        taken.append((origin, part))
        left -= part
        if part == held:
            queue.popleft()
        else:
            lot[1] = held - part
    if left > 0:
        taken.append((UNKNOWN, left))
    return taken
