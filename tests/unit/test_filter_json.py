from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clientcore import FilterError
from clientcore.model import default_schema
from clientcore.query import F, Filter, Today
from tests.strategies import filters


def where(node: object) -> dict[str, object]:
    return {"clientcore_filter": 1, "where": node}


@settings(max_examples=300, deadline=None)
@given(filters())
def test_a_filter_survives_its_json(flt: Filter) -> None:
    assert flt == Filter.from_json(json.loads(json.dumps(flt.to_json())))


@pytest.mark.parametrize(
    ("obj", "path"),
    [
        ({"where": {}}, "$"),
        ({"clientcore_filter": 2, "where": {}}, "$.clientcore_filter"),
        ({"clientcore_filter": 1, "where": {}, "x": 1}, "$"),
        (
            where(
                {
                    "and": [
                        {"path": "a", "op": "eq", "value": 1},
                        {"path": "b", "op": "eq", "value": 1},
                        {"path": "c", "op": "eq", "value": [1]},
                    ]
                }
            ),
            "$.where.and[2].value",
        ),
        (where({"path": "a", "op": "like", "value": 1}), "$.where.op"),
        (where({"path": "a", "op": "eq", "value": 1, "colour": 1}), "$.where"),
        (where({"path": "a", "op": "in", "value": "x"}), "$.where.value"),
        (where({"path": "a", "op": "between", "value": [1]}), "$.where.value"),
        (where({"path": "a", "op": "blank", "value": 1}), "$.where.value"),
        (where({"path": "a", "op": "eq"}), "$.where"),
        (where({"path": "", "op": "eq", "value": 1}), "$.where.path"),
        (where({"path": "a", "op": "eq", "value": {"date": "2024-13-01"}}), "$.where.value.date"),
        (where({"path": "a", "op": "eq", "value": {"today": 1.5}}), "$.where.value.today"),
        (where({"path": "a", "op": "eq", "value": {"x": 1}}), "$.where.value"),
        (where({"path": "a", "op": "contains", "value": 3}), "$.where.value"),
        (
            where({"path": "a", "op": "eq", "value": 1, "case_sensitive": "yes"}),
            "$.where.case_sensitive",
        ),
        (where({"not": {"path": "a", "op": "any", "where": 3}}), "$.where.not.where"),
        (where({"or": {"path": "a"}}), "$.where.or"),
        (where([]), "$.where"),
        (where({"path": "a", "op": "eq", "value": "x" * 10_001}), "$.where.value"),
    ],
)
def test_strict_decoding_names_the_json_path_of_the_fault(obj: object, path: str) -> None:
    with pytest.raises(FilterError) as err:
        Filter.from_json(obj)
    assert path == err.value.path


def test_depth_over_32_is_refused() -> None:
    node: dict[str, object] = {"path": "a", "op": "blank"}
    for _ in range(40):
        node = {"not": node}
    with pytest.raises(FilterError, match="deeper than 32"):
        Filter.from_json(where(node))


def test_more_than_1000_nodes_are_refused() -> None:
    node = {"or": [{"path": "a", "op": "blank"} for _ in range(1001)]}
    with pytest.raises(FilterError, match="more than 1000 nodes"):
        Filter.from_json(where(node))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "path",
                    "op",
                    "value",
                    "where",
                    "and",
                    "or",
                    "not",
                    "date",
                    "today",
                    "x",
                    "clientcore_filter",
                ]
            ),
            children,
            max_size=4,
        )
    ),
    max_leaves=20,
)


@settings(max_examples=500, deadline=None)
@given(json_values | st.builds(where, json_values))
def test_no_other_exception_escapes_for_any_json_value(obj: object) -> None:
    try:
        Filter.from_json(obj)
    except FilterError:
        pass


@settings(max_examples=300, deadline=None)
@given(json_values | st.builds(where, json_values))
def test_no_other_exception_escapes_for_any_json_value_checked_against_the_catalogue(
    obj: object,
) -> None:
    try:
        Filter.from_json(obj, schema=default_schema())
    except FilterError:
        pass


def test_dates_and_relative_dates_have_their_own_json() -> None:
    flt = F("client_since").between(dt.date(2024, 1, 1), Today(-1))
    assert flt.to_json()["where"] == {
        "path": "client_since",
        "op": "between",
        "value": [{"date": "2024-01-01"}, {"today": -1}],
    }


def test_fingerprint_is_identical_across_processes() -> None:
    flt = F("legal_form").in_(["NV", "BV"]) & ~F("labels").has("vip") | F("name").contains("é")
    code = (
        "from clientcore.query import F;"
        "f = F('legal_form').in_(['NV', 'BV']) & ~F('labels').has('vip') | F('name').contains('é');"
        "print(f.fingerprint())"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONHASHSEED": "123", "PATH": ""},
    )
    assert flt.fingerprint() == out.stdout.strip()
