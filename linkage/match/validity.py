"""When each designated card was in use: from its designation to the message that stopped it.

Organisers put cards in use and stop them in the chats (``match/designations.py`` reads what
each message does). Read in time order, per group (a card designated at one den is stopped at
the next when the organisers move), the messages give each card its periods of use: a card
starts with the message that designates it and ends with a later message that stops it by its
number or its last four digits, or that replaces every card in use (``换卡了…旧卡停用``).
A card stopped before any message designated it was in use from an unknown time.

A victim's payment into a card outside its periods still counts (victims reuse a number they
were given, and a group keeps collecting on a stopped card); it is marked, never dropped
(``outside_designation``). A stop naming last four digits that no card in use ends in, or
several do, ends nothing and is listed in the gaps.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

__all__ = ["Periods", "designation_periods", "outside_periods"]

MESSAGE = ["source_file", "source_sheet", "source_row"]
"""The columns that make one message."""


@dataclass
class Periods:
    """Each designated card's periods of use per group, and the stops that named no card."""

    periods: pd.DataFrame
    """``group_id``, ``account``, ``start_t`` (None: before the evidence), ``end_t`` (None:
    still in use at the last message)."""
    unmatched_stops: list[dict[str, object]] = field(default_factory=list)
    """A stop by last four digits that matches no card in use, or several: the message's
    provenance, group and the digits."""

    def bounds(self) -> pd.DataFrame:
        """Per group and card, the first start and the last end (None where open)."""
        columns = ["group_id", "account", "valid_from_t", "valid_to_t"]
        if self.periods.empty:
            return pd.DataFrame(columns=columns)
        rows = []
        for (group, account), spans in self.periods.groupby(["group_id", "account"], sort=True):
            starts, ends = spans["start_t"].tolist(), spans["end_t"].tolist()
            first = None if any(pd.isna(s) for s in starts) else int(min(starts))
            last = None if any(pd.isna(e) for e in ends) else int(max(ends))
            rows.append({"group_id": group, "account": account, "valid_from_t": first,
                         "valid_to_t": last})  # fmt: skip
        return pd.DataFrame(rows, columns=columns)


def designation_periods(acts: pd.DataFrame, groups: dict[str, str], cards: set[str]) -> Periods:
    """The periods of use of ``cards`` (the designated group accounts), read from ``acts``.

    ``acts`` has one row per act of a seized message: ``act`` (designate, stop, stop_tail,
    replace), ``account``, ``tail``, ``den``, ``t`` and the message's provenance; ``groups``
    maps each den to its group.

    >>> acts = pd.DataFrame({
    ...     "act": ["designate", "designate", "stop_tail", "designate", "replace"],
    ...     "account": ["A1111", "B2222", None, "C3333", None],
    ...     "tail": [None, None, "1111", None, None],
    ...     "den": ["d1", "d1", "d1", "d2", "d2"], "t": [10, 20, 30, 40, 40],
    ...     "source_file": ["m"] * 5, "source_sheet": [None] * 5, "source_row": [1, 2, 3, 4, 4]})
    >>> found = designation_periods(acts, {"d1": "G1", "d2": "G1"}, {"A1111", "B2222", "C3333"})
    >>> found.periods.values.tolist()
    [['G1', 'A1111', 10, 30], ['G1', 'B2222', 20, 40], ['G1', 'C3333', 40, None]]
    """
    known = acts[acts["den"].isin(groups.keys())]
    known = known.assign(group_id=known["den"].map(groups))
    ordered = known.sort_values(["group_id", "t", *MESSAGE], kind="stable", na_position="first")
    rows = ordered[["group_id", "t", *MESSAGE, "act", "account", "tail"]].astype(object)
    records = rows.where(rows.notna(), None).to_dict("records")
    periods: list[dict[str, object]] = []
    unmatched: list[dict[str, object]] = []
    for group, in_group in itertools.groupby(records, key=lambda r: r["group_id"]):
        timeline = _Timeline(str(group), cards)
        for _, message in itertools.groupby(in_group, key=_message):
            timeline.read(list(message))
        periods += timeline.closed()
        unmatched += timeline.unmatched
    frame = pd.DataFrame(periods, columns=["group_id", "account", "start_t", "end_t"], dtype=object)
    frame = frame.sort_values(["group_id", "account", "end_t"], kind="stable", na_position="last")
    return Periods(frame.reset_index(drop=True), unmatched)


