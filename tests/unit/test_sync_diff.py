"""The import diff: buckets, key order, compact keys, conflicts, probable matches, invalid."""

from __future__ import annotations

import gc
import pathlib
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clientcore import InMemoryUnitOfWork, ValidationError
from clientcore.model import Party, RowResult, read_csv, validate_party
from clientcore.sync import (
    COMPARED,
    DEFAULT_KEYS,
    FieldDiff,
    FieldState,
    SyncDiff,
    compact_key,
    compare,
    diff,
    language_of,
    language_of_postal_code,
    match_name,
)
from clientcore.sync._diff import _normal
from tests.strategies import sync_parties

DATA = pathlib.Path(__file__).parent.parent / "data" / "sync"


def company(pid: str, **fields: object) -> Party:
    return Party(id=pid, kind="client_company", name=fields.pop("name", pid), **fields)  # type: ignore[arg-type]


def person(pid: str, **fields: object) -> Party:
    return Party(id=pid, kind="client_person", name=fields.pop("name", pid), **fields)  # type: ignore[arg-type]


def the_export() -> SyncDiff:
    ours = [r.party for r in read_csv(DATA / "registry.csv") if r.party is not None]
    return diff(ours, list(read_csv(DATA / "crm_export.csv")), fuzzy=True)


# --- keys ---


def test_an_enterprise_number_meets_its_formatted_form() -> None:
    d = diff(
        [company("p1", enterprise_number="0377948919")],
        [company("x1", enterprise_number="BE 0377.948.919")],
    )
    assert ["p1"] == [m.ours.id for m in d.duplicates]
    assert "enterprise_number" == d.duplicates[0].key


def test_a_vat_number_meets_the_same_number_without_its_country_prefix() -> None:
    assert compact_key("vat_number", "BE 0377 948 919") == compact_key(
        "vat_number", "0377948919", "BE"
    )


def test_e_mails_are_matched_without_regard_to_case() -> None:
    d = diff(
        [person("p1", email="An.Claes@Telenet.be")], [person("x1", email="an.claes@telenet.be")]
    )
    assert "email" == d.duplicates[0].key


def test_client_numbers_are_matched_without_spaces_or_case() -> None:
    d = diff([person("p1", number="k 1001")], [person("x1", number="K1001")])
    assert "number" == d.duplicates[0].key


def test_an_invalid_key_never_matches_but_the_record_still_matches_on_another_key() -> None:
    ours = [person("p1", national_number="85073003329", email="an@example.be")]
    d = diff(
        ours,
        [person("x1", national_number="85073003329", email="an@example.be")],
        keys=("national_number", "email"),
    )
    # the incoming record is invalid (bad national number); its e-mail still points at p1
    assert [] == list(d.duplicates)
    assert ("p1",) == d.invalid[0].party_ids
    assert [] == list(d.only_ours)
    d2 = diff(ours, [person("x1", email="an@example.be")])
    assert "email" == d2.duplicates[0].key


def test_an_invalid_key_of_ours_never_matches() -> None:
    d = diff(
        [person("p1", national_number="85073003329")],
        [person("x1", national_number="85073003329")],
        keys=("national_number",),
    )
    assert ["p1"] == [p.id for p in d.only_ours]
    assert 1 == len(d.invalid)


def test_keys_are_tried_in_order_and_the_first_that_matches_is_recorded() -> None:
    ours = [person("p1", national_number="73090986474", email="an@example.be")]
    incoming = [person("x1", national_number="73.09.09-864.74", email="an@example.be")]
    assert "national_number" == diff(ours, incoming).duplicates[0].key
    assert "email" == diff(ours, incoming, keys=("email", "national_number")).duplicates[0].key


def test_only_the_keys_asked_for_are_used() -> None:
    d = diff(
        [person("p1", email="an@example.be")],
        [person("x1", email="an@example.be")],
        keys=("national_number",),
    )
    assert (1, 1) == (len(d.new), len(d.only_ours))


def test_an_unknown_key_is_refused_naming_it() -> None:
    with pytest.raises(ValidationError) as err:
        diff([], [], keys=("national_number", "colour"))
    assert [("sync.unknown_key", "colour")] == [
        (i.code, i.params["value"]) for i in err.value.issues
    ]
    with pytest.raises(ValidationError):
        diff([], [], keys=())


