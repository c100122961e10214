"""docs/attribution.md's worked case, number by number: the pencil and the library agree."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import linkage

CASE = Path(__file__).resolve().parents[2] / "sample_data" / "den-2016"


@pytest.fixture(scope="module")
def defendants() -> pd.DataFrame:
    findings = linkage.corroborate(linkage.load_case(CASE))
    return linkage.attribute(findings).defendants.set_index("name")


@pytest.mark.parametrize(
    ("name", "role", "periods", "amount", "victims", "calls"),
    [
        ("张凯", "organiser", "den-k:2015-11-20..2016-04-08", 28_250_000, 3, 0),
        ("林一", "first_line", "den-k:2016-03-04..2016-04-08", 20_250_000, 2, 1),
        ("陈二", "first_line", "den-k:2015-11-30..2016-03-01", 8_000_000, 1, 1),
        ("黄三", "second_line", "den-j:2015-12-01..2016-01-31;den-k:2016-02-05..2016-04-08",
         28_250_000, 3, 3),
        ("吴四", "third_line", "den-k:2016-01-15..2016-04-08", 28_250_000, 3, 0),
    ],
)  # fmt: skip
def test_each_member_as_worked_by_hand(
    defendants: pd.DataFrame,
    name: str,
    role: str,
    periods: str,
    amount: int,
    victims: int,
    calls: int,
) -> None:
    row = defendants.loc[name]
    assert (row["role"], row["periods"]) == (role, periods)
    assert (row["amount_fen"], row["victim_count"], row["call_count"]) == (amount, victims, calls)
    assert row["group_id"] == "G1"
    assert row["band"] == "huge"


def test_the_organiser_gets_the_group_total_and_the_reasons(defendants: pd.DataFrame) -> None:
    assert defendants.loc["张凯", "amount_fen"] == 15_000_000 + 5_000_000 + 8_000_000 + 250_000
    assert defendants.loc["张凯", "principal_suggested"]
    assert defendants.loc["吴四", "role_basis"] == "the roster's note only"
    assert not defendants.loc["林一", "principal_suggested"], "one den only"


def test_first_and_last_act_rule_by_hand() -> None:
    """Each stay narrowed to the member's own first and last act in it: 黄三's den-J stay to
    her two calls (12-10, 01-20), her den-K stay to 张三's forwarded call and her chat the next
    day; 吴四, who did nothing the case shows, has no period and no amount."""
    findings = linkage.corroborate(linkage.load_case(CASE))
    rule = linkage.AttributionParams(period_start="first_act", period_end="last_act")
    rows = linkage.attribute(findings, rule).defendants.set_index("name")
    assert (
        rows.loc["黄三", "periods"] == "den-j:2015-12-10..2016-01-20;den-k:2016-03-10..2016-03-11"
    )
    assert rows.loc["黄三", "amount_fen"] == 20_000_000
    assert rows.loc["林一", "periods"] == "den-k:2016-03-10..2016-03-10"
    assert rows.loc["林一", "amount_fen"] == 15_000_000
    assert rows.loc["陈二", "amount_fen"] == 8_000_000
    assert pd.isna(rows.loc["吴四", "period_start"]) and rows.loc["吴四", "amount_fen"] == 0
    assert rows.loc["张凯", "amount_fen"] == 28_250_000, "organisers: any time"


def test_a_refund_after_a_payment_answers_that_payment() -> None:
    """A refund answers the latest payment before it; one larger than that payment spills to
    the one before; no net is ever negative (a March-only member is not charged a January
    pay-back)."""
    from linkage.graph.amounts import _deductions

    at = pd.to_datetime(["2016-01-05", "2016-03-01"], utc=True)
    payments = pd.DataFrame({"victim_id": ["v", "v"], "at": at, "gross": [1_000_000, 10_000]})
    late = pd.DataFrame(
        {"victim_id": ["v"], "at": pd.to_datetime(["2016-01-06"], utc=True), "gross": [50_000]}
    )
    assert _deductions(payments, late) == {0: 50_000}
    big = late.assign(at=pd.to_datetime(["2016-03-02"], utc=True), gross=[30_000])
    assert _deductions(payments, big) == {1: 10_000, 0: 20_000}
    rebate = late.assign(at=pd.to_datetime(["2016-01-01"], utc=True), gross=[5_000])
    assert _deductions(payments, rebate) == {0: 5_000}


def test_missing_and_conflicting_border_records_are_reported(tmp_path: Path) -> None:
    """Without 林一's exit record his calls and chats fall outside every stay: they are
    reported, never given to someone else. A Kenyan entry record ten days after 陳二's Chinese
    exit moves his start (the den country's record comes first) and is reported too."""
    import shutil

    case = tmp_path / "den-2016"
    shutil.copytree(CASE, case)
    records = case / "immigration" / "exit_entry.csv"
    lines = records.read_text(encoding="utf-8").splitlines()
    kept = [line for line in lines if not line.startswith("林一,")]
    records.write_text("\n".join(kept) + "\n", encoding="utf-8")
    foreign = case / "immigration" / "kenya.csv"
    foreign.write_text(
        "name,passport_no,nationality,country,direction,date,source\n"
        "陳二,07654321,中国台湾,KE,entry,2015-12-10,foreign_police\n",
        encoding="utf-8",
    )
    with (case / "case.toml").open("a", encoding="utf-8") as toml:
        toml.write('\n[[source]]\npath = "immigration/kenya.csv"\nkind = "travel"\n'
                   'origin = "police"\n')  # fmt: skip
    attribution = linkage.attribute(linkage.corroborate(linkage.load_case(case)))
    gaps = attribution.gaps
    rows = attribution.defendants.set_index("name")
    lin = rows.loc["林一", "person_id"]
    assert rows.loc["林一", "amount_fen"] == 0 and rows.loc["林一", "call_count"] == 0
    assert ((gaps["person_id"] == lin) & (gaps["gap"] == "acts outside every stay")).any()
    unowned = gaps[gaps["gap"] == "calls nobody can be given"]
    assert unowned["detail"].str.contains("extension 8001").any()
    assert rows.loc["陈二", "period_start"] == "2015-12-10"
    conflict = gaps[gaps["gap"] == "border records disagree"]
    assert conflict["detail"].tolist() == ["left China 2015-11-30 but entered 2015-12-10"]
