"""Accuracy scorecard: `linkage run` on each world's sample and three seeds, against the truth.

    python benchmarks/accuracy.py [--seeds 3 7 42] [--work DIR]

For each synthetic world (the first, `guiding`, and the second, `designated`), runs the
committed sample and a case generated from each seed through ``linkage.run`` as the CLI does,
and compares what it wrote with the case's ``ground_truth/``; then the seeds of the
`benchmark` profile at scale 1 (the first world, its cards named in the chats too and the mule
layers held by the crew). One table, one row per case:

- victims: precision and recall of linked victims (linked to the right group);
- unreported victims found, of those the truth has;
- losses exact to the fen, of the truly linked victims;
- victims of one group linked to another; decoys linked (people the evidence does not link:
  victims of no group in the case, a victim named by name only, and linked people the truth
  does not know as victims, such as leads);
- defendants: group, role, amount (exact to the fen) and participation periods (every stay's
  first and last day) right, of all suspects. The amount is held to the truth's
  ``provable_amount_fen``: what the case's own evidence proves (a mule's money that passed an
  account whose statement is missing cannot be followed; for everyone else it is the amount).

Groups are matched by their members, not by their numbers: an output group is the truth's
group that most of its suspects belong to. A victim is matched by ID number, else by phone.
`score` is imported by the test suite, which holds the first world's figures to the bar.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = {
    "guiding": ROOT / "sample_data" / "synth-2016",
    "designated": ROOT / "sample_data" / "designated-2016",
}
SEEDS = (3, 7, 42)
UNSAMPLED = ("benchmark",)
"""Profiles with no committed sample, scored on the seeds at scale 1: the benchmark profile is
the first world with its cards also designated in the chats and the mule layers held by the
crew, so every rule that makes a group account runs on it."""


def _table(folder: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(folder / f"{name}.csv", dtype=str, keep_default_na=False)


@dataclass(frozen=True)
class Score:
    """One case's figures: counts, so that fractions can be read and summed."""

    linked: int
    """Victims linked by linkage."""
    right: int
    """Of those, truly victims of the group they were linked to."""
    truly: int
    """Victims the truth says the evidence links."""
    unreported_found: int
    unreported: int
    losses_exact: int
    other_group: int
    decoys: int
    defendants: int
    group_right: int
    role_right: int
    amount_right: int
    period_right: int

    @property
    def precision(self) -> float:
        return self.right / self.linked if self.linked else 1.0

    @property
    def recall(self) -> float:
        return self.right / self.truly if self.truly else 1.0


def _group_map(defendants: pd.DataFrame, truth: pd.DataFrame) -> dict[str, str]:
    """Each output group to the truth group most of its suspects belong to."""
    true_group = dict(zip(truth["person_id"], truth["group_id"], strict=True))
    votes: dict[str, Counter[str]] = {}
    for person_id, group in zip(defendants["person_id"], defendants["group_id"], strict=True):
        if group and person_id in true_group:
            votes.setdefault(group, Counter())[true_group[person_id]] += 1
    return {group: count.most_common(1)[0][0] for group, count in votes.items()}


def _periods(text: str) -> frozenset[str]:
    return frozenset(p for p in text.split(";") if p)


def score(out: Path, truth: Path) -> Score:
    """Compare the run written to ``out`` with the ground truth in ``truth``."""
    victims, expected = _table(out, "victims"), _table(truth, "victims")
    defendants, staff = _table(out, "defendants"), _table(truth, "defendants")
    groups = _group_map(defendants, staff)
    by_id = victims.set_index("victim_id", drop=False)
    by_phone = victims.drop_duplicates("phone").set_index("phone", drop=False)
    matched: dict[int, pd.Series] = {}
    for n, row in expected.iterrows():
        if row["victim_id"] in by_id.index:
            matched[n] = by_id.loc[row["victim_id"]]
        elif f"+86{row['phone']}" in by_phone.index:
            matched[n] = by_phone.loc[f"+86{row['phone']}"]
    linked_ids = set(victims.loc[victims["verdict"] != "unlinked", "victim_id"])
    seen: set[str] = set()
    right = unreported_found = losses = other_group = decoys = 0
    for n, row in expected.iterrows():
        found = matched.get(n)
        if found is None:
            continue
        seen.add(str(found["victim_id"]))
        is_linked = found["verdict"] != "unlinked"
        group = groups.get(found["group_id"], "")
        truly = row["expected_verdict"] != "unlinked"
        if is_linked and truly and group == row["group_id"]:
            right += 1
            unreported_found += row["reported"] == "false"
        if is_linked and truly and group != row["group_id"]:
            other_group += 1
        if is_linked and not truly:  # a victim of nobody in the case, or named by name only
            decoys += 1
        if truly and found["loss_fen"] == row["loss_fen"]:
            losses += 1
    decoys += len(linked_ids - seen)
    true_staff = staff.set_index("person_id")
    group_right = role_right = amount_right = period_right = 0
    for row in defendants.itertuples():
        if row.person_id not in true_staff.index:
            continue
        truth_row = true_staff.loc[row.person_id]
        group_right += groups.get(row.group_id, "") == truth_row["group_id"]
        role_right += row.role == truth_row["role"]
        amount_right += row.amount_fen == truth_row["provable_amount_fen"]
        period_right += _periods(row.periods) == _periods(truth_row["periods"])
    return Score(
        linked=len(linked_ids),
        right=right,
        truly=int((expected["expected_verdict"] != "unlinked").sum()),
        unreported_found=unreported_found,
        unreported=int(((expected["reported"] == "false") & (expected["group_id"] != "")).sum()),
        losses_exact=losses,
        other_group=other_group,
        decoys=decoys,
        defendants=len(staff),
        group_right=group_right,
        role_right=role_right,
        amount_right=amount_right,
        period_right=period_right,
    )


def row(label: str, s: Score, seconds: float) -> str:
    """One line of the table."""

    def part(k: int, n: int) -> str:
        return f"{k}/{n}"

    return (
        f"| {label} | {s.precision:.2f} | {s.recall:.2f} | {part(s.unreported_found, s.unreported)} "
        f"| {part(s.losses_exact, s.truly)} | {s.other_group} | {s.decoys} "
        f"| {part(s.group_right, s.defendants)} | {part(s.role_right, s.defendants)} "
        f"| {part(s.amount_right, s.defendants)} | {part(s.period_right, s.defendants)} "
        f"| {seconds:.1f} |"
    )


HEADER = (
    "| case | victim precision | victim recall | unreported found | losses exact | other group "
    "linked | decoys linked | defendant group | role | amount | period | run s |\n"
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="*", default=list(SEEDS))
    parser.add_argument("--work", type=Path, help="keep cases and runs here (default: temporary)")
    args = parser.parse_args(argv)
    from linkage import run
    from linkage.synth import generate

    with tempfile.TemporaryDirectory() as scratch:
        work = args.work or Path(scratch)
        print(HEADER)
        for profile in (*SAMPLES, *UNSAMPLED):
            sample = SAMPLES.get(profile)
            cases = [(f"{profile} sample", sample)] if sample else []
            for seed in args.seeds:
                made = generate(work / f"{profile}-{seed}", seed=seed, profile=profile, force=True)
                cases.append((f"{profile} seed {seed}", made.case.parent))
            for label, root in cases:
                out = work / "runs" / label.replace(" ", "-")
                started = time.perf_counter()
                run(root / "case", out, reports=False)
                print(row(label, score(out, root / "ground_truth"), time.perf_counter() - started))
                sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
