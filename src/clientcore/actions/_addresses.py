"""Address proposals: postal addresses from VIES, KBO/BCE or an eID reader, never written directly.

An :class:`AddressSource` answers, per party, with an address, ``unavailable`` (the
source could not answer: no identifier, a timeout, no address on record) or ``invalid``
(the source says the data is wrong: a VAT number not registered, an expired card).
:func:`propose_addresses` turns the answers into a :class:`~clientcore.bulk.BulkPlan`
to preview and apply like any bulk edit, and reports "no change" apart from both.

>>> import datetime as dt
>>> from clientcore import Party
>>> kbc = Party(id="p1", kind="client_company", name="KBC", vat_number="BE0462920226")
>>> recorded = {"valid": True, "address": "Havenlaan 2\\n1080 Sint-Jans-Molenbeek"}
>>> source = ViesSource(check=lambda number, timeout: recorded)
>>> proposals = propose_addresses([kbc], source, today=dt.date(2026, 1, 5))
>>> proposals.proposed[0].after
Address(street='Havenlaan 2', postal_code='1080', city='Sint-Jans-Molenbeek', country='BE')
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Final, Literal, Protocol, runtime_checkable

import attrs

from clientcore._errors import Issue, ValidationError
from clientcore._messages import define
from clientcore.bulk import BulkPlan, Restore
from clientcore.model import Address, Party, enterprise_number, national_number, vat_number

define(
    {
        "address.unavailable.no_identifier": (
            "No valid {identifier} to look the address up with.",
            "Geen geldig {identifier} om het adres mee op te zoeken.",
            "Pas de {identifier} valide pour rechercher l'adresse.",
        ),
        "address.unavailable.service": (
            "{source} did not answer ({reason}).",
            "{source} antwoordde niet ({reason}).",
            "{source} n'a pas répondu ({reason}).",
        ),
        "address.unavailable.no_address": (
            "{source} has no address for this party.",
            "{source} heeft geen adres voor deze partij.",
            "{source} n'a pas d'adresse pour cette partie.",
        ),
        "address.unavailable.country": (
            "{source} addresses of country {country} cannot be read into fields yet.",
            "{source}-adressen van land {country} kunnen nog niet in velden gelezen worden.",
            "Les adresses {source} du pays {country} ne peuvent pas encore être lues en champs.",
        ),
        "address.invalid.not_registered": (
            "{source} says {number} is not a registered VAT number.",
            "{source} zegt dat {number} geen geregistreerd btw-nummer is.",
            "{source} indique que {number} n'est pas un numéro de TVA enregistré.",
        ),
        "address.invalid.unreadable": (
            "{source} returned an address that cannot be read: '{value}'.",
            "{source} gaf een adres dat niet gelezen kan worden: '{value}'.",
            "{source} a renvoyé une adresse illisible : '{value}'.",
        ),
        "address.invalid.card_expired": (
            "The eID card expired on {valid_until}; its address is not proposed.",
            "De eID-kaart verliep op {valid_until}; het adres wordt niet voorgesteld.",
            "La carte eID a expiré le {valid_until} ; son adresse n'est pas proposée.",
        ),
        "address.eid.file": (
            "The eID export cannot be read: {reason}.",
            "De eID-export kan niet gelezen worden: {reason}.",
            "L'export eID ne peut pas être lu : {reason}.",
        ),
        "address.target": (
            "Addresses are proposed for 'address' or 'correspondence_address', not '{value}'.",
            "Adressen worden voorgesteld voor 'address' of 'correspondence_address', niet "
            "'{value}'.",
            "Les adresses sont proposées pour 'address' ou 'correspondence_address', pas "
            "'{value}'.",
        ),
    }
)

Outcome = Literal["found", "unavailable", "invalid"]


@attrs.frozen
class AddressAnswer:
    """What a source says about one party: an address, ``unavailable`` or ``invalid``.

    ``unavailable`` means the source could not answer (nothing is known); ``invalid``
    means it answered that the data is wrong. ``issue`` says why, in en/nl/fr.
    """

    outcome: Outcome
    address: Address | None = None
    issue: Issue | None = None

    @classmethod
    def found(cls, address: Address) -> AddressAnswer:
        """The source's address for the party."""
        return cls("found", address)

    @classmethod
    def unavailable(cls, code: str, **params: Any) -> AddressAnswer:
        """The source could not answer; ``code`` is an ``address.unavailable.*`` code."""
        return cls("unavailable", None, Issue(code, "address", params))

    @classmethod
    def invalid(cls, code: str, **params: Any) -> AddressAnswer:
        """The source says the data is wrong; ``code`` is an ``address.invalid.*`` code."""
        return cls("invalid", None, Issue(code, "address", params))


