"""The built-in rule pack: each rule on a party that passes and one that fails, each rule
against the defects the sample generator injects, and the list in the docs."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest

from clientcore import Party, ValidationError
from clientcore.completeness import ACTIVE_STATUSES, Severity, check, default_rules
from clientcore.model import default_schema, party_to_json, to_row
from clientcore.query import Today
from clientcore.sample import SampleRegistry, generate_registry

TODAY = dt.date(2026, 1, 1)
ROOT = Path(__file__).resolve().parents[2]


def company(**changes: Any) -> Party:
    """A Belgian company client that passes every built-in rule."""
    fields: dict[str, Any] = {
        "id": "co",
        "kind": "client_company",
        "name": "Bakkerij Peeters BV",
        "number": "C000001",
        "status": "client",
        "address": {
            "street": "Veldstraat 1",
            "postal_code": "9000",
            "city": "Gent",
            "country": "BE",
        },
        "enterprise_number": "0403170701",
        "vat_liable": True,
        "email": "info@bakkerij-peeters.be",
        "aml": {"risk": "low", "verified_on": "2024-03-01"},
        "staff": {"partner": "Els", "declarant": "Tom"},
        "portal": {"enabled": True},
        "tasks": [{"code": "closing", "period": "yearly"}, {"code": "vat", "period": "quarterly"}],
    }
    fields.update(changes)
    return Party(**fields)


def person(**changes: Any) -> Party:
    """A Belgian person client that passes every built-in rule."""
    fields: dict[str, Any] = {
        "id": "pe",
        "kind": "client_person",
        "name": "Jan Peeters",
        "number": "C000002",
        "status": "client",
        "address": {"city": "Gent", "country": "BE"},
        "national_number": "85073003328",
        "eid": {"card_number": "601507026867", "valid_until": "2030-05-01"},
        "vat_liable": False,
        "email": "jan.peeters@telenet.be",
        "aml": {"risk": "medium", "verified_on": "2023-06-30"},
        "staff": {"partner": "Els"},
        "tasks": [{"code": "personal_tax", "period": "yearly"}],
    }
    fields.update(changes)
    return Party(**fields)


def dutch_person(**changes: Any) -> Party:
    dutch = {
        "address": {"city": "Utrecht", "country": "NL"},
        "national_number": None,
        "eid": None,
        "bsn": "268654906",
    }
    return person(**{**dutch, **changes})


def dutch_company(**changes: Any) -> Party:
    dutch = {
        "address": {"city": "Utrecht", "country": "NL"},
        "enterprise_number": None,
        "kvk_number": "12345678",
    }
    return company(**{**dutch, **changes})


def with_lost_contact(party: Party, as_json: bool = False) -> dict[str, Any]:
    """``party`` as a row (or party JSON) whose contact points at a missing location.

    No :class:`Party` can hold such a contact, so the fault exists in raw records only.
    """
    contact = {"id": "c1", "first_name": "An", "last_name": "Peeters", "location_id": "brugge"}
    if as_json:
        data = party_to_json(party)
        data["locations"] = [{"id": "gent", "name": "Gent"}]
        data["contacts"] = [contact]
        return data
    row: dict[str, Any] = to_row(party)
    row["locations"] = '[{"id": "gent", "name": "Gent"}]'
    row["contacts"] = json.dumps([contact])
    return row


# rule id -> (a record in scope that passes, one in scope that fails, why it fails)
CASES: dict[str, tuple[Any, Any, str]] = {
    "closing": (
        company(),
        company(tasks=[{"code": "closing", "active": False}, {"code": "vat"}]),
        "tasks: no item where code is 'closing' and active is true",
    ),
    "vat": (
        company(),
        company(tasks=[{"code": "closing"}]),
        "tasks: no item where code is 'vat' and active is true",
    ),
    "vat_task_not_liable": (
        company(),
        company(vat_liable=False),
        "vat_liable: expected vat_liable is true, found false",
    ),
    "national_number": (
        person(),
        person(national_number="85073003329"),
        "national_number: '85073003329' has an invalid check digit.",
    ),
    "bsn": (
        dutch_person(),
        dutch_person(bsn=None),
        "bsn: missing",
    ),
    "eid": (
        person(eid={"card_number": "601507026867", "valid_until": TODAY}),
        person(eid={"card_number": "601507026867", "valid_until": "2025-12-31"}),
        "eid.valid_until: expected eid.valid_until ≥ 2026-01-01, found 2025-12-31",
    ),
    "enterprise_number": (
        company(),
        company(enterprise_number="0403170702"),
        "enterprise_number: '0403170702' has an invalid check digit.",
    ),
    "kvk_number": (
        dutch_company(),
        dutch_company(kvk_number="1234567"),
        "kvk_number: '1234567' has the wrong length.",
    ),
    "email": (
        person(status="acceptance_pending", tasks=()),
        person(status="acceptance_pending", tasks=(), email=None),
        "email: missing",
    ),
    "email_valid": (
        company(),
        company(email="info@bakkerij-peeters"),
        "email: 'info@bakkerij-peeters' is not in a valid format.",
    ),
    "portal_email": (
        company(),
        company(email=None),
        "email: missing",
    ),
    "aml": (
        company(aml={"risk": "low", "verified_on": TODAY - dt.timedelta(days=5 * 365)}),
        company(aml={"verified_on": "2019-12-31"}),
        "aml.risk: missing; aml.verified_on: expected aml.verified_on ≥ 2021-01-02, "
        "found 2019-12-31",
    ),
    "partner": (
        person(),
        person(staff={"declarant": "Tom"}),
        "staff.partner: missing",
    ),
    "client_until": (
        company(),
        company(client_since="2015-01-01", client_until="2024-12-31"),
        "client_until: expected client_until is empty, found 2024-12-31",
    ),
    "former_client_tasks": (
        company(status="former_client", tasks=[{"code": "closing", "active": False}]),
        company(
            status="former_client", tasks=[{"code": "closing", "active": False}, {"code": "vat"}]
        ),
        "tasks: 1 item where active is true: 'vat' (there must be none)",
    ),
    "contact_location": (
        company(locations=[{"id": "gent"}], contacts=[{"id": "c1", "location_id": "gent"}]),
        with_lost_contact(company()),
        "contacts[0].location_id: Location 'brugge' of An Peeters (c1) does not exist on this "
        "party.",
    ),
}


def test_the_pack_has_at_least_twelve_rules_and_every_rule_has_a_case() -> None:
    rules = default_rules()
    assert len(rules) >= 12
    assert sorted(rules.ids) == sorted(CASES)


def test_the_pack_fits_the_field_catalogue() -> None:
    default_rules().validate(default_schema())


@pytest.mark.parametrize("rule_id", list(CASES))
def test_each_rule_passes_a_good_party_and_explains_a_bad_one(rule_id: str) -> None:
    passing, failing, why = CASES[rule_id]
    rule = default_rules().get(rule_id)
    assert rule.scope.matches(passing, TODAY)
    assert rule.require.matches(passing, TODAY)
    assert rule.scope.matches(failing, TODAY)
    assert not rule.require.matches(failing, TODAY)
    result = check([passing, failing], default_rules().only(rule_id), TODAY).result(rule_id)
    assert (2, 1) == (result.in_scope, result.failing)
    assert why == result.findings[0].explanation()


@pytest.mark.parametrize("rule_id", list(CASES))
def test_each_rule_explains_itself_in_dutch_and_french(rule_id: str) -> None:
    _, failing, why = CASES[rule_id]
    finding = check([failing], default_rules().only(rule_id), TODAY).result(rule_id).findings[0]
    texts = {finding.explanation(lang) for lang in ("en", "nl", "fr")}
    assert why in texts
    assert 3 == len(texts)


@pytest.mark.parametrize(
    ("rule_id", "outside"),
    [
        ("closing", company(kind="relation_company", status="relation", tasks=())),
        ("closing", company(status="prospect", tasks=())),
        ("vat", company(vat_liable=False, tasks=[{"code": "closing"}])),
        ("national_number", dutch_person(national_number=None)),
        ("national_number", person(status="suspect", national_number=None)),
        ("bsn", person(bsn=None)),
        ("eid", person(status="former_client", eid=None)),
        ("enterprise_number", dutch_company()),
        ("kvk_number", company()),
        ("email", person(status="prospect", email=None)),
        ("email_valid", person(email=None)),
        ("portal_email", company(portal={"enabled": False}, email=None)),
        ("aml", person(status="former_client", aml=None)),
        ("partner", person(status="suspect", staff={})),
        ("client_until", company(status="former_client", client_until="2024-01-01")),
        ("former_client_tasks", company()),
    ],
)
def test_a_rule_leaves_out_parties_outside_its_scope(rule_id: str, outside: Party) -> None:
    result = check([outside], default_rules().only(rule_id), TODAY).result(rule_id)
    assert (0, 0) == (result.in_scope, result.failing)


def test_former_client_tasks_names_every_task_still_active() -> None:
    former = company(
        status="former_client",
        tasks=[{"code": "closing"}, {"code": "ipp", "active": False}, {"code": "vat"}],
    )
    result = check([former], default_rules().only("former_client_tasks"), TODAY)
    finding = result.result("former_client_tasks").findings[0]
    assert "tasks: 2 items where active is true: 'closing', 'vat' (there must be none)" == (
        finding.explanation()
    )
    assert "tasks: 2 items waarvoor active is true: 'closing', 'vat' (er mag er geen zijn)" == (
        finding.explanation("nl")
    )
    row = to_row(former)  # a row names the tasks in a JSON cell: the same words
    assert (
        finding.explanation()
        == check([row], result.rules, TODAY).result("former_client_tasks").findings[0].explanation()
    )


# --- a contact attached to a location that does not exist ---


def test_a_party_json_record_with_a_lost_contact_fails_contact_location() -> None:
    record = with_lost_contact(company(), as_json=True)
    result = check([record], default_rules().only("contact_location"), TODAY)
    finding = result.result("contact_location").findings[0]
    assert "co" == finding.party_id
    assert "contacts[0].location_id" == finding.reasons()[0].path
    assert "Locatie 'brugge' van An Peeters (c1) bestaat niet bij deze partij." in (
        finding.explanation("nl")
    )
    assert not result.ok  # an error rule


def test_general_correspondence_at_a_missing_location_fails_contact_location_too() -> None:
    row = to_row(company(correspondence=[{"id": "g1", "name": "Board"}]))
    row["correspondence"] = '[{"id": "g1", "name": "Board", "location_id": "hq"}]'
    result = check([row], default_rules().only("contact_location"), TODAY)
    assert [
        "correspondence[0].location_id: Location 'hq' of Board (g1) does not exist on this party."
    ] == [f.explanation() for f in result.result("contact_location").findings]


def test_contacts_at_existing_locations_or_at_none_pass_contact_location() -> None:
    located = with_lost_contact(company())
    located["contacts"] = (
        '[{"id": "c1", "location_id": "gent"}, {"id": "c2"}, {"id": "c3", "location_id": ""}]'
    )
    result = check([located, company()], default_rules().only("contact_location"), TODAY)
    assert (2, 0) == (result.result("contact_location").in_scope, len(result.rejected))
    assert result.result("contact_location").ok


def test_contact_location_is_stored_in_a_rule_file_as_no_issue() -> None:
    rule = default_rules().get("contact_location")
    assert {"no_issue": "completeness.location.unknown"} == rule.to_json()["require"]
    assert Severity.ERROR is rule.severity


# --- identifiers of a party without a country: the home country's ---


def test_a_person_client_without_an_address_is_checked_as_belgian() -> None:
    nowhere = person(address=None, national_number=None, eid=None)
    report = check([nowhere], today=TODAY)
    assert (1, 1) == (
        report.result("national_number").in_scope,
        report.result("national_number").failing,
    )
    assert (1, 1) == (report.result("eid").in_scope, report.result("eid").failing)
    assert (0, 0) == (report.result("bsn").in_scope, report.result("bsn").failing)
    assert "national_number: missing" == report.result("national_number").findings[0].explanation()


def test_a_company_client_with_an_address_but_no_country_is_checked_as_belgian() -> None:
    report = check([company(address={"city": "Gent"}, enterprise_number=None)], today=TODAY)
    assert 1 == report.result("enterprise_number").failing
    assert 0 == report.result("kvk_number").in_scope


def test_a_dutch_firm_checks_parties_without_a_country_as_dutch() -> None:
    rules = default_rules(home_country="NL")
    nowhere = person(address=None, national_number=None, eid=None, bsn=None)
    report = check([nowhere, company(address=None, enterprise_number=None)], rules, TODAY)
    assert [1, 0, 0] == [report.result(i).failing for i in ("bsn", "national_number", "eid")]
    assert (1, 0) == (
        report.result("kvk_number").failing,
        report.result("enterprise_number").in_scope,
    )
    assert {"home_country": "NL"} == rules.get("bsn").params


def test_a_party_abroad_is_outside_both_countries_identifier_rules() -> None:
    abroad = person(address={"city": "Lille", "country": "FR"}, national_number=None, eid=None)
    report = check([abroad], today=TODAY)
    ids = ("national_number", "eid", "bsn")
    assert [0, 0, 0] == [report.result(i).in_scope for i in ids]


@pytest.mark.parametrize("country", ["FR", "be", "", None, 1])
def test_a_home_country_other_than_be_or_nl_is_refused(country: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        default_rules(home_country=country)
    issue = caught.value.issues[0]
    assert ("rules.home_country.invalid", "home_country") == (issue.code, issue.path)
    assert 3 == len({issue.message(lang) for lang in ("en", "nl", "fr")})


def test_the_active_clients_are_clients_and_parties_in_acceptance() -> None:
    assert ("acceptance_draft", "acceptance_pending", "acceptance_central_admin", "client") == (
        ACTIVE_STATUSES
    )
    statuses = ["suspect", "prospect", *ACTIVE_STATUSES, "former_client"]
    parties = [person(id=s, status=s, staff={}) for s in statuses]
    result = check(parties, default_rules().only("partner"), TODAY).result("partner")
    assert list(ACTIVE_STATUSES) == [f.party_id for f in result.findings]


def test_an_eid_card_is_valid_up_to_and_including_its_last_day() -> None:
    rule = default_rules().get("eid")
    card = {"card_number": "601507026867", "valid_until": "2026-01-01"}
    assert rule.require.matches(person(eid=card), TODAY)
    assert not rule.require.matches(person(eid=card), TODAY + dt.timedelta(days=1))


def test_a_missing_eid_card_is_explained_field_by_field() -> None:
    result = check([person(eid=None)], default_rules().only("eid"), TODAY).result("eid")
    assert "eid.card_number: missing; eid.valid_until: missing" == result.findings[0].explanation()


def test_the_aml_age_counts_365_days_a_year() -> None:
    rules = default_rules(aml_max_age_years=3)
    aml = rules.get("aml")
    assert {"max_age_years": 3} == aml.params
    assert "AML risk missing or AML check older than 3 years" == aml.title_in("en")
    limit = TODAY - dt.timedelta(days=3 * 365)
    on_limit = company(aml={"risk": "low", "verified_on": limit})
    a_day_older = company(aml={"risk": "low", "verified_on": limit - dt.timedelta(days=1)})
    assert aml.require.matches(on_limit, TODAY)
    assert not aml.require.matches(a_day_older, TODAY)
    assert Today(-3 * 365) in {c.value for c in _conditions(aml.require)}


def _conditions(flt: Any) -> list[Any]:
    from clientcore.query import conditions

    return list(conditions(flt))


@pytest.mark.parametrize("years", [0, -1, 101, 2.5, True, "5"])
def test_an_aml_age_that_is_not_a_sensible_number_of_years_is_refused(years: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        default_rules(aml_max_age_years=years)
    issue = caught.value.issues[0]
    assert ("rules.aml_age.invalid", "aml_max_age_years") == (issue.code, issue.path)
    assert 3 == len({issue.message(lang) for lang in ("en", "nl", "fr")})


def test_errors_and_warnings_are_where_a_firm_expects_them() -> None:
    severities = {rule.id: rule.severity for rule in default_rules()}
    assert Severity.ERROR is severities["vat"]
    assert Severity.ERROR is severities["aml"]
    assert Severity.WARNING is severities["eid"]
    assert Severity.WARNING is severities["former_client_tasks"]


# --- against the sample generator's injected defects ---

DEFECT_OF = {
    "closing": "company_without_closing_task",
    "vat": "vat_liable_without_vat_task",
    "national_number": "invalid_national_number",
    "eid": "expired_eid",
    "enterprise_number": "invalid_enterprise_number",
    "email": "missing_email",
    "email_valid": "invalid_email",
    "portal_email": "portal_without_email",
    "aml": "aml_outdated",
    "partner": "missing_partner",
    "client_until": "client_until_while_client",
    "former_client_tasks": "former_client_with_active_task",
}
NO_DEFECT = ["vat_task_not_liable", "bsn", "kvk_number", "contact_location"]


@pytest.fixture(scope="module")
def registry() -> SampleRegistry:
    return generate_registry(3000, seed=11, today=TODAY)


def test_every_rule_is_tested_against_the_sample_defects_or_known_to_have_none() -> None:
    assert sorted(default_rules().ids) == sorted([*DEFECT_OF, *NO_DEFECT])


@pytest.mark.parametrize("rule_id", list(DEFECT_OF))
def test_each_rule_finds_exactly_the_injected_defects_in_its_scope(
    registry: SampleRegistry, rule_id: str
) -> None:
    rule = default_rules().get(rule_id)
    result = check(registry.parties, default_rules().only(rule_id), TODAY).result(rule_id)
    in_scope = {p.id for p in registry.parties if rule.scope.matches(p, TODAY)}
    injected = registry.defects[DEFECT_OF[rule_id]] & in_scope
    assert len(injected) >= 10  # the sample really exercises the rule
    assert injected == {f.party_id for f in result.findings}
    assert len(in_scope) == result.in_scope


@pytest.mark.parametrize("rule_id", NO_DEFECT)
def test_rules_without_an_injected_defect_find_nothing_in_the_sample(
    registry: SampleRegistry, rule_id: str
) -> None:
    result = check(registry.parties, default_rules().only(rule_id), TODAY).result(rule_id)
    assert result.in_scope > 0
    assert 0 == result.failing


def test_the_sample_defects_outside_a_scope_stay_out_of_the_report(
    registry: SampleRegistry,
) -> None:
    # invalid national numbers are injected into prospects and former clients too
    found = {
        f.party_id for f in check(registry.parties, today=TODAY).result("national_number").findings
    }
    injected = registry.defects["invalid_national_number"]
    assert found < injected


# --- the list in the docs ---


def test_the_docs_list_the_built_in_rules_as_they_are() -> None:
    page = (ROOT / "docs" / "completeness.md").read_text("utf-8")
    listed = re.search(r"<!-- rules:start -->\n(.*?)<!-- rules:end -->", page, re.S)
    assert listed is not None, "docs/completeness.md lost its rules:start/end markers"
    assert default_rules().to_markdown() == listed.group(1)


def test_a_rule_set_renders_as_a_markdown_table_in_each_language() -> None:
    table = default_rules().only("vat").to_markdown("nl")
    expected = (
        "| id | severity | title | in scope | requires |\n"
        "|---|---|---|---|---|\n"
        "| `vat` | error | Btw-plichtige klant zonder actieve btw-taak | status is 'client' en "
        "vat_liable is true | tasks heeft een item waarvoor code is 'vat' en active is true |\n"
    )
    assert expected == table


def test_the_docs_show_what_the_demo_check_of_the_sample_prints(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from clientcore._check_command import DEFAULT_TEXT_LIMIT, check_file
    from clientcore.cli import write_sample

    page = (ROOT / "docs" / "completeness.md").read_text("utf-8")
    shown = re.search(r"```text\n(Completeness check of build/sample\.csv.*?)```", page, re.S)
    assert shown is not None, "docs/completeness.md lost the output of make demo"
    head, _, tail = shown.group(1).partition("\n…\n")
    monkeypatch.chdir(tmp_path)
    write_sample("build/sample.csv", 2000, seed=0, today=TODAY)  # make demo's sample
    text = check_file("build/sample.csv", today=TODAY).to_text(limit=DEFAULT_TEXT_LIMIT)
    assert text.startswith(head.rstrip("\n") + "\n")
    assert text.endswith("\n" + tail.lstrip("\n"))


def test_the_rule_file_in_the_docs_decodes_strictly() -> None:
    from clientcore.completeness import RuleSet

    page = (ROOT / "docs" / "completeness.md").read_text("utf-8")
    examples = re.findall(r"```json\n(.*?)```", page, re.S)
    assert examples, "docs/completeness.md lost its rule file example"
    for example in examples:
        rules = RuleSet.from_json(json.loads(example), default_schema())
        assert json.loads(example) == rules.to_json()