def test_an_unknown_compared_field_and_a_bad_threshold_are_refused() -> None:
    with pytest.raises(ValidationError) as err:
        diff([], [], fields=("name", "colour"))
    assert "sync.unknown_field" == err.value.issues[0].code
    with pytest.raises(ValidationError) as err2:
        diff([], [], threshold=120)
    assert "sync.invalid_threshold" == err2.value.issues[0].code


# --- buckets ---


def test_the_crm_export_lands_in_every_bucket() -> None:
    d = the_export()
    assert {
        "new": 3,
        "only_ours": 2,
        "duplicates": 4,
        "conflicts": 2,
        "probable": 1,
        "invalid": 2,
    } == d.counts()
    assert ["Luc Mertens", "Boulangerie Lejeune SRL", "Jonas Krings"] == [
        n.incoming.party.name for n in d.new
    ]  # type: ignore[union-attr]
    assert ["p-janssens", "p-oud"] == [p.id for p in d.only_ours]
    assert [10, 11] == [i.incoming.row for i in d.invalid]
    assert 13 == d.records


def test_a_record_whose_keys_point_at_two_parties_is_a_conflict_not_a_guess() -> None:
    d = the_export()
    conflict = d.conflicts[0]
    assert "keys_disagree" == conflict.reason
    assert ["p-twin1", "p-twin2"] == [p.id for p in conflict.candidates]
    assert [("national_number", "p-twin1"), ("email", "p-twin2")] == [
        (h.key, h.party_id) for h in conflict.hits
    ]
    assert {"p-twin1", "p-twin2"}.isdisjoint(p.id for p in d.only_ours)


def test_two_records_for_one_party_are_a_conflict() -> None:
    d = the_export()
    conflict = d.conflicts[1]
    assert "several_records" == conflict.reason
    assert [13, 14] == [r.row for r in conflict.incoming]
    assert ["p-schmitz"] == [p.id for p in conflict.candidates]


def test_one_key_shared_by_two_of_our_parties_is_a_conflict() -> None:
    ours = [person("p1", email="an@example.be"), person("p2", email="an@example.be")]
    d = diff(ours, [person("x1", email="an@example.be")])
    assert [["p1", "p2"]] == [[p.id for p in c.candidates] for c in d.conflicts]
    assert "key_shared" == d.conflicts[0].reason


def test_a_key_shared_by_three_of_our_parties_names_all_three_in_order() -> None:
    ours = [person(f"p{i}", email="an@example.be") for i in (1, 2, 3)]
    d = diff(ours, [person("x1", email="An@Example.be")])
    assert [["p1", "p2", "p3"]] == [[p.id for p in c.candidates] for c in d.conflicts]
    assert ["email"] * 3 == [h.key for h in d.conflicts[0].hits]


def test_a_shared_key_agrees_with_a_key_that_names_one_of_its_parties() -> None:
    ours = [
        person("p1", email="info@example.be", number="K1"),
        person("p2", email="info@example.be", number="K2"),
    ]
    d = diff(ours, [person("x1", email="info@example.be", number="K2")])
    assert [("p2", "number")] == [(m.ours.id, m.key) for m in d.duplicates]
    assert ["p1"] == [p.id for p in d.only_ours]
    disagree = diff(
        ours,
        [
            person("x1", email="other@example.be", number="K2"),
            person("x2", email="info@example.be", number="K3"),
        ],
    )
    assert ["p2"] == [m.ours.id for m in disagree.duplicates]
    assert ["key_shared"] == [c.reason for c in disagree.conflicts]


def test_a_former_client_who_returns_is_recognised() -> None:
    d = the_export()
    wouters = next(m for m in d.duplicates if m.ours.id == "p-wouters")
    assert wouters.returning
    archived = diff(
        [person("p1", email="a@example.be", archived=True)], [person("x1", email="a@example.be")]
    )
    assert archived.duplicates[0].returning
    assert (
        not diff([person("p1", email="a@example.be")], [person("x1", email="a@example.be")])
        .duplicates[0]
        .returning
    )