@runtime_checkable
class AddressSource(Protocol):
    """Where proposed postal addresses come from (VIES, KBO/BCE, an eID reader's file).

    A host may write its own (for instance on the KBO/BCE open data files). ``lookup``
    must not raise for a party it cannot help with: it answers ``unavailable``. It
    never writes; ``today`` is the day the proposal is made (to judge a card's validity).
    """

    name: str

    def lookup(self, party: Party, today: dt.date) -> AddressAnswer:
        """The address ``party`` should have according to this source."""
        ...


# --- VIES ---

_POSTAL: Final = re.compile(r"(?:^|[\s,])([1-9]\d{3})\s+(?P<city>[^\d]+?)\s*$")


def parse_vies_address(text: str, country: str = "BE") -> Address | None:
    """A Belgian address as VIES returns it, read into fields; ``None`` if it cannot be.

    VIES gives one text: ``"Havenlaan 2\\n1080 Sint-Jans-Molenbeek"``, sometimes on one
    line or with a comma (``"Rue de la Loi 16, 1000 Bruxelles"``), for some numbers in
    capitals (``"RUE LONGUE 93\\n1320 BEAUVECHAIN"``), kept as given: an address that
    differs only in case is "no change" to :func:`propose_addresses`. The postal code
    is the last four-digit number followed only by the municipality.

    >>> parse_vies_address("Kerkstraat 12 bus 3 9000  Gent")
    Address(street='Kerkstraat 12 bus 3', postal_code='9000', city='Gent', country='BE')
    >>> parse_vies_address("---") is None
    True
    """
    if country != "BE" or not isinstance(text, str):
        return None
    flat = " ".join(unicodedata.normalize("NFC", text).replace("\n", " , ").split())
    match = _POSTAL.search(flat)
    if match is None:
        return None
    street = flat[: match.start()].strip(" ,")
    city = match.group("city").strip(" ,")
    if not street or not city or not any(c.isalpha() for c in street):
        return None
    street = re.sub(r"\s*,\s*", ", ", street)
    return Address(street=street, postal_code=match.group(1), city=city, country="BE")


ViesCheck = Callable[[str, float], Any]


def _stdnum_check(number: str, timeout: float) -> Any:  # pragma: no cover - network
    from stdnum.eu import vat as eu_vat

    return eu_vat.check_vies(number, timeout=timeout)


def _get(response: Any, key: str) -> Any:
    if isinstance(response, Mapping):
        return response.get(key)
    return getattr(response, key, None)


@attrs.frozen
class ViesSource:
    """The VIES service (European Commission) through python-stdnum's ``check_vies``.

    Needs the ``vies`` extra (zeep) for the real service. ``timeout`` (seconds) bounds
    every call; a timeout or a fault of the service is ``unavailable``, never an error.
    ``check`` replaces the call (``check(number, timeout) -> response``): tests pass
    recorded responses. The party's VAT number is used, else ``BE`` + its enterprise
    number.
    """

    timeout: float = 10.0
    check: ViesCheck = _stdnum_check
    name: str = "VIES"

    def lookup(self, party: Party, today: dt.date) -> AddressAnswer:
        """Ask VIES for the address registered with the party's VAT number."""
        number = _vat_of(party)
        if number is None:
            return AddressAnswer.unavailable(
                "address.unavailable.no_identifier", identifier="VAT or enterprise number"
            )
        try:
            response = self.check(number, self.timeout)
        except Exception as exc:  # any fault of the service or the network: no answer
            return AddressAnswer.unavailable(
                "address.unavailable.service", source=self.name, reason=_reason(exc)
            )
        if _get(response, "valid") is not True:
            return AddressAnswer.invalid(
                "address.invalid.not_registered", source=self.name, number=number
            )
        text = _get(response, "address")
        if not isinstance(text, str) or text.strip() in ("", "---"):
            return AddressAnswer.unavailable("address.unavailable.no_address", source=self.name)
        if number[:2] != "BE":
            return AddressAnswer.unavailable(
                "address.unavailable.country", source=self.name, country=number[:2]
            )
        address = parse_vies_address(text)
        if address is None:
            return AddressAnswer.invalid(
                "address.invalid.unreadable", source=self.name, value=text[:80]
            )
        return AddressAnswer.found(address)


