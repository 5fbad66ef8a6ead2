"""Recognising the columns of a file: by field path, en/nl/fr label or synonym.

A heading is matched case-, accent-, space- and punctuation-insensitively
(:func:`~clientcore.model.header_key`). A heading two fields could be meant by is
reported, never guessed; so is a second column for a field already filled. The work is
one dictionary look-up per column: linear in the number of columns.

>>> mapping = map_header(["Naam", "Ondernemingsnummer", "BTW-nummer", "Gemeente", "Kleur"])
>>> [(c.source, c.path, c.how) for c in mapping.columns][:3]
[('Naam', 'name', 'label'), ('Ondernemingsnummer', 'enterprise_number', 'label'), \
('BTW-nummer', 'vat_number', 'label')]
>>> mapping.unmapped
('Kleur',)
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from typing import Final, Literal

import attrs

from clientcore._errors import Issue
from clientcore._messages import define
from clientcore.model import (
    COLLECTIONS,
    FieldType,
    Schema,
    default_schema,
    header_key,
    row_columns,
)

define(
    {
        "read.column.unknown": (
            "Column '{column}' is not a field and was left out{hint}.",
            "Kolom '{column}' is geen veld en werd weggelaten{hint}.",
            "La colonne '{column}' n'est pas un champ et a été ignorée{hint}.",
        ),
        "read.column.ambiguous": (
            "Column '{column}' could mean {paths}: it was left out; say which with "
            "--map '{column}=<field>' or a profile.",
            "Kolom '{column}' kan {paths} betekenen: ze werd weggelaten; zeg welk veld met "
            "--map '{column}=<veld>' of een profiel.",
            "La colonne '{column}' peut signifier {paths} : elle a été ignorée ; précisez "
            "avec --map '{column}=<champ>' ou un profil.",
        ),
        "read.column.duplicate": (
            "Column '{column}' fills '{path}' like column '{first}' before it: it was left out.",
            "Kolom '{column}' vult '{path}' zoals kolom '{first}' ervoor: ze werd weggelaten.",
            "La colonne '{column}' remplit '{path}' comme la colonne '{first}' avant elle : "
            "elle a été ignorée.",
        ),
        "read.map.unknown_field": (
            "The column map names '{path}', which is not a field{hint}.",
            "De kolomkoppeling noemt '{path}', dat geen veld is{hint}.",
            "La correspondance de colonnes nomme '{path}', qui n'est pas un champ{hint}.",
        ),
    }
)

#: How a column was recognised.
How = Literal["path", "label", "synonym", "profile", "option"]

#: Headings other software and people write for a field, besides its path and its
#: en/nl/fr labels in the catalogue. Matched like labels (case, accents, spaces and
#: punctuation ignored). Documented in ``docs/importing.md``.
SYNONYMS: Final[Mapping[str, tuple[str, ...]]] = {
    "number": (
        "Klantnr",
        "Klant nr",
        "Nr klant",
        "Dossiernummer",
        "Dossiernr",
        "Relatienummer",
        "Numéro client",
        "N° client",
        "N° de client",
        "Client no",
        "Customer number",
    ),
    "name": (
        "Klantnaam",
        "Naam klant",
        "Bedrijfsnaam",
        "Firmanaam",
        "Company name",
        "Client name",
        "Raison sociale",
        "Dénomination",
        "Nom de la société",
    ),
    "kind": ("Soort relatie", "Relatietype", "Registratietype", "Type de relation"),
    "status": ("Klantstatus", "Statut client", "Client status"),
    "language": ("Correspondentietaal", "Langue de correspondance"),
    "legal_form": ("Vennootschapsvorm",),
    "vat_liable": ("BTW-plichtig", "Btw plichtig", "Assujetti TVA", "Assujetti"),
    "national_number": (
        "Rijksregisternr",
        "RRN",
        "INSZ",
        "INSZ-nummer",
        "Numéro national",
        "NISS",
        "National register number",
    ),
    "enterprise_number": (
        "KBO-nummer",
        "KBO",
        "KBO nr",
        "Ondernemingsnr",
        "BCE",
        "Numéro BCE",
        "N° d'entreprise",
        "N° BCE",
        "Company number",
    ),
    "vat_number": (
        "BTW nr",
        "BTW",
        "Btw-id",
        "BTW-identificatienummer",
        "N° TVA",
        "TVA",
        "Numéro TVA",
        "VAT",
        "VAT no",
        "VAT ID",
    ),
    "bsn": ("Burgerservicenummer", "BSN-nummer"),
    "kvk_number": ("KvK", "KvK nr", "Kamer van Koophandel", "Chamber of commerce"),
    "iban": ("Rekeningnummer", "Bankrekening", "Compte bancaire", "Numéro de compte"),
    "email": ("E-mailadres", "Email address", "Adresse e-mail", "Courriel", "Mail"),
    "phone": ("Telefoonnummer", "Tel", "Tél", "GSM", "Phone number", "Telephone"),
    "website": ("Web", "Site", "Internet", "URL"),
    "first_name": ("Given name",),
    "last_name": ("Familienaam", "Surname", "Family name"),
    "birth_date": ("Date of birth", "DOB"),
    "address.street": (
        "Adres",
        "Straat en nummer",
        "Straat + nr",
        "Adresse",
        "Rue et numéro",
        "Address",
        "Street and number",
    ),
    "address.postal_code": ("CP", "Zip", "Zip code", "Postnummer"),
    "address.city": ("Woonplaats", "Plaats", "Stad", "Localité", "Ville", "Town"),
    "address.country": ("Landcode", "Country code", "Code pays"),
    "client_since": ("Startdatum klant", "Customer since"),
    "client_until": ("Einddatum klant", "Customer until"),
    "eid.valid_until": ("Vervaldatum eID", "eID vervaldatum", "Date d'expiration eID"),
}

#: Headings that name several fields at once; never guessed.
AMBIGUOUS: Final[Mapping[str, tuple[str, ...]]] = {
    "Nummer": ("number", "enterprise_number"),
    "Numéro": ("number", "enterprise_number"),
    "Nr": ("number", "enterprise_number"),
    "Datum": ("client_since", "birth_date"),
}


@attrs.frozen
class ColumnMatch:
    """One column of the source and the field path it fills, with how it was recognised
    (``path``, ``label``, ``synonym``, ``profile`` or ``option``)."""

    source: str
    path: str
    how: How

    def to_dict(self) -> dict[str, str]:
        """``{"source", "path", "how"}``."""
        return {"source": self.source, "path": self.path, "how": self.how}


@attrs.frozen
class HeaderMapping:
    """The columns of a header: those mapped to fields, those left out (unknown,
    ambiguous or duplicate, each with an issue) and those dropped on purpose."""

    columns: tuple[ColumnMatch, ...]
    unmapped: tuple[str, ...] = ()
    dropped: tuple[str, ...] = ()
    issues: tuple[Issue, ...] = ()

    @property
    def paths(self) -> frozenset[str]:
        """The field paths the file fills."""
        return frozenset(c.path for c in self.columns)

    def path_of(self, source: str) -> str | None:
        """The path of a source column, or ``None``."""
        for column in self.columns:
            if column.source == source:
                return column.path
        return None


@attrs.frozen
class _Index:
    keys: Mapping[str, tuple[str, How]]
    ambiguous: Mapping[str, tuple[str, ...]]


def _build_index(schema: Schema) -> _Index:
    found: dict[str, dict[str, How]] = {}

    def add(key: str, path: str, how: How) -> None:
        if key:
            seen = found.setdefault(key, {})
            if path not in seen:
                seen[path] = how

    for field in schema:
        if field.item_of is not None:
            continue
        if field.type is FieldType.COLLECTION and field.path not in COLLECTIONS:
            continue
        add(header_key(field.path), field.path, "path")
        for label in field.labels:
            add(header_key(label), field.path, "label")
    for column in row_columns(schema):  # every column the row codec writes
        add(header_key(column), column, "path")
    for path, words in SYNONYMS.items():
        if path in schema:
            for word in words:
                add(header_key(word), path, "synonym")
    keys: dict[str, tuple[str, How]] = {}
    ambiguous: dict[str, tuple[str, ...]] = {}
    for key, seen in found.items():
        exact = [p for p, how in seen.items() if how == "path"]
        if exact:  # a path written out is never ambiguous
            keys[key] = (exact[0], "path")
        elif len(seen) == 1:
            ((path, how),) = seen.items()
            keys[key] = (path, how)
        else:
            ambiguous[key] = tuple(sorted(seen))
    for word, paths in AMBIGUOUS.items():
        key = header_key(word)
        if key not in keys:
            ambiguous[key] = paths
    return _Index(keys, ambiguous)


@cache
def _default_index() -> _Index:
    return _build_index(default_schema())


def _index(schema: Schema | None) -> _Index:
    return _default_index() if schema is None else _build_index(schema)


# Suggestions cost a fuzzy comparison with every known heading; a header with thousands
# of unknown columns gets them for its first few only, to stay linear.
_SUGGESTED: Final = 20


def map_header(
    header: Sequence[str],
    schema: Schema | None = None,
    *,
    columns: Mapping[str, str] | None = None,
    profile_columns: Mapping[str, str] | None = None,
    drop: Iterable[str] = (),
) -> HeaderMapping:
    """Map each heading of ``header`` to a field path.

    ``columns`` (``--map``) and ``profile_columns`` (a profile's) name the path of a
    source column outright; they win over recognition, ``columns`` first. ``drop``
    names source columns left out on purpose. Headings starting with ``external.`` keep
    their path (an integration's key).
    """
    index = _index(schema)
    forced: dict[str, tuple[str, How]] = {}
    for given, how in ((profile_columns, "profile"), (columns, "option")):
        for source, path in (given or {}).items():
            forced[header_key(source)] = (path, how)  # type: ignore[assignment]
    dropped_keys = {header_key(name) for name in drop}
    out: list[ColumnMatch] = []
    unmapped: list[str] = []
    dropped: list[str] = []
    issues: list[Issue] = []
    first_of: dict[str, str] = {}
    suggested = 0
    for raw in header:
        source = raw.strip() if isinstance(raw, str) else str(raw)
        key = header_key(source)
        if key in dropped_keys:
            dropped.append(source)
            continue
        match: tuple[str, How] | None = forced.get(key)
        if match is None and source.startswith("external.") and len(source) > 9:
            match = (source, "path")
        if match is None and schema is None and _is_custom_column(source):
            match = (source, "path")  # without a host catalogue, custom cells are text
        if match is None:
            match = index.keys.get(key)
        if match is None:
            unmapped.append(source)
            if key in index.ambiguous:
                paths = index.ambiguous[key]
                issues.append(
                    Issue("read.column.ambiguous", source, {"column": source, "paths": paths})
                )
                continue
            suggestion = ""
            if suggested < _SUGGESTED and key:
                suggested += 1
                close = difflib.get_close_matches(key, list(index.keys), n=1, cutoff=0.75)
                suggestion = index.keys[close[0]][0] if close else ""
            issues.append(
                Issue("read.column.unknown", source, {"column": source, "suggestion": suggestion})
            )
            continue
        path, how = match
        if path in first_of:
            unmapped.append(source)
            issues.append(
                Issue(
                    "read.column.duplicate",
                    source,
                    {"column": source, "path": path, "first": first_of[path]},
                )
            )
            continue
        first_of[path] = source
        out.append(ColumnMatch(source, path, how))
    return HeaderMapping(tuple(out), tuple(unmapped), tuple(dropped), tuple(issues))


def _is_custom_column(column: str) -> bool:
    parts = column.split(".")
    return len(parts) == 3 and parts[0] == "custom" and all(parts[1:])


def check_paths(paths: Iterable[str], schema: Schema | None, where: str) -> list[Issue]:
    """Issues for the target paths of a column map that name no field."""
    catalogue = schema or default_schema()
    issues = []
    for path in paths:
        if path in row_columns(schema) or path.startswith("external."):
            continue
        if schema is None and _is_custom_column(path):
            continue
        field = catalogue.get(path)
        if field is None or field.item_of is not None:
            issues.append(
                Issue(
                    "read.map.unknown_field",
                    where,
                    {"path": path, "suggestion": catalogue.suggest(path) or ""},
                )
            )
    return issues


__all__ = [
    "AMBIGUOUS",
    "SYNONYMS",
    "ColumnMatch",
    "HeaderMapping",
    "How",
    "check_paths",
    "map_header",
]
