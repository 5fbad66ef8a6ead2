"""docs/notebooks/completeness.ipynb runs from top to bottom in a real Jupyter kernel.

Outside CI a machine without Jupyter (or without a kernel that starts) skips it and says
why; in CI (``CI=true``) that is a failure, so the notebook cannot rot unnoticed.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from clientcore.completeness import default_rules

NOTEBOOK = Path(__file__).resolve().parents[2] / "docs" / "notebooks" / "completeness.ipynb"


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def cannot_run(reason: str) -> None:
    """Skip outside CI, fail in CI: there the notebook must run."""
    if in_ci():
        pytest.fail(f"CI=true, and the notebook cannot run: {reason}")
    pytest.skip(f"{reason} (outside CI; with CI=true this fails)")


def outputs_of(nb: Any, kind: str) -> list[Any]:
    """Every output of the notebook's code cells with this MIME type."""
    found = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if kind in data:
                found.append(data[kind])
    return found


@pytest.mark.slow
def test_the_completeness_notebook_runs_and_shows_the_report_and_the_chart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    try:
        import nbclient
        import nbformat
    except ImportError as exc:
        cannot_run(f"nbclient and nbformat are not installed ({exc})")
    # jupyter_core warns about its old directory layout unless told which to use
    monkeypatch.setenv("JUPYTER_PLATFORM_DIRS", "1")
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.setenv("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(
        nb,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    )
    try:
        client.km = client.create_kernel_manager()
        client.start_new_kernel(cwd=str(tmp_path), env=dict(os.environ))
        client.start_new_kernel_client()
    except Exception as exc:  # no kernel on this machine: nothing here can run the notebook
        if client.km is not None and client.km.has_kernel:
            client.km.shutdown_kernel(now=True)
        cannot_run(f"no Jupyter kernel 'python3' could start: {type(exc).__name__}: {exc}")
    client.execute()  # raises CellExecutionError, with the cell and traceback, on any error

    html = outputs_of(nb, "text/html")
    assert any('<div class="clientcore-report">' in page for page in html)
    assert any("<details>" in page for page in html)
    assert 1 == len(outputs_of(nb, "image/png"))
    streams = "".join(
        output.get("text", "")
        for cell in nb.cells
        for output in cell.get("outputs", [])
        if output.get("output_type") == "stream"
    )
    assert f"Volledigheidstest: 2.000 partijen, {len(default_rules())} regels" in streams
    assert "row " in streams  # the findings keep their row in the exported file
    assert "has an invalid check digit." in streams
    assert "heeft een ongeldig controlegetal." in streams
    errors = [
        output
        for cell in nb.cells
        for output in cell.get("outputs", [])
        if output.get("output_type") == "error" or output.get("name") == "stderr"
    ]
    assert [] == errors


def test_in_ci_a_notebook_that_cannot_run_fails_instead_of_being_skipped(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true, and the notebook cannot run"):
        cannot_run("no kernel")
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="outside CI"):
        cannot_run("no kernel")
