"""Loader throughput: a 1M-row GB18030 bank return and a 1M-row call-record CSV.

Generates both files (deterministically, from a seed) in a temporary case folder, then loads each
source in a fresh process, ``--repeat`` times, and prints rows/s end to end (bytes on disk to
canonical Arrow-backed tables, rejects included) for the best and the median run, and the peak
resident memory. The machines are shared and noisy: the best of several fresh runs is what the
code can do, the median what a user may see. Targets on 2 cores: >= 200k rows/s per source,
peak RSS <= 2 GiB.

    python benchmarks/load.py [--rows 1000000] [--seed 7] [--repeat 3] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from statistics import median

BANK_HEADER = (
    "交易卡号,交易账号,交易方户名,交易方证件号码,交易时间,交易金额,交易余额,收付标志,交易对手账卡号,"
    "现金标志,对手户名,对手身份证号,对手开户银行,摘要说明,交易币种,交易网点名称,交易发生地,交易是否成功,"
    "传票号,IP地址,MAC地址,对手交易余额,交易流水号,日志号,凭证种类,凭证号,交易柜员号,备注,商户名称,"
    "交易类型,查询反馈结果原因"
)
CALL_HEADER = "己方号码*,截获时间*,呼叫类型*,对方号码*,己方位置区*,己方小区*,己方卡号*,己方机身码*,时长*,己方姓名*,对方姓名*"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英"


def write_bank_return(folder: Path, rows: int, rng: random.Random) -> None:
    """A 查控 return folder with one 31-column 交易明细 file in GB18030."""
    folder.mkdir(parents=True, exist_ok=True)
    cards = [f"6222{rng.randrange(10**14, 10**15)}" for _ in range(200)]
    internal = {card: f"{rng.randrange(10**19, 10**20)}" for card in cards}  # 交易账号
    counterparts = [f"6217{rng.randrange(10**14, 10**15)}" for _ in range(20000)]
    names = [rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN) for _ in range(5000)]
    lines = [BANK_HEADER]
    start = 1451606400  # 2016-01-01
    for i in range(rows):
        card = rng.choice(cards)
        amount = rng.randrange(100, 5_000_000)
        flag = "进" if rng.random() < 0.5 else "出"
        stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(start + i * 7))
        lines.append(
            f"{card}_156_1,{internal[card]},{rng.choice(names)},,{stamp},"
            f"{amount // 100}.{amount % 100:02d},{rng.randrange(0, 10**8) / 100:.2f},{flag},"
            f"{rng.choice(counterparts)},其它,{rng.choice(names)},,中国工商银行,网银转账,CNY,,,01,"
            f",,,,{i:012d},{i:08d},,,,\\N,,转账,"
        )
    text = "\n".join(lines) + "\n"
    (folder / "中国工商银行交易明细信息.csv").write_bytes(text.encode("gb18030"))
    (folder / "账户信息.csv").write_bytes(
        "账户开户名称,开户人证件号码,交易卡号,交易账号,账号开户时间,账户状态\n".encode("gb18030")
    )


def write_call_records(path: Path, rows: int, rng: random.Random) -> None:
    """A police-platform call-record export: ``*`` headers, ``\\t``-prefixed values, UTF-8."""
    path.parent.mkdir(parents=True, exist_ok=True)
    own = [f"13{rng.randrange(10**8, 10**9)}" for _ in range(50)]
    # Mostly valid mobiles, a few short codes and service numbers, as real returns hold.
    others = [f"1{rng.choice('358')}{rng.randrange(10**8, 10**9)}" for _ in range(100000)]
    others += ["10086", "95555", "4008123123", "1069012345"]
    lines = [CALL_HEADER]
    start = 1451606400
    for i in range(rows):
        stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(start + i * 3))
        kind = "主叫" if rng.random() < 0.5 else "被叫"
        lines.append(
            f"\t{rng.choice(own)},\t{stamp},\t{kind},\t{rng.choice(others)},\t{rng.randrange(0, 65535)},"
            f"\t{rng.randrange(0, 65535)},\t46000{rng.randrange(10**9, 10**10)},\t86{rng.randrange(10**12, 10**13)},"
            f"\t{rng.randrange(0, 1800)},\t,\t"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


CASE_TOML = """\
[case]
name = "bench"
timezone = "Asia/Shanghai"

[[source]]
path = "{path}"
kind = "{kind}"
origin = "{origin}"
"""

MEASURE = """\
import json, resource, sys, time
from linkage.load.case import load_case
start = time.perf_counter()
case = load_case(sys.argv[1])
elapsed = time.perf_counter() - start
source = case.sources[0]
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"read": source.rows_read, "kept": source.rows_kept,
                  "rejected": source.rows_rejected, "seconds": elapsed, "peak_bytes": peak,
                  "format": source.format}))
"""


def measure(case: Path) -> dict[str, float]:
    """Load ``case`` in a fresh interpreter so peak RSS is this load's alone."""
    out = subprocess.run(
        [sys.executable, "-c", MEASURE, str(case)], check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3, help="fresh-process runs per source")
    parser.add_argument(
        "--keep", type=Path, default=None, help="write the cases here and keep them"
    )
    args = parser.parse_args()
    base = args.keep or Path(tempfile.mkdtemp(prefix="linkage-bench-"))
    rng = random.Random(args.seed)
    cases = {
        "bank return (GB18030, 31 columns)": (
            "bank",
            "return/6100000020160412093000",
            "transactions",
            "bank",
            write_bank_return,
        ),
        "call records (police platform CSV)": (
            "calls",
            "calls.csv",
            "calls",
            "telecom",
            write_call_records,
        ),
    }
    print(f"rows per source: {args.rows:,}; machine: {_machine()}")
    print(
        f"{'source':38} {'rows':>10} {'rejected':>8} {'best s':>7} {'best rows/s':>12} "
        f"{'median rows/s':>14} {'peak RSS':>9}"
    )
    for label, (folder, rel, kind, origin, write) in cases.items():
        case = base / folder
        write(case / rel, args.rows, rng)
        (case / "case.toml").write_text(
            CASE_TOML.format(path=rel, kind=kind, origin=origin), encoding="utf-8"
        )
        runs = [measure(case) for _ in range(args.repeat)]
        seconds = sorted(r["seconds"] for r in runs)
        rows = runs[0]["read"]
        peak = max(r["peak_bytes"] for r in runs)
        print(
            f"{label:38} {rows:>10,} {runs[0]['rejected']:>8,} {seconds[0]:>7.2f} "
            f"{rows / seconds[0]:>12,.0f} {rows / median(seconds):>14,.0f} {peak / 2**30:>7.2f}GiB"
        )
    print(f"self peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20:.2f} GiB")


def _machine() -> str:
    import os
    import platform

    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"


if __name__ == "__main__":
    main()
