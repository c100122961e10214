"""What some tests need beyond the project's own files, and what happens when it is missing.

A clone of the project must pass its own tests. A few tests need more than the clone holds: the
shared case material beside it (public sample exports with their licences, and the contract
checker of the case team), a real browser, or Java for the Spark engine. Without them such a
test is skipped with one reason saying what is missing and how to get it; under ``CI=true``,
where ``.ci/run`` installs all of them, a missing one fails the test instead, so nothing ever
passes silently.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"
"""The case team's shared material, beside the project's folder (``../shared``)."""
SHARED_SAMPLES = SHARED / "samples"
SHARED_CHECKER = SHARED / "tools" / "check_outputs.py"

SHARED_HOW = (
    "the case team's shared material (public sample exports with their licences in "
    "samples/, the output checker in tools/) sits beside the project as ../shared in the "
    "team's workspace; put a copy there to run these tests"
)
BROWSER_HOW = "install Chromium (Debian: apt-get install chromium), as .ci/run does"
JAVA_HOW = "install Java 17 or later (Debian: apt-get install default-jre-headless)"


def under_ci() -> bool:
    """Whether the tests run under CI, where everything a test needs must be present."""
    return os.environ.get("CI", "").lower() == "true"


def require(present: bool, missing: str, how: str) -> None:
    """Skip the calling test when ``present`` is false (fail it under ``CI=true``)."""
    if present:
        return
    reason = f"{missing}: {how}"
    if under_ci():
        pytest.fail(f"{reason} (required under CI=true)", pytrace=False)
    pytest.skip(reason)


def shared_path(path: Path) -> Path:
    """``path`` under ``../shared``, once it is known to be there."""
    require(path.exists(), f"needs ../{path.relative_to(SHARED.parent)}", SHARED_HOW)
    return path


def browser() -> str:
    """The headless browser's command."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    require(found is not None, "needs a Chromium browser on PATH", BROWSER_HOW)
    assert found is not None
    return found


def java() -> str:
    """The ``java`` command the Spark engine starts."""
    found = shutil.which("java")
    require(found is not None, "needs Java on PATH for the Spark engine", JAVA_HOW)
    assert found is not None
    return found
