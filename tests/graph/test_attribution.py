"""Attribution against ground truth: groups, roles, periods, amounts and counts per defendant.

The bar (issue: graph layer): groups separated exactly, role accuracy at least 0.95, periods
exact to the day, every amount exact to the fen, organisers at the group total, call counts
exact, on the sample and three other seeds. A money mule's amount is compared with what the
returned statements can prove (``provable_amount_fen``): money that went through an account
whose bank never answered cannot be followed by anyone reading the case.

These run on both worlds (``case_run``): the first writes the 任务ID on a chain's first leg
only and notes most roles on the roster; the second repeats it on every leg beside the
dialer's own, leaves organisers without a note and has mules hold the collecting cards.
"""

from __future__ import annotations

import json

import pandas as pd
from case_runs import Ran
from evidence_rows import row_text


def _joined(ran: Ran) -> pd.DataFrame:
    truth = ran.truth_table("defendants")
    ours = ran.output("defendants")
    joined = truth.merge(ours, on="person_id", how="outer", suffixes=("_truth", ""),
                         indicator=True)  # fmt: skip
    assert (joined["_merge"] == "both").all()
    return joined


def test_groups_are_separated_exactly(case_run: Ran) -> None:
    joined = _joined(case_run)
    wrong = joined[joined["group_id"] != joined["group_id_truth"]]
    assert wrong.empty, wrong[["person_id", "name", "group_id", "group_id_truth"]]
    assert set(joined["group_id"]) == {"G1", "G2"}


def test_roles_are_right_for_at_least_95_percent(case_run: Ran) -> None:
    joined = _joined(case_run)
    right = joined["role"] == joined["role_truth"]
    assert right.mean() >= 0.95, joined.loc[~right, ["person_id", "role", "role_truth"]]
    wrong_known = joined[~right & (joined["role"] != "unknown")]
    assert wrong_known.empty, "a role is either right or honestly unknown"


def test_participation_periods_are_exact_to_the_day(case_run: Ran) -> None:
    joined = _joined(case_run)
    for column in ("periods", "period_start", "period_end", "dens"):
        wrong = joined[joined[column] != joined[f"{column}_truth"]]
        assert wrong.empty, wrong[["person_id", "name", column, f"{column}_truth"]]
    assert joined["periods"].str.count(";").max() >= 1, "someone moved between dens"


def test_amounts_are_exact_to_the_fen(case_run: Ran) -> None:
    joined = _joined(case_run)
    for ours, truth in (("amount_fen", "provable_amount_fen"),
                        ("victim_count", "provable_victim_count")):  # fmt: skip
        wrong = joined[joined[ours] != joined[truth]]
        assert wrong.empty, wrong[["person_id", "name", "role", ours, truth]]
    staff = joined[~joined["role_truth"].isin(["money_mule"])]
    assert (staff["amount_fen"] == staff["amount_fen_truth"]).all()


def test_organisers_answer_for_their_group_total(case_run: Ran) -> None:
    joined = _joined(case_run)
    victims = case_run.output("victims")
    linked = victims[victims["verdict"] != "unlinked"]
    totals = linked.groupby("group_id")["loss_fen"].apply(lambda s: s.astype(int).sum())
    organisers = joined[joined["role"] == "organiser"]
    assert len(organisers) >= 2
    for row in organisers.itertuples():
        assert int(row.amount_fen) == totals[row.group_id], row.name


def test_call_and_message_counts_are_exact(case_run: Ran) -> None:
    joined = _joined(case_run)
    for column in ("call_count", "message_count"):
        wrong = joined[joined[column] != joined[f"{column}_truth"]]
        assert wrong.empty, wrong[["person_id", "name", column, f"{column}_truth"]]


def test_each_amount_is_the_sum_of_the_payments_behind_it(case_run: Ran) -> None:
    defendants = pd.read_parquet(case_run.out / "defendants.parquet").set_index("person_id")
    behind = pd.read_parquet(case_run.out / "defendant_victims.parquet")
    sums = behind.groupby("person_id")["net_fen"].sum()
    counts = behind.groupby("person_id")["victim_id"].nunique()
    for person_id, row in defendants.iterrows():
        assert row["amount_fen"] == sums.get(person_id, 0), person_id
        assert row["victim_count"] == counts.get(person_id, 0), person_id
    assert behind["basis"].notna().all()


def test_stay_ends_point_at_real_border_records(case_run: Ran) -> None:
    stays = pd.read_parquet(case_run.out / "stays.parquet")
    assert len(stays) >= 20
    for stay in stays.itertuples():
        text = row_text(case_run.case, stay.start_source_file, int(stay.start_source_row), None)
        assert stay.person_id in text, (stay.person_id, stay.start_source_file, text)
        if stay.end_basis == "seizure":
            assert stay.end_source_file == "case.toml"
        else:
            text = row_text(case_run.case, stay.end_source_file, int(stay.end_source_row), None)
            assert stay.person_id in text