def _reason(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text[:80]}" if text else type(exc).__name__


def _vat_of(party: Party) -> str | None:
    if party.vat_number is not None and vat_number.is_valid(party.vat_number):
        return str(vat_number.compact(party.vat_number))
    if party.enterprise_number is not None and enterprise_number.is_valid(party.enterprise_number):
        return "BE" + enterprise_number.compact(party.enterprise_number)
    return None


# --- eID reader export ---

#: The fields read from an eID reader export (CSV with a header row, or JSON: a list of
#: objects, or an object with a ``"cards"`` list), as the Belgian eID viewer names them.
EID_FIELDS: Final = (
    "national_number",
    "card_number",
    "validity_end_date",
    "address_street_and_number",
    "address_zip",
    "address_municipality",
)


def _card_date(value: object) -> dt.date | None:
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    for pattern in ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%Y%m%d"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


@attrs.frozen
class EidRecord:
    """One card of an eID reader export: whose (national number), until when, and where."""

    national_number: str
    card_number: str | None
    valid_until: dt.date | None
    address: Address


def _records(rows: Iterable[Mapping[str, Any]]) -> dict[str, EidRecord]:
    out: dict[str, EidRecord] = {}
    issues: list[Issue] = []
    for i, row in enumerate(rows):
        if not isinstance(row, Mapping):
            issues.append(Issue("address.eid.file", f"[{i}]", {"reason": "not an object"}))
            continue
        missing = [f for f in EID_FIELDS if f != "card_number" and not _str(row.get(f))]
        nn = _str(row.get("national_number"))
        if missing or not national_number.is_valid(nn):
            reason = "missing " + ", ".join(missing) if missing else f"invalid national number {nn}"
            issues.append(Issue("address.eid.file", f"[{i}]", {"reason": reason}))
            continue
        valid_until = _card_date(row.get("validity_end_date"))
        if valid_until is None:
            issues.append(
                Issue(
                    "address.eid.file",
                    f"[{i}].validity_end_date",
                    {"reason": f"not a date: {row.get('validity_end_date')!r}"[:80]},
                )
            )
            continue
        out[national_number.compact(nn)] = EidRecord(
            national_number.compact(nn),
            _str(row.get("card_number")) or None,
            valid_until,
            Address(
                street=_str(row.get("address_street_and_number")),
                postal_code=_str(row.get("address_zip")),
                city=_str(row.get("address_municipality")),
                country="BE",
            ),
        )
    if issues:
        raise ValidationError(issues)
    return out


