"""A case saved as partitioned Parquet comes back equal, and runs to the very same outputs."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.parquet as pq
import pytest
from case_runs import SAMPLE, Ran, assert_same_case, output_files

from linkage import run
from linkage.cli import main
from linkage.errors import ConfigError, OutputError
from linkage.load.case import load_case
from linkage.load.saved import MARK, open_saved_case, save_case


def test_saved_case_reopens_equal(sample_run: Ran, tmp_path: Path) -> None:
    case = sample_run.result.case
    save_case(case, tmp_path / "saved")
    back = open_saved_case(tmp_path / "saved")
    assert_same_case(back, case)
    assert back.config.name == case.config.name
    assert back.config.sources == case.config.sources


def test_a_run_from_the_saved_case_writes_the_same_files(sample_run: Ran, tmp_path: Path) -> None:
    save_case(sample_run.result.case, tmp_path / "saved")
    run(tmp_path / "saved", tmp_path / "out")
    names = output_files(sample_run.out)
    assert output_files(tmp_path / "out") == names
    for name in names:
        assert (tmp_path / "out" / name).read_bytes() == (sample_run.out / name).read_bytes(), name


def test_tables_are_hive_partitioned_by_origin_for_other_engines(
    sample_run: Ran, tmp_path: Path
) -> None:
    case = sample_run.result.case
    save_case(case, tmp_path / "saved")
    calls = tmp_path / "saved" / "tables" / "calls"
    assert sorted(p.name for p in calls.iterdir()) == ["origin=seized", "origin=telecom"]
    counts = duckdb.sql(
        f"SELECT origin, count(*) FROM read_parquet('{calls}/*/*.parquet', hive_partitioning=1) "
        "GROUP BY origin ORDER BY origin"
    ).fetchall()
    expected = case.calls["origin"].value_counts().sort_index()
    assert counts == list(zip(expected.index, expected.tolist(), strict=True))


def test_saving_twice_writes_the_same_bytes(sample_run: Ran, tmp_path: Path) -> None:
    first = save_case(sample_run.result.case, tmp_path / "a")
    second = save_case(sample_run.result.case, tmp_path / "b")
    assert len(first) == 15  # case.toml, mark, rejects, coerced and 11 table partitions
    assert [p.relative_to(tmp_path / "a") for p in first] == [
        p.relative_to(tmp_path / "b") for p in second
    ]
    for one, other in zip(first, second, strict=True):
        assert one.read_bytes() == other.read_bytes(), one


def test_a_saved_case_is_replaced_but_other_folders_are_refused(
    sample_run: Ran, tmp_path: Path
) -> None:
    case = sample_run.result.case
    save_case(case, tmp_path / "saved")
    save_case(case, tmp_path / "saved")  # replaced in place
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(OutputError, match=r"holds files linkage did not write \(notes\.txt\)"):
        save_case(case, tmp_path / "mine")
    assert (tmp_path / "mine" / "notes.txt").read_text(encoding="utf-8") == "keep me"
    (tmp_path / "saved" / "out").mkdir()  # a run's outputs put inside the saved case
    with pytest.raises(OutputError, match=r"did not write \(out\)"):
        save_case(case, tmp_path / "saved")
    assert (tmp_path / "saved" / "out").is_dir()


def test_a_saved_case_saves_over_itself(sample_run: Ran, tmp_path: Path) -> None:
    save_case(sample_run.result.case, tmp_path / "saved")
    reopened = open_saved_case(tmp_path / "saved")
    save_case(reopened, tmp_path / "saved")
    again = open_saved_case(tmp_path / "saved")
    pd.testing.assert_frame_equal(again.calls, sample_run.result.case.calls, check_exact=True)
    assert not (tmp_path / "saved.partial").exists()


def test_load_case_points_a_saved_case_to_the_right_door(sample_run: Ran, tmp_path: Path) -> None:
    save_case(sample_run.result.case, tmp_path / "saved")
    with pytest.raises(ConfigError, match=r"a case saved by `linkage load`.*open_saved_case"):
        load_case(tmp_path / "saved")


def test_a_damaged_saved_case_is_refused(sample_run: Ran, tmp_path: Path) -> None:
    folder = tmp_path / "saved"
    save_case(sample_run.result.case, folder)
    mark = json.loads((folder / MARK).read_text(encoding="utf-8"))
    (folder / MARK).write_text(
        json.dumps({**mark, "rows": {**mark["rows"], "calls": 1}}), encoding="utf-8"
    )
    calls = mark["rows"]["calls"]
    with pytest.raises(ConfigError, match=rf"calls holds {calls} rows, saved_case.json says 1"):
        open_saved_case(folder)
    (folder / MARK).write_text(json.dumps({**mark, "format_version": 99}), encoding="utf-8")
    with pytest.raises(ConfigError, match="format_version 99"):
        open_saved_case(folder)
    with pytest.raises(ConfigError, match=r"no saved_case\.json"):
        open_saved_case(tmp_path)
    (folder / MARK).write_text(json.dumps(mark), encoding="utf-8")
    (folder / "rejects.parquet").unlink()
    with pytest.raises(ConfigError, match=r"damaged saved case \(FileNotFoundError"):
        open_saved_case(folder)
    (folder / MARK).write_text("{not json", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"damaged saved case \(JSONDecodeError"):
        open_saved_case(folder)


def test_a_case_saved_before_a_column_existed_asks_to_be_saved_again(
    sample_run: Ran, tmp_path: Path
) -> None:
    folder = tmp_path / "saved"
    save_case(sample_run.result.case, folder)
    for part in (folder / "tables" / "accounts").rglob("*.parquet"):
        table = pq.read_table(part)
        pq.write_table(table.drop_columns(["bound_to", "bound_cards_raw"]), part)
    with pytest.raises(
        ConfigError,
        match=r"accounts: saved without bound_to, bound_cards_raw, which the accounts table of "
        r"this linkage has; save the case again with `linkage load CASE --to DIR`",
    ):
        open_saved_case(folder)


def test_cli_load_saves_and_says_how_to_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["load", str(SAMPLE / "case"), "--to", str(tmp_path / "saved"), "--quiet"]) == 0
    said = capsys.readouterr().out
    assert "saved synth-2016" in said and "calls 5,873" in said and "rejects 83" in said
    assert f"linkage run {tmp_path / 'saved'} --out OUT" in said
    assert open_saved_case(tmp_path / "saved").calls.shape[0] == 5873
