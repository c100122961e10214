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
