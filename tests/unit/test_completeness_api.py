"""The public face of clientcore.completeness: a sorted __all__, no optional imports."""

from __future__ import annotations

import subprocess
import sys

import clientcore.completeness as completeness
from tests.unit.test_public_api import isort_key


def test_all_is_sorted_and_is_exactly_the_public_namespace() -> None:
    exported = list(completeness.__all__)
    assert sorted(exported, key=isort_key) == exported
    assert len(set(exported)) == len(exported)
    public = {
        name
        for name, value in vars(completeness).items()
        if not name.startswith("_") and not isinstance(value, type(sys))
    }
    assert set(exported) == public


def test_every_public_name_has_a_docstring_or_is_a_constant() -> None:
    for name in completeness.__all__:
        value = getattr(completeness, name)
        if callable(value):
            assert (value.__doc__ or "").strip(), name


def test_importing_completeness_pulls_in_no_optional_dependency() -> None:
    code = (
        "import sys, clientcore.completeness;"
        "heavy = {'pandas', 'openpyxl', 'click', 'rich', 'matplotlib'} & set(sys.modules);"
        "print(sorted(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "[]" == out.stdout.strip()
