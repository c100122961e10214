"""Synthetic case generation at scale: wall time, peak memory, rows written and size on disk.

Runs ``linkage synth`` in a fresh process (so the peak resident memory is the generator's own)
and prints what it wrote. Target: a case of >= 10M call rows, 5M transactions and 1M messages,
streamed to disk with peak RSS <= 2 GiB. The defaults make that case (about 2.2 GB on disk);
the folder is deleted afterwards unless ``--keep`` names where to put it.

    python benchmarks/synth.py [--scale 100] [--profile benchmark] [--seed 7] [--keep DIR]
"""

from __future__ import annotations

import argparse
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_RSS_GIB = 2.0


def folder_bytes(root: Path) -> int:
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=100.0)
    parser.add_argument("--profile", default="benchmark")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", type=Path, default=None, help="write the case here and keep it")
    args = parser.parse_args()
    scratch = None if args.keep else tempfile.mkdtemp(prefix="linkage-synth-")
    out = args.keep or Path(scratch or ".") / "case"
    command = [
        sys.executable,
        "-m",
        "linkage.cli",
        "synth",
        str(out),
        "--seed",
        str(args.seed),
        "--scale",
        str(args.scale),
        "--profile",
        args.profile,
        "--force",
    ]
    started = time.perf_counter()
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    peak_gib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 2**20
    counts = dict(re.findall(r"(\w+) ([\d,]+)", done.stdout.split("(", 1)[1]))
    case_bytes = folder_bytes(out / "case")
    truth_bytes = folder_bytes(out / "ground_truth")
    print(f"linkage synth --profile {args.profile} --scale {args.scale:g} --seed {args.seed}")
    for name in ("calls_rows", "transactions_rows", "chats_rows", "victims", "suspects"):
        print(f"  {name:18} {int(counts.get(name, '0').replace(',', '')):>12,}")
    rows = sum(int(counts.get(k, "0").replace(",", "")) for k in counts if k.endswith("_rows"))
    print(f"  {'wall time':18} {seconds:>12.1f} s  ({rows / seconds:,.0f} rows/s written)")
    print(f"  {'peak RSS':18} {peak_gib:>12.2f} GiB  (target <= {TARGET_RSS_GIB:g} GiB)")
    print(f"  {'case on disk':18} {case_bytes / 2**30:>12.2f} GiB")
    print(f"  {'ground truth':18} {truth_bytes / 2**20:>12.1f} MiB")
    if scratch:
        shutil.rmtree(scratch)
    return 0 if peak_gib <= TARGET_RSS_GIB else 1


if __name__ == "__main__":
    sys.exit(main())
