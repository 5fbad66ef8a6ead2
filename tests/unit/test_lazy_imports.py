"""``import clientcore`` loads what a user needs when they first use it, not before.

Each check runs in a fresh interpreter and reads ``sys.modules``: what was imported,
never how long it took (timings live in ``bench/import_time.py``).
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import clientcore

# Modules only some users need: rendering, the sample data, generated code, the
# status diagrams, the command line, and every optional dependency.
HEAVY = [
    "clientcore.sample",
    "clientcore.cli",
    "clientcore.completeness._render",
    "clientcore.status._docs",
    "clientcore.query._compile",
    "qrcode",
    "sqlalchemy",
    "pandas",
    "polars",
    "openpyxl",
    "click",
    "rich",
]


def loaded_after(code: str) -> set[str]:
    """The modules a fresh interpreter holds after running ``code``."""
    program = f"import json, sys\n{code}\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True
    )
    return set(json.loads(out.stdout.splitlines()[-1]))


def test_import_clientcore_loads_no_subpackage_and_no_heavy_module() -> None:
    loaded = loaded_after("import clientcore")
    ours = {m for m in loaded if m.startswith("clientcore")}
    assert {"clientcore", "clientcore._lazy"} == ours
    assert [] == sorted(set(HEAVY) & loaded)
    assert [] == sorted({"attrs", "cattrs", "phonenumbers", "email_validator"} & loaded)


def test_first_use_of_a_party_loads_the_model_only() -> None:
    loaded = loaded_after("from clientcore import Party\nParty(kind='client_person', name='An')")
    assert "clientcore.model" in loaded
    assert [] == sorted(set(HEAVY) & loaded)
    assert [] == sorted(
        {"clientcore.query", "clientcore.status", "clientcore.bulk", "clientcore.completeness"}
        & loaded
    )


def test_a_filter_does_not_load_the_status_machine_or_the_sample_data() -> None:
    loaded = loaded_after("import clientcore as cc\ncc.F('name') == 'An'")
    assert "clientcore.query" in loaded
    assert [] == sorted({"clientcore.sample", "clientcore.status", "clientcore.bulk"} & loaded)


def test_every_exported_name_is_listed_by_dir_and_resolves() -> None:
    assert set(clientcore.__all__) <= set(dir(clientcore))
    for name in clientcore.__all__:
        assert getattr(clientcore, name) is not None, name


def test_a_name_read_twice_is_the_same_object() -> None:
    from clientcore.model import Party

    assert Party is clientcore.Party is clientcore.Party


def test_an_unknown_name_raises_attribute_error_naming_it() -> None:
    with pytest.raises(AttributeError, match="'Partie'"):
        clientcore.Partie


def test_known_codes_lists_every_package_even_before_first_use() -> None:
    code = (
        "import clientcore\n"
        "from clientcore.errors import known_codes\n"
        "codes = known_codes()\n"
        "print(json.dumps(sorted({c.split('.')[0] for c in codes})))"
    )
    out = subprocess.run(
        [sys.executable, "-c", "import json\n" + code], capture_output=True, text=True, check=True
    )
    prefixes = set(json.loads(out.stdout))
    assert {"party", "filter", "status", "bulk", "completeness", "rule", "sample"} <= prefixes
