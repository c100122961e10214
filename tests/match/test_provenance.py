"""Every link points at a real row of a real file, and that row holds what the link says.

The rows are opened with the plainest tools for each format (see ``evidence_rows``), not with
linkage's readers, so an off-by-one in the library cannot hide behind the same off-by-one here.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pandas as pd
from case_runs import Ran
from evidence_rows import row_text

from linkage.match import rules
from linkage.normalize.name import simplified_text


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _holds(text: str, identifier: str, kind: str) -> bool:
    """Whether a row's text shows ``identifier`` (a name, or the last six of its digits)."""
    if kind == "name":
        return identifier in simplified_text(text)
    return _digits(identifier)[-6:] in _digits(text)


def test_every_link_resolves_to_the_row_it_names(case_run: Ran) -> None:
    links = pd.read_parquet(case_run.out / "links.parquet")
    assert len(links) > 100
    wrong = []
    for link in links.itertuples():
        evidence = row_text(
            case_run.case,
            link.evidence_source_file,
            int(link.evidence_source_row),
            link.evidence_source_sheet,
        )
        shows = _holds(evidence, link.matched, link.matched_kind)
        if link.kind in {"call", "transfer", "refund"}:
            shows = shows or _holds(evidence, link.counterpart, "account")
        if not shows:
            wrong.append(("evidence", link.Index, link.evidence_source_file, evidence[:80]))
        if pd.notna(link.victim_source_file):
            named = row_text(
                case_run.case,
                link.victim_source_file,
                int(link.victim_source_row),
                link.victim_source_sheet,
            )
            if not _holds(named, link.matched, link.matched_kind):
                wrong.append(("victim", link.Index, link.victim_source_file, named[:80]))
    assert not wrong, wrong[:5]


RULE_FILES = {
    "dial_list": ("seized/", ".csv"),
    "roster": ("police/", ".xlsx"),
    "chat_sender": ("seized/", ".db"),
    "ledger": ("seized/", ".xlsx"),
    "chat_designation": ("seized/", ".db"),
    "held_by_member": ("bank/", ".csv"),
    "grown": ("bank/", ".csv"),
}
"""Where each rule's row lies in the generated cases: a dial list, the roster, a chat
database, a den ledger, a bank's account record or statement."""


def test_every_group_identifier_resolves_to_its_row(case_run: Ran) -> None:
    """The row each identifier's rule names holds the identifier: an account in full."""
    _resolves(case_run)


def test_cards_held_by_the_crew_resolve_to_their_account_records(
    case_runs: Callable[[str], Ran],
) -> None:
    """The benchmark profile's crew hold the mule layers: each such card names the bank's
    account record (账户信息) that gives its holder."""
    ran = case_runs("benchmark:7")
    identifiers = _resolves(ran)
    held = identifiers[identifiers["rule"] == "held_by_member"]
    assert len(held) >= 6
    assert held["source_file"].str.contains("账户信息").all(), held["source_file"].tolist()


def _resolves(ran: Ran) -> pd.DataFrame:
    """``ran``'s group identifiers, each checked against the row it names."""
    identifiers = pd.read_parquet(ran.out / "group_identifiers.parquet")
    from_files = identifiers[identifiers["source_row"].notna()]
    assert len(from_files) > 0
    assert set(identifiers["rule"]) <= set(rules.RULES)
    for found in from_files.itertuples():
        text = row_text(ran.case, found.source_file, int(found.source_row), found.source_sheet)
        where = (found.identifier, found.rule, found.source_file, found.source_row, text[:120])
        folder, suffix = RULE_FILES[found.rule]
        assert found.source_file.startswith(folder) and found.source_file.endswith(suffix), where
        if found.kind == "account":
            assert found.identifier in _digits(text), where
        else:
            kind = "name" if found.kind == "handle" else found.kind
            assert _holds(text, found.identifier, kind) or found.identifier in text, where
    return identifiers


def test_each_profile_makes_its_accounts_by_its_own_convention(
    sample_run: Ran, designated_run: Ran
) -> None:
    """Den ledgers in the first world; designations in the chats and holders on the roster
    in the second, where every card a designation names is also a member's."""
    ledger = pd.read_parquet(sample_run.out / "group_identifiers.parquet")
    assert {"ledger", "grown"} <= set(ledger.loc[ledger["kind"] == "account", "rule"])
    assert "chat_designation" not in set(ledger["rule"])
    chats = pd.read_parquet(designated_run.out / "group_identifiers.parquet")
    accounts = chats[chats["kind"] == "account"]
    assert {"chat_designation", "grown"} <= set(accounts["rule"])
    assert "ledger" not in set(accounts["rule"])
    designated = accounts[accounts["rule"] == "chat_designation"]
    assert designated["held_by"].notna().all() and designated["written_by"].notna().all()


def test_every_victim_row_resolves_to_its_source(case_run: Ran) -> None:
    victims = pd.read_parquet(case_run.out / "victims.parquet")
    for victim in victims.itertuples():
        text = row_text(
            case_run.case, victim.source_file, int(victim.source_row), victim.source_sheet
        )
        assert victim.name in simplified_text(text), (victim.victim_id, victim.source_file)
