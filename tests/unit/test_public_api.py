from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

PUBLIC = [
    "clientcore",
    "clientcore.model",
    "clientcore.model.converters",
    "clientcore.errors",
    "clientcore.adapters",
    "clientcore.testing",
    "clientcore.query",
    "clientcore.status",
    "clientcore.bulk",
    "clientcore.bulk.ops",
    "clientcore.query.aggrid",
    "clientcore.query.jsonlogic",
    "clientcore.completeness",
    "clientcore.io",
    "clientcore.actions",
    "clientcore.ports",
    "clientcore.services",
    "clientcore.adapters.sqlalchemy",
    "clientcore.sync",
]


def isort_key(name: str) -> tuple[int, str]:
    """The order ruff keeps __all__ in: CONSTANTS, then Classes, then functions."""
    if name.upper() == name and len(name) > 1:
        return (0, name)
    if name[:1].isupper():
        return (1, name)
    return (2, name)


@pytest.mark.parametrize("name", PUBLIC)
def test_all_is_sorted_and_matches_the_namespace(name: str) -> None:
    module = importlib.import_module(name)
    exported = list(module.__all__)
    assert sorted(exported, key=isort_key) == exported
    assert len(set(exported)) == len(exported)
    for symbol in exported:
        assert hasattr(module, symbol), symbol
    if not hasattr(module, "__path__"):
        return  # a plain module may import helpers; packages export exactly their namespace
    public = {
        n
        for n in vars(module)
        if not n.startswith("_") and not isinstance(getattr(module, n), type(sys))
    }
    public -= {"annotations"}
    assert set() == public - set(exported) - {"TYPE_CHECKING"}


def test_importing_clientcore_pulls_in_no_optional_dependency() -> None:
    code = (
        "import sys, clientcore, clientcore.model, clientcore.testing, clientcore.sync;"
        "heavy = {'sqlalchemy', 'pandas', 'openpyxl', 'click', 'rich', 'rapidfuzz'}"
        " & set(sys.modules);"
        "print(sorted(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_every_message_code_has_three_languages() -> None:
    import clientcore  # noqa: F401  (registers the codes)
    from clientcore.errors import known_codes, templates

    for code in known_codes():
        en, nl, fr = templates(code)  # type: ignore[misc]
        assert all((en, nl, fr)), code
