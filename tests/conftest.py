"""Shared fixtures: run one reader on files written under tmp_path, with the ledger checked."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from case_runs import DESIGNATED, SAMPLE, SEEDS, Ran, run_case
from environment import SHARED_SAMPLES, shared_path

import linkage.load.readers  # noqa: F401  (registers every format)
from linkage.load.context import ReadResult, SourceContext, SourceSpec
from linkage.load.formats import FORMATS
from linkage.synth import generate

LATEST = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)


def read_with(
    case_dir: Path,
    path: str,
    fmt: str,
    *,
    kind: str | None = None,
    origin: str = "seized",
    timezone: str = "Asia/Shanghai",
    region: str = "CN",
    **spec: Any,
) -> ReadResult:
    """Read one source with a named format and check that every row is accounted for."""
    reader = FORMATS[fmt]
    source = SourceSpec(
        path=path,
        kind=kind or reader.kind,
        origin=origin,
        timezone=timezone,
        format=fmt,
        region=region,
        **spec,
    )
    result = reader.read(SourceContext(source, case_dir, timezone, region, LATEST))
    assert result.rows_read == len(result.table) + len(result.rejects), (
        f"{path}: {result.rows_read} rows read, {len(result.table)} kept, "
        f"{len(result.rejects)} rejected"
    )
    assert result.table["source_row"].notna().all()
    return result


@pytest.fixture
def read_source() -> Callable[..., ReadResult]:
    """``read_source(case_dir, path, fmt, **spec)``: read and reconcile one source."""
    return read_with


@pytest.fixture
def samples() -> Path:
    """The public sample exports in ``../shared/samples``, read in place (never copied into
    the project): skipped with the reason when absent, required under ``CI=true``."""
    return shared_path(SHARED_SAMPLES)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that reads the shared samples, so ``-m "not shared"`` leaves them out."""
    for item in items:
        if "samples" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.shared)


@pytest.fixture(scope="session")
def case_runs(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str | int], Ran]:
    """The DuckDB run of the sample (``"sample"``), of the second world's sample
    (``"designated"``), of a seed (``3``) or of a seed of the second world
    (``"designated:3"``), made once per session."""
    made: dict[str | int, Ran] = {}

    def ran(which: str | int) -> Ran:
        if which not in made:
            if which in ("sample", "designated"):
                sample = SAMPLE if which == "sample" else DESIGNATED
                out = tmp_path_factory.mktemp(f"{which}-run")
                made[which] = run_case(sample / "case", sample / "ground_truth", out, which)
            else:
                profile, _, seed = str(which).rpartition(":")
                root = tmp_path_factory.mktemp(f"seed-{which}".replace(":", "-"))
                generate(root, seed=int(seed), profile=profile or "guiding", force=True)
                made[which] = run_case(
                    root / "case", root / "ground_truth", root / "out", f"seed{which}"
                )
        return made[which]

    return ran


@pytest.fixture(scope="session")
def designated_run(case_runs: Callable[[str | int], Ran]) -> Ran:
    """The committed sample of the second world (cards designated in chats), run once."""
    return case_runs("designated")


@pytest.fixture(scope="session")
def sample_run(case_runs: Callable[[str | int], Ran]) -> Ran:
    """The committed sample case, run into a temporary folder."""
    return case_runs("sample")


@pytest.fixture(
    scope="session",
    params=["sample", *SEEDS, "designated", *(f"designated:{seed}" for seed in SEEDS)],
    ids=str,
)
def case_run(request: pytest.FixtureRequest, case_runs: Callable[[str | int], Ran]) -> Ran:
    """The samples of both worlds and a case generated with each of ``SEEDS`` in each, run
    once per session: every ground-truth test holds in both worlds."""
    param: str | int = request.param
    return case_runs(param)


@pytest.fixture(scope="session", params=["sample", *SEEDS], ids=str)
def guiding_case_run(request: pytest.FixtureRequest, case_runs: Callable[[str | int], Ran]) -> Ran:
    """The first world's sample and seeds only: for checks of rules written for its
    conventions alone (den ledgers, the hand-written joins)."""
    param: str | int = request.param
    return case_runs(param)
