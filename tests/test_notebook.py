"""notebooks/walkthrough.ipynb runs top to bottom on a real kernel, without an error."""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbclient import NotebookClient

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "walkthrough.ipynb"


def test_walkthrough_executes() -> None:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = NotebookClient(
        notebook, timeout=300, kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOK.parent)}},
    )  # fmt: skip
    client.execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    text = "".join(str(o.get("data", {}).get("text/plain", "")) for o in outputs)
    assert "Findings:" in text and "Attribution:" in text and "Flows (fifo)" in text
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) == 3, "the three figures are drawn"
    warnings = [o for o in outputs if o.output_type == "stream" and o.name == "stderr"]
    assert not [w for w in warnings if "missing from font" in w.text], "no tofu boxes"
