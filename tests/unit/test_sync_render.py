"""The diff and its preview seen as text, HTML and rows."""

from __future__ import annotations

import datetime as dt
import json

from clientcore import Actor, InMemoryUnitOfWork, Party
from clientcore.sync import diff

OURS = [
    Party(id="p1", kind="client_company", name="Peeters", email="info@peeters.be", legal_form="BV"),
    Party(id="p2", kind="client_person", name="An <b>", email="an@example.be"),
    Party(id="p3", kind="client_person", name="Old", national_number="73090986474"),
]
INCOMING = [
    Party(
        id="x1", kind="client_company", name="Peeters BV", email="info@peeters.be", legal_form="NV"
    ),
    Party(id="x2", kind="client_person", name="An <b>", email="an@example.be"),
    Party(id="x3", kind="client_person", name="Luc", address={"postal_code": "5000"}),
    Party(id="x4", kind="client_person", name="Bad", email="bad@"),
]  # fmt: skip


def test_the_text_starts_with_the_counts_and_lists_the_differing_fields() -> None:
    text = diff(OURS, INCOMING).to_text()
    lines = text.splitlines()
    assert "new 1 · only ours 1 · duplicates 2 · conflicts 0 · probable 0 · invalid 1" == lines[0]
    assert "    name: Peeters → Peeters BV" in lines
    assert "    legal_form: BV → NV" in lines
    assert "  + #3  Luc [fr]" in lines
    assert "  - p3  Old (suspect)" in lines


def test_the_text_is_cut_at_the_limit_and_speaks_french() -> None:
    text = diff(OURS, INCOMING).to_text("fr", limit=1)
    assert text.startswith("uniquement dans l'import 1")
    assert "  … 1 more" in text


def test_the_html_escapes_names_and_marks_written_and_kept_values() -> None:
    d = diff(OURS, INCOMING)
    plain = d.to_html()
    assert "An &lt;b&gt;" in plain
    assert "<b>2</b> duplicates" in plain
    assert 'class="write"' not in plain
    planned = d.to_html(d.plan(overwrite={"name"}))
    assert planned.count('class="write"') == 1  # the name of p1
    assert planned.count('class="keep"') == 1  # its legal form, kept
    assert d._repr_html_() == plain


def test_rows_are_flat_one_per_entry_and_changed_field() -> None:
    rows = diff(OURS, INCOMING).to_rows()
    assert ["new", "only_ours", "duplicates", "duplicates", "duplicates", "invalid"] == [
        r["bucket"] for r in rows
    ]
    name = next(r for r in rows if r["field"] == "name")
    assert ("p1", "Peeters", "Peeters BV", "differs", "email") == (
        name["party_id"],
        name["ours"],
        name["theirs"],
        name["state"],
        name["key"],
    )
    unchanged = next(r for r in rows if r["party_id"] == "p2")
    assert "equal" == unchanged["state"]
    assert len({tuple(r) for r in rows}) == 1  # every row has the same columns


def test_the_json_is_plain_data() -> None:
    data = json.loads(json.dumps(diff(OURS, INCOMING).to_json()))
    assert 2 == data["counts"]["duplicates"]
    assert ["email"] == [i["path"] for i in data["invalid"][0]["issues"]]


def test_the_preview_renders_as_text_html_and_rows() -> None:
    uow = InMemoryUnitOfWork()
    with uow:
        for party in OURS:
            uow.parties.add(party)
        uow.commit()
    plan = diff(uow, INCOMING).plan(overwrite={"name"}, add=True)
    preview = plan.preview(uow, Actor("ann", {"staff"}), at=dt.datetime(2026, 1, 5))
    assert "1 to create, 1 to change" in str(preview)
    assert {"create", "change"} == {r["action"] for r in preview.to_rows()}
    assert "<b>1</b> create" in preview._repr_html_()
