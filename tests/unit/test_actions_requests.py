"""Action requests: checked on the way in, versioned JSON out, strict JSON decoding."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clientcore import Party, ValidationError
from clientcore.actions import (
    REQUEST_TYPES,
    ActionRequest,
    ActivateTask,
    AddCost,
    AddTimeEntries,
    CreateBillingProject,
    EmailSettings,
    SendEmail,
    incomplete_or_invalid,
    request_from_json,
)
from clientcore.query import F, Filter

UTC = dt.UTC
EXAMPLES: list[ActionRequest] = [
    SendEmail(
        ["p1", "p2"],
        template="eid-expired",
        mode="hold",
        recipients=incomplete_or_invalid("eid.card_number"),
    ),
    SendEmail(
        ["p1"],
        template="welcome",
        mode="schedule",
        send_at=dt.datetime(2026, 3, 1, 8, 0, tzinfo=UTC),
    ),
    ActivateTask(["p1"], task_code="closing", period="2025", start=dt.date(2026, 1, 1)),
    EmailSettings(["p1"], categories={"newsletter": False, "invoices": True}, portal=True),
    CreateBillingProject(["p1", "p2"], name="Year-end 2025"),
    AddCost(
        ["p1"],
        cost_type="nbb_filing",
        period="2026",
        amount=Decimal("61.30"),
        periodicity="yearly",
        invoice_label="NBB filing",
        internal_note="re-invoice",
    ),
    AddCost(["p1"], cost_type="postage", period="2026-03"),
    AddTimeEntries(
        [f"p{i}" for i in range(20)],
        date=dt.date(2026, 2, 2),
        minutes=30,
        activity="vat return",
        note=None,
    ),
]


@pytest.mark.parametrize("request_", EXAMPLES, ids=lambda r: r.action)
def test_every_request_round_trips_through_json_text(request_: ActionRequest) -> None:
    text = json.dumps(request_.to_json())
    assert request_ == request_from_json(json.loads(text))


def test_every_host_executed_action_of_the_catalogue_has_a_request_type() -> None:
    assert {
        "send_email",
        "activate_task",
        "email_settings",
        "billing_project",
        "add_cost",
        "add_time_entries",
    } == set(REQUEST_TYPES)


def faults(data: Any) -> list[tuple[str, str]]:
    with pytest.raises(ValidationError) as err:
        request_from_json(data)
    return [(i.path, i.code) for i in err.value.issues]


def base(**fields: Any) -> dict[str, Any]:
    return {
        "clientcore_action": 1,
        "action": "add_cost",
        "party_ids": ["p1"],
        "cost_type": "postage",
        "period": "2026-03",
        **fields,
    }


def test_unknown_keys_and_missing_fields_are_all_reported_with_their_path() -> None:
    data = base(colour="red", extra=1)
    del data["period"]
    assert [
        ("$.colour", "request.unknown_key"),
        ("$.extra", "request.unknown_key"),
        ("$.period", "request.missing"),
    ] == faults(data)


@pytest.mark.parametrize(
    ("data", "fault"),
    [
        ([], ("$", "request.invalid")),
        ({"action": "add_cost"}, ("$.clientcore_action", "request.missing")),
        (base(clientcore_action=2), ("$.clientcore_action", "request.version")),
        (base(clientcore_action=True), ("$.clientcore_action", "request.version")),
        (base(action="delete_all"), ("$.action", "request.unknown_action")),
        (base(amount=12.5), ("$.amount", "request.invalid")),
        (base(amount="-1"), ("$.amount", "request.invalid")),
        (base(amount="1.005"), ("$.amount", "request.invalid")),
        (base(amount="NaN"), ("$.amount", "request.invalid")),
        (base(amount="twelve"), ("$.amount", "request.invalid")),
        (base(periodicity="weekly"), ("$.periodicity", "request.invalid")),
        (base(party_ids="p1"), ("$.party_ids", "request.invalid")),
        (base(party_ids=[]), ("$.party_ids", "request.missing")),
        (base(party_ids=["p1", 2]), ("$.party_ids[1]", "request.invalid")),
        (base(cost_type=" "), ("$.cost_type", "request.invalid")),
        (base(internal_note=["x"]), ("$.internal_note", "request.invalid")),
        (
            {
                "clientcore_action": 1,
                "action": "send_email",
                "party_ids": ["p1"],
                "template": "t",
                "recipients": {"clientcore_filter": 1, "where": {"path": "name", "op": "x"}},
            },
            ("$.recipients.where.op", "filter.unknown_operator"),
        ),
    ],
)
def test_a_wrong_value_is_refused_naming_path_and_value(data: Any, fault: tuple[str, str]) -> None:
    assert fault == faults(data)[0]


def test_scheduled_mail_needs_a_moment_with_an_offset_and_only_then() -> None:
    with pytest.raises(ValidationError) as err:
        SendEmail(["p1"], template="t", mode="schedule")
    assert "request.schedule_needs_time" == err.value.issues[0].code
    with pytest.raises(ValidationError):
        SendEmail(["p1"], template="t", mode="now", send_at=dt.datetime(2026, 1, 1, tzinfo=UTC))
    with pytest.raises(ValidationError) as naive:
        SendEmail(["p1"], template="t", mode="schedule", send_at=dt.datetime(2026, 1, 1))
    assert "$.send_at" == naive.value.issues[0].path


def test_time_entries_are_limited_to_twenty_clients() -> None:
    with pytest.raises(ValidationError) as err:
        AddTimeEntries(
            [f"p{i}" for i in range(21)], date=dt.date(2026, 1, 1), minutes=15, activity="call"
        )
    assert "Deze actie is beperkt tot 20 klanten; er zijn er 21 opgegeven." == (
        err.value.issues[0].message("nl")
    )


@pytest.mark.parametrize("minutes", [0, -5, 1441, 1.5, True, "30"])
def test_time_entry_minutes_are_a_whole_number_within_a_day(minutes: object) -> None:
    with pytest.raises(ValidationError) as err:
        AddTimeEntries(["p1"], date=dt.date(2026, 1, 1), minutes=minutes, activity="call")  # type: ignore[arg-type]
    assert "$.minutes" == err.value.issues[0].path


def test_enabling_the_portal_skips_and_reports_parties_without_an_email_address() -> None:
    with_mail = Party(kind="client_person", name="An", email="an@peeters.be")
    without = Party(kind="client_person", name="Bert")
    broken = Party(kind="client_person", name="Cas", email="cas@")
    request, skipped = EmailSettings.for_selection([with_mail, without, broken], portal=True)
    assert request is not None
    assert (with_mail.id,) == request.party_ids
    assert [without.id, broken.id] == [s.party_id for s in skipped]
    assert ["action.field.missing", "action.field.invalid"] == [s.issues[0].code for s in skipped]


def test_categories_alone_need_no_email_and_nobody_left_gives_no_request() -> None:
    without = Party(kind="client_person", name="Bert")
    request, skipped = EmailSettings.for_selection([without], categories={"news": False})
    assert request is not None
    assert () == skipped
    none, skipped = EmailSettings.for_selection([without], portal=True)
    assert none is None
    assert 1 == len(skipped)


def test_the_incomplete_or_invalid_filter_finds_missing_and_invalid_values() -> None:
    flt = incomplete_or_invalid("email", "eid.valid_until")
    good = Party(kind="client_person", name="A", email="a@b.be", eid={"valid_until": "2030-01-01"})
    bad_mail = Party(
        kind="client_person", name="B", email="nope", eid={"valid_until": "2030-01-01"}
    )
    no_eid = Party(kind="client_person", name="C", email="c@b.be")
    assert [False, True, True] == [flt.matches(p) for p in (good, bad_mail, no_eid)]
    assert Filter.from_json(flt.to_json()) == flt
    assert (F("email").blank() | F("email").invalid() | F("eid.valid_until").blank()) == flt


def test_the_incomplete_or_invalid_filter_refuses_an_unknown_field() -> None:
    with pytest.raises(ValidationError) as err:
        incomplete_or_invalid("emial")
    assert "emial" == err.value.issues[0].path


@given(
    st.dictionaries(
        st.text(max_size=8) | st.sampled_from(["recipients", "party_ids", "amount", "date"]),
        st.none()
        | st.integers()
        | st.text(max_size=8)
        | st.just({"op": 1})
        | st.lists(st.text(max_size=4), max_size=3),
        max_size=8,
    ),
    st.sampled_from(sorted(REQUEST_TYPES)),
)
def test_junk_never_decodes_into_a_request_and_raises_only_validation_error(
    junk: dict[str, Any], action: str
) -> None:
    data = {"clientcore_action": 1, "action": action, **junk}
    made: ActionRequest | None = None
    paths: list[str] = []
    try:
        made = request_from_json(data)
    except ValidationError as err:
        paths = [i.path for i in err.issues]
    assert all(p.startswith("$") for p in paths)
    if made is not None:
        assert action == made.to_json()["action"]
