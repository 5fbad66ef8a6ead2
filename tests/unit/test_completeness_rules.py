"""Rules and rule sets: construction, titles, narrowing, and their strict JSON form."""

from __future__ import annotations

import json
import string
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clientcore import FilterError, ValidationError
from clientcore.completeness import RULES_VERSION, Rule, RuleSet, Severity, default_rules
from clientcore.errors import ClientCoreError, templates
from clientcore.model import default_schema
from clientcore.query import F, Today
from tests.strategies import filters

VAT_TITLE = (
    "VAT-liable client without an active VAT task",
    "Btw-plichtige klant zonder actieve btw-taak",
    "Client assujetti à la TVA sans tâche TVA active",
)
VAT_SCOPE = F("status").eq("client") & F("vat_liable").eq(True)
VAT_REQUIRE = F("tasks").any(F("code").eq("vat") & F("active").eq(True))


def vat_rule(**changes: Any) -> Rule:
    fields: dict[str, Any] = {
        "id": "vat",
        "title": VAT_TITLE,
        "scope": VAT_SCOPE,
        "require": VAT_REQUIRE,
        "severity": "error",
    }
    fields.update(changes)
    return Rule(**fields)


def assert_speaks_three_languages(err: ClientCoreError) -> None:
    """Every issue of a refusal has messages in English, Dutch and French."""
    issues = err.issues  # type: ignore[attr-defined]
    assert issues
    for issue in issues:
        assert templates(issue.code) is not None, issue.code
        assert len({issue.message(lang) for lang in ("en", "nl", "fr")}) == 3, issue.code


def codes_and_paths(err: ValidationError | FilterError) -> list[tuple[str, str]]:
    return [(i.code, i.path) for i in err.issues]


def rules_json(*rules: dict[str, Any], **top: Any) -> dict[str, Any]:
    return {"clientcore_rules": 1, "name": "firm", "rules": list(rules), **top}


def rule_json(**changes: Any) -> dict[str, Any]:
    data = vat_rule().to_json()
    data.update(changes)
    return data


# --- Rule ---


def test_a_rule_takes_its_title_as_a_tuple_or_as_a_mapping() -> None:
    as_mapping = vat_rule(title={"fr": VAT_TITLE[2], "en": VAT_TITLE[0], "nl": VAT_TITLE[1]})
    assert vat_rule() == as_mapping
    assert "Btw-plichtige klant zonder actieve btw-taak" == as_mapping.title_in("nl")
    assert "Client assujetti à la TVA sans tâche TVA active" == as_mapping.title_in("fr")


def test_a_rule_severity_is_error_unless_said_otherwise() -> None:
    rule = Rule("vat", VAT_TITLE, VAT_SCOPE, VAT_REQUIRE)
    assert Severity.ERROR is rule.severity
    assert Severity.WARNING is vat_rule(severity="Warning").severity


def test_a_rule_with_several_faults_lists_every_one_in_three_languages() -> None:
    with pytest.raises(ValidationError) as caught:
        Rule(
            "no spaces allowed",
            ("only", "two"),  # type: ignore[arg-type]
            scope="status = client",  # type: ignore[arg-type]
            require=VAT_REQUIRE,
            severity="fatal",
            params={"years": [5]},  # type: ignore[dict-item]
        )
    expected = [
        ("rule.id.invalid", "id"),
        ("rule.title.invalid", "title"),
        ("rule.filter.invalid", "scope"),
        ("rule.severity.invalid", "severity"),
        ("rule.params.invalid", "params"),
    ]
    assert expected == codes_and_paths(caught.value)
    assert_speaks_three_languages(caught.value)


