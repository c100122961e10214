"""What ``linkage run`` writes: the contract's result tables, the rejects and the manifest.

Every table is written as Parquet (exact types) and as UTF-8 CSV (what an analyst opens), in a
fixed row order, so the same case gives the same bytes; manifest.json then records the digest
of each file and every rule parameter used.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from linkage.flow import Flows
from linkage.graph import Attribution, case_graph, write_graphml, write_node_link
from linkage.load.case import Case
from linkage.match.corroborate import Findings
from linkage.plot.style import find_cjk_font
from linkage.report.figures import write_figures
from linkage.report.html import write_html
from linkage.report.manifest import write_manifest
from linkage.report.tables import write_table
from linkage.report.workbook import workbook_from_outputs
from linkage.schema import (
    ACCOUNT_GAPS,
    ATTRIBUTION_GAPS,
    DEFENDANT_VICTIMS,
    DEFENDANTS,
    DESTINATIONS,
    FINDING_VICTIMS,
    FLOW_LAYERS,
    FLOWS,
    GROUP_IDENTIFIERS,
    LEADS,
    LINKS,
    REJECTS,
    ROLES_EVIDENCE,
    STAYS,
    VICTIM_TRANSFERS,
)

__all__ = ["write_outputs"]


def write_outputs(
    case: Case,
    findings: Findings,
    attribution: Attribution,
    flows: Flows,
    folder: Path,
    engine: str = "duckdb",
    reports: bool = False,
    mask: bool = False,
) -> list[Path]:
    """Write every result table, the figures and ``manifest.json`` into ``folder``; with
    ``reports``, the evidence workbook and the HTML report too (masked with ``mask``). Return
    the paths; the manifest holds the digest of every other file."""
    tables = (
        (findings.victims, FINDING_VICTIMS, "victims"),
        (attribution.defendants, DEFENDANTS, "defendants"),
        (attribution.defendant_victims, DEFENDANT_VICTIMS, "defendant_victims"),
        (attribution.roles_evidence, ROLES_EVIDENCE, "roles_evidence"),
        (attribution.stays, STAYS, "stays"),
        (attribution.gaps, ATTRIBUTION_GAPS, "attribution_gaps"),
        (flows.hops, FLOWS, "flows"),
        (flows.destinations, DESTINATIONS, "destinations"),
        (flows.layers(), FLOW_LAYERS, "flow_layers"),
        (findings.links, LINKS, "links"),
        (findings.group_identifiers, GROUP_IDENTIFIERS, "group_identifiers"),
        (findings.leads, LEADS, "leads"),
        (findings.account_gaps, ACCOUNT_GAPS, "account_gaps"),
        (findings.transfers, VICTIM_TRANSFERS, "transfers"),
        (case.rejects, REJECTS, "rejects"),
    )
    written: list[Path] = []
    for frame, table, stem in tables:
        written += write_table(frame, table, folder, stem)
    written += write_figures(case, findings, attribution, flows, folder / "figures")
    graph = case_graph(findings, attribution)
    written.append(write_graphml(graph, folder / "case_graph.graphml"))
    written.append(write_node_link(graph, folder / "case_graph.json"))
    parameters: dict[str, Any] = {
        "engine": engine,
        "figures_font": find_cjk_font() or "",
        "reports_masked": mask if reports else None,
        "match": findings.params.as_dict(),
        "attribution": attribution.params.as_dict(),
        "flow": {
            "rule": flows.rule,
            "tolerance_s": flows.tolerance_s,
            "max_depth": flows.max_depth,
        },
    }
    manifest = write_manifest(case, folder, written, parameters)
    if reports:  # the report reads the tables and the manifest just written, then is listed
        written.append(workbook_from_outputs(folder, mask=mask))
        written.append(write_html(folder, mask=mask))
        manifest = write_manifest(case, folder, written, parameters)
    return [*written, manifest]