def _str(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


@attrs.frozen
class EidFileSource:
    """Addresses read from an eID card reader's export, matched on the national number.

    Build it with :meth:`from_file` (CSV or JSON, fields :data:`EID_FIELDS`) or
    :meth:`from_records`. The whole file is checked when it is read: a bad row is an
    error naming the row, not a silently missing card. A card expired on ``today`` is
    answered ``invalid``.
    """

    records: Mapping[str, EidRecord] = attrs.field(hash=False)
    name: str = "eID"

    @classmethod
    def from_records(cls, rows: Iterable[Mapping[str, Any]]) -> EidFileSource:
        """From rows already parsed (dicts with the :data:`EID_FIELDS`)."""
        return cls(_records(rows))

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> EidFileSource:
        """From a ``.json`` or ``.csv`` file (``,`` or ``;``, UTF-8 with or without BOM)."""
        try:
            with open(path, encoding="utf-8-sig", newline="") as handle:
                text = handle.read()
        except (OSError, UnicodeDecodeError) as exc:
            raise ValidationError(
                [Issue("address.eid.file", "", {"reason": str(exc)[:120]})]
            ) from None
        if str(path).lower().endswith(".json"):
            try:
                data = json.loads(text)
            except json.JSONDecodeError as exc:
                raise ValidationError(
                    [Issue("address.eid.file", "", {"reason": str(exc)[:120]})]
                ) from None
            if isinstance(data, Mapping):
                data = data.get("cards")
            if not isinstance(data, list):
                raise ValidationError(
                    [Issue("address.eid.file", "", {"reason": "expected a list of cards"})]
                )
            return cls.from_records(data)
        first = text.split("\n", 1)[0]
        delimiter = ";" if first.count(";") > first.count(",") else ","
        return cls.from_records(csv.DictReader(text.splitlines(), delimiter=delimiter))

    def lookup(self, party: Party, today: dt.date) -> AddressAnswer:
        """The address on the party's card, if the export has a valid one."""
        nn = party.national_number
        if nn is None or not national_number.is_valid(nn):
            return AddressAnswer.unavailable(
                "address.unavailable.no_identifier", identifier="national number"
            )
        record = self.records.get(national_number.compact(nn))
        if record is None:
            return AddressAnswer.unavailable("address.unavailable.no_address", source=self.name)
        if record.valid_until is not None and record.valid_until < today:
            return AddressAnswer.invalid(
                "address.invalid.card_expired", valid_until=record.valid_until.isoformat()
            )
        return AddressAnswer.found(record.address)


# --- proposals ---


@attrs.frozen
class AddressProposal:
    """One party's address now and as the source proposes it."""

    party_id: str
    before: Address | None
    after: Address


@attrs.frozen
class AddressFinding:
    """A party for which nothing is proposed, and why (``unavailable`` or ``invalid``)."""

    party_id: str
    issue: Issue


@attrs.frozen
class AddressProposals:
    """What a source proposes for a selection, kept apart by outcome.

    ``plan`` changes exactly the ``proposed`` addresses (``None`` when there are none):
    preview it, show it, apply it. Each change is tied to the party's version, so a
    party changed since the proposal is refused at apply, never overwritten.
    """

    source: str
    plan: BulkPlan | None
    proposed: tuple[AddressProposal, ...]
    unchanged: tuple[str, ...]
    unavailable: tuple[AddressFinding, ...]
    invalid: tuple[AddressFinding, ...]


def _key(address: Address | None) -> tuple[str, ...]:
    if address is None:
        return ("", "", "", "")
    return tuple(
        " ".join(unicodedata.normalize("NFC", part or "").casefold().split())
        for part in (address.street, address.postal_code, address.city, address.country)
    )


_TARGETS: Final = ("address", "correspondence_address")


def propose_addresses(
    parties: Iterable[Party],
    source: AddressSource,
    *,
    today: dt.date,
    target: str = "address",
) -> AddressProposals:
    """Ask ``source`` about every party and plan the changes it proposes; write nothing.

    An address that differs from the party's ``target`` address only in case or spacing
    is "no change". The plan sets ``<target>.street``, ``.postal_code``, ``.city`` and
    ``.country``, per party, at the version read here.
    """
    if target not in _TARGETS:
        raise ValidationError([Issue("address.target", "target", {"value": target})])
    proposed: list[AddressProposal] = []
    unchanged: list[str] = []
    unavailable: list[AddressFinding] = []
    invalid: list[AddressFinding] = []
    ops: list[Restore] = []
    for party in parties:
        answer = source.lookup(party, today)
        if answer.outcome != "found" or answer.address is None:
            finding = AddressFinding(
                party.id, answer.issue or Issue("address.unavailable.no_address", "address")
            )
            (invalid if answer.outcome == "invalid" else unavailable).append(finding)
            continue
        before: Address | None = getattr(party, target)
        if _key(before) == _key(answer.address):
            unchanged.append(party.id)
            continue
        after = answer.address
        proposed.append(AddressProposal(party.id, before, after))
        ops.append(
            Restore(
                party.id,
                party.version,
                (
                    (f"{target}.street", after.street),
                    (f"{target}.postal_code", after.postal_code),
                    (f"{target}.city", after.city),
                    (f"{target}.country", after.country),
                ),
            )
        )
    plan = BulkPlan([p.party_id for p in proposed], ops) if ops else None
    return AddressProposals(
        source.name, plan, tuple(proposed), tuple(unchanged), tuple(unavailable), tuple(invalid)
    )