def test_line_roles_rest_on_chain_legs_in_the_dial_lists(case_run: Ran) -> None:
    evidence = pd.read_parquet(case_run.out / "roles_evidence.parquet")
    legs = evidence[evidence["detail"] == "forwarded chain leg"]
    assert len(legs) > 50
    for leg in legs.head(60).itertuples():
        text = row_text(case_run.case, leg.source_file, int(leg.source_row), None)
        assert text.count(",") >= 10, "a dial-list row"
    manifest = json.loads((case_run.out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["parameters"]["attribution"]["period_start"] == "entry"
    assert manifest["parameters"]["attribution"]["forward_slack_s"] == 600


def test_first_and_last_act_rule_narrows_the_periods(sample_run: Ran) -> None:
    """With start = first act and end = last act, every period lies inside the entry/exit one,
    some are shorter, amounts never grow, and the rule is written beside each period."""
    from linkage import AttributionParams, attribute

    findings = sample_run.result.findings
    default = sample_run.result.attribution.defendants.set_index("person_id")
    rule = AttributionParams(period_start="first_act", period_end="last_act")
    narrow = attribute(findings, rule).defendants.set_index("person_id")
    staff = default[default["period_start"].notna()].index
    assert (narrow.loc[staff, "period_start"] >= default.loc[staff, "period_start"]).all()
    assert (narrow.loc[staff, "period_end"] <= default.loc[staff, "period_end"]).all()
    assert (narrow.loc[staff, "period_start"] > default.loc[staff, "period_start"]).any()
    assert (narrow["amount_fen"] <= default["amount_fen"]).all()
    assert set(narrow["period_rule"]) == {"start=first_act; end=last_act"}


def test_the_case_graph_separates_the_groups(case_run: Ran) -> None:
    """Components of the strong edges are the groups: each holds one group's people and dens,
    though a G1 caller and a G2 caller share a name."""
    import networkx as nx

    from linkage import case_graph
    from linkage.graph import graph_groups

    result = case_run.result
    graph = case_graph(result.findings, result.attribution)
    truth = case_run.truth_table("defendants").set_index("person_id")["group_id"]
    components = graph_groups(graph)
    people = [{n.removeprefix("person:") for n in c if n.startswith("person:")} for c in components]
    people = [p for p in people if p]
    assert sorted(len(p) for p in people) == sorted(truth.value_counts().tolist())
    for members in people:
        assert len({truth[m] for m in members}) == 1
    names = case_run.truth_table("defendants").groupby("name")["group_id"].nunique()
    assert (names > 1).any(), "the generator gives two groups' staff one name"
    saved = nx.read_graphml(case_run.out / "case_graph.graphml")
    assert saved.number_of_nodes() == graph.number_of_nodes()


def test_roster_slips_are_reported_not_followed(case_run: Ran) -> None:
    """Where the roster's note differs from what the member did, the role follows the
    behaviour, ``roster_agrees`` is false (empty where there is no note) and the disagreement
    is listed among the gaps; both generators plant such slips (in some cases none)."""
    joined = _joined(case_run)
    persons = case_run.result.case.persons.set_index("person_id")
    right = joined[joined["role"] == joined["role_truth"]]
    for row in right.itertuples():
        person = persons.loc[row.person_id]
        if pd.isna(person["role_noted"]):
            assert row.roster_agrees == "", row.person_id
        else:
            agrees = person["role"] == row.role_truth
            assert row.roster_agrees == str(agrees).lower(), row.person_id
    noted = persons.loc[persons["role_noted"].notna(), "role"]
    noted = noted[~noted.index.duplicated()]
    truth = joined.set_index("person_id")["role_truth"]
    planted = noted[noted != truth.reindex(noted.index)]
    assert (joined["roster_agrees"] == "false").any() == (len(planted) > 0)
    gaps = case_run.output("attribution_gaps")
    listed = gaps.loc[gaps["gap"] == "behaviour and roster note disagree", "person_id"]
    assert sorted(listed) == sorted(joined.loc[joined["roster_agrees"] == "false", "person_id"])


def test_a_hub_never_joins_two_groups(sample_run: Ran) -> None:
    """A phone both groups' people list (a SIM vendor's) is a hub: the groups stay apart."""
    from linkage import case_graph
    from linkage.graph import graph_groups
    from linkage.graph.case_graph import graph_hubs

    result = sample_run.result
    graph = case_graph(result.findings, result.attribution)
    people = [n for n, kind in graph.nodes(data="kind") if kind == "person"]
    g1 = next(p for p in people if graph.nodes[p]["group_id"] == "G1")
    g2 = next(p for p in people if graph.nodes[p]["group_id"] == "G2")
    graph.add_node("phone:+8613000000000", kind="phone", label="vendor", group_id="", role="")
    for person in (g1, g2):
        graph.add_edge(person, "phone:+8613000000000", kind="uses", count=1)
    assert graph_hubs(graph) == {"phone:+8613000000000"}
    together = [c for c in graph_groups(graph) if g1 in c and g2 in c]
    assert together == []


def test_money_mules_carry_the_laundering_indicator(case_run: Ran) -> None:
    defendants = case_run.output("defendants")
    mules = defendants[defendants["role"] == "money_mule"]
    assert len(mules) > 0
    assert (defendants.loc[defendants["role"] != "money_mule", "mule_indicator"] == "").all()
    big = mules[mules["amount_fen"].astype(int) >= 10_000_000]
    assert big["mule_indicator"].str.contains("100,000.00").all()


def test_the_run_traces_once_and_mules_follow_the_same_hops(sample_run: Ran) -> None:
    from linkage import attribute, trace

    findings = sample_run.result.findings
    alone = attribute(findings)
    mules = alone.defendants["role"] == "money_mule"
    assert mules.any() and (alone.defendants.loc[mules, "amount_fen"] > 0).all()
    fifo = trace(findings)
    for flows in (fifo, trace(findings, rule="lifo"), trace(findings, max_depth=2)):
        assert flows is fifo or not flows.hops.equals(fifo.hops)  # other hops, ignored
        given = attribute(findings, flows=flows)  # a non-default tracing is traced again
        pd.testing.assert_frame_equal(given.defendants, alone.defendants)
        pd.testing.assert_frame_equal(given.defendant_victims, alone.defendant_victims)
    pd.testing.assert_frame_equal(sample_run.result.attribution.defendants, alone.defendants)
