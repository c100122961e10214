"""What ``linkage run`` writes: the contract's result tables, the rejects and the manifest.

Every table is written as Parquet (exact types) and as UTF-8 CSV (what an analyst opens), in a
fixed row order, so the same case gives the same bytes; manifest.json then records the digest
of each file and every rule parameter used.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from linkage.flow import Flows
from linkage.further import Requests, plan_requests
from linkage.graph import Attribution, case_graph, write_graphml, write_node_link
from linkage.load.case import Case
from linkage.match.corroborate import Findings
from linkage.plot.style import find_cjk_font
from linkage.report.figures import write_figures
from linkage.report.html import write_html
from linkage.report.manifest import add_to_manifest, write_manifest
from linkage.report.out_folder import MANIFEST, OutFolder
from linkage.report.tables import write_table
from linkage.report.workbook import workbook_from_outputs
from linkage.schema import (
    ACCOUNT_GAPS,
    ATTRIBUTION_GAPS,
    COERCED,
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
    REQUEST_VICTIMS,
    REQUESTS,
    ROLES_EVIDENCE,
    STAYS,
    VICTIM_TRANSFERS,
)

__all__ = ["add_reports", "write_outputs"]


def write_outputs(
    case: Case,
    findings: Findings,
    attribution: Attribution,
    flows: Flows,
    folder: Path,
    engine: str = "duckdb",
    reports: bool = False,
    mask: bool = False,
    lang: str = "zh",
    requests: Requests | None = None,
) -> list[Path]:
    """Write every result table, the figures and ``manifest.json`` into ``folder``; with
    ``reports``, the evidence workbook and the HTML report too (masked with ``mask``). Return
    the paths; the manifest holds the digest of every other file. ``requests`` are planned
    here when not given."""
    requests = requests or plan_requests(findings, attribution, flows)
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
        (requests.requests, REQUESTS, "requests"),
        (requests.victims, REQUEST_VICTIMS, "request_victims"),
        (findings.transfers, VICTIM_TRANSFERS, "transfers"),
        (case.rejects, REJECTS, "rejects"),
        (case.coerced, COERCED, "coerced"),
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
        "reports_lang": lang if reports else None,
        "match": findings.params.as_dict(),
        "attribution": attribution.params.as_dict(),
        "flow": {
            "rule": flows.rule,
            "tolerance_s": flows.tolerance_s,
            "max_depth": flows.max_depth,
        },
        "requests": requests.params.as_dict(),
    }
    manifest = write_manifest(case, folder, written, parameters)
    if reports:  # the report reads the tables and the manifest just written, then is listed
        written.append(workbook_from_outputs(folder, mask=mask, lang=lang))
        written.append(write_html(folder, mask=mask, lang=lang))
        manifest = write_manifest(case, folder, written, parameters)
    return [*written, manifest]


REPORT_NAMES = {False: ("evidence.xlsx", "report.html"),
                True: ("evidence_masked.xlsx", "report_masked.html")}  # fmt: skip
"""What ``add_reports`` writes, by ``mask``."""


def add_reports(out: Path, mask: bool = False, lang: str = "zh") -> list[Path]:
    """Write the evidence workbook and the HTML report from the tables a run wrote to ``out``
    and list them in its manifest.

    The folder is rebuilt beside ``out`` (the run's files linked in, not copied) and swapped
    in as a run is, so the manifest never certifies a half-written report.

    Raises
    ------
    OutputError
        If ``out`` is locked by a run, or holds files its manifest does not list.
    """
    folder = OutFolder(out)
    with folder as staging:
        replaced = {MANIFEST, *REPORT_NAMES[mask]}
        for path in sorted(out.rglob("*")):
            name = path.relative_to(out).as_posix()
            if path.is_file() and name not in replaced:
                _link(path, staging / name)
        (staging / MANIFEST).write_bytes((out / MANIFEST).read_bytes())
        written = [
            workbook_from_outputs(staging, mask=mask, lang=lang),
            write_html(staging, mask=mask, lang=lang),
        ]
        add_to_manifest(staging, written)
        final = [folder.final(path) for path in written]
    return final


def _link(source: Path, target: Path) -> None:
    """``target`` as a hard link to ``source`` (a copy where the filesystem has none): the
    run's files are never rewritten, so sharing their bytes is safe."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        target.hardlink_to(source)
    except OSError:
        shutil.copy2(source, target)