@pytest.mark.parametrize("title", [("a", "b", " "), {"en": "a", "nl": "b"}, "one text", None])
def test_a_rule_title_needs_three_non_empty_texts(title: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        vat_rule(title=title)
    assert [("rule.title.invalid", "title")] == codes_and_paths(caught.value)


def test_a_rule_title_in_an_unknown_language_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        vat_rule().title_in("de")
    assert [("rule.lang.invalid", "lang")] == codes_and_paths(caught.value)
    assert_speaks_three_languages(caught.value)


def test_a_rule_knows_whether_it_needs_a_day() -> None:
    assert not vat_rule().uses_today()
    assert vat_rule(require=F("eid.valid_until") >= Today(0)).uses_today()


# --- RuleSet ---


def test_a_rule_set_refuses_an_id_used_twice() -> None:
    with pytest.raises(ValidationError) as caught:
        RuleSet("firm", [vat_rule(), vat_rule(severity="info")])
    assert [("rules.duplicate_id", "rules[1].id")] == codes_and_paths(caught.value)
    assert_speaks_three_languages(caught.value)


def test_a_rule_set_needs_a_name() -> None:
    with pytest.raises(ValidationError) as caught:
        RuleSet("  ", [vat_rule()])
    assert [("rules.name.invalid", "name")] == codes_and_paths(caught.value)


def test_a_rule_set_keeps_its_order_and_narrows_by_id() -> None:
    rules = default_rules()
    assert ("vat", "closing") == rules.only("vat", "closing").ids[::-1]
    assert "vat" not in rules.without("vat")
    assert len(rules) - 1 == len(rules.without("vat"))
    assert "vat" == rules.get("vat").id


def test_narrowing_a_rule_set_by_an_unknown_id_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        default_rules().only("vat", "no_such_rule")
    assert [("rules.unknown_id", "id")] == codes_and_paths(caught.value)
    assert_speaks_three_languages(caught.value)
    with pytest.raises(ValidationError):
        default_rules().get("no_such_rule")


def test_rules_added_to_a_set_go_last_and_keep_ids_unique() -> None:
    mine = vat_rule(id="mine")
    assert "mine" == default_rules().with_rules(mine).ids[-1]
    with pytest.raises(ValidationError):
        default_rules().with_rules(vat_rule())


# --- JSON ---


def test_a_rule_set_is_stored_with_the_filter_json_inside() -> None:
    data = RuleSet("firm", [vat_rule(params={"note": "from the 2025 audit"})]).to_json()
    expected = {
        "clientcore_rules": RULES_VERSION,
        "name": "firm",
        "rules": [
            {
                "id": "vat",
                "title": {"en": VAT_TITLE[0], "nl": VAT_TITLE[1], "fr": VAT_TITLE[2]},
                "severity": "error",
                "scope": VAT_SCOPE.to_json(),
                "require": VAT_REQUIRE.to_json(),
                "params": {"note": "from the 2025 audit"},
            }
        ],
    }
    assert expected == data


def test_the_built_in_rules_survive_a_round_trip_through_json_text() -> None:
    rules = default_rules(aml_max_age_years=7)
    assert rules == RuleSet.from_json_text(rules.to_json_text())


def test_decoding_reports_every_fault_with_its_json_path() -> None:
    data = rules_json(
        rule_json(severity="fatal", colour="red"),
        rule_json(id="bad id"),
        {"id": "x", "title": {"en": "X", "nl": "X"}, "severity": "info"},
        extra=True,
    )
    with pytest.raises(ValidationError) as caught:
        RuleSet.from_json(data)
    expected = [
        ("rules.json.unknown_key", "$"),
        ("rules.json.unknown_key", "$.rules[0]"),
        ("rule.severity.invalid", "$.rules[0].severity"),
        ("rule.id.invalid", "$.rules[1].id"),
        ("rules.json.missing_key", "$.rules[2]"),
        ("rules.json.missing_key", "$.rules[2]"),
        ("rules.json.missing_key", "$.rules[2].title"),
    ]
    assert expected == codes_and_paths(caught.value)
    assert_speaks_three_languages(caught.value)


def test_a_fault_inside_a_filter_is_a_filter_error_with_the_path_in_the_rule_file() -> None:
    require = {"clientcore_filter": 1, "where": {"path": "tasks", "op": "like", "value": "vat"}}
    with pytest.raises(FilterError) as caught:
        RuleSet.from_json(rules_json(rule_json(), rule_json(id="other", require=require)))
    assert "$.rules[1].require.where.op" == caught.value.path
    # the filter language names the fault (its codes are its own); the rule file adds the path
    [(code, path)] = codes_and_paths(caught.value)
    assert (True, "$.rules[1].require.where.op") == (code.startswith("filter."), path)
    assert_speaks_three_languages(caught.value)


def test_with_a_schema_an_unknown_field_is_named_with_a_suggestion() -> None:
    scope = (F("adress.country") == "BE").to_json()
    with pytest.raises(FilterError) as caught:
        RuleSet.from_json(rules_json(rule_json(scope=scope)), default_schema())
    issue = caught.value.issues[0]
    assert ("filter.unknown_path", "$.rules[0].scope.where.path") == (issue.code, issue.path)
    assert "Unknown field 'adress.country' (did you mean 'address.country'?)." == issue.message()


def test_a_rule_set_checks_its_filters_against_a_schema() -> None:
    rules = RuleSet("firm", [vat_rule(), vat_rule(id="b", require=F("vat_liable").contains("x"))])
    with pytest.raises(FilterError) as caught:
        rules.validate(default_schema())
    assert [("filter.op_mismatch", "$.rules[1].require.where.op")] == codes_and_paths(caught.value)
    default_rules().validate(default_schema())  # the built-in pack fits the catalogue


def test_mixed_filter_and_other_faults_are_one_validation_error() -> None:
    require = {"clientcore_filter": 1, "where": {"and": 3}}
    with pytest.raises(ValidationError) as caught:
        RuleSet.from_json(rules_json(rule_json(severity="x", require=require)))
    codes = {c for c, _ in codes_and_paths(caught.value)}
    assert "rule.severity.invalid" in codes
    assert any(c.startswith("filter.") for c in codes)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ([], [("rules.json.type", "$")]),
        (rules_json(clientcore_rules=2), [("rules.json.version", "$.clientcore_rules")]),
        (rules_json(clientcore_rules=True), [("rules.json.version", "$.clientcore_rules")]),
        ({"clientcore_rules": 1, "rules": []}, [("rules.json.missing_key", "$")]),
        (rules_json(rules={}), [("rules.json.type", "$.rules")]),
        (rules_json(7), [("rules.json.type", "$.rules[0]")]),
        (rules_json(rule_json(), rule_json()), [("rules.duplicate_id", "$.rules[1].id")]),
        (rules_json(rule_json(params=[1])), [("rule.params.invalid", "$.rules[0].params")]),
        (rules_json(rule_json(title="VAT")), [("rules.json.type", "$.rules[0].title")]),
        (rules_json(name=""), [("rules.name.invalid", "$.name")]),
    ],
)
def test_a_malformed_rule_file_is_refused_with_the_path_of_the_fault(
    data: Any, expected: list[tuple[str, str]]
) -> None:
    with pytest.raises(ValidationError) as caught:
        RuleSet.from_json(data)
    assert expected == codes_and_paths(caught.value)
    assert_speaks_three_languages(caught.value)


