"""Cases for the matching tests: the committed sample and generated seeds, each run once.

Every case is run through ``linkage.run`` (load, corroborate, write), exactly as the CLI does,
and the tests compare what it wrote with the case's ``ground_truth/``. The library never sees
ground truth; only these tests read it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest_runs import Ran

from linkage import run
from linkage.synth import generate

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "synth-2016"
SEEDS = (3, 7, 42)
"""Seeds besides the sample's 2016: each draws other staff, victims, names and money."""


def _run(case: Path, truth: Path, out: Path, label: str) -> Ran:
    return Ran(label, case, truth, out, run(case, out))


@pytest.fixture(scope="session")
def sample_run(tmp_path_factory: pytest.TempPathFactory) -> Ran:
    """The committed sample case, run into a temporary folder."""
    out = tmp_path_factory.mktemp("sample-run")
    return _run(SAMPLE / "case", SAMPLE / "ground_truth", out, "sample")


@pytest.fixture(scope="session", params=["sample", *SEEDS], ids=str)
def case_run(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Ran:
    """The sample and a case generated with each of ``SEEDS``, run once per session."""
    if request.param == "sample":
        ran: Ran = request.getfixturevalue("sample_run")
        return ran
    root = tmp_path_factory.mktemp(f"seed-{request.param}")
    generate(root, seed=request.param, force=True)
    return _run(root / "case", root / "ground_truth", root / "out", f"seed{request.param}")
