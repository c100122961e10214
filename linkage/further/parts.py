"""A request in the making: one subject asked of one addressee, and each victim's gap it
would close with what the answer could turn for them.

The kinds of request (``banks.py``, ``carriers.py``, ``people.py``) each yield parts; parts
for the same subject (a payee one victim named and the tracer's money reached too) become one
request (``table.py``), so a bank is asked once per account.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from linkage.further.facts import VictimState
from linkage.normalize.amount import format_fen

__all__ = ["Affected", "Part", "verdict_with"]

VERDICT_RANK = {"unlinked": 0, "linked": 1, "corroborated": 2}
NO_CHANGE = "no verdict or amount changes"


def verdict_with(state: VictimState, adds: frozenset[str]) -> str:
    """The verdict the victim would have with the kinds ``adds`` found too, in time with the
    rest: never lower than now.

    >>> s = VictimState("v", "", "G1", "linked", frozenset({"call"}), 0, None, None, (), (),
    ...                 True, None, "f", 1, None)
    >>> verdict_with(s, frozenset({"transfer"})), verdict_with(s, frozenset())
    ('corroborated', 'linked')
    """
    kinds = len(state.kinds | adds)
    counted = "corroborated" if kinds >= 2 else "linked" if kinds == 1 else "unlinked"
    return max(counted, state.verdict, key=VERDICT_RANK.__getitem__)


@dataclass(frozen=True)
class Affected:
    """One victim's gap a request would close."""

    victim_id: str
    gap: str
    verdict: str
    verdict_if_found: str
    loss_fen: int
    loss_may_rise: bool
    change: str
    unproven_fen: int | None = None
    """What the victim reported beyond the proven loss (None: no loss reported)."""

    @classmethod
    def of(
        cls,
        state: VictimState,
        gap: str,
        adds: frozenset[str] = frozenset(),
        loss_may_rise: bool = False,
        otherwise: str = "",
        condition: str = "",
    ) -> Affected:
        """The victim's prediction when the answer brings the kinds ``adds`` (and, with
        ``loss_may_rise``, payments) in time with the rest; ``condition`` says what the
        answer must show, ``otherwise`` what changes when it adds no kind or payment."""
        after = verdict_with(state, adds)
        said = []
        if after != state.verdict:
            said.append(f"verdict may turn {state.verdict} → {after}")
        if loss_may_rise:
            told = (
                f" (reported {format_fen(state.reported_loss_fen, grouping=True)})"
                if state.reported_loss_fen
                else ""
            )
            said.append(f"loss may rise from {format_fen(state.loss_fen, grouping=True)}" + told)
        if otherwise:
            said.append(otherwise)
        if said and condition and (adds or loss_may_rise):
            said[-1] += f", {condition}, in time"
        reported = state.reported_loss_fen
        return cls(
            victim_id=state.victim_id,
            gap=gap,
            verdict=state.verdict,
            verdict_if_found=after,
            loss_fen=state.loss_fen,
            loss_may_rise=loss_may_rise,
            change="; ".join(said) or NO_CHANGE,
            unproven_fen=max(reported - state.loss_fen, 0) if reported is not None else None,
        )


@dataclass
class Part:
    """A request being built; parts with the same ``key`` are merged."""

    to: str
    addressee: str
    ask: str
    """What to ask for; merged parts ask for each of ``asks``."""
    subject_kind: str
    subject: str
    spans: list[tuple[dt.date, dt.date] | None] = field(default_factory=list)
    affected: list[Affected] = field(default_factory=list)
    closes: list[str] = field(default_factory=list)
    """Gaps closed that belong to no victim (a stay resting on one record)."""
    changes: list[str] = field(default_factory=list)
    """What could change beyond victims' verdicts and losses (a tracing, a defendant)."""
    victim_fen: int | None = None
    payments: set[str] = field(default_factory=set)
    person_ids: set[str] = field(default_factory=set)
    priority: int = 3
    provenance: tuple[str, int, str | None] | None = None

    asks: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.asks = self.asks or [self.ask]

    @property
    def key(self) -> tuple[str, str, str]:
        return self.to, self.subject_kind, self.subject

    def absorb(self, other: Part) -> None:
        """Take ``other``'s victims, gaps and figures into this request (same subject)."""
        self.spans += other.spans
        self.affected += other.affected
        self.closes += other.closes
        self.changes += other.changes
        if other.victim_fen is not None:
            self.victim_fen = (self.victim_fen or 0) + other.victim_fen
        self.payments |= other.payments
        self.person_ids |= other.person_ids
        self.priority = min(self.priority, other.priority)
        if self.provenance is None:
            self.provenance = other.provenance
        for ask in other.asks:
            if ask not in self.asks:
                self.asks.append(ask)
