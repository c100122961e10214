"""The whole run at 1M, 3M and 10M call rows, on DuckDB and on Spark local[2].

Each size is a ``linkage synth --profile benchmark`` case (seed 7) with transactions and
messages in proportion. Each (size, engine) pair runs in a fresh Python process through
``staged_run.run_stages``: load, engine start, corroborate, attribute, trace, write (tables,
figures and case graph; no reports). It prints wall time, peak memory of the process tree
(Spark's JVM included) and input rows per second for each stage, then the growth from each
size to the next, and writes the same as a Markdown table to ``--markdown`` (the tables in
docs/performance.md come from there).

    python benchmarks/scale.py [--sizes 1M 3M 10M] [--engines duckdb spark]
                               [--cases DIR] [--markdown FILE] [--spark-memory 8g]

``--cases DIR`` keeps generated cases in DIR (``DIR/1M`` ...) and reuses them next time.
"""

from __future__ import annotations

import argparse
import itertools
import json
import platform
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from staged_run import STAGES, ensure_case, run_stages

SCALES = {"1M": 6.2, "3M": 23.1, "10M": 82.3}
"""``--scale`` of the benchmark profile that gives about this many call rows (seed 7)."""


def measure(case: Path, out: Path, engine: str, spark_memory: str) -> dict[str, Any]:
    """One run in a fresh process; its figures."""
    command = [sys.executable, __file__, "--child", str(case), str(out), engine, spark_memory]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{engine} run of {case} failed:\n{done.stderr[-3000:]}")
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def input_rows(figures: dict[str, Any]) -> int:
    rows = figures["rows"]
    return int(rows["calls"] + rows["transactions"] + rows["messages"])


def stage_lines(size: str, figures: dict[str, Any]) -> list[str]:
    """Markdown rows: one per stage and one for the whole run."""
    rows = input_rows(figures)
    lines = []
    for stage in (*STAGES, "run"):
        seconds = figures[f"{stage}_s"]
        speed = f"{rows / seconds:,.0f}" if stage not in ("engine",) and seconds > 0 else ""
        name = "whole run" if stage == "run" else stage
        lines.append(
            f"| {size} | {figures['engine_name']} | {name} | {seconds:,.1f} | "
            f"{figures[f'{stage}_rss']:.2f} | {speed} |"
        )
    return lines


def markdown(results: dict[tuple[str, str], dict[str, Any]], command: str) -> str:
    """The figures as the tables of docs/performance.md."""
    sizes = list(dict.fromkeys(size for size, _ in results))
    engines = list(dict.fromkeys(engine for _, engine in results))
    out = [
        f"Machine: {platform.machine()}, 2 cores, 24 GiB; Python {platform.python_version()}.",
        f"Command: `{command}`",
        "",
        "Input rows (calls + transactions + messages) and linked victims per size:",
        "",
        "| size | call rows | transactions | messages | input rows | victims linked |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for size in sizes:
        figures = results[(size, engines[0])]
        rows = figures["rows"]
        out.append(
            f"| {size} | {rows['calls']:,} | {rows['transactions']:,} | {rows['messages']:,} | "
            f"{input_rows(figures):,} | {figures['victims']:,} |"
        )
    out += [
        "",
        "Per stage: wall time, peak memory of the process tree so far (the JVM included), "
        "input rows per second:",
        "",
        "| size | engine | stage | seconds | peak RSS GiB | rows/s |",
        "|---|---|---|---:|---:|---:|",
    ]
    for (size, _engine), figures in results.items():
        out += stage_lines(size, figures)
    out += ["", "Growth of the whole run and of corroboration from one size to the next:", ""]
    out += ["| engine | sizes | input rows | whole run | corroborate |", "|---|---|---:|---:|---:|"]
    for engine in engines:
        for small, large in itertools.pairwise(sizes):
            one, other = results[(small, engine)], results[(large, engine)]
            out.append(
                f"| {engine} | {small} → {large} | {input_rows(other) / input_rows(one):.2f}x | "
                f"{other['run_s'] / one['run_s']:.2f}x | "
                f"{other['corroborate_s'] / one['corroborate_s']:.2f}x |"
            )
    return "\n".join(out) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=list(SCALES), choices=list(SCALES))
    parser.add_argument("--engines", nargs="+", default=["duckdb", "spark"])
    parser.add_argument("--cases", type=Path, default=None, help="keep and reuse cases here")
    parser.add_argument("--markdown", type=Path, default=None, help="write the tables here")
    parser.add_argument("--spark-memory", default="8g", help="Spark driver memory (local mode)")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        case, out, engine, memory = args.child
        print(json.dumps(run_stages(Path(case), Path(out), engine, spark_memory=memory)))
        return 0
    scratch = Path(tempfile.mkdtemp(prefix="linkage-scale-"))
    results: dict[tuple[str, str], dict[str, Any]] = {}
    try:
        for size in args.sizes:
            kept = args.cases / size if args.cases else None
            if kept is not None and not (kept / "case").is_dir():
                shutil.rmtree(kept, ignore_errors=True)  # a generation cut short
                ensure_case(None, SCALES[size], args.cases).parent.rename(kept)
            case = ensure_case(kept, SCALES[size], scratch)
            for engine in args.engines:
                figures = measure(case, scratch / f"out-{size}-{engine}", engine, args.spark_memory)
                results[(size, engine)] = figures
                print("\n".join(stage_lines(size, figures)), flush=True)
        command = (  # what shapes the figures; where the cases and tables were kept does not
            f"python benchmarks/scale.py --sizes {' '.join(args.sizes)} "
            f"--engines {' '.join(args.engines)} --spark-memory {args.spark_memory}"
        )
        table = markdown(results, command)
        print("\n" + table)
        if args.markdown is not None:
            args.markdown.write_text(table, encoding="utf-8")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
