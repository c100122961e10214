"""Write a designated-accounts case and its ground truth.

The case.toml names no group account and the case holds no ledger: what makes a card the
group's is in the chats and the bank's answer about its holder, as in the guiding case.
"""

from __future__ import annotations

import dataclasses
import functools
from pathlib import Path

import numpy as np

from linkage.synth.designated.events import World
from linkage.synth.designated.plan import WorldPlan
from linkage.synth.designated.records import (
    write_bank_returns,
    write_carrier_records,
    write_roster,
    write_travel,
    write_victim_list,
)
from linkage.synth.designated.seized import write_dial_list, write_skype
from linkage.synth.designated.truth import ground_truth
from linkage.synth.designated.world import simulate
from linkage.synth.files import CaseFolder, Source, source_toml
from linkage.synth.profile import grow_by_root, grow_linearly
from linkage.synth.truth import write_ground_truth
from linkage.synth.truth_readme import README

__all__ = ["README_ADDENDUM", "World", "case_toml", "scaled_plan", "simulate", "write_case"]

README_ADDENDUM = """
## This case's world: `designated`
The group's receiving cards are designated by organisers in the seized den chats (worded many
ways, replaced and stopped mid-case) and held in their own names by money mules on the roster;
case.toml names no group account and no den ledger exists. Every leg of a forwarded call
repeats the session's 任务ID; the dialer's own leg has no extension. Broadcasts answered with 1
pressed are handed to the callers present too (nobody there pays): `call_count` counts those
legs. So, beside the columns above:
- `call` evidence is a dial-list row to the victim's phone, or a row of the victim's own carrier
  records showing a line of the den calling (victims worked before the recovered dial list
  starts, scenario `early`); `first_contact_at` is then that record's time.
- `transfer` is a payment into a card the group designated (a payment made after the card was
  stopped still counts); a 1-yuan test sent straight back is a payment and a refund.
- scenario `transfer_only`: reported, known only by the transfer.
- Money mules' `amount_fen` is what victims paid into the cards they hold (gross of refunds).
- A technician (`support`, subrole `technician`) works in a den: the participation-period rule
  applies to them as to callers.
- `destinations.csv` `end` may be `refunded`: a test yuan that went straight back.
- `group_accounts.csv`: each account a group used, `layer` (1 the cards
  designated in the chats, 2 relays, 3 the shared hub), the holder (`holder_id`, `holder_name`:
  a money mule on the roster for layer 1), whether its bank returned it, and for a designated
  card `designated_from` and `designated_until` (the messages that put it in use and stopped it;
  empty while in use at the raid). A payment into a card after it stopped still counts.
"""


def scaled_plan(plan: WorldPlan, scale: float) -> WorldPlan:
    """The plan with victims and leads multiplied by ``scale`` and staff by its square root."""
    if scale <= 0:
        raise ValueError(f"scale must be positive, not {scale}")

    linear = functools.partial(grow_linearly, scale=scale)
    root = functools.partial(grow_by_root, scale=scale)

    groups = tuple(
        dataclasses.replace(
            g,
            first_line=root(g.first_line),
            second_line=root(g.second_line),
            third_line=root(g.third_line),
            reported=linear(g.reported),
            transfer_only=linear(g.transfer_only),
            unreported=linear(g.unreported),
            early=linear(g.early),
            weak_call=linear(g.weak_call),
            weak_chat=linear(g.weak_chat),
            name_only=linear(g.name_only),
            leads=linear(g.leads),
        )
        for g in plan.groups
    )
    return dataclasses.replace(plan, groups=groups, outside_victims=linear(plan.outside_victims))


def write_case(root: Path, world: World) -> tuple[dict[str, int], dict[str, int]]:
    """Write ``root/case`` and ``root/ground_truth``; returns the calls and messages each
    member placed."""
    seed = world.seed
    folder = CaseFolder(root / "case")
    streams = iter(np.random.SeedSequence([seed, 21]).spawn(2 * len(world.dens) + 1))
    calls: dict[str, int] = {}
    messages: dict[str, int] = {}
    for den in world.dens:
        for key, count in write_dial_list(folder, world, den, next(streams)).items():
            calls[key] = calls.get(key, 0) + count
        for key, count in write_skype(folder, world, den, next(streams)).items():
            messages[key] = messages.get(key, 0) + count
    write_bank_returns(folder, world)
    write_carrier_records(folder, world, next(streams))
    write_roster(folder, world)
    write_travel(folder, world)
    write_victim_list(folder, world)
    folder.path("case.toml").write_text(case_toml(world, folder.sources), encoding="utf-8")
    truth = ground_truth(world, folder.planted, calls, messages)
    write_ground_truth(truth, root / "ground_truth", README + README_ADDENDUM)
    return calls, messages


def case_toml(world: World, sources: list[Source]) -> str:
    """The case.toml an analyst would write: sources, zones, dens and the raid; no accounts."""
    lines = [
        f"# Synthetic case generated by linkage.synth (profile {world.plan.name}, "
        f"seed {world.seed}).",
        "# Every person, number and account in it is made up.",
        "[case]",
        f'name = "{world.plan.case_name}"',
        'timezone = "Asia/Shanghai"',
        f'seized_at = "{world.plan.seized_at.isoformat()}"',
    ]
    return "\n".join(lines + source_toml(sources)) + "\n"
