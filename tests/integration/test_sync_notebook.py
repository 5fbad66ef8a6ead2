"""docs/notebooks/sync.ipynb runs from top to bottom in a real Jupyter kernel."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.integration.test_notebook import cannot_run, outputs_of

NOTEBOOK = Path(__file__).resolve().parents[2] / "docs" / "notebooks" / "sync.ipynb"


@pytest.mark.slow
def test_the_sync_notebook_runs_and_shows_the_diff_and_the_plan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    try:
        import nbclient
        import nbformat
    except ImportError as exc:
        cannot_run(f"nbclient and nbformat are not installed ({exc})")
    monkeypatch.setenv("JUPYTER_PLATFORM_DIRS", "1")
    monkeypatch.setenv("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    try:
        client.km = client.create_kernel_manager()
        client.start_new_kernel(cwd=str(tmp_path), env=dict(os.environ))
        client.start_new_kernel_client()
    except Exception as exc:  # no kernel on this machine: nothing here can run the notebook
        if client.km is not None and client.km.has_kernel:
            client.km.shutdown_kernel(now=True)
        cannot_run(f"no Jupyter kernel 'python3' could start: {type(exc).__name__}: {exc}")
    client.execute()

    html = outputs_of(nb, "text/html")
    assert any('<div class="cc-sync">' in page and 'class="write"' not in page for page in html)
    assert any('class="write"' in page and 'class="keep"' in page for page in html)
    streams = "".join(
        output.get("text", "")
        for cell in nb.cells
        for output in cell.get("outputs", [])
        if output.get("output_type") == "stream"
    )
    assert "new 2 · only ours 1 · duplicates 3 · conflicts 0 · probable 1 · invalid 1" in streams
    assert "undone; kept by the status machine: ['p4']" in streams
    errors = [
        output
        for cell in nb.cells
        for output in cell.get("outputs", [])
        if output.get("output_type") == "error" or output.get("name") == "stderr"
    ]
    assert [] == errors
