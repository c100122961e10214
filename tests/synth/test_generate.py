"""The generator: reproducible bytes, loadable files, and a ground truth that matches them."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from linkage.cli import main
from linkage.digest import sha256_tree as digests
from linkage.load.case import Case, load_case
from linkage.normalize.name import simplified_text
from linkage.synth import PROFILES, generate, scaled
from linkage.synth.world import simulate

SEED = 11


def truth(root: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(root / "ground_truth" / f"{name}.csv", dtype=str, keep_default_na=False)


@pytest.fixture(scope="module", params=["guiding", "designated"])
def profile(request: pytest.FixtureRequest) -> str:
    """Each world: what holds of every generated case is tested on both."""
    return str(request.param)


@pytest.fixture(scope="module")
def any_profile(profile: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth") / f"{profile}-11"
    generate(out, seed=SEED, scale=0.5, profile=profile)
    return out


@pytest.fixture(scope="module")
def any_loaded(any_profile: Path) -> Case:
    return load_case(any_profile / "case")


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth") / "case-11"
    generate(out, seed=SEED, scale=0.5)
    return out


@pytest.fixture(scope="module")
def loaded(made: Path) -> Case:
    return load_case(made / "case")


def test_same_seed_same_bytes_and_another_seed_differs(
    profile: str, any_profile: Path, tmp_path: Path
) -> None:
    again = generate(tmp_path / "again", seed=SEED, scale=0.5, profile=profile)
    assert digests(again.case.parent) == digests(any_profile)
    other = generate(tmp_path / "other", seed=SEED + 1, scale=0.5, profile=profile)
    assert digests(other.case) != digests(any_profile / "case")


def test_loader_rejects_exactly_the_planted_rows(any_profile: Path, any_loaded: Case) -> None:
    made, loaded = any_profile, any_loaded
    expected = truth(made, "rejects")
    assert len(expected) >= 10
    keys = ["source_file", "source_row", "source_sheet", "reason"]
    got = loaded.rejects.assign(
        source_row=loaded.rejects["source_row"].astype(str),
        source_sheet=loaded.rejects["source_sheet"].fillna(""),
    )
    assert sorted(map(tuple, got[keys].astype(str).to_numpy())) == sorted(
        map(tuple, expected[keys].to_numpy())
    )
    assert loaded.summary()["rejected"].sum() == len(expected)


def test_every_source_of_case_toml_loads_and_reconciles(any_loaded: Case) -> None:
    loaded = any_loaded
    assert all(source.reconciles for source in loaded.sources)
    assert loaded.victims["id_number"].notna().all(), "every made-up ID number is valid"
    assert loaded.persons["person_id"].notna().all()
    kinds = {s.kind for s in loaded.sources}
    assert kinds == {"calls", "chats", "transactions", "accounts", "persons", "travel", "victims"}


def test_the_world_has_every_scenario_the_matcher_must_face(made: Path) -> None:
    victims = truth(made, "victims")
    assert {"reported", "unreported", "weak_call", "weak_chat", "weak_transfer", "outside"} <= set(
        victims["scenario"]
    )
    assert set(victims["group_id"]) == {"G1", "G2", ""}
    outside = victims[victims["scenario"] == "outside"]
    assert (outside["expected_verdict"] == "unlinked").all()
    assert (outside["loss_fen"] == "0").all()
    weak = victims[victims["scenario"].str.startswith("weak_")]
    assert (weak["expected_verdict"] == "linked").all()
    assert (weak["evidence_kinds"].str.count(";") == 0).all()
    g1_names = set(victims.loc[victims["group_id"] == "G1", "name"])
    assert g1_names & set(victims.loc[victims["group_id"] == "G2", "name"]), "victim name collision"
    staff = truth(made, "defendants")
    assert staff["name"].duplicated().any(), "two suspects named alike"
    assert staff["person_id"].is_unique


def test_losses_are_payments_less_refunds_and_money_is_conserved(made: Path) -> None:
    victims = truth(made, "victims").set_index("victim_id")
    transfers = truth(made, "transfers")
    transfers["amount_fen"] = transfers["amount_fen"].astype(int)
    paid = transfers[transfers["purpose"] == "payment"].groupby("victim_id")["amount_fen"].sum()
    refunded = transfers[transfers["purpose"] == "refund"].groupby("victim_id")["amount_fen"].sum()
    for victim_id, row in victims[victims["group_id"] != ""].iterrows():
        gross = int(paid.get(victim_id, 0))
        assert int(row["gross_fen"]) == gross
        assert int(row["loss_fen"]) == gross - int(refunded.get(victim_id, 0))
    assert (transfers["purpose"] == "refund").any()
    flows = truth(made, "fund_flows")
    flows["amount_fen"] = flows["amount_fen"].astype(int)
    cashed = flows[flows["kind"] == "cash_out"].groupby("payment_serial")["amount_fen"].sum()
    payments = flows[flows["kind"] == "payment"].set_index("serial")["amount_fen"]
    assert cashed.reindex(payments.index).tolist() == payments.tolist()
    children = flows[flows["parent_serial"] != ""].groupby("parent_serial")["amount_fen"].sum()
    for serial, amount in flows.set_index("serial")["amount_fen"].items():
        if serial in children.index:
            assert children[serial] == amount, "a hop passes on exactly what it received"
    at = pd.to_datetime(flows.set_index("serial")["at"], format="ISO8601")
    for _, hop in flows[flows["parent_serial"] != ""].iterrows():
        assert at[hop["serial"]] > at[hop["parent_serial"]], "money leaves after it arrives"
    ends = truth(made, "destinations")
    assert {"cash_out", "statement_missing"} <= set(ends["end"])


def test_evidence_the_truth_claims_is_in_the_loaded_tables(made: Path, loaded: Case) -> None:
    victims = truth(made, "victims")
    linked = victims[victims["evidence_kinds"] != ""]
    dialled = set(loaded.calls.loc[loaded.calls["origin"] == "seized", "callee"].dropna())
    credited = loaded.transactions[
        (loaded.transactions["origin"] == "bank") & (loaded.transactions["direction"] == "in")
    ]
    payers = set(credited["counterparty_account"].dropna())
    bodies = "\n".join(simplified_text(b) for b in loaded.messages["body"].dropna())
    for _, victim in linked.iterrows():
        kinds = victim["evidence_kinds"].split(";")
        assert ("call" in kinds) == (f"+86{victim['phone']}" in dialled), victim["name"]
        assert ("transfer" in kinds) == (victim["card"] in payers), victim["name"]
        if "chat" in kinds:
            named = [victim["victim_id"], victim["phone"], victim["card"], victim["name"]]
            assert any(n in bodies for n in named), victim["name"]
    for _, victim in victims[victims["evidence_kinds"] == ""].iterrows():
        assert f"+86{victim['phone']}" not in dialled
        assert victim["card"] not in payers


def test_defendant_amounts_follow_the_participation_period_rule(made: Path) -> None:
    victims = truth(made, "victims")
    staff = truth(made, "defendants")
    staff["amount_fen"] = staff["amount_fen"].astype(int)
    for group_id, members in staff.groupby("group_id"):
        mine = victims[(victims["group_id"] == group_id) & (victims["evidence_kinds"] != "")]
        total = mine["loss_fen"].astype(int).sum()
        organisers = members[members["role"] == "organiser"]
        assert (organisers["amount_fen"] == total).all()
        in_dens = members[members["role"].isin(["first_line", "second_line", "third_line"])]
        assert (in_dens["amount_fen"] <= total).all()
        assert (in_dens["period_start"] != "").all()
        assert (in_dens["call_count"].astype(int) > 0).any()
        assert (members.loc[members["role"] == "support", "amount_fen"] == 0).all()
        assert (members.loc[members["role"] == "money_mule", "period_start"] == "").all()


def test_scale_grows_victims_linearly_and_staff_by_the_square_root() -> None:
    base = PROFILES["guiding"]
    big = scaled(base, 4)
    assert big.groups[0].victims == 4 * base.groups[0].victims
    assert big.groups[0].first_line == 2 * base.groups[0].first_line
    with pytest.raises(ValueError, match="positive"):
        scaled(base, 0)


def test_every_staff_call_lies_inside_its_callers_stay() -> None:
    world = simulate(scaled(PROFILES["guiding"], 0.5), SEED)
    people = {p.key: p for p in world.people}
    for call in world.calls:
        assert call.person is not None
        stays = [s for s in people[call.person].stays if s.den.name == call.den]
        assert any(s.works_from <= call.started_at <= s.works_until for s in stays)


def test_a_profile_can_be_varied_with_replace(tmp_path: Path) -> None:
    quiet = dataclasses.replace(PROFILES["guiding"], outside_victims=0, lead_payers=0)
    made = generate(tmp_path / "quiet", seed=3, scale=0.3, profile=quiet)
    victims = truth(made.case.parent, "victims")
    assert "outside" not in set(victims["scenario"])
    assert len(truth(made.case.parent, "leads")) == 0


def test_same_bytes_whatever_the_hash_seed(profile: str, tmp_path: Path) -> None:
    """Set and dict order never leaks into the files: two processes with different hash
    seeds write the same bytes."""
    made = []
    for hash_seed in ("1", "2"):
        out = tmp_path / f"hash-{hash_seed}"
        command = [sys.executable, "-m", "linkage.cli", "synth", str(out), "--seed", "4",
                   "--scale", "0.3", "--profile", profile]  # fmt: skip
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        subprocess.run(command, check=True, env=env, capture_output=True)
        made.append(digests(out))
    assert made[0] == made[1]


def test_an_unknown_profile_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="designated"):
        generate(tmp_path / "nothing", profile="no-such-world")
    assert not (tmp_path / "nothing").exists()


def test_the_designated_world_scales_its_victims(tmp_path: Path) -> None:
    small = generate(tmp_path / "small", seed=5, scale=0.5, profile="designated")
    large = generate(tmp_path / "large", seed=5, scale=2, profile="designated")
    assert large.counts["victims"] > 3 * small.counts["victims"]
    with pytest.raises(ValueError, match="positive"):
        generate(tmp_path / "none", scale=0, profile="designated")


def test_cli_writes_a_case_and_refuses_to_overwrite(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "cli"
    assert main(["synth", str(out), "--seed", "5", "--scale", "0.3"]) == 0
    assert "wrote" in capsys.readouterr().out
    assert (out / "case" / "case.toml").exists()
    assert (out / "ground_truth" / "README.md").exists()
    assert main(["synth", str(out), "--seed", "5", "--scale", "0.3"]) == 1
    assert "exists" in capsys.readouterr().err
    assert main(["synth", str(out), "--seed", "5", "--scale", "0.3", "--force"]) == 0
    other = tmp_path / "designated"
    assert main(["synth", str(other), "--seed", "5", "--profile", "designated"]) == 0
    assert "designated" in (other / "case" / "case.toml").read_text(encoding="utf-8")


def test_first_liners_take_handed_broadcasts_some_passed_on(made: Path) -> None:
    """Broadcasts answered with 1 pressed reach the first-liners present: their leg carries the
    任务ID and the key, as a victim's first leg does; some are passed on to the next line, whose
    leg carries neither. None of those callees pays, so none is a victim. Every first-liner
    with a working stay thus shows as a chain leg, whether or not a victim paid after a call."""
    lists = [
        pd.read_csv(path, dtype=str, keep_default_na=False, encoding="gb18030").assign(
            den=path.parent.name
        )
        for path in sorted((made / "case" / "seized").glob("*/dial_list.csv"))
    ]
    calls = pd.concat(lists, ignore_index=True)
    calls["phone"] = calls["被叫号码"].str[-11:]  # a dialled 86 or 17951 prefix dropped
    victims = set(truth(made, "victims")["phone"])
    pressed = calls[(calls["按键"] == "1") & (calls["分机号"] != "")]
    handed = pressed[~pressed["phone"].isin(victims)]
    assert len(handed) > 50
    assert (handed["任务ID"] != "").all() and (handed["呼叫结果"] == "接通").all()
    passed = handed[handed["转接分机"] != ""]
    assert 0.15 * len(handed) <= len(passed) <= 0.45 * len(handed)
    for row in passed.itertuples():
        onward = calls[(calls["den"] == row.den) & (calls["phone"] == row.phone)
                       & (calls["分机号"] == row.转接分机)]  # fmt: skip
        assert len(onward) == 1, row
        assert onward["任务ID"].iloc[0] == "" and onward["按键"].iloc[0] == ""
        assert onward["开始时间"].iloc[0] > row.结束时间
    took = set(zip(pressed["den"], pressed["分机号"], strict=True))
    world = simulate(scaled(PROFILES["guiding"], 0.5), SEED)
    first = [p for p in world.people if p.role == "first_line" and p.extensions]
    assert first
    for person in first:
        assert took & set(person.extensions.items()), person.name
