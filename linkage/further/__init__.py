"""From gaps to requests: the further evidence that would close what a run leaves open.

A case team acts on requests, not on sentences spread over a hundred rows: which bank to ask
for which accounts over which days, which carrier for which numbers, which victims and
suspects to question again. ``plan_requests`` turns every gap of a run (each sentence of a
victim's ``missing``, the money the tracer lost at an account with no statement, a loss
below the reported one, a stay resting on one border record) into such requests, one row per
addressee and subject, each saying which gaps it closes and which verdicts or amounts could
change (``requests``), and one row per victim and gap with the verdict and loss the answer
could turn (``request_victims``).

>>> import linkage.further
>>> "plan_requests" in linkage.further.__all__
True
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from linkage.flow import Flows
from linkage.further.banks import bank_parts
from linkage.further.carriers import carrier_of, carrier_parts
from linkage.further.facts import Facts
from linkage.further.params import RequestParams
from linkage.further.people import people_parts
from linkage.further.table import request_tables
from linkage.graph import Attribution
from linkage.match.corroborate import Findings

__all__ = ["RequestParams", "Requests", "carrier_of", "plan_requests"]


@dataclass(frozen=True)
class Requests:
    """The requests of a run and the victims' gaps each would close."""

    requests: pd.DataFrame
    victims: pd.DataFrame
    params: RequestParams = field(default_factory=RequestParams)

    def __repr__(self) -> str:
        counts = self.requests["to"].value_counts().to_dict()
        shown = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
        return f"<Requests: {len(self.requests)} ({shown})>"

    def _repr_html_(self) -> str:
        columns = [
            "request_id",
            "to",
            "addressee",
            "ask",
            "asked_from",
            "asked_to",
            "priority",
            "could_change",
        ]
        table: str = self.requests[columns].to_html(index=False)
        return f"<p>{self.__repr__()[1:-1]}</p>" + table


def plan_requests(
    findings: Findings,
    attribution: Attribution,
    flows: Flows,
    params: RequestParams | None = None,
) -> Requests:
    """The requests for further evidence of a run (``[requests]`` of case.toml by default)."""
    params = params or RequestParams.from_toml(findings.case.config.requests)
    facts = Facts.of(findings, params.padding_days)
    gaps = findings.victim_gaps
    banks = list(bank_parts(facts, gaps, flows, findings.group_identifiers))
    carriers = list(carrier_parts(facts, gaps, findings.group_identifiers))
    answered = {(a.victim_id, a.gap) for part in banks + carriers for a in part.affected}
    people = people_parts(
        facts,
        gaps,
        answered,
        attribution.stays,
        attribution.defendants,
        findings.case.tables["travel"],
    )
    requests, victims = request_tables(facts, [*banks, *carriers, *people])
    return Requests(requests, victims, params)
