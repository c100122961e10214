"""linkage: link telecom-fraud victims to offenders from electronic evidence, with provenance.

The public API, everything a notebook or script needs; modules not named here may move.
The stages, in order: ``load_case`` reads a case folder, ``corroborate`` links its victims to
its groups, ``attribute`` gives each defendant their group, role, periods and amount;
``plan_requests`` turns what is left open into requests for further evidence; ``run`` does
all of it and writes the result tables; ``evidence_card`` reads one victim's evidence back.

>>> import linkage
>>> {"load_case", "corroborate", "attribute", "run"} <= set(linkage.__all__)
True
"""

from __future__ import annotations

__version__ = "0.1.0"

from linkage.errors import (
    ConfigError,
    InvalidAmount,
    InvalidIdentifier,
    InvalidTime,
    LinkageError,
    OutputError,
    SourceError,
)
from linkage.flow import Flows, trace
from linkage.further import RequestParams, Requests, plan_requests
from linkage.graph import Attribution, AttributionParams, attribute, case_graph
from linkage.load.case import Case, load_case
from linkage.load.draft import draft_case_toml
from linkage.match.corroborate import Findings, corroborate
from linkage.match.params import MatchParams
from linkage.pipeline import RunResult, run
from linkage.rejects import RejectReason
from linkage.report.card import EvidenceCard, evidence_card
from linkage.schema import TABLES

__all__ = [
    "TABLES",
    "Attribution",
    "AttributionParams",
    "Case",
    "ConfigError",
    "EvidenceCard",
    "Findings",
    "Flows",
    "InvalidAmount",
    "InvalidIdentifier",
    "InvalidTime",
    "LinkageError",
    "MatchParams",
    "OutputError",
    "RejectReason",
    "RequestParams",
    "Requests",
    "RunResult",
    "SourceError",
    "__version__",
    "attribute",
    "case_graph",
    "corroborate",
    "draft_case_toml",
    "evidence_card",
    "load_case",
    "plan_requests",
    "run",
    "trace",
]
