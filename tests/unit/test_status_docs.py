"""docs/status.md shows exactly what the code generates (tests/unit/test_docs.py runs its
example)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from clientcore.status import (
    RolePolicy,
    StatusMachine,
    label_table,
    permission_matrix,
    status_diagram,
    transition_table,
    visibility_matrix,
)

DOC = Path(__file__).resolve().parents[2] / "docs" / "status.md"
BLOCK = re.compile(r"<!-- BEGIN (.+?) -->\n(.*?)<!-- END \1 -->", re.S)


def mermaid(text: str) -> str:
    return f"```mermaid\n{text}```\n"


GENERATED: dict[str, Callable[[], str]] = {
    "label_table": label_table,
    "status_diagram en": lambda: mermaid(status_diagram("en")),
    "status_diagram nl": lambda: mermaid(status_diagram("nl")),
    "transition_table": transition_table,
    "permission_matrix": lambda: permission_matrix(RolePolicy.default()),
    "visibility_matrix": lambda: visibility_matrix(RolePolicy.default()),
}


def blocks() -> dict[str, str]:
    return {m.group(1): m.group(2) for m in BLOCK.finditer(DOC.read_text(encoding="utf-8"))}


def test_the_doc_has_every_generated_block_once() -> None:
    names = [m.group(1) for m in BLOCK.finditer(DOC.read_text(encoding="utf-8"))]
    assert sorted(GENERATED) == sorted(names)


@pytest.mark.parametrize("name", sorted(GENERATED))
def test_each_generated_block_in_the_doc_matches_the_code(name: str) -> None:
    assert GENERATED[name]() == blocks()[name]


def test_the_machine_draws_the_same_diagram_and_matrix_as_the_doc() -> None:
    machine = StatusMachine(RolePolicy.default())
    assert mermaid(machine.to_mermaid("en")) == blocks()["status_diagram en"]
    assert machine.permission_matrix() == blocks()["permission_matrix"]


def test_the_diagram_marks_every_action_and_only_actions() -> None:
    lines = status_diagram("en").splitlines()
    marked = sorted(line.split(" : ")[1] for line in lines if line.endswith("(action)"))
    assert [
        "activate (action)",
        "approve (action)",
        "reject (action)",
        "submit_for_approval (action)",
        "withdraw_acceptance (action)",
    ] == marked
    assert 'state "Klantacceptatie-ter goedkeuring" as acceptance_pending' in status_diagram("nl")
    assert "(actie)" in status_diagram("nl")


def test_every_reason_code_is_explained_in_the_doc() -> None:
    from tests.unit.test_status_machine import _reason_samples

    text = DOC.read_text(encoding="utf-8")
    assert [] == [code for code in sorted(_reason_samples()) if f"| `{code}` |" not in text]