def test_invalid_records_carry_every_issue() -> None:
    bad = person("x1", national_number="85073003329", email="an@")
    d = diff([], [bad])
    assert {"national_number", "email"} == {i.path for i in d.invalid[0].issues}


def test_a_row_that_could_not_be_read_is_invalid_and_the_header_note_is_kept() -> None:
    rows = [
        RowResult(1, None, (ValidationError([]).issues or ()) + ()),
        RowResult(2, None, ()),
    ]
    from clientcore.model import from_row

    try:
        from_row({"kind": "alien", "name": "X"})
    except ValidationError as err:
        rows.append(RowResult(3, None, err.issues))
    d = diff([], rows)
    assert [2, 3] == [i.incoming.row for i in d.invalid]
    assert "row 3" == d.invalid[1].incoming.label


def test_the_header_issues_of_a_file_are_notes_not_records(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "in.csv"
    path.write_text("kind,name,colour\nclient_person,An,blue\n", encoding="utf-8")
    d = diff([], list(read_csv(path)))
    assert ["row.unknown_column"] == [i.code for i in d.notes]
    assert 1 == len(d.new) == d.records
    assert "Unknown column 'colour'" in d.to_text()


def test_ours_may_be_a_unit_of_work() -> None:
    uow = InMemoryUnitOfWork()
    with uow:
        uow.parties.add(person("p1", email="an@example.be"))
        uow.commit()
    assert ["p1"] == [
        m.ours.id for m in diff(uow, [person("x1", email="an@example.be")]).duplicates
    ]


def test_something_else_than_a_party_or_row_result_is_refused() -> None:
    with pytest.raises(ValidationError) as err:
        diff([], ["not a record"])
    assert "incoming[0]" == err.value.issues[0].path
    with pytest.raises(ValidationError) as err2:
        diff(["not a party"], [])
    assert "ours[0]" == err2.value.issues[0].path


# --- field differences ---


def test_each_compared_field_has_a_state_on_normalised_values_with_raw_values_shown() -> None:
    ours = company(
        "p1", name="Peeters  BV", email="Info@Peeters.be", phone="+3292345678", portfolio="Gent"
    )
    theirs = company(
        "x1", name="Peeters BV", email="info@peeters.be", phone="09 234 56 78", legal_form="BV"
    )
    states = {f.path: f for f in compare(ours, theirs)}
    assert FieldDiff("name", "Peeters  BV", "Peeters BV", FieldState.EQUAL) == states["name"]
    assert FieldState.EQUAL == states["email"].state
    # a party keeps its identifiers compact however they were typed
    assert ("+3292345678", "+3292345678") == (states["phone"].ours, states["phone"].theirs)
    assert FieldState.EQUAL == states["phone"].state
    assert FieldState.ONLY_OURS == states["portfolio"].state
    assert FieldState.ONLY_IMPORT == states["legal_form"].state
    assert FieldState.EQUAL == states["kind"].state


def test_a_field_no_incoming_record_fills_is_not_compared() -> None:
    d = the_export()
    assert "portfolio" not in d.fields
    assert all(f.path != "portfolio" for m in d.duplicates for f in m.differences)
    peeters = next(m for m in d.duplicates if m.ours.id == "p-peeters")
    assert {"name", "email", "labels"} == {f.path for f in peeters.changed}
    assert peeters.field("labels") == FieldDiff(
        "labels", frozenset({"pb"}), frozenset({"pb", "vip"}), FieldState.DIFFERS
    )


def test_the_compared_fields_can_be_named() -> None:
    d = diff(
        [person("p1", email="a@example.be", name="A")],
        [person("x1", email="a@example.be", name="B")],
        fields=("email",),
    )
    assert ("email",) == d.fields
    assert [] == list(d.duplicates[0].changed)


# --- language ---


@pytest.mark.parametrize(
    ("code", "language"),
    [
        ("9000", "nl"), ("2000", "nl"), ("3000", "nl"), ("3500", "nl"), ("8500", "nl"),
        ("1500", "nl"), ("1300", "fr"), ("4000", "fr"), ("5000", "fr"), ("6000", "fr"),
        ("6700", "fr"), ("7000", "fr"), ("4700", "de"), ("4780", "de"), ("4791", "de"),
        ("4750", "de"), ("1000", None), ("1200", None), ("B-9000", "nl"), ("1011AB", None),
        ("", None), (None, None),
    ],
)  # fmt: skip
def test_the_language_of_a_belgian_postal_code(code: str | None, language: str | None) -> None:
    assert language == language_of_postal_code(code)


def test_a_language_column_wins_over_the_postal_code_and_a_foreign_address_gives_none() -> None:
    assert "fr" == language_of(person("x", language="fr", address={"postal_code": "9000"}))
    assert "nl" == language_of(person("x", address={"postal_code": "9000"}))
    assert language_of(person("x", address={"postal_code": "9000", "country": "NL"})) is None
    assert language_of(person("x")) is None


def test_new_records_carry_their_language() -> None:
    d = the_export()
    assert ["nl", "fr", "de"] == [n.language for n in d.new]


# --- fuzzy ---


def test_names_are_compared_without_accents_case_and_legal_forms() -> None:
    assert match_name("BAKKERIJ PEETERS B.V.") == match_name("Bakkerij Peeters")
    assert "cafe elan" == match_name("Café Élan SRL")
    assert "de vos" == match_name("De Vos VOF")


def test_a_probable_match_is_shown_with_its_score_and_never_treated_as_a_duplicate() -> None:
    d = the_export()
    probable = d.probable[0]
    assert [("p-vos", 100.0)] == [(p.id, s) for p, s in probable.candidates]
    assert "p-vos" not in {m.ours.id for m in d.duplicates}
    assert "p-vos" not in {p.id for p in d.only_ours}
    confirmed = d.confirm(probable.incoming.index, "p-vos")
    assert ("p-vos", "name") == (confirmed.duplicates[-1].ours.id, confirmed.duplicates[-1].key)
    assert 0 == len(confirmed.probable)
    with pytest.raises(ValidationError):
        d.confirm(probable.incoming.index, "p-janssens")


def test_fuzzy_matching_stays_within_one_postal_code_and_above_the_threshold() -> None:
    ours = [company("p1", name="Bakkerij Peeters", address={"postal_code": "9000"})]
    far = [company("x1", name="Bakkerij Peeters BV", address={"postal_code": "2000"})]
    assert 0 == len(diff(ours, far, fuzzy=True).probable)
    other = [company("x1", name="Slagerij Janssens", address={"postal_code": "9000"})]
    assert 0 == len(diff(ours, other, fuzzy=True).probable)
    close = [company("x1", name="Bakkerij Peters", address={"postal_code": "9000"})]
    assert 1 == len(diff(ours, close, fuzzy=True).probable)
    assert 0 == len(diff(ours, close, fuzzy=True, threshold=99).probable)
    assert 0 == len(diff(ours, close).probable)


_WORDS = st.sampled_from(["bakkerij", "peeters", "peters", "de", "vos", "slagerij", "an", "nv"])


@settings(max_examples=60, deadline=None)
@given(st.lists(_WORDS, min_size=1, max_size=4), st.lists(_WORDS, min_size=1, max_size=4))
def test_the_fuzzy_score_is_rapidfuzz_token_sort_ratio_of_the_compared_names(
    ours_words: list[str], their_words: list[str]
) -> None:
    fuzz = pytest.importorskip("rapidfuzz.fuzz")
    ours_name, their_name = " ".join(ours_words), " ".join(their_words)
    a, b = match_name(ours_name), match_name(their_name)
    ours = [company("p1", name=ours_name, address={"postal_code": "9000"})]
    theirs = [company("x1", name=their_name, address={"postal_code": "9000"})]
    found = diff(ours, theirs, fuzzy=True, threshold=1).probable
    score = round(float(fuzz.token_sort_ratio(a, b)), 1)
    if not a or not b or score < 1:  # a name of legal-form words only compares to nothing
        assert () == found
        return
    (probable,) = found
    assert [("p1", score)] == [(p.id, s) for p, s in probable.candidates]


def test_confirming_a_probable_match_gives_back_the_other_candidates() -> None:
    ours = [
        company("p1", name="Bakkerij Peeters", address={"postal_code": "9000"}),
        company("p2", name="Bakkerij Peters", address={"postal_code": "9000"}),
    ]
    d = diff(
        ours, [company("x1", name="Bakkerij Peeters", address={"postal_code": "9000"})], fuzzy=True
    )
    assert {"p1", "p2"} == {p.id for p, _ in d.probable[0].candidates}
    confirmed = d.confirm(0, "p1")
    assert ["p2"] == [p.id for p in confirmed.only_ours]


# --- the one-bucket invariant ---


@settings(max_examples=200, deadline=None)
@given(
    st.lists(sync_parties("p"), max_size=8, unique_by=lambda p: p.id),
    st.lists(sync_parties("x"), max_size=8),
    st.permutations(list(DEFAULT_KEYS)),
    st.booleans(),
)
def test_each_incoming_record_lands_in_exactly_one_bucket(
    ours: list[Party], incoming: list[Party], keys: list[str], fuzzy: bool
) -> None:
    d = diff(ours, incoming, keys=keys, fuzzy=fuzzy)
    placed = (
        [n.incoming.index for n in d.new]
        + [m.incoming.index for m in d.duplicates]
        + [r.index for c in d.conflicts for r in c.incoming]
        + [p.incoming.index for p in d.probable]
        + [i.incoming.index for i in d.invalid]
    )
    assert sorted(placed) == list(range(len(incoming)))
    matched = [m.ours.id for m in d.duplicates]
    assert len(matched) == len(set(matched))  # one party matches at most one record
    only = {p.id for p in d.only_ours}
    assert only.isdisjoint(matched)
    assert only.isdisjoint(p.id for c in d.conflicts for p in c.candidates)
    assert only.isdisjoint(pid for i in d.invalid for pid in i.party_ids)
    for m in d.duplicates:
        assert m.key in keys
        value = compact_key(m.key, getattr(m.ours, m.key))
        assert value is not None
        assert value == compact_key(m.key, getattr(m.incoming.party, m.key))


# --- the diff against a plain reference ---


def _value(party: Party, path: str) -> object:
    if path.startswith("address."):
        return getattr(party.address, path[8:]) if party.address is not None else None
    value = getattr(party, path)
    return None if value == frozenset() else value


def reference_compare(ours: Party, theirs: Party, fields: tuple[str, ...]) -> list[FieldDiff]:
    """Every compared field read on both sides, judged on normalised values."""
    out = []
    countries = (country_of(ours), country_of(theirs))
    for path in fields:
        a, b = _value(ours, path), _value(theirs, path)
        if a is None and b is None:
            continue
        if a is None:
            state = FieldState.ONLY_IMPORT
        elif b is None:
            state = FieldState.ONLY_OURS
        elif a == b or _normal(path, a, countries[0]) == _normal(path, b, countries[1]):
            state = FieldState.EQUAL
        else:
            state = FieldState.DIFFERS
        out.append(FieldDiff(path, a, b, state))
    return out


def country_of(party: Party) -> str | None:
    return party.address.country if party.address is not None else None


def reference_diff(
    ours: list[Party], incoming: list[Party], keys: list[str]
) -> dict[str, list[Any]]:
    """The buckets by the rules, record by record, every key of both sides checked, every
    party of ours looked at: no index, no shortcut."""

    def key_of(key: str, party: Party) -> str | None:
        return compact_key(key, getattr(party, key), country_of(party))

    invalid, conflicts, unmatched = [], [], []
    single: dict[str, list[tuple[int, str]]] = {}
    claimed: set[str] = set()
    for index, record in enumerate(incoming):
        issues = validate_party(record)
        bad = {i.path for i in issues}
        hits = [
            (key, party.id)
            for key in keys
            if key not in bad and key_of(key, record) is not None
            for party in ours
            if key_of(key, party) == key_of(key, record)
        ]
        candidates = list(dict.fromkeys(pid for _, pid in hits))
        agreed: set[str] | None = None
        for key in dict.fromkeys(k for k, _ in hits):
            pids = {pid for k, pid in hits if k == key}
            agreed = pids if agreed is None else agreed & pids
        if issues:
            invalid.append((index, tuple(issues), tuple(candidates)))
            claimed.update(candidates)
        elif agreed is not None and len(agreed) == 1:
            (pid,) = agreed
            single.setdefault(pid, []).append((index, next(k for k, p in hits if p == pid)))
        elif len(candidates) > 1:
            reason = "key_shared" if agreed else "keys_disagree"
            conflicts.append(((index,), tuple(candidates), tuple(hits), reason))
            claimed.update(candidates)
        else:
            unmatched.append(index)
    duplicates = []
    for pid, pairs in single.items():
        claimed.add(pid)
        if len(pairs) == 1:
            (index, key), ours_party = pairs[0], next(p for p in ours if p.id == pid)
            duplicates.append((index, pid, key, ours_party))
        else:
            hits = tuple((k, pid) for _, k in pairs)
            conflicts.append((tuple(i for i, _ in pairs), (pid,), hits, "several_records"))
    return {
        "invalid": invalid,
        "conflicts": sorted(conflicts, key=lambda c: c[0][0]),
        "duplicates": sorted(duplicates, key=lambda d: d[0]),
        "new": unmatched,
        "only_ours": [p.id for p in ours if p.id not in claimed],
    }


@settings(max_examples=300, deadline=None)
@given(
    st.lists(sync_parties("p"), max_size=8, unique_by=lambda p: p.id),
    st.lists(sync_parties("x"), max_size=8),
    st.permutations(list(DEFAULT_KEYS)),
)
def test_the_diff_sorts_records_as_the_rules_say_record_by_record(
    ours: list[Party], incoming: list[Party], keys: list[str]
) -> None:
    expected = reference_diff(ours, incoming, keys)
    d = diff(ours, incoming, keys=keys, fields=COMPARED)
    assert expected["invalid"] == [(i.incoming.index, i.issues, i.party_ids) for i in d.invalid]
    assert expected["conflicts"] == [
        (
            tuple(r.index for r in c.incoming),
            tuple(p.id for p in c.candidates),
            tuple((h.key, h.party_id) for h in c.hits),
            c.reason,
        )
        for c in d.conflicts
    ]
    assert [(i, pid, key) for i, pid, key, _ in expected["duplicates"]] == [
        (m.incoming.index, m.ours.id, m.key) for m in d.duplicates
    ]
    for (i, _, _, ours_party), match in zip(expected["duplicates"], d.duplicates):
        assert reference_compare(ours_party, incoming[i], COMPARED) == list(match.differences)
    assert expected["new"] == [n.incoming.index for n in d.new]
    assert expected["only_ours"] == [p.id for p in d.only_ours]


# --- the collector ---


def test_the_diff_makes_no_reference_cycles() -> None:
    """What lets the diff run with the collector paused: with the collector off, a diff
    of every bucket (invalid rows, conflicts, probable matches) leaves nothing for a
    full collection to free."""
    ours = [r.party for r in read_csv(DATA / "registry.csv") if r.party is not None]
    incoming = list(read_csv(DATA / "crm_export.csv"))
    diff(ours, incoming, fuzzy=True)  # the first call imports the fuzzy extra
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        gc.collect()
        d = diff(ours, incoming, fuzzy=True)
        assert 0 == gc.collect()
    finally:
        if was_enabled:
            gc.enable()
    assert all(d.counts().values())


def test_the_diff_runs_one_young_collection_and_none_when_the_host_switched_it_off() -> None:
    ours = [company(f"p{i}", enterprise_number="0403170701" if i == 0 else None) for i in range(3)]
    incoming = [company(f"x{i}", name=f"x{i} {'y' * 40}") for i in range(3_000)]
    incoming.append(company("x", enterprise_number="BE 0403.170.701"))
    collections: list[int] = []

    def count(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            collections.append(info["generation"])

    was_enabled = gc.isenabled()
    gc.enable()
    gc.collect()  # no young collection is due when the diff starts
    gc.callbacks.append(count)
    try:
        d = diff(ours, incoming)
        assert gc.isenabled()
        # one young collection after the diff, none during it (a Python that collects as soon
        # as the collector is back on may run its own young one just before)
        assert collections in ([1], [0, 1])
        young = {id(o) for o in gc.get_objects(generation=0) + gc.get_objects(generation=1)}
        assert not young & {id(d.new), id(d.duplicates[0].differences)}
        collections.clear()
        gc.disable()
        diff(ours, incoming)
        assert not gc.isenabled()
        assert [] == collections
    finally:
        gc.callbacks.remove(count)
        (gc.enable if was_enabled else gc.disable)()
