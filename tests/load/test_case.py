"""The sample case end to end: every source read, every row accounted for, hashes recorded."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from linkage import load_case
from linkage.errors import ConfigError, SourceError
from linkage.load import case as case_module
from linkage.report.inspect import write_inspection

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "den-2016"


@pytest.fixture(scope="module")
def case():
    return load_case(SAMPLE)


def test_every_source_reconciles(case) -> None:
    assert len(case.sources) == 14
    for source in case.sources:
        assert source.rows_read == source.rows_kept + source.rows_rejected, source.path
    assert sum(s.rows_rejected for s in case.sources) == len(case.rejects)
    kept = sum(s.rows_kept for s in case.sources)
    assert kept == sum(len(t) for t in case.tables.values())


def test_planted_quirks_land_in_the_rejects(case) -> None:
    found = set(
        case.rejects[["source_file", "source_row", "reason"]].itertuples(index=False, name=None)
    )
    bank = "bank/6100000020160412093000/中国工商银行交易明细信息.csv"
    again = "bank/6100000020160415100000/中国工商银行交易明细信息.csv"
    assert found == {
        ("seized/den-k/dial_list.csv", 18, "unparseable_time"),  # 2016-02-30
        (again, 2, "duplicate_row"),  # S0004, returned by both overlapping queries
        (bank, 7, "failed_status"),  # 查询失败
        ("victims/v1_icbc_debit.csv", 10, "blank_row"),
        ("victims/v1_icbc_debit.csv", 11, "summary_row"),
    }
    duplicate = case.rejects[case.rejects["reason"] == "duplicate_row"].iloc[0]
    assert duplicate["value"] == f"same as {bank} row 5"


def test_worked_example_values(case) -> None:
    calls = case.calls
    v1 = calls[
        (calls["callee"] == "+8613912345678")
        & (calls["source_file"] == "seized/den-k/dial_list.csv")
    ]
    # Den clock 05:00 in Nairobi is 02:00 UTC, 10:00 in Beijing.
    assert v1.iloc[0]["started_at"] == pd.Timestamp("2016-03-10 02:00:00", tz="UTC")
    assert v1.iloc[0]["extension"] == "8001" and v1.iloc[0]["duration_s"] == 1180
    carrier = calls[calls["source_file"] == "telecom/13912345678_话单.csv"]
    assert carrier.iloc[0]["started_at"] == pd.Timestamp("2016-03-10 02:00:03", tz="UTC")
    assert carrier.iloc[0]["caller"] == v1.iloc[0]["caller"] == "+862168881234"
    money = case.transactions
    into_d1 = money[
        (money["account"] == "6222020200001234567")
        & (money["direction"] == "in")
        & (money["origin"] == "bank")
    ]
    assert into_d1["amount_fen"].tolist() == [8000000, 15000000, 5000000, 250000]
    assert set(into_d1["holder_name"]) == {"王小明"}  # filled from 账户信息
    ledger = money[money["origin"] == "seized"]
    assert set(ledger["counterparty_name"]) == {"张三", "李四", "王五"}  # 張三 simplified
    victim = money[money["origin"] == "victim"]
    assert victim["account"].tolist() == ["6222021001112223334"] * 2
    assert victim["counterparty_account"].tolist() == ["6222020200001234567"] * 2
    assert victim["amount_fen"].sum() == 20000000
    assert len(case.messages) == 7 and len(case.persons) == 5 and len(case.victims) == 4
    assert case.persons.loc[case.persons["name_raw"] == "陳二", "name"].item() == "陈二"


def test_inputs_are_hashed(case) -> None:
    assert "case.toml" in case.inputs
    assert "bank/6100000020160412093000/人员信息.csv" in case.inputs
    assert all(len(d) == 64 for d in case.inputs.values())


def test_outputs_are_byte_identical_across_runs(case, tmp_path: Path) -> None:
    first = write_inspection(case, tmp_path / "a")
    second = write_inspection(load_case(SAMPLE), tmp_path / "b")
    for name in ("manifest.json", "rejects.csv", "rejects.parquet", "coerced.csv"):
        assert (first.parent / name).read_bytes() == (second.parent / name).read_bytes(), name
    manifest = json.loads(first.read_text(encoding="utf-8"))
    assert manifest["rejects_by_reason"] == {
        "blank_row": 1,
        "duplicate_row": 1,
        "failed_status": 1,
        "summary_row": 1,
        "unparseable_time": 1,
    }
    assert set(manifest["outputs"]) == {
        "rejects.csv", "rejects.parquet", "coerced.csv", "coerced.parquet",
    }  # fmt: skip
    dial = manifest["sources"][0]
    assert (dial["format"], dial["rows_read"], dial["rows_rejected"]) == ("dial_list", 17, 1)


def test_a_missing_source_stops_the_load(tmp_path: Path) -> None:
    folder = tmp_path / "case"
    shutil.copytree(SAMPLE, folder)
    (folder / "police/victims.xlsx").unlink()
    with pytest.raises(ConfigError, match=r"police/victims.xlsx\): path does not exist"):
        load_case(folder)


def test_a_truncated_workbook_stops_the_load(tmp_path: Path) -> None:
    folder = tmp_path / "case"
    shutil.copytree(SAMPLE, folder)
    path = folder / "police/roster.xlsx"
    path.write_bytes(path.read_bytes()[:1000])
    with pytest.raises(SourceError, match=r"police/roster.xlsx: not a readable xlsx/xls workbook"):
        load_case(folder)


def test_repr_and_html(case) -> None:
    assert repr(case).startswith("<Case 'den-2016': 14 sources; calls=")
    html = case._repr_html_()
    assert "<table" in html and "dial_list" in html


def repeats_table() -> pa.Table:
    """Rows 0-6: file A holds x twice and y; B holds x and z; C holds y twice."""
    return pa.table(
        {
            "value": ["x", "x", "y", "x", "z", "y", "y"],
            "amount": [1, 1, 2, 1, 3, 2, 2],
            "file": ["A", "A", "A", "B", "B", "C", "C"],
        }
    )


def test_repeats_point_at_the_fullest_file() -> None:
    """A copy in another file points at the first row of the file holding the most copies;
    repeats inside one file are records of their own."""
    first = case_module._first_occurrence(repeats_table(), ["value", "amount"], "file")
    assert first.tolist() == [0, 1, 5, 0, 4, 5, 6]


def test_a_hash_collision_falls_back_to_exact_ranking(monkeypatch: pytest.MonkeyPatch) -> None:
    """Should the hash pair rows that differ, an exact ranking of every column decides."""
    checks: list[int] = []

    def distrust_once(table: pa.Table, rows: object, others: object) -> bool:
        checks.append(1)
        return len(checks) > 1

    queries: list[str] = []
    positions = case_module._positions

    def recorded(db: Any, sql: str, count: int) -> Any:
        queries.append(sql)
        return positions(db, sql, count)

    monkeypatch.setattr(case_module, "_same_rows", distrust_once)
    monkeypatch.setattr(case_module, "_positions", recorded)
    first = case_module._first_occurrence(repeats_table(), ["value", "amount"], "file")
    assert checks == [1]
    assert ["hash(" in q for q in queries] == [True, False]
    assert "dense_rank() OVER" in queries[1]
    assert first.tolist() == [0, 1, 5, 0, 4, 5, 6]


def chunks_of(column: pd.Series) -> int:
    array = pa.array(column.array)
    return array.num_chunks if isinstance(array, pa.ChunkedArray) else 1


def test_columns_are_joined_end_to_end_and_taken_out_of_the_parts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each table's column is one contiguous array; when its text outgrows one array (over
    2 GiB), it stays in chunks with the same values."""
    text = pd.ArrowDtype(pa.string())

    def parts() -> list[pd.DataFrame]:
        return [
            pd.DataFrame({"a": pd.Series(["x", None], dtype=text), "i": [1, 2]}),
            pd.DataFrame({"a": pd.Series(["y"], dtype=text), "i": [3]}),
        ]

    def unfilled() -> list[pd.DataFrame]:
        when = pd.ArrowDtype(pa.timestamp("us", tz="UTC"))
        return [
            pd.DataFrame(
                {"t": pd.Series([None] * n, dtype=text), "at": pd.Series([None] * n, dtype=when)}
            )
            for n in (2, 3)
        ]

    given = parts()
    joined = case_module._concat(given, case_module.TABLES["calls"])
    assert joined["a"].tolist()[::2] == ["x", "y"] and pd.isna(joined["a"].iloc[1])
    assert joined["i"].tolist() == [1, 2, 3]
    assert chunks_of(joined["a"]) == 1
    assert all(part.columns.empty for part in given)

    def too_large(arrays: list[pa.Array]) -> pa.Array:
        raise pa.ArrowInvalid("offset overflow while concatenating arrays")

    # Columns no source fills are nulls over one shared buffer of zeros.
    empty = case_module._concat(unfilled(), case_module.TABLES["calls"])
    assert empty["t"].isna().all() and empty["at"].isna().all() and len(empty) == 5
    buffers = [pa.array(empty[name].array).buffers() for name in ("t", "at")]
    assert len({b.address for column in buffers for b in column}) == 1

    monkeypatch.setattr(case_module.pa, "concat_arrays", too_large)
    chunked = case_module._concat(parts(), case_module.TABLES["calls"])
    assert chunks_of(chunked["a"]) == 2
    pd.testing.assert_frame_equal(chunked, joined)


def test_dropping_duplicates_keeps_unfilled_columns_on_one_zero_buffer() -> None:
    text = pd.ArrowDtype(pa.string())
    frame = pd.DataFrame(
        {
            "a": pd.Series(["x", "y", "z"], dtype=text),
            "n1": pd.Series([None] * 3, dtype=text),
            "n2": pd.Series([None] * 3, dtype=pd.ArrowDtype(pa.int64())),
            "i": [1, 2, 3],
        }
    )
    kept = case_module._rows_kept(frame, np.array([True, False, True]))
    assert kept["a"].tolist() == ["x", "z"] and kept["i"].tolist() == [1, 3]
    assert kept["n1"].isna().all() and kept["n2"].isna().all() and len(kept) == 2
    buffers = [pa.array(kept[name].array).buffers() for name in ("n1", "n2")]
    assert len({b.address for column in buffers for b in column}) == 1
    assert frame.columns.empty  # moved out, a column at a time
