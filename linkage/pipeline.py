"""The whole job on one case folder: load, corroborate, attribute, trace, write. ``linkage run``
calls this.

A notebook calls the stages one by one (``load_case``, ``corroborate``) to look at what each
returns; a batch run wants them chained with one progress bar per stage and the outputs on disk.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from linkage.engine import Engine, open_engine
from linkage.flow import Flows, trace
from linkage.further import Requests, plan_requests
from linkage.graph import Attribution, attribute
from linkage.load.case import Case
from linkage.load.saved import open_case
from linkage.match.corroborate import Findings, corroborate
from linkage.progress import stage
from linkage.report.out_folder import OutFolder
from linkage.report.outputs import write_outputs

__all__ = ["RunResult", "run"]


@dataclass(frozen=True)
class RunResult:
    """A finished run: the loaded case, what corroboration found, what each defendant answers
    for, and the files written."""

    case: Case
    findings: Findings
    attribution: Attribution
    flows: Flows
    written: tuple[Path, ...]
    requests: Requests | None = None
    """The further evidence that would close the run's gaps (``linkage.further``)."""

    def __repr__(self) -> str:
        return f"<RunResult {self.case.config.name}: {self.findings!r}, {len(self.written)} files>"


def run(
    case_folder: str | Path,
    out: str | Path,
    engine: str | Engine = "duckdb",
    progress: bool = False,
    reports: bool = True,
    mask: bool = False,
    lang: str = "zh",
) -> RunResult:
    """Load the case in ``case_folder`` (a case folder, or canonical tables saved by
    ``linkage load --to``), corroborate it, trace the money, attribute it to the defendants,
    and write every output to ``out``: the tables, the figures and, with
    ``reports``, the evidence workbook and the HTML report (identifiers masked with ``mask``;
    headers and text in Chinese, or in English with ``lang="en"``).

    ``engine`` runs the rules: ``"duckdb"`` (embedded), ``"spark"`` (a local Spark session) or
    an ``Engine`` such as ``SparkEngine(session)`` on a cluster's session. One engine serves
    every stage of the run; one opened here is closed here.

    Raises
    ------
    ConfigError, SourceError
        If the case cannot be loaded.
    OutputError
        If ``out`` cannot be written, is locked by another run, or holds files linkage did
        not write. Nothing is written to ``out`` unless the whole run succeeds: it is staged
        beside ``out`` and swapped in (``linkage.report.out_folder``).
    """
    folder = OutFolder(Path(out))
    with folder as staging:  # checked and locked before any work, swapped in at the end
        case = open_case(case_folder, progress=progress)
        runner = open_engine(engine) if isinstance(engine, str) else engine
        try:
            findings = corroborate(case, engine=runner, progress=progress)
            with stage("trace", progress):
                flows = trace(findings)  # once: the money mules' amounts follow the same hops
            with stage("attribute", progress):
                attribution = attribute(findings, engine=runner, flows=flows)
            requests = plan_requests(findings, attribution, flows)
        finally:
            if isinstance(engine, str):
                runner.close()
        with stage("write", progress):  # an OSError here is one OutputError (OutFolder)
            staged = write_outputs(
                case, findings, attribution, flows, staging, engine=runner.name,
                reports=reports, mask=mask, lang=lang, requests=requests,
            )  # fmt: skip
        written = tuple(folder.final(path) for path in staged)
    return RunResult(case, findings, attribution, flows, written, requests)