def test_json_text_that_does_not_parse_is_refused_with_line_and_column() -> None:
    with pytest.raises(ValidationError) as caught:
        RuleSet.from_json_text('{"clientcore_rules": 1,\n "name": }')
    issue = caught.value.issues[0]
    assert ("rules.json.syntax", 2, 10) == (
        issue.code,
        issue.params["line"],
        issue.params["column"],
    )
    assert_speaks_three_languages(caught.value)


def test_one_rule_decodes_on_its_own_with_paths_from_the_rule() -> None:
    assert vat_rule() == Rule.from_json(vat_rule().to_json())
    with pytest.raises(ValidationError) as caught:
        Rule.from_json(rule_json(severity=None))
    assert [("rule.severity.invalid", "$.severity")] == codes_and_paths(caught.value)


# --- properties ---

rule_ids = st.text(alphabet=string.ascii_letters + string.digits + "_.-", min_size=1, max_size=20)
rule_ids = rule_ids.filter(lambda s: s[0].isalnum())
texts = st.text(min_size=1, max_size=30).filter(lambda s: s.strip() == s and s)
# integers within the decoders' documented bound (64-bit); larger ones are refused
param_values = st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.floats(
    allow_nan=False, allow_infinity=False) | st.text(max_size=10)  # fmt: skip
rules_strategy = st.builds(
    Rule,
    id=rule_ids,
    title=st.tuples(texts, texts, texts),
    scope=filters(),
    require=filters(),
    severity=st.sampled_from(list(Severity)),
    params=st.dictionaries(st.text(min_size=1, max_size=8), param_values, max_size=3),
)
rule_sets = st.builds(
    RuleSet,
    name=texts,
    rules=st.lists(rules_strategy, max_size=4, unique_by=lambda r: r.id),
)


@settings(max_examples=150, deadline=None)
@given(rule_sets)
def test_any_rule_set_survives_a_round_trip_through_json(rules: RuleSet) -> None:
    assert rules == RuleSet.from_json(rules.to_json())
    assert rules == RuleSet.from_json(json.loads(rules.to_json_text(indent=None)))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(["id", "title", "severity", "scope", "require", "params", "en", "x"]),
            inner,
            max_size=5,
        )
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(st.lists(json_values, max_size=3).map(lambda items: rules_json(*items)) | json_values)
def test_decoding_junk_raises_only_clientcore_errors(data: Any) -> None:
    try:
        rules = RuleSet.from_json(data)
    except (ValidationError, FilterError) as err:
        assert_speaks_three_languages(err)
    else:
        assert isinstance(rules, RuleSet)
