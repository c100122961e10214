"""Corroboration at scale: the whole run, the corroboration stage, and its baselines.

For a large case (default: ``linkage synth --profile benchmark --scale 100``, about 10M call
rows, 5M transactions and 1M messages) and a small one (``--scale 10``, about 1M call rows),
each measurement runs in a fresh process so its peak resident memory is its own:

- ``run``: ``linkage.run`` split into load, corroborate, trace, attribute and write (the case
  graph included), with wall time per stage and the peak RSS after each;
- ``sql``: the same case loaded, then the matching core written by hand as one DuckDB
  statement (``same_joins.sql``): the joins the rules do (group identifiers and the groups
  of dens, three layers of account growth, discovered victims, call, chat, transfer and
  refund links, agreement in time, each victim's group, verdict and loss), without the rules'
  provenance, statement boundaries or Python between them. It must reach the run's verdicts
  and losses, and the benchmark says whether it does. Also timed: ``CORE_JOINS_SQL``, the
  smaller statement earlier figures used (links and agreement only, no growth, discovery,
  refunds or names). Both are timed from the loaded case exactly like the corroboration
  stage, table preparation included;
- ``pandas``: the same work as a straightforward pandas script (``same_joins_pandas.py``:
  ``merge``, ``groupby``, a self-merge for agreement in time), on the small case only, also
  checked against the run's verdicts and losses; and the core joins alone in pandas, as
  earlier figures used.

It prints the figures and the ratios the matching-core issue sets targets for, on 2 cores:
whole run <= 2 min, peak RSS <= 6 GiB, corroboration <= 1.5x the hand-written SQL, >= 20x
faster than pandas at 1M rows, and small-to-large corroboration time <= 11x.

    python benchmarks/corroborate.py [--large DIR] [--small DIR] [--keep]

``--large``/``--small`` name folders made by ``linkage synth`` (holding ``case/``); missing
ones are generated into a temporary folder, deleted afterwards unless ``--keep``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from hand_written import baseline_parameters, same_joins_rows
from same_joins_pandas import same_joins
from staged_run import ensure_case, peak_rss_gib, run_stages

TARGETS = {"run_s": 120.0, "rss_gib": 6.0, "vs_sql": 1.5, "pandas_x": 20.0, "growth": 11.0}

CORE_JOINS_SQL = """
WITH lines AS (
    SELECT DISTINCT caller AS phone FROM calls WHERE origin = 'seized' AND caller IS NOT NULL
),
group_accounts AS (
    SELECT DISTINCT account FROM transactions WHERE origin = 'seized' AND account IS NOT NULL
    UNION SELECT account FROM known_accounts
),
links AS (
    SELECT v.victim_key, 'call' AS kind, c.t
    FROM victim_list AS v JOIN calls AS c ON c.callee = v.value
    WHERE v.kind = 'phone' AND c.origin = 'seized'
    UNION ALL
    SELECT v.victim_key, 'call', c.t
    FROM victim_list AS v
    JOIN calls AS c ON c.own_number = v.value
    JOIN lines AS l ON l.phone = c.other_number
    WHERE v.kind = 'phone' AND c.origin <> 'seized'
    UNION ALL
    SELECT v.victim_key, 'chat', m.t
    FROM victim_list AS v
    JOIN body_tokens AS k ON k.token = v.value
    JOIN messages AS m ON m.body_id = k.body_id
    WHERE v.kind IN ('id', 'phone', 'account') AND m.origin = 'seized'
    UNION ALL
    SELECT v.victim_key, 'transfer', t.t
    FROM victim_list AS v
    JOIN transactions AS t ON t.counterparty_account = v.value
    JOIN group_accounts AS g ON g.account = t.account
    WHERE v.kind = 'account' AND t.direction = 'in'
    UNION ALL
    SELECT v.victim_key, 'transfer', t.t
    FROM victim_list AS v
    JOIN transactions AS t ON t.account = v.value
    JOIN group_accounts AS g ON g.account = t.counterparty_account
    WHERE v.kind = 'account' AND t.direction = 'out'
),
numbered AS (SELECT *, row_number() OVER () AS link_id FROM links),
agreeing AS (
    SELECT DISTINCT a.link_id
    FROM numbered AS a JOIN numbered AS b
      ON a.victim_key = b.victim_key AND a.kind <> b.kind
     AND abs(a.t - b.t) <= CASE WHEN 'chat' IN (a.kind, b.kind) THEN 259200 ELSE 604800 END
)
SELECT n.victim_key, count(DISTINCT n.kind) AS kinds,
       count(DISTINCT CASE WHEN g.link_id IS NOT NULL THEN n.kind END) AS agreeing_kinds,
       min(n.t) AS first_t, count(*) AS links
