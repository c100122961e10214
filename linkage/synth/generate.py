"""Write a whole synthetic case: the case folder with its case.toml, and its ground truth.

``generate(out, seed=..., scale=..., profile=...)`` writes ``out/case/`` (the exports, in the
formats of FORMATS.md, and a reviewed-looking case.toml) and ``out/ground_truth/`` beside it, so
``linkage run out/case`` never sees the answers. Each part of the world and each noise stream
has its own child seed: the same seed and parameters give byte-identical files.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from linkage.synth.designated import generate as designated
from linkage.synth.designated.plan import DESIGNATED, WorldPlan
from linkage.synth.files import CaseFolder, Source, source_toml
from linkage.synth.profile import PROFILES, Profile, scaled
from linkage.synth.truth import ground_truth, write_ground_truth
from linkage.synth.truth_readme import GROUP_ACCOUNTS, README
from linkage.synth.world import World, simulate
from linkage.synth.write.bank import write_bank_returns
from linkage.synth.write.carrier import write_carrier_records
from linkage.synth.write.dial_list import write_dial_list
from linkage.synth.write.ledger import write_ledger
from linkage.synth.write.police import write_roster, write_victim_list
from linkage.synth.write.skype import write_skype
from linkage.synth.write.statements import write_statements
from linkage.synth.write.travel import write_travel

__all__ = ["WORLD_PLANS", "Synthesized", "generate", "profile_names"]

CASE = "case"
TRUTH = "ground_truth"
WORLD_PLANS: dict[str, WorldPlan] = {DESIGNATED.name: DESIGNATED}
"""Profiles of the second world (cards designated in chats), by name."""


def profile_names() -> list[str]:
    """Every name ``generate`` and ``linkage synth --profile`` accept, default first."""
    return [*PROFILES, *WORLD_PLANS]


@dataclass(frozen=True)
class Synthesized:
    """Where a generated case went and how big it came out."""

    case: Path
    ground_truth: Path
    counts: dict[str, int]
    """Rows written per kind (calls, messages, transactions) and people per role."""
    seconds: float

    def __repr__(self) -> str:
        parts = ", ".join(f"{k}={v:,}" for k, v in self.counts.items())
        return f"Synthesized({self.case}, {parts}, {self.seconds:.1f} s)"


def generate(
    out: str | Path,
    seed: int = 2016,
    scale: float = 1.0,
    profile: str | Profile | WorldPlan = "guiding",
    force: bool = False,
) -> Synthesized:
    """Simulate a case and write it with its ground truth.

    Parameters
    ----------
    out
        Folder to create; ``case/`` and ``ground_truth/`` are written inside it.
    seed
        Everything random derives from it.
    scale
        Multiplies victims, accounts and (by its square root) staff; noise grows with victims.
    profile
        A name from ``profile_names()``, a ``Profile`` of the first world or a ``WorldPlan``
        of the designated-accounts world.
    force
        Replace ``out`` if it exists.
    """
    started = time.perf_counter()
    if isinstance(profile, str) and profile not in PROFILES and profile not in WORLD_PLANS:
        raise ValueError(f"unknown profile {profile!r}: choose from {', '.join(profile_names())}")
    root = Path(out)
    if root.exists() and not force:
        raise FileExistsError(f"{root} exists (use force=True or --force to replace it)")
    plan = WORLD_PLANS.get(profile) if isinstance(profile, str) else profile
    if isinstance(plan, WorldPlan):  # simulated before anything is deleted
        scaled_plan = designated.scaled_plan(plan, scale)
        other = designated.simulate(scaled_plan, seed)
        _clear(root)
        return _designated(root, plan, scaled_plan, other, scale, started)
    chosen = PROFILES[profile] if isinstance(profile, str) else profile
    assert isinstance(chosen, Profile)
    world = simulate(scaled(chosen, scale), seed)
    _clear(root)
    folder = CaseFolder(root / CASE)
    calls, messages = _write_case(folder, world, seed)
    truth = ground_truth(world, folder.planted, calls, messages)
    write_ground_truth(
        truth, root / TRUTH, README + (GROUP_ACCOUNTS if truth.group_accounts else "")
    )
    (root / TRUTH / "parameters.json").write_text(
        _parameters(chosen, world, seed, scale), encoding="utf-8"
    )
    counts = {
        **{f"{k}_rows": v for k, v in sorted(folder.rows.items())},
        **_counts(world, calls, messages),
    }
    return Synthesized(root / CASE, root / TRUTH, counts, time.perf_counter() - started)


def _clear(root: Path) -> None:
    """Remove an earlier case at ``root`` (the caller has checked it may)."""
    if root.exists():
        shutil.rmtree(root)


def _designated(
    root: Path,
    plan: WorldPlan,
    chosen: WorldPlan,
    world: designated.World,
    scale: float,
    started: float,
) -> Synthesized:
    """Write a case of the designated-accounts world, simulated from ``chosen`` (``plan`` at
    ``scale``)."""
    calls, messages = designated.write_case(root, world)
    (root / TRUTH / "parameters.json").write_text(
        json.dumps(
            {
                "seed": world.seed,
                "scale": scale,
                "profile": _plain(plan),
                "scaled_profile": _plain(chosen),
            },
            ensure_ascii=False,
            indent=2,
            sort_keys=True,
        )
        + "\n",
        encoding="utf-8",
    )
    roles: dict[str, int] = {}
    for person in world.people:
        roles[person.role] = roles.get(person.role, 0) + 1
    counts = {
        "suspects": len(world.people),
        "victims": len(world.victims),
        "staff_calls": sum(calls.values()),
        "messages": sum(messages.values()),
        **{f"role_{k}": v for k, v in sorted(roles.items())},
    }
    return Synthesized(root / CASE, root / TRUTH, counts, time.perf_counter() - started)


def _write_case(
    folder: CaseFolder, world: World, seed: int
) -> tuple[dict[str, int], dict[str, int]]:
    streams = iter(np.random.SeedSequence([seed, 1]).spawn(3 * len(world.dens) + 3))
    calls: dict[str, int] = {}
    messages: dict[str, int] = {}
    for den in world.dens:
        for key, count in write_dial_list(folder, world, den, next(streams)).items():
            calls[key] = calls.get(key, 0) + count
        for key, count in write_skype(folder, world, den, next(streams)).items():
            messages[key] = messages.get(key, 0) + count
        next(streams)  # spare stream per den, so adding a writer keeps the others' streams
        write_ledger(folder, world, den)
    write_bank_returns(folder, world, next(streams))
    write_carrier_records(folder, world, next(streams))
    write_statements(folder, world, next(streams))
    write_roster(folder, world)
    write_travel(folder, world)
    write_victim_list(folder, world)
    folder.path("case.toml").write_text(case_toml(world, folder.sources), encoding="utf-8")
    return calls, messages


def case_toml(world: World, sources: list[Source]) -> str:
    """The case.toml an analyst would have reviewed for this case."""
    profile = world.profile
    known = ", ".join(f'"{n}"' for n in sorted(world.refund_accounts.values()))
    lines = [
        f"# Synthetic case generated by linkage.synth (profile {profile.name}, seed {world.seed}).",
        "# Every person, number and account in it is made up.",
        "[case]",
        f'name = "{profile.case_name}"',
        'timezone = "Asia/Shanghai"',
        f'seized_at = "{profile.seized_at.isoformat()}"',
        "# The cards the groups paid 返利 from, named by an organiser's statement.",
        f"known_group_accounts = [{known}]",
    ]
    return "\n".join(lines + source_toml(sources)) + "\n"


def _counts(world: World, calls: dict[str, int], messages: dict[str, int]) -> dict[str, int]:
    roles: dict[str, int] = {}
    for person in world.people:
        roles[person.role] = roles.get(person.role, 0) + 1
    return {
        "suspects": len(world.people),
        "victims": len(world.victims),
        "staff_calls": sum(calls.values()),
        "messages": sum(messages.values()),
        **{f"role_{k}": v for k, v in sorted(roles.items())},
    }


def _plain(value: object) -> object:
    """A profile as JSON-ready values (dates and zones as text)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, int | float | str | bool) or value is None:
        return value
    return str(value)


def _parameters(profile: Profile, world: World, seed: int, scale: float) -> str:
    data = {
        "seed": seed,
        "scale": scale,
        "profile": _plain(profile),
        "scaled_profile": _plain(world.profile),
    }
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
