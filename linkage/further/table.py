"""The requests as tables: parts merged per subject, ordered, numbered.

Order: banks, then carriers, then people; within each, the requests that could turn a verdict
first, then those that could change an amount or a period, then the rest; then by the
victims' money at stake, most first; then by subject. ``request_id`` numbers that order, so
the same case gives the same numbers.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from linkage.further.facts import Facts
from linkage.further.parts import NO_CHANGE, Part
from linkage.normalize.amount import format_fen
from linkage.schema import REQUEST_VICTIMS, REQUESTS

__all__ = ["request_tables"]

TO_ORDER = {"bank": 0, "carrier": 1, "people": 2}
AFFECTED_COLUMNS = [c for c in REQUEST_VICTIMS.column_names if c != "request_id"]
CLOSES_SEPARATOR = " | "
"""Between the gaps a request closes: a gap sentence may hold "; " itself."""


def request_tables(facts: Facts, parts: Iterable[Part]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``requests`` and ``request_victims`` from every part."""
    merged: dict[tuple[str, str, str], Part] = {}
    for part in parts:
        if part.key in merged:
            merged[part.key].absorb(part)
        else:
            merged[part.key] = part
    ordered = sorted(merged.values(), key=_order)
    width = max(3, len(str(len(ordered))))  # R001 or R0001: the ids sort as the table does
    requests, affected = [], []
    for number, part in enumerate(ordered, start=1):
        request_id = f"R{number:0{width}d}"
        requests.append(_request_row(request_id, facts, part))
        seen = set()
        for victim in part.affected:
            if (victim.victim_id, victim.gap) in seen:
                continue
            seen.add((victim.victim_id, victim.gap))
            row = {column: getattr(victim, column) for column in AFFECTED_COLUMNS}
            affected.append({"request_id": request_id, **row})
    request_frame = pd.DataFrame(requests, columns=REQUESTS.column_names)
    victim_frame = pd.DataFrame(affected, columns=REQUEST_VICTIMS.column_names)
    victim_frame = victim_frame.sort_values(["request_id", "victim_id", "gap"], kind="stable")
    return REQUESTS.conform(request_frame), REQUEST_VICTIMS.conform(victim_frame)


def _priority(part: Part) -> int:
    """1 when a victim's verdict could turn, 2 when a loss could rise (or the part says an
    amount or period could change), else 3."""
    if any(a.verdict_if_found != a.verdict for a in part.affected):
        return 1
    if any(a.loss_may_rise for a in part.affected):
        return 2
    return part.priority


def _order(part: Part) -> tuple[int, int, int, int, str, str]:
    return (
        TO_ORDER[part.to],
        _priority(part),
        -(part.victim_fen or 0),
        -(_unproven(part) or 0),
        part.subject_kind,
        part.subject,
    )


def _unproven(part: Part) -> int | None:
    """What the victims whose loss may rise reported beyond what is proven; None when none
    of them reported a loss."""
    reported = {a.victim_id: a.unproven_fen for a in part.affected
                if a.loss_may_rise and a.unproven_fen is not None}  # fmt: skip
    return sum(reported.values()) if reported else None


def _request_row(request_id: str, facts: Facts, part: Part) -> dict[str, object]:
    victims = sorted({a.victim_id for a in part.affected})
    period = facts.period(part.spans)
    closes = sorted({a.gap for a in part.affected} | set(part.closes))
    source = part.provenance or (None, None, None)
    return {
        "request_id": request_id,
        "to": part.to,
        "addressee": part.addressee,
        "ask": "; ".join(part.asks),
        "subject_kind": part.subject_kind,
        "subject": part.subject,
        "asked_from": period[0] if period else None,
        "asked_to": period[1] if period else None,
        "priority": _priority(part),
        "closes": CLOSES_SEPARATOR.join(closes),
        "could_change": _could_change(part),
        "victim_fen": part.victim_fen,
        "unproven_fen": _unproven(part),
        "victims": len(victims),
        "victim_ids": ";".join(victims),
        "payment_ids": ";".join(sorted(part.payments)),
        "person_ids": ";".join(sorted(part.person_ids)),
        "source_file": source[0],
        "source_row": source[1],
        "source_sheet": source[2],
    }


def _could_change(part: Part) -> str:
    """The verdicts, losses and other figures the answer could change, in words."""
    said = []
    turns: dict[str, set[str]] = {}
    for affected in part.affected:
        if affected.verdict_if_found != affected.verdict:
            turn = f"{affected.verdict} → {affected.verdict_if_found}"
            turns.setdefault(turn, set()).add(affected.victim_id)
    for turn, victims in sorted(turns.items()):
        said.append(f"{_victims(len(victims))} may turn {turn}")
    rising = {a.victim_id: a.loss_fen for a in part.affected if a.loss_may_rise}
    if rising:
        total = format_fen(sum(rising.values()), grouping=True)
        said.append(f"the losses of {_victims(len(rising))} (now {total}) may rise")
    said += sorted(set(part.changes))
    return "; ".join(said) or NO_CHANGE


def _victims(count: int) -> str:
    return f"{count} victim" if count == 1 else f"{count} victims"