Act = dict[str, Any]
"""One act of one message: ``act``, ``account``, ``tail``, ``t`` and the message's rows."""


def _message(act: Act) -> tuple[object, ...]:
    """The message an act belongs to: its time and provenance (the rows come sorted by it)."""
    return (act["t"], *(act[c] for c in MESSAGE))


class _Timeline:
    """One group's cards in use, read one message at a time in time order.

    A message's acts arrive as plain records: a long case has thousands of messages that
    designate or stop, and a data frame per message cost seconds."""

    def __init__(self, group: str, cards: set[str]) -> None:
        self.group = group
        self.cards = cards
        self.in_use: dict[str, int | None] = {}
        self.periods: list[dict[str, object]] = []
        self.unmatched: list[dict[str, object]] = []

    def read(self, message: list[Act]) -> None:
        """Apply one message's acts: replacing, stopping, then designating."""
        at = int(message[0]["t"])
        named = _accounts(message, "designate", self.cards)
        if any(act["act"] == "replace" for act in message):
            for card in [c for c in self.in_use if c not in named]:
                self._end(card, at)
        for card in _accounts(message, "stop", self.cards):
            if card in self.in_use:
                self._end(card, at)
            elif not any(p["account"] == card for p in self.periods):
                self.periods.append(self._period(card, None, at))
        for tail in [act["tail"] for act in message if act["act"] == "stop_tail"]:
            matching = [card for card in self.in_use if card.endswith(str(tail))]
            if len(matching) == 1:
                self._end(matching[0], at)
                continue
            self.unmatched.append({"group_id": self.group, "tail": tail, "t": at,
                                   "cards_in_use": len(matching),
                                   **{c: message[0][c] for c in MESSAGE}})  # fmt: skip
        for card in named:
            self.in_use.setdefault(card, at)

    def closed(self) -> list[dict[str, object]]:
        """Every period, those still open at the last message included."""
        still = [self._period(card, start, None) for card, start in sorted(self.in_use.items())]
        return self.periods + still

    def _end(self, card: str, at: int) -> None:
        self.periods.append(self._period(card, self.in_use.pop(card), at))

    def _period(self, card: str, start: int | None, end: int | None) -> dict[str, object]:
        return {"group_id": self.group, "account": card, "start_t": start, "end_t": end}


def _accounts(message: list[Act], act: str, cards: set[str]) -> list[str]:
    """The designated cards a message names for ``act``, in the order written."""
    named = (a["account"] for a in message if a["act"] == act)
    return [a for a in dict.fromkeys(named) if a in cards]


def outside_periods(transfers: pd.DataFrame, periods: pd.DataFrame) -> pd.Series:
    """For each transfer (``group_id``, ``group_account``, ``t``, ``t_span``), whether it falls
    outside every period of use of a designated card; false for accounts with no periods.

    A record giving the day only (``t_span``) is inside when any part of its day is.

    >>> periods = pd.DataFrame({"group_id": ["G1"], "account": ["A"], "start_t": [10],
    ...                         "end_t": [20]})
    >>> transfers = pd.DataFrame({"group_id": ["G1", "G1", "G1"], "group_account": ["A", "A", "B"],
    ...                           "t": [15, 25, 99], "t_span": [0, 0, 0]})
    >>> outside_periods(transfers, periods).tolist()
    [False, True, False]
    """
    keyed = transfers[["group_id", "group_account", "t", "t_span"]].reset_index(drop=True)
    keyed = keyed.assign(transfer=range(len(keyed)))
    spans = periods.rename(columns={"account": "group_account"})
    met = keyed.merge(spans, on=["group_id", "group_account"], how="inner")
    if met.empty:
        return pd.Series(False, index=transfers.index, dtype=bool)
    begins = met["t"].astype(float)
    ends = begins + met["t_span"].fillna(0).astype(float)
    starts = pd.to_numeric(met["start_t"], errors="coerce").fillna(-float("inf"))
    stops = pd.to_numeric(met["end_t"], errors="coerce").fillna(float("inf"))
    met = met.assign(inside=(starts <= ends) & (begins < stops))
    inside_any = met.groupby("transfer")["inside"].any()
    outside = pd.Series(False, index=range(len(keyed)), dtype=bool)
    outside[inside_any.index] = ~inside_any
    return pd.Series(outside.to_numpy(), index=transfers.index, dtype=bool)
