"""The import diff: every incoming record in exactly one bucket, in one linear pass.

>>> from clientcore.model import Party
>>> ours = [Party(id="p1", kind="client_company", name="Peeters BV",
...               enterprise_number="0403170701", email="info@peeters.be"),
...         Party(id="p2", kind="client_company", name="Janssens NV")]
>>> incoming = [Party(id="x1", kind="client_company", name="Peeters BV",
...                   enterprise_number="BE 0403.170.701", email="boekhouding@peeters.be"),
...             Party(id="x2", kind="client_person", name="An Claes",
...                   address={"postal_code": "9000", "country": "BE"})]
>>> d = diff(ours, incoming)
>>> d.counts()
{'new': 1, 'only_ours': 1, 'duplicates': 1, 'conflicts': 0, 'probable': 0, 'invalid': 0}
>>> match = d.duplicates[0]
>>> match.key, [(f.path, f.state.value) for f in match.changed]
('enterprise_number', [('email', 'differs')])
>>> d.new[0].language, d.only_ours[0].id
('nl', 'p2')
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Final

import attrs

from clientcore._collector import collector_paused
from clientcore._errors import Issue, ValidationError
from clientcore._messages import define
from clientcore.model import (
    Address,
    ClientStatus,
    Party,
    Schema,
    normalised_constructor,
    party_validator,
)
from clientcore.sync._keys import (
    DEFAULT_KEYS,
    KEY_FIELDS,
    compact_key,
    language_of,
    party_country,
    postal_block,
    sorted_match_name,
    trusted_key,
)

if TYPE_CHECKING:
    from clientcore.sync._plan import SyncPlan

define(
    {
        "sync.unknown_key": (
            "'{value}' cannot be matched on; the keys are {choices}.",
            "Op '{value}' kan niet gekoppeld worden; de sleutels zijn {choices}.",
            "'{value}' ne peut pas servir de clé ; les clés sont {choices}.",
        ),
        "sync.unknown_field": (
            "'{value}' is not a field the diff compares; it compares {choices}.",
            "'{value}' is geen veld dat de vergelijking vergelijkt; die vergelijkt {choices}.",
            "'{value}' n'est pas un champ que la comparaison compare ; elle compare {choices}.",
        ),
        "sync.no_keys": (
            "Name at least one key to match on.",
            "Geef minstens één sleutel om op te koppelen.",
            "Indiquez au moins une clé de correspondance.",
        ),
        "sync.invalid_input": (
            "Item {index} of the {side} records is not a party or a row result ({value}).",
            "Element {index} van de {side} records is geen partij of rijresultaat ({value}).",
            "L'élément {index} des enregistrements {side} n'est ni une partie ni un résultat "
            "de ligne ({value}).",
        ),
        "sync.needs_fuzzy_extra": (
            "Fuzzy matching needs the fuzzy extra: pip install 'clientcore[fuzzy]'.",
            "Vage koppeling vraagt de extra fuzzy: pip install 'clientcore[fuzzy]'.",
            "La correspondance approximative exige l'extra fuzzy : "
            "pip install 'clientcore[fuzzy]'.",
        ),
        "sync.invalid_threshold": (
            "The fuzzy threshold is a number from 0 to 100, not {value}.",
            "De drempel voor vage koppeling is een getal van 0 tot 100, niet {value}.",
            "Le seuil de correspondance approximative est un nombre de 0 à 100, pas {value}.",
        ),
    }
)


# --- the fields a duplicate is compared on ---

#: The fields a duplicate is compared on, in the order they are shown: the basic data a
#: CRM export holds. Status is not among them: it changes through the status machine only.
COMPARED: Final = (
    "name",
    "number",
    "kind",
    "language",
    "first_name",
    "last_name",
    "birth_date",
    "legal_form",
    "national_number",
    "bsn",
    "enterprise_number",
    "kvk_number",
    "vat_liable",
    "vat_number",
    "iban",
    "email",
    "phone",
    "website",
    "address.street",
    "address.postal_code",
    "address.city",
    "address.country",
    "labels",
    "portfolio",
    "client_since",
    "client_until",
)


class FieldState(StrEnum):
    """How one field of a duplicate compares (on normalised values)."""

    EQUAL = "equal"
    DIFFERS = "differs"
    ONLY_IMPORT = "only_import"
    ONLY_OURS = "only_ours"


@attrs.frozen
class FieldDiff:
    """One compared field of a duplicate: the raw values on both sides and how they compare."""

    path: str
    ours: Any
    theirs: Any
    state: FieldState


# A diff builds a FieldDiff for every compared field of every duplicate (a dozen for
# each): from its own values, so without attrs' frozen __init__, a third of the cost.
_field_diff: Final = normalised_constructor(FieldDiff)


@attrs.frozen
class Record:
    """One incoming record: its position in the import (``index``, from 0), the row a
    spreadsheet shows (``row``, when it came from a file), the party read from it (``None``
    when it could not be built) and the issues of the reading."""

    index: int
    party: Party | None
    row: int | None = None
    issues: tuple[Issue, ...] = ()

    @property
    def label(self) -> str:
        """How a report names the record: its row, else its position."""
        return f"row {self.row}" if self.row is not None else f"#{self.index + 1}"


@attrs.frozen
class Match:
    """An incoming record and the party of ours it is: the key that made the match and
    one :class:`FieldDiff` per compared field. ``returning`` is true when the party is
    archived or a former client: a client who comes back."""

    ours: Party
    incoming: Record
    key: str
    differences: tuple[FieldDiff, ...]

    @property
    def returning(self) -> bool:
        """The party is archived or a former client."""
        return self.ours.archived or self.ours.status is ClientStatus.FORMER_CLIENT

    @property
    def changed(self) -> tuple[FieldDiff, ...]:
        """The fields that are not equal (``differs``, ``only_import``, ``only_ours``)."""
        return tuple(f for f in self.differences if f.state is not FieldState.EQUAL)

    def field(self, path: str) -> FieldDiff | None:
        """The comparison of ``path``, or ``None`` when neither side has a value."""
        for f in self.differences:
            if f.path == path:
                return f
        return None


@attrs.frozen
class New:
    """An incoming record with no party of ours: a client to add. ``language`` is the one
    it would get (its own, else its Belgian postal code's, else ``None``)."""

    incoming: Record
    language: str | None


@attrs.frozen
class Hit:
    """One key of an incoming record that points at a party of ours."""

    index: int
    key: str
    party_id: str


@attrs.frozen
class Conflict:
    """A match the diff refuses to guess: one record whose keys point at different parties
    of ours (``reason`` ``keys_disagree``), one record whose keys all point at the same
    several parties (``key_shared``: an e-mail two of ours share), or several records
    that point at one party (``several_records``). ``hits`` says which key of which
    record pointed where."""

    incoming: tuple[Record, ...]
    candidates: tuple[Party, ...]
    hits: tuple[Hit, ...]
    reason: str


@attrs.frozen
class Probable:
    """An unmatched record whose name looks like one of our unmatched parties in the same
    postal code: shown with its score (0-100), never treated as a duplicate until a user
    confirms it with :meth:`SyncDiff.confirm`."""

    incoming: Record
    candidates: tuple[tuple[Party, float], ...]


@attrs.frozen
class Invalid:
    """A record that cannot be loaded, with every issue; ``party_ids`` are the parties of
    ours its valid keys point at (they are in the import, so never "only ours")."""

    incoming: Record
    issues: tuple[Issue, ...]
    party_ids: tuple[str, ...] = ()


BUCKETS: Final = ("new", "only_ours", "duplicates", "conflicts", "probable", "invalid")


@attrs.frozen
class SyncDiff:
    """The import sorted into buckets; every incoming record is in exactly one of
    ``new``, ``duplicates``, ``conflicts``, ``probable`` and ``invalid``, and every party
    of ours that no record points at is in ``only_ours``.

    ``reading`` is the summary the reader gave (kept as given), ``notes`` the issues of
    the file as a whole (an unknown column, reported once).
    """

    new: tuple[New, ...]
    only_ours: tuple[Party, ...]
    duplicates: tuple[Match, ...]
    conflicts: tuple[Conflict, ...]
    probable: tuple[Probable, ...]
    invalid: tuple[Invalid, ...]
    keys: tuple[str, ...] = DEFAULT_KEYS
    fields: tuple[str, ...] = COMPARED
    records: int = 0
    notes: tuple[Issue, ...] = ()
    reading: Any = attrs.field(default=None, eq=False, repr=False)

    def counts(self) -> dict[str, int]:
        """The number of entries per bucket, in the order the buckets are shown."""
        return {name: len(getattr(self, name)) for name in BUCKETS}

    def confirm(self, index: int, party_id: str) -> SyncDiff:
        """The diff with the probable record at ``index`` confirmed as a duplicate of
        ``party_id`` (one of its candidates); raises ``ValidationError`` otherwise."""
        for position, probable in enumerate(self.probable):
            if probable.incoming.index != index:
                continue
            for party, _score in probable.candidates:
                if party.id == party_id:
                    assert probable.incoming.party is not None
                    match = Match(
                        party,
                        probable.incoming,
                        "name",
                        compare(party, probable.incoming.party, self.fields),
                    )
                    rest = self.probable[:position] + self.probable[position + 1 :]
                    others = {p.id for p, _ in probable.candidates} - {party_id}
                    still = {p.id for pr in rest for p, _ in pr.candidates}
                    back = tuple(
                        p for p, _ in probable.candidates if p.id in others and p.id not in still
                    )
                    return attrs.evolve(
                        self,
                        duplicates=(*self.duplicates, match),
                        probable=rest,
                        only_ours=(*self.only_ours, *back),
                    )
        raise ValidationError(
            [Issue("sync.not_probable", "probable", {"index": index, "party_id": party_id})]
        )

    # rendering lives in _render; these delegate so that a notebook shows the diff
    def to_text(self, lang: str = "en", limit: int = 20) -> str:
        """Counts per bucket, then the entries of each bucket (at most ``limit`` each)."""
        from clientcore.sync._render import diff_text

        return diff_text(self, lang, limit)

    def to_rows(self) -> list[dict[str, Any]]:
        """One flat row per entry (and per changed field of a duplicate), for pandas."""
        from clientcore.sync._render import diff_rows

        return diff_rows(self)

    def to_json(self) -> dict[str, Any]:
        """The diff as JSON-ready data (for ``clientcore sync --format json``)."""
        from clientcore.sync._render import diff_json

        return diff_json(self)

    def __str__(self) -> str:
        return self.to_text()

    def _repr_html_(self) -> str:
        return self.to_html()

    def to_html(self, plan: SyncPlan | None = None, limit: int = 200) -> str:
        """The diff as HTML (counts on top, a table per bucket, the fields of each
        duplicate). With the ``plan`` made from it, the values it overwrites are
        highlighted and the ones it keeps greyed, as the review screen shows them."""
        from clientcore.sync._render import diff_html

        return diff_html(self, plan, limit)

    def plan(
        self,
        *,
        overwrite: Iterable[str] = (),
        per_party: Mapping[str, Iterable[str]] | None = None,
        add: bool | Iterable[int] = False,
        end: bool | Iterable[str] = False,
        defaults: Mapping[str, Any] | None = None,
        empty_overwrites: bool = False,
        end_reason: str | None = None,
    ) -> SyncPlan:
        """The user's choices as a :class:`~clientcore.sync.SyncPlan`.

        ``overwrite``: the fields to overwrite on every duplicate; ``per_party``: party
        id -> the fields for that party instead. Only a field whose imported value
        differs is written, and an empty imported value never overwrites ours unless
        ``empty_overwrites=True``. ``add``: ``True`` for every new record, or the indexes
        of the chosen ones, with ``defaults`` (``portfolio``, ``language``, ``legal_form``
        fill what the record leaves empty, ``labels`` are added, ``status`` is set).
        ``end``: ``True`` for every party only in our registry, or the chosen ids: their
        engagement ends through the status machine, with ``end_reason``.
        """
        from clientcore.sync._plan import plan_from_diff

        return plan_from_diff(
            self,
            overwrite=overwrite,
            per_party=per_party,
            add=add,
            end=end,
            defaults=defaults,
            empty_overwrites=empty_overwrites,
            end_reason=end_reason,
        )


define(
    {
        "sync.not_probable": (
            "Record {index} is not a probable match of party {party_id}.",
            "Record {index} is geen waarschijnlijke koppeling met partij {party_id}.",
            "L'enregistrement {index} n'est pas une correspondance probable de la partie "
            "{party_id}.",
        ),
    }
)

_IDENTIFIER_PATHS: Final = frozenset(
    {"national_number", "bsn", "enterprise_number", "kvk_number", "vat_number", "iban", "phone"}
)
_SPACES: Final = re.compile(r"\s+")
_ADDRESS_FIELDS: Final = ("street", "postal_code", "city", "country")


def _normal(path: str, value: Any, country: str | None) -> Any:
    """The value compared: identifiers compact, e-mails and countries case-folded, text
    with its spaces collapsed; anything else as is."""
    if isinstance(value, str):
        if path in _IDENTIFIER_PATHS:
            return compact_key(path, value, country) if path != "phone" else _phone(value, country)
        if path == "email":
            return value.strip().casefold()
        if path == "address.country":
            return value.strip().upper()
        if path == "address.postal_code":
            return value.replace(" ", "").upper()
        return _SPACES.sub(" ", value.strip())
    if isinstance(value, StrEnum):
        return value.value
    return value


def _phone(value: str, country: str | None) -> str:
    from clientcore.model import phone

    try:
        return phone.validate(value, country)
    except ValidationError:
        return _SPACES.sub("", value)


_TOP_LEVEL: Final = tuple(p for p in COMPARED if not p.startswith("address."))
_ADDRESS_PATHS: Final = tuple((name, "address." + name) for name in _ADDRESS_FIELDS)
_ADDRESS_NAMES: Final = {path: name for name, path in _ADDRESS_PATHS}
_NO_LABELS: Final = frozenset[str]()


def _getters(party: Party) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for path in _TOP_LEVEL:
        value = getattr(party, path)
        if value is not None and value != _NO_LABELS:
            values[path] = value
    address: Address | None = party.address
    if address is not None:
        for name, path in _ADDRESS_PATHS:
            value = getattr(address, name)
            if value is not None:
                values[path] = value
    return values


def compare(
    ours: Party, theirs: Party, fields: Iterable[str] | None = None
) -> tuple[FieldDiff, ...]:
    """One :class:`FieldDiff` per field of ``fields`` (default :data:`COMPARED`) that
    either side fills."""
    plan = _read_plan(COMPARED if fields is None else fields)
    return _compare(ours, theirs, _getters(theirs), plan)


def _read_plan(fields: Iterable[str]) -> tuple[tuple[str, str | None], ...]:
    """Each compared path with the name of its address field (``None`` for a field of
    the party itself), worked out once for every duplicate of a diff."""
    return tuple((path, _ADDRESS_NAMES.get(path)) for path in fields)


def _compare(
    ours: Party,
    theirs: Party,
    other: Mapping[str, Any],
    plan: tuple[tuple[str, str | None], ...],
) -> tuple[FieldDiff, ...]:
    """The comparison of the fields of ``plan`` (:func:`_read_plan`); ``other`` holds
    the values of ``theirs`` as :func:`_getters` reads them, and ours are read the same
    way, field by field."""
    address = ours.address
    our_country, their_country = party_country(ours), party_country(theirs)
    equal, differs = FieldState.EQUAL, FieldState.DIFFERS
    only_import, only_ours = FieldState.ONLY_IMPORT, FieldState.ONLY_OURS
    make = _field_diff
    out = []
    for path, name in plan:
        if name is None:
            a = getattr(ours, path)
            if a == _NO_LABELS:
                a = None
        else:
            a = getattr(address, name) if address is not None else None
        b = other.get(path)
        if a is None:
            if b is None:
                continue
            out.append(make(path=path, ours=None, theirs=b, state=only_import))
        elif b is None:
            out.append(make(path=path, ours=a, theirs=None, state=only_ours))
        elif a == b or _normal(path, a, our_country) == _normal(path, b, their_country):
            out.append(make(path=path, ours=a, theirs=b, state=equal))
        else:
            out.append(make(path=path, ours=a, theirs=b, state=differs))
    return tuple(out)


# --- what comes in ---


def incoming_records(incoming: Iterable[Any]) -> tuple[list[Record], list[Issue]]:
    """The one adapter from what a reader gives to :class:`Record`: parties, or row
    results (anything with ``party``, ``issues`` and ``row``, as
    :class:`clientcore.model.RowResult`). A result of the header row (row 1, no party) is a
    note on the file as a whole, not a record. Returns the records and those notes."""
    notes: list[Issue] = []
    records: list[Record] = []
    for item in incoming:
        count = len(records)
        if isinstance(item, Party):
            records.append(Record(count, item))
            continue
        party = getattr(item, "party", _NOTHING)
        issues: Any = getattr(item, "issues", _NOTHING)
        if (
            party is _NOTHING
            or issues is _NOTHING
            or not (party is None or isinstance(party, Party))
        ):
            raise ValidationError(
                [
                    Issue(
                        "sync.invalid_input",
                        f"incoming[{count}]",
                        {"index": count, "side": "incoming", "value": type(item).__name__},
                    )
                ]
            )
        row = getattr(item, "row", None)
        if party is None and row == 1:
            notes.extend(issues)
            continue
        records.append(Record(count, party, row, tuple(issues)))
    return records, notes


_NOTHING: Final = object()


def _ours(ours: Any) -> list[Party]:
    """Our parties: a list of parties, or a unit of work (read in one transaction)."""
    parties_attr = getattr(ours, "parties", None)
    if parties_attr is not None and hasattr(parties_attr, "list"):
        with ours:
            found: list[Party] = parties_attr.list()
        return found
    out = list(ours)
    for index, party in enumerate(out):
        if not isinstance(party, Party):
            raise ValidationError(
                [
                    Issue(
                        "sync.invalid_input",
                        f"ours[{index}]",
                        {"index": index, "side": "our", "value": type(party).__name__},
                    )
                ]
            )
    return out


def _check_fields(fields: Sequence[str]) -> tuple[str, ...]:
    if isinstance(fields, str):
        fields = (fields,)
    out = tuple(dict.fromkeys(fields))
    issues = [
        Issue("sync.unknown_field", "fields", {"value": f, "choices": list(COMPARED)})
        for f in out
        if f not in COMPARED
    ]
    if issues:
        raise ValidationError(issues)
    return out


def _check_keys(keys: Sequence[str]) -> tuple[str, ...]:
    if isinstance(keys, str):
        keys = (keys,)
    out = tuple(dict.fromkeys(keys))
    if not out:
        raise ValidationError([Issue("sync.no_keys", "keys")])
    issues = [
        Issue("sync.unknown_key", "keys", {"value": k, "choices": sorted(KEY_FIELDS)})
        for k in out
        if k not in KEY_FIELDS
    ]
    if issues:
        raise ValidationError(issues)
    return out


def diff(
    ours: Any,
    incoming: Iterable[Any],
    *,
    keys: Sequence[str] = DEFAULT_KEYS,
    fuzzy: bool = False,
    threshold: float = 90.0,
    fields: Sequence[str] | None = None,
    schema: Schema | None = None,
    reading: Any = None,
) -> SyncDiff:
    """Sort ``incoming`` (parties or row results) against ``ours`` (parties or a unit of
    work) into the buckets of a :class:`SyncDiff`, in time linear in the records.

    Keys are tried in ``keys`` order on their compact form; an invalid key never matches
    but the record may match on another one; a record whose keys point at several
    parties, or several records pointing at one party, are conflicts, never guessed.
    With ``fuzzy=True`` (extra ``fuzzy``) the records left unmatched are compared by
    name with our unmatched parties of the same postal code; a score of at least
    ``threshold`` makes them ``probable``. Duplicates are compared on ``fields`` (by
    default the fields of :data:`COMPARED` that at least one incoming record fills: a
    column the import lacks is not compared). Records are validated against ``schema``.
    """
    key_order = _check_keys(keys)
    if (
        not isinstance(threshold, (int, float))
        or isinstance(threshold, bool)
        or not (0 <= threshold <= 100)
    ):
        raise ValidationError([Issue("sync.invalid_threshold", "threshold", {"value": threshold})])
    if fuzzy:
        _rapidfuzz()  # fail before any work when the extra is missing
    our_parties = _ours(ours)
    # The diff makes no reference cycles: with the collector paused, the objects it
    # builds (a FieldDiff per compared field of every duplicate) do not set off full
    # collections of the host's heap, and are walked once, right after it (with any
    # cycle a reader of the incoming records made meanwhile, which is young). Our
    # parties are read before (a host's storage may make cycles).
    with collector_paused():
        # Every record is read before any is sorted: reading all, then validating all
        # is faster than the two taking turns record by record (each keeps its own code
        # and memos warm: 7% less time for a 10,000-row file), and the diff keeps every
        # record anyway.
        records, notes = incoming_records(incoming)
        return _sorted(
            our_parties, records, notes, key_order, fuzzy, float(threshold), fields, schema, reading
        )


def _sorted(
    our_parties: list[Party],
    records: list[Record],
    notes: list[Issue],
    key_order: tuple[str, ...],
    fuzzy: bool,
    threshold: float,
    fields: Sequence[str] | None,
    schema: Schema | None,
    reading: Any,
) -> SyncDiff:
    """:func:`diff` once its arguments are checked and our parties read."""

    # One index per key: compact value -> our party id, or the list of them when several
    # of ours share it (an ambiguous key): a list only then, so that indexing a large
    # registry leaves few objects behind for the garbage collector to go through. Our
    # values are compacted without checking them; a value of ours is checked when an
    # incoming record points at it (an invalid key never matches). An incoming record
    # mostly repeats our values: checked just before, the same value in the same country
    # is not checked again when the record is validated (identifier outcomes are
    # memoised).
    index: dict[str, dict[str, str | list[str]]] = {k: {} for k in key_order}
    by_id: dict[str, Party] = {}
    for party in our_parties:
        pid = party.id
        by_id[pid] = party
        country = party_country(party)
        for key in key_order:
            value = trusted_key(key, getattr(party, key), country)
            if value is not None:
                ids = index[key]
                held = ids.get(value)
                if held is None:
                    ids[value] = pid
                elif isinstance(held, str):
                    ids[value] = [held, pid]
                else:
                    held.append(pid)
    checked: dict[tuple[str, str], bool] = {}  # (key, party id) -> our value is valid

    def ours_valid(key: str, pid: str) -> bool:
        found = checked.get((key, pid))
        if found is None:
            party = by_id[pid]
            found = checked[(key, pid)] = (
                compact_key(key, getattr(party, key), party_country(party)) is not None
            )
        return found

    # (key, a value several of ours share) -> those of them whose own value
    # is valid, and their set
    shared: dict[tuple[str, str], tuple[list[str], frozenset[str]]] = {}
    validate = party_validator(schema)
    invalid: list[Invalid] = []
    single: dict[str, list[tuple[Record, str]]] = {}  # party id -> (record, key)
    conflicts: list[Conflict] = []
    unmatched: list[Record] = []
    claimed: set[str] = set()
    for record in records:
        incoming_party = record.party
        if incoming_party is None:
            invalid.append(Invalid(record, record.issues))
            continue
        country = party_country(incoming_party)
        # (key, the parties of ours it points at, their set when there are several),
        # in key order
        pointed: list[tuple[str, list[str], frozenset[str] | None]] = []
        for key in key_order:
            raw = getattr(incoming_party, key)
            if raw is None:
                continue
            value = trusted_key(key, raw, country)
            if value is None:
                continue
            held = index[key].get(value)
            if held is None:
                continue
            if isinstance(held, str):
                if ours_valid(key, held):
                    pointed.append((key, [held], None))
                continue
            # A value several of ours share (a bank's info@ address on many relations)
            # is sorted out once, not for every record that holds it: the cost of a
            # record stays the same however many parties share its value.
            among = shared.get((key, value))
            if among is None:
                valid_pids = [pid for pid in held if ours_valid(key, pid)]
                among = shared[(key, value)] = (valid_pids, frozenset(valid_pids))
            if among[0]:
                pointed.append((key, *among))
        found = validate(incoming_party)
        if found:  # an invalid key of the record points nowhere
            bad = {i.path for i in found}
            pointed = [entry for entry in pointed if entry[0] not in bad]
        if found or record.issues:
            candidates = tuple(dict.fromkeys(pid for _, pids, _ in pointed for pid in pids))
            invalid.append(Invalid(record, (*record.issues, *found), candidates))
            claimed.update(candidates)
            continue
        if not pointed:
            unmatched.append(record)
            continue
        # The parties every key that found something agrees on; a key shared by several
        # of ours is ambiguous alone, but agrees with a key that names one of them. Most
        # records name one party with every key that finds one: no set is made for them.
        first_key, first_pids, _ = pointed[0]
        pid = first_pids[0]
        if all(len(pids) == 1 and pids[0] == pid for _, pids, _ in pointed):
            single.setdefault(pid, []).append((record, first_key))
            continue
        # the agreed parties are among the fewest any key points at
        fewest: list[str] = min((pids for _, pids, _ in pointed), key=len)
        agreed = set(fewest)
        for _, pids, members in pointed:
            agreed = {p for p in agreed if (p == pids[0] if members is None else p in members)}
        if len(agreed) == 1:
            (pid,) = agreed
            key = next(
                key
                for key, pids, members in pointed
                if (pid == pids[0] if members is None else pid in members)
            )
            single.setdefault(pid, []).append((record, key))
            continue
        candidates = tuple(dict.fromkeys(pid for _, pids, _ in pointed for pid in pids))
        # len(candidates) > 1 here: a record whose keys all name one party is single
        conflicts.append(
            Conflict(
                (record,),
                tuple(by_id[c] for c in candidates),
                tuple(Hit(record.index, key, pid) for key, pids, _ in pointed for pid in pids),
                "keys_disagree" if not agreed else "key_shared",
            )
        )
        claimed.update(candidates)

    # A field no incoming record fills is not in the import: it is not compared (a CRM
    # export without portfolios says nothing about ours).
    theirs: dict[int, dict[str, Any]] = {}
    present: set[str] = set()
    for pairs in single.values():
        if len(pairs) == 1:
            record = pairs[0][0]
            assert record.party is not None
            values = theirs[record.index] = _getters(record.party)
            present.update(values)
    if fields is None:
        for record in records:
            if len(present) == len(COMPARED):  # every field is in the import already
                break
            if record.party is not None and record.index not in theirs:
                present.update(_getters(record.party))
        compared: tuple[str, ...] = tuple(p for p in COMPARED if p in present)
    else:
        compared = _check_fields(fields)

    duplicates: list[Match] = []
    plan = _read_plan(compared)
    for pid, pairs in single.items():
        claimed.add(pid)
        ours_party = by_id[pid]
        if len(pairs) == 1:
            record, key = pairs[0]
            assert record.party is not None
            duplicates.append(
                Match(
                    ours_party,
                    record,
                    key,
                    _compare(ours_party, record.party, theirs[record.index], plan),
                )
            )
        else:
            several = tuple(Hit(r.index, k, pid) for r, k in pairs)
            conflicts.append(
                Conflict(tuple(r for r, _ in pairs), (ours_party,), several, "several_records")
            )
    conflicts.sort(key=lambda c: c.incoming[0].index)
    duplicates.sort(key=lambda m: m.incoming.index)

    only_ours = [p for p in our_parties if p.id not in claimed]
    probable: list[Probable] = []
    if fuzzy and unmatched and only_ours:
        probable, unmatched, only_ours = _fuzzy(unmatched, only_ours, threshold)
    new = [New(r, language_of(r.party)) for r in unmatched if r.party is not None]
    return SyncDiff(
        tuple(new),
        tuple(only_ours),
        tuple(duplicates),
        tuple(conflicts),
        tuple(probable),
        tuple(invalid),
        key_order,
        compared,
        len(records),
        tuple(notes),
        reading,
    )


def _rapidfuzz() -> Any:
    try:
        from rapidfuzz import fuzz, process
    except ImportError:
        raise ValidationError([Issue("sync.needs_fuzzy_extra", "fuzzy")]) from None
    return fuzz, process


def _fuzzy(
    records: list[Record], ours: list[Party], threshold: float
) -> tuple[list[Probable], list[Record], list[Party]]:
    """Names compared within one postal code only (blocking keeps it linear in practice)."""
    fuzz, process = _rapidfuzz()
    # The records to compare, by block, in their order; a record outside every block of
    # ours, or whose name is only legal-form words, has nothing to compare.
    blocks: dict[str, list[Party]] = {}
    for party in ours:
        block = postal_block(party)
        if block is not None:
            blocks.setdefault(block, []).append(party)
    asked: dict[str, list[tuple[int, str]]] = {}
    for position, record in enumerate(records):
        if record.party is None:  # pragma: no cover - only records with a party are unmatched
            continue
        block = postal_block(record.party)
        if block is None or block not in blocks:
            continue
        wanted = sorted_match_name(record.party.name)
        if wanted:
            asked.setdefault(block, []).append((position, wanted))
    # RapidFuzz's token_sort_ratio is the ratio of the names with their words sorted:
    # sorted once per name here, not once per pair compared. A name of ours that is only
    # legal-form words has nothing to compare. Only the blocks a record asks for are read.
    found: dict[int, tuple[tuple[Party, float], ...]] = {}
    for block, questions in asked.items():
        pool: list[Party] = []
        names: list[str] = []
        for party in blocks[block]:
            name = sorted_match_name(party.name)
            if name:
                pool.append(party)
                names.append(name)
        if not names:
            continue
        best = _best_names(fuzz, process, [q for _, q in questions], names, threshold)
        for (position, _), hits in zip(questions, best, strict=True):
            if hits:
                found[position] = tuple((pool[i], round(score, 1)) for i, score in hits)
    probable: list[Probable] = []
    left: list[Record] = []
    taken: set[str] = set()
    for position, record in enumerate(records):
        candidates = found.get(position)
        if candidates is None:
            left.append(record)
            continue
        taken.update(p.id for p, _ in candidates)
        probable.append(Probable(record, candidates))
    return probable, left, [p for p in ours if p.id not in taken]


#: The most candidates a probable record lists.
_CANDIDATES: Final = 5
#: The most scores held at once when a block is scored as a matrix (16 MB of floats).
_MATRIX_CELLS: Final = 2_000_000


def _best_names(
    fuzz: Any, process: Any, queries: list[str], names: list[str], threshold: float
) -> list[list[tuple[int, float]]]:
    """For each query, the (index in ``names``, score) of its best five names scoring at
    least ``threshold``, best first (a tie: the earlier name first), as RapidFuzz's
    ``process.extract`` gives them. With numpy, a block is scored as one matrix
    (``process.cdist``, the same scorer in double precision) instead of one call per
    query, each of which would convert every name of the block again."""
    try:
        import numpy as np
    except ImportError:  # numpy is optional: one call per query then
        return [
            [
                (i, float(score))
                for _name, score, i in process.extract(
                    query,
                    names,
                    scorer=fuzz.ratio,
                    processor=None,
                    score_cutoff=threshold,
                    limit=_CANDIDATES,
                )
            ]
            for query in queries
        ]
    out: list[list[tuple[int, float]]] = []
    step = max(1, _MATRIX_CELLS // len(names))
    for start in range(0, len(queries), step):
        scores = process.cdist(
            queries[start : start + step],
            names,
            scorer=fuzz.ratio,
            processor=None,
            score_cutoff=threshold,
            dtype=np.float64,
        )
        for row in scores:
            hits = np.flatnonzero(row >= threshold)
            if len(hits) > _CANDIDATES:  # best first, then the earlier name
                hits = hits[np.lexsort((hits, -row[hits]))][:_CANDIDATES]
            elif len(hits) > 1:
                hits = hits[np.lexsort((hits, -row[hits]))]
            out.append([(int(i), float(row[i])) for i in hits])
    return out
