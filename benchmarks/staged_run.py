"""What the benchmarks share: a whole run split into timed stages, peak memory of the process
tree, and benchmark cases made on demand.

Each benchmark measures in a fresh Python process (``python benchmarks/X.py --child ...``), so
the peak memory it reports is that measurement's own. Spark's JVM is a child of that process:
its memory counts too, which ``getrusage`` alone would miss while the JVM still runs, so a
sampler adds up the resident memory of the whole process tree a few times a second.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

GIB = 1024**3
STAGES = ("load", "engine", "corroborate", "trace", "attribute", "requests", "write", "reports")


def peak_rss_gib() -> float:
    """This process's own peak resident memory so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / GIB


class TreeMemory:
    """The peak resident memory of this process and all its descendants, sampled."""

    def __init__(self, every_s: float = 0.2) -> None:
        self.peak_bytes = 0
        self._every_s = every_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def peak_gib(self) -> float:
        """The larger of the sampled tree peak and this process's own exact peak."""
        return max(peak_rss_gib(), self.peak_bytes / GIB)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        while not self._stop.wait(self._every_s):
            self.peak_bytes = max(self.peak_bytes, _tree_rss(os.getpid()))


def _tree_rss(pid: int) -> int:
    """Resident bytes of ``pid`` and its descendants (Linux ``/proc``)."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1]) * 1024
    return total


def run_stages(case: Path, out: Path, engine: str, spark_memory: str = "8g") -> dict[str, Any]:
    """``linkage.run`` on ``case`` stage by stage, with the wall time of each stage and the
    peak memory after it. ``engine`` stage: starting the engine (a JVM for Spark, nothing
    worth timing for DuckDB); ``write``: the tables, figures and manifest; ``reports``: the
    workbook and the HTML report with its evidence cards."""
    from linkage import attribute, corroborate, load_case, plan_requests, trace
    from linkage.engine import DuckDBEngine, Engine
    from linkage.report.html import write_html
    from linkage.report.outputs import write_outputs
    from linkage.report.workbook import workbook_from_outputs

    memory = TreeMemory()
    figures: dict[str, Any] = {"engine_name": engine}
    start = mark = time.perf_counter()

    def done(stage: str) -> None:
        nonlocal mark
        now = time.perf_counter()
        figures[f"{stage}_s"], figures[f"{stage}_rss"] = now - mark, memory.peak_gib()
        mark = now

    loaded = load_case(case)
    figures["rows"] = {name: len(table) for name, table in loaded.tables.items()}
    done("load")
    runner: Engine
    if engine == "spark":
        from linkage.engine.spark_engine import SparkEngine

        runner = SparkEngine(cores=2, driver_memory=spark_memory)  # its own session
    else:
        runner = DuckDBEngine()
    done("engine")
    findings = corroborate(loaded, engine=runner)
    done("corroborate")
    flows = trace(findings)
    done("trace")
    attribution = attribute(findings, engine=runner, flows=flows)
    done("attribute")
    runner.close()
    requests = plan_requests(findings, attribution, flows)
    done("requests")
    write_outputs(loaded, findings, attribution, flows, out, engine=engine, requests=requests)
    done("write")
    workbook_from_outputs(out)
    write_html(out)
    done("reports")
    figures["run_s"], figures["run_rss"] = time.perf_counter() - start, memory.peak_gib()
    verdicts = findings.victims["verdict"]
    figures["victims"] = int((verdicts != "unlinked").sum())
    figures["corroborated"] = int((verdicts == "corroborated").sum())
    figures["loss_fen"] = int(findings.victims["loss_fen"].sum())
    memory.stop()
    return figures


def ensure_case(given: Path | None, scale: float, scratch: Path) -> Path:
    """The ``case/`` folder of ``given``, or of a benchmark case generated at ``scale``
    (seed 7) in ``scratch``."""
    if given is not None:
        return given / "case"
    made = scratch / f"scale-{scale:g}"
    print(f"generating a benchmark case at scale {scale:g} in {made} ...", flush=True)
    subprocess.run(
        [sys.executable, "-m", "linkage.cli", "synth", str(made), "--profile", "benchmark",
         "--scale", f"{scale:g}", "--seed", "7"],
        check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    return made / "case"
