"""Tracing victims' money: amounts conserved at every account, time order kept, and on the
sample case exactly the ground truth's ends, missing statements included."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
from case_runs import SAMPLE, Ran
from hypothesis import given, settings
from hypothesis import strategies as st

from linkage.flow import RULES, trace, trace_statements

ACCOUNTS = ["d1", "d2", "m1", "m2", "m3"]
"""Traced accounts; ``x*`` are outside (no statement), ``v*`` victims."""


@st.composite
def networks(draw: st.DrawFn) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Statements of five accounts: victims' payments and other credits, transfers between
    the accounts (seen on both statements), payments out and cash withdrawals."""
    rows: list[dict[str, object]] = []
    origins: list[dict[str, object]] = []
    t = 0
    for n in range(draw(st.integers(1, 25))):
        t += draw(st.integers(0, 3_000))
        kind = draw(st.sampled_from(["payment", "credit", "move", "out", "cash"]))
        account = draw(st.sampled_from(ACCOUNTS))
        amount = draw(st.integers(1, 5_000_000))
        row = {"account": account, "amount_fen": amount, "t": t, "cash": False,
               "source_file": "s.csv", "source_row": n + 2}  # fmt: skip
        if kind in ("payment", "credit"):
            payer = f"v{n}" if kind == "payment" else f"x{n}"
            rows.append({**row, "counterparty_account": payer, "direction": "in"})
            if kind == "payment":
                origins.append({"account": account, "counterparty_account": payer,
                                "amount_fen": amount, "t": t, "victim_id": payer,
                                "payment": f"{payer}@{t}"})  # fmt: skip
        elif kind == "move":
            target = draw(st.sampled_from([a for a in ACCOUNTS if a != account]))
            rows.append({**row, "counterparty_account": target, "direction": "out"})
            rows.append({**row, "account": target, "counterparty_account": account,
                         "direction": "in", "source_row": n + 1000})  # fmt: skip
        elif kind == "out":
            rows.append({**row, "counterparty_account": f"x{n}", "direction": "out"})
        else:
            rows.append({**row, "counterparty_account": None, "direction": "out", "cash": True})
    return pd.DataFrame(rows), pd.DataFrame(
        origins,
        columns=["account", "counterparty_account", "amount_fen", "t", "victim_id", "payment"],
    )


@settings(max_examples=150, deadline=None)
@given(networks(), st.sampled_from(RULES), st.integers(0, 120))
def test_amounts_are_conserved_and_time_order_kept(
    network: tuple[pd.DataFrame, pd.DataFrame], rule: str, tolerance: int
) -> None:
    statements, origins = network
    flows = trace_statements(statements, origins, rule=rule, tolerance_s=tolerance, max_depth=9)
    balances = flows.balances
    assert (balances["received_fen"] + balances["unexplained_fen"]
            == balances["sent_fen"] + balances["held_fen"]).all()  # fmt: skip
    ends = flows.destinations.groupby("payment")["amount_fen"].sum()
    for origin in origins.itertuples():
        assert ends.get(origin.payment, 0) == origin.amount_fen, "each payment ends somewhere"
        hops = flows.hops[flows.hops["payment"] == origin.payment]
        at = pd.Timestamp(origin.t, unit="s", tz="UTC")
        assert (hops["at"] >= at - pd.Timedelta(seconds=tolerance)).all(), "never back in time"
    assert (flows.destinations["amount_fen"] > 0).all()


@settings(max_examples=60, deadline=None)
@given(networks(), st.sampled_from(RULES))
def test_dictionary_columns_trace_as_plain_text(
    network: tuple[pd.DataFrame, pd.DataFrame], rule: str
) -> None:
    """``trace`` hands the tracer its repeated texts as Arrow dictionaries: same flows."""
    statements, origins = network
    encoded = statements.copy()
    for name in ("account", "counterparty_account", "direction", "source_file"):
        values = pa.array(statements[name], type=pa.string()).dictionary_encode()
        encoded[name] = pd.Series(values, dtype=pd.ArrowDtype(values.type))
    plain = trace_statements(statements, origins, rule=rule)
    coded = trace_statements(encoded, origins, rule=rule)
    for name in ("hops", "destinations", "balances"):
        expected, got = getattr(plain, name), getattr(coded, name)
        assert got.astype(object).values.tolist() == expected.astype(object).values.tolist()


def test_money_leaving_before_it_arrives_is_not_the_victims() -> None:
    """A debit at 10:00 cannot carry a payment that arrives at 10:05."""
    statements = pd.DataFrame(
        [
            {"account": "d1", "counterparty_account": "x1", "direction": "out",
             "amount_fen": 100, "t": 600, "cash": False, "source_file": "s", "source_row": 2},
            {"account": "d1", "counterparty_account": "v1", "direction": "in",
             "amount_fen": 100, "t": 900, "cash": False, "source_file": "s", "source_row": 3},
        ]
    )  # fmt: skip
    origins = pd.DataFrame([{"account": "d1", "counterparty_account": "v1", "amount_fen": 100,
                             "t": 900, "victim_id": "v1", "payment": "p"}])  # fmt: skip
    flows = trace_statements(statements, origins, tolerance_s=60)
    assert flows.destinations[["end", "amount_fen"]].values.tolist() == [["held", 100]]
    assert flows.balances["unexplained_fen"].tolist() == [100]


def test_the_sample_case_ends_exactly_where_the_truth_says(sample_run: Ran) -> None:
    """Over the returned statements FIFO finds every cash withdrawal and every account whose
    bank never answered, with the amount that vanished there, as the generator recorded."""
    flows = trace(sample_run.result.findings, rule="fifo")
    truth = pd.read_csv(SAMPLE / "ground_truth" / "destinations.csv", dtype={"account": str})
    ours = flows.destinations.groupby(["victim_id", "end", "account"])["amount_fen"].sum()
    expected = truth.groupby(["victim_id", "end", "account"])["amount_fen"].sum()
    pd.testing.assert_series_equal(ours, expected, check_names=False, check_dtype=False)
    assert set(truth["end"]) == {"cash_out", "statement_missing"}
    layers = flows.layers()
    assert (
        layers.loc[layers["hop"] == 1, "amount_fen"].item()
        == flows.destinations["amount_fen"].sum()
    )


def test_every_rule_conserves_the_sample_case(sample_run: Ran) -> None:
    for rule in RULES:
        flows = trace(sample_run.result.findings, rule=rule)
        b = flows.balances
        assert (b["received_fen"] + b["unexplained_fen"] == b["sent_fen"] + b["held_fen"]).all()
        paid = sample_run.result.findings.transfers
        linked = paid[paid["flow"] == "payment"]
        assert (
            flows.destinations["amount_fen"].sum() <= (linked["amount_fen"] * linked["times"]).sum()
        )


def test_the_sample_case_follows_the_truths_hops(sample_run: Ran) -> None:
    """Every hop the generator made over returned statements is traced, with its amount."""
    flows = trace(sample_run.result.findings, rule="fifo")
    truth = pd.read_csv(SAMPLE / "ground_truth" / "fund_flows.csv",
                        dtype={"from_account": str, "to_account": str})  # fmt: skip
    visible = truth[(truth["in_returned_statement"]) & (truth["kind"] != "cash_out")]
    keys = ["victim_id", "from_account", "to_account"]
    expected = visible.groupby(keys)["amount_fen"].sum()
    ours = flows.hops.groupby(keys)["amount_fen"].sum()
    pd.testing.assert_series_equal(ours.loc[expected.index], expected, check_names=False,
                                   check_dtype=False)  # fmt: skip
    assert len(ours) == len(expected), "no hop the truth does not have"
