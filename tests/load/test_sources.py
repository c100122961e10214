"""Reading small sources in helper processes gives exactly what reading them one by one gives."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from case_runs import SAMPLE, assert_same_case

from linkage.errors import SourceError
from linkage.load import sources
from linkage.load.case import Case, load_case


@pytest.fixture(scope="module")
def one_by_one() -> Case:
    return load_case(SAMPLE / "case", workers=1)


def test_helpers_read_the_same_case(one_by_one: Case, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sources, "BATCH", 5)  # many trips, shared by the helpers and this process
    helped = load_case(SAMPLE / "case", workers=3)
    assert_same_case(helped, one_by_one)


def test_a_helper_that_dies_holding_a_batch_gives_it_back(
    one_by_one: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    def late_dying_helper() -> subprocess.Popen[bytes]:  # takes a batch, answers nothing
        return subprocess.Popen(
            [sys.executable, "-c", "import sys, time; sys.stdin.buffer.read(1); time.sleep(1.5)"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )

    monkeypatch.setattr(sources, "_start_helper", late_dying_helper)
    monkeypatch.setattr(sources, "BATCH", 40)  # two batches: this process reads the other
    assert_same_case(load_case(SAMPLE / "case", workers=2), one_by_one)


def test_a_helper_that_dies_leaves_its_batches_to_this_process(
    one_by_one: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    def dying_helper() -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [sys.executable, "-c", "import sys; sys.stdin.buffer.read(1)"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )

    monkeypatch.setattr(sources, "_start_helper", dying_helper)
    assert_same_case(load_case(SAMPLE / "case", workers=2), one_by_one)


def test_the_first_unreadable_source_raises_the_same_error(tmp_path: Path) -> None:
    case = tmp_path / "case"
    shutil.copytree(SAMPLE / "case", case)
    statements = sorted((case / "victims").glob("*_icbc.csv"))
    statements[3].write_bytes(b"\x00\x01 not a statement \xff\xfe\n" * 3)
    statements[7].write_bytes(b"")
    with pytest.raises(SourceError) as alone:
        load_case(case, workers=1)
    with pytest.raises(SourceError) as helped:
        load_case(case, workers=2)
    assert str(helped.value) == str(alone.value)
    assert statements[3].name in str(alone.value)


def test_small_cases_are_read_here_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_helpers() -> subprocess.Popen[bytes]:
        raise AssertionError("a case of a few sources needs no helper")

    monkeypatch.setattr(sources, "_start_helper", no_helpers)
    assert len(load_case(SAMPLE / "case").sources) < sources.POOL_FROM


def test_a_reader_bug_in_a_batch_is_sent_back_to_be_read_here(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from linkage.load.case import input_files, latest_time
    from linkage.load.config import read_config

    config = read_config(SAMPLE / "case")
    latest = latest_time(config, input_files(config))
    real = sources.read_source

    def buggy(spec, config, latest):  # type: ignore[no-untyped-def]
        if spec is config.sources[1]:
            raise RuntimeError("a reader bug")
        return real(spec, config, latest)

    monkeypatch.setattr(sources, "read_source", buggy)
    reads = sources.read_batch(config, latest, [0, 1, 2])
    assert [read.index for read in reads] == [0, 1, 2]  # the batch goes on past the bug
    assert [read.read_here for read in reads] == [False, True, False]
    assert reads[0].result is not None and reads[2].result is not None
