"""Management acts: what the people who run a group do instead of taking calls.

Organisers rarely appear on a dial list. What the seized chats show them doing is running the
den: naming the cards victims must pay into (the designations ``match/designations.py`` reads),
and posting instructions and targets to the group (call quotas, fines and bonuses, start times,
passports handed in). Each such message is an act with its file and row, and the evidence a
court reads behind an organiser's role.

Instructions are recognised by a short list of directive words, never by whole sentences: what
an organiser writes varies, but a quota, a fine, a bonus or an order to hand something in is
worded with a few words every den uses. Words callers use among themselves are left out
(目标 is also a caller's word for a target person, 提成 and 收工 are asked about), and a
member who calls more than they direct is no organiser for it (``graph/roles.py``). The words
are matched in simplified and traditional script alike, so a message typed in Taiwan counts
the same.
"""

from __future__ import annotations

import re

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from linkage.graph.acts import handles
from linkage.normalize.time import epoch_seconds_of

__all__ = ["DIRECTIVE_WORDS", "management_acts"]

DIRECTIVE_WORDS = (
    "罚款", "罰款",  # a fine
    "奖金", "獎金",  # a bonus
    "开工", "開工",  # the start of the working day
    "每人每天",  # a quota per caller
    "统一保管", "統一保管", "上交",  # passports and phones handed in
    "不准", "不許", "不许", "禁止", "一律",  # orders
)  # fmt: skip
"""Words that make a den-chat message an instruction or a target to the group."""

DIRECTIVE = re.compile("|".join(map(re.escape, DIRECTIVE_WORDS)))

COLUMNS = ["person_id", "act", "detail", "t", "source_file", "source_row"]


def management_acts(
    messages: pd.DataFrame, persons: pd.DataFrame, identifiers: pd.DataFrame
) -> pd.DataFrame:
    """(person_id, act, detail, t, source_file, source_row): one row per management act.

    ``act`` is ``designation`` (a seized message that made an account the group's, by the
    roster's handle of its writer) or ``directive`` (an instruction or target to the group).
    """
    owners = handles(persons)
    named = identifiers[(identifiers["rule"] == "chat_designation")
                        & identifiers["written_by"].notna()]  # fmt: skip
    designations = named.merge(owners, left_on="written_by", right_on="sender")
    designations = pd.DataFrame(
        {
            "person_id": designations["person_id"],
            "act": "designation",
            "detail": "designated group account " + designations["identifier"] + " in the den chat",
            "t": epoch_seconds_of(designations["valid_from"]),
            "source_file": designations["source_file"],
            "source_row": designations["source_row"],
        }
    )
    directives = _directives(messages).merge(owners, on="sender")
    directives = pd.DataFrame(
        {
            "person_id": directives["person_id"],
            "act": "directive",
            "detail": "instruction or target to the group: " + directives["body"].str[:60],
            "t": directives["t"],
            "source_file": directives["source_file"],
            "source_row": directives["source_row"],
        }
    )
    acts = pd.concat([designations, directives], ignore_index=True)[COLUMNS]
    return acts.sort_values(["person_id", "t", "source_file", "source_row"], kind="stable")


def _directives(messages: pd.DataFrame) -> pd.DataFrame:
    """Seized den-chat messages holding a directive word, with epoch seconds ``t``."""
    columns = ["sender", "body", "sent_at", "source_file", "source_row"]
    table = pa.Table.from_pandas(
        messages.loc[(messages["origin"] == "seized") & messages["den"].notna(), columns],
        preserve_index=False,
    )
    body = table.column("body")
    hit = pc.match_substring_regex(body, DIRECTIVE.pattern).fill_null(False)
    found = table.filter(hit).to_pandas()
    return found.assign(t=epoch_seconds_of(found["sent_at"])).drop(columns="sent_at")