FROM numbered AS n LEFT JOIN agreeing AS g ON g.link_id = n.link_id
GROUP BY n.victim_key
"""


def child_sql(case: Path) -> dict[str, Any]:
    import duckdb

    from linkage import load_case
    from linkage.match.prepare import prepare

    loaded = load_case(case)
    parameters = baseline_parameters(loaded.config)
    start = time.perf_counter()
    db = duckdb.connect()
    for table_name, table in prepare(loaded).items():
        db.register(table_name, table)
    core = db.execute(CORE_JOINS_SQL).fetchall()
    figures: dict[str, Any] = {"core_s": time.perf_counter() - start}
    db.close()
    figures["core_victims"] = sum(1 for row in core if row[1] > 0)
    start = time.perf_counter()
    found = same_joins_rows(prepare(loaded), parameters)  # every victim, then every lead
    figures["sql_s"] = time.perf_counter() - start
    victims = [row for row in found if row[0] == "victim"]
    figures["victims"] = sum(1 for row in victims if row[3] != "unlinked")
    figures["corroborated"] = sum(1 for row in victims if row[3] == "corroborated")
    figures["loss_fen"] = sum(int(row[4]) for row in victims)
    figures["leads"] = len(found) - len(victims)
    figures["sql_rss"] = peak_rss_gib()
    return figures


def child_pandas(case: Path) -> dict[str, Any]:
    import pandas as pd

    from linkage import load_case
    from linkage.match.prepare import DIGITS, prepare

    loaded = load_case(case)
    start = time.perf_counter()
    victims = prepare(loaded)["victim_list"].to_pandas()
    calls, transactions = loaded.calls, loaded.transactions
    messages = loaded.tables["messages"]
    calls = calls.assign(t=calls["started_at"].astype("int64") // 10**9)
    transactions = transactions.assign(t=transactions["occurred_at"].astype("int64") // 10**9)
    messages = messages.assign(t=messages["sent_at"].astype("int64") // 10**9)
    phones = victims[victims["kind"] == "phone"][["victim_key", "value"]]
    accounts = victims[victims["kind"] == "account"][["victim_key", "value"]]
    seized_calls = calls[calls["origin"] == "seized"]
    lines = pd.DataFrame({"other_number": seized_calls["caller"].dropna().unique()})
    dialled = seized_calls.merge(phones, left_on="callee", right_on="value")
    carrier = calls[calls["origin"] != "seized"].merge(lines, on="other_number")
    carrier = carrier.merge(phones, left_on="own_number", right_on="value")
    seized_messages = messages[messages["origin"] == "seized"]
    tokens = seized_messages.assign(token=seized_messages["body"].str.findall(DIGITS))
    tokens = tokens.explode("token").dropna(subset=["token"])
    tokens["token"] = tokens["token"].where(
        ~(tokens["token"].str.len().eq(11) & tokens["token"].str.startswith("1")),
        "+86" + tokens["token"],
    )
    named = victims[victims["kind"].isin(["id", "phone", "account"])][["victim_key", "value"]]
    chats = tokens.merge(named, left_on="token", right_on="value")
    seized_accounts = transactions.loc[transactions["origin"] == "seized", "account"].dropna()
    group_accounts = pd.DataFrame({"group_account": seized_accounts.unique()})
    credited = transactions[transactions["direction"] == "in"].merge(
        group_accounts, left_on="account", right_on="group_account"
    )
    credited = credited.merge(accounts, left_on="counterparty_account", right_on="value")
    paid = transactions[transactions["direction"] == "out"].merge(
        group_accounts, left_on="counterparty_account", right_on="group_account"
    )
    paid = paid.merge(accounts, left_on="account", right_on="value")
    parts = [
        (dialled, "call"), (carrier, "call"), (chats, "chat"), (credited, "transfer"),
        (paid, "transfer"),
    ]  # fmt: skip
    links = pd.concat(
        [frame[["victim_key", "t"]].assign(kind=kind) for frame, kind in parts],
        ignore_index=True,
    )
    links["link_id"] = range(len(links))
    pairs = links.merge(links, on="victim_key", suffixes=("", "_other"))
    pairs = pairs[pairs["kind"] != pairs["kind_other"]]
    window = (pairs["kind"].eq("chat") | pairs["kind_other"].eq("chat")).map(
        {True: 259200, False: 604800}
    )
    agreeing = pairs.loc[(pairs["t"] - pairs["t_other"]).abs() <= window, "link_id"].unique()
    links["agrees"] = links["link_id"].isin(agreeing)
    per_victim = links.groupby("victim_key").agg(
        kinds=("kind", "nunique"), first_t=("t", "min"), links=("kind", "size")
    )
    figures: dict[str, Any] = {"core_pandas_s": time.perf_counter() - start}
    figures["core_victims"] = len(per_victim)
    start = time.perf_counter()
    found = same_joins(prepare(loaded), baseline_parameters(loaded.config))
    figures["pandas_s"] = time.perf_counter() - start
    figures["victims"] = len(found)
    figures["corroborated"] = int((found["verdict"] == "corroborated").sum())
    figures["loss_fen"] = int(found["loss_fen"].sum())
    figures["pandas_rss"] = peak_rss_gib()
    return figures


def measure(mode: str, case: Path, out: Path | None = None) -> dict[str, Any]:
    """Run one measurement in a fresh Python process and return its figures."""
    command = [sys.executable, __file__, "--child", mode, str(case)]
    if out is not None:
        command.append(str(out))
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def report(size: str, run: dict[str, Any], sql: dict[str, Any]) -> None:
    rows = run["rows"]
    print(
        f"\n{size}: {rows['calls']:,} call rows, {rows['transactions']:,} transactions, "
        f"{rows['messages']:,} messages; {run['victims']:,} victims linked "
        f"({run['corroborated']:,} corroborated), losses {run['loss_fen']:,} fen"
    )
    for stage in ("load", "corroborate", "trace", "attribute", "write", "run"):
        print(f"  {stage:12} {run[f'{stage}_s']:8.1f} s   peak RSS {run[f'{stage}_rss']:5.2f} GiB")
    same = all(sql[key] == run[key] for key in ("victims", "corroborated", "loss_fen"))
    print(f"  {'hand SQL':12} {sql['sql_s']:8.1f} s   {sql['victims']:,} linked, "
          f"{sql['corroborated']:,} corroborated, {sql['loss_fen']:,} fen: "
          f"{'the same as the run' if same else 'DIFFERENT FROM THE RUN'}")  # fmt: skip
    print(f"  {'core joins':12} {sql['core_s']:8.1f} s   {sql['core_victims']:,} linked "
          f"(links and agreement only)")  # fmt: skip
    print(f"  corroborate / hand-written SQL = {run['corroborate_s'] / sql['sql_s']:.2f}x"
          f"   (/ core joins only = {run['corroborate_s'] / sql['core_s']:.2f}x)")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--large", type=Path, default=None, help="a synth folder (10M calls)")
    parser.add_argument("--small", type=Path, default=None, help="a synth folder (1M calls)")
    parser.add_argument("--keep", action="store_true", help="keep generated cases")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        mode, case, *out = args.child
        if mode == "run":
            figures = run_stages(Path(case), Path(out[0]), engine="duckdb")
        else:
            figures = child_sql(Path(case)) if mode == "sql" else child_pandas(Path(case))
        print(json.dumps(figures))
        return 0
    scratch = Path(tempfile.mkdtemp(prefix="linkage-bench-"))
    try:
        small = ensure_case(args.small, 10, scratch)
        large = ensure_case(args.large, 100, scratch)
        results = {}
        for size, case in (("small", small), ("large", large)):
            run = measure("run", case, scratch / f"out-{size}")
            sql = measure("sql", case)
            results[size] = (run, sql)
            report(size, run, sql)
        pandas = measure("pandas", small)
        small_run, large_run = results["small"][0], results["large"][0]
        same = all(pandas[key] == small_run[key] for key in ("victims", "corroborated", "loss_fen"))
        print(f"\npandas on the small case: {pandas['pandas_s']:.1f} s, peak RSS "
              f"{pandas['pandas_rss']:.2f} GiB; {pandas['victims']:,} linked, "
              f"{pandas['corroborated']:,} corroborated, {pandas['loss_fen']:,} fen: "
              f"{'the same as the run' if same else 'DIFFERENT FROM THE RUN'}")  # fmt: skip
        print(f"  core merges only: {pandas['core_pandas_s']:.1f} s "
              f"({pandas['core_victims']:,} victims with a link; "
              f"{pandas['core_pandas_s'] / small_run['corroborate_s']:.1f}x the run's stage)")  # fmt: skip
        speedup = pandas["pandas_s"] / small_run["corroborate_s"]
        growth = large_run["corroborate_s"] / small_run["corroborate_s"]
        vs_sql = large_run["corroborate_s"] / results["large"][1]["sql_s"]
        print("\ntargets (2 cores):")
        checks = [
            ("whole run, large", f"{large_run['run_s']:.1f} s", large_run["run_s"] <= TARGETS["run_s"]),
            ("peak RSS, large", f"{large_run['run_rss']:.2f} GiB", large_run["run_rss"] <= TARGETS["rss_gib"]),
            ("corroborate / hand SQL, large", f"{vs_sql:.2f}x", vs_sql <= TARGETS["vs_sql"]),
            ("pandas / corroborate, small", f"{speedup:.1f}x", speedup >= TARGETS["pandas_x"]),
            ("corroborate large / small", f"{growth:.1f}x", growth <= TARGETS["growth"]),
        ]  # fmt: skip
        for name, value, met in checks:
            print(f"  {name:32} {value:>10}  {'met' if met else 'MISSED'}")
    finally:
        if args.keep:
            print(f"cases kept in {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
