"""Which lots of money an outgoing transfer takes: first in, last in, or a share of each.

An account's balance is a list of lots (money of one origin, arrived at one time, by one path).
A debit takes its amount from them by a rule, split exactly in fen:

- ``fifo``: oldest lots first (what a mule passing money on in order does);
- ``lifo``: newest lots first (what a mule forwarding each payment at once does);
- ``proportional``: from every lot in proportion to its size, the remainders in fen given to
  the largest fractions (ties to the older lot), so the parts always add up exactly.

What the lots cannot cover comes from an ``unknown`` lot: the statements do not say where it
came from, and the amounts stay conserved.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["RULES", "UNKNOWN", "Lot", "take"]

RULES = ("fifo", "lifo", "proportional")
UNKNOWN = ""
"""Origin of money the traced statements do not show arriving."""


@dataclass(slots=True)
class Lot:
    """Money of one origin in one account: how much is left, since when, by which path."""

    origin: str
    amount_fen: int
    arrived: int
    """Epoch seconds it reached this account."""
    path: tuple[str, ...]
    """Accounts it passed through, the victim's first."""
    payment: str = ""
    """The payment it came from (victim and time), empty for unknown money."""


def take(lots: list[Lot], amount_fen: int, rule: str) -> list[Lot]:
    """Remove ``amount_fen`` from ``lots`` (in place, oldest first) by ``rule``; return the parts.

    >>> lots = [Lot("a", 300, 1, ("x",)), Lot("b", 100, 2, ("y",))]
    >>> [(p.origin, p.amount_fen) for p in take(lots, 350, "fifo")], lots[0].amount_fen
    ([('a', 300), ('b', 50)], 50)
    >>> lots = [Lot("a", 300, 1, ("x",)), Lot("b", 100, 2, ("y",))]
    >>> [(p.origin, p.amount_fen) for p in take(lots, 101, "proportional")]
    [('a', 76), ('b', 25)]
    """
    if rule == "fifo" or rule == "lifo":
        parts, covered = _in_order(lots, amount_fen, newest_first=rule == "lifo")
    elif rule == "proportional":
        parts = _proportional(lots, amount_fen)
        lots[:] = [lot for lot in lots if lot.amount_fen > 0]
        covered = sum(p.amount_fen for p in parts)
    else:
        raise ValueError(f"unknown allocation rule {rule!r}: expected one of {RULES}")
    if covered < amount_fen:
        parts.append(Lot(UNKNOWN, amount_fen - covered, 0, ()))
    return parts


def _in_order(lots: list[Lot], amount_fen: int, newest_first: bool) -> tuple[list[Lot], int]:
    """Take from the oldest (or newest) lots until ``amount_fen`` is covered; the parts and
    what they cover.

    The lots emptied are the ones taken first, so they are cut off that end of the list in one
    step: a mule's account can hold tens of thousands of lots, and rebuilding the list on every
    debit made tracing quadratic in them.
    """
    parts = []
    left = amount_fen
    emptied = 0
    order = reversed(lots) if newest_first else iter(lots)
    for lot in order:
        if left == 0:
            break
        part = min(lot.amount_fen, left)
        if part:
            parts.append(_part(lot, part))
            lot.amount_fen -= part
            left -= part
        if lot.amount_fen == 0:
            emptied += 1
        else:
            break
    if emptied:
        if newest_first:
            del lots[len(lots) - emptied :]
        else:
            del lots[:emptied]
    return parts, amount_fen - left


def _proportional(lots: list[Lot], amount_fen: int) -> list[Lot]:
    held = sum(lot.amount_fen for lot in lots)
    if held == 0:
        return []
    wanted = min(amount_fen, held)
    shares = [(lot.amount_fen * wanted) // held for lot in lots]
    remainders = [(lot.amount_fen * wanted) % held for lot in lots]
    short = wanted - sum(shares)
    for index in sorted(range(len(lots)), key=lambda i: (-remainders[i], i))[:short]:
        shares[index] += 1
    parts = []
    for lot, share in zip(lots, shares, strict=True):
        if share:
            parts.append(_part(lot, share))
            lot.amount_fen -= share
    return parts


def _part(lot: Lot, amount_fen: int) -> Lot:
    return Lot(lot.origin, amount_fen, lot.arrived, lot.path, lot.payment)
