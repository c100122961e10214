"""Which dens belong to one group: dens joined by an identifier seen at both.

A den's chat sender who is on another den's roster, a phone both dens' dial lists show, an
account both dens' ledgers collect into: each is a strong shared identifier, and dens that share
one, directly or through other dens, are one group (DOMAIN.md §2 rule 4). Names never join dens.
Groups are numbered G1, G2, ... by the first call their dens placed, so the numbering is stable.
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa

__all__ = ["den_groups"]


def den_groups(identifiers: pd.DataFrame, calls: pa.Table) -> pd.DataFrame:
    """(den, group_id) for every den the identifiers or the seized calls name.

    >>> seen = pd.DataFrame({"identifier": ["a", "a", "b", "c"], "kind": ["handle"] * 4,
    ...                      "den": ["d1", "d2", "d2", "d3"]})
    >>> calls = pa.table({"den": ["d3", "d1"], "t": [5, 9]})
    >>> den_groups(seen, calls).values.tolist()
    [['d3', 'G1'], ['d1', 'G2'], ['d2', 'G2']]
    """
    parent: dict[str, str] = {}

    def find(den: str) -> str:
        while parent.setdefault(den, den) != den:
            parent[den] = parent[parent[den]]
            den = parent[den]
        return den

    located = identifiers.dropna(subset=["den"])
    for _, dens in located.groupby(["kind", "identifier"])["den"]:
        names = sorted(set(dens))
        for other in names[1:]:
            parent[find(other)] = find(names[0])
    first_call = _first_call(calls)
    for den in first_call:
        find(den)
    members: dict[str, list[str]] = {}
    for den in sorted(parent):
        members.setdefault(find(den), []).append(den)
    never = float("inf")
    ordered = sorted(
        members.values(), key=lambda dens: (min(first_call.get(d, never) for d in dens), dens[0])
    )
    rows = [
        {"den": den, "group_id": f"G{number}"}
        for number, dens in enumerate(ordered, start=1)
        for den in dens
    ]
    return pd.DataFrame(rows, columns=["den", "group_id"])


def _first_call(calls: pa.Table) -> dict[str, float]:
    """Each den's earliest call time (epoch seconds)."""
    # Grouped first, calls without a den (carriers' records) dropped from the few groups after:
    # filtering ten million calls first would copy them.
    grouped = calls.select(["den", "t"]).group_by("den").aggregate([("t", "min")])
    dens, firsts = grouped.column("den").to_pylist(), grouped.column("t_min").to_pylist()
    return {den: t for den, t in zip(dens, firsts, strict=True) if den is not None}
