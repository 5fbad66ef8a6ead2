"""QR cover pages: a printed page in front of a scanned document that files it to a client.

The payload is short, versioned ASCII without personal data:
``CC1|<tenant>|<client number>|<document kind>|<check>``. The check is a two-digit
ISO 7064 MOD 97-10 check (it catches a misread page) or, when the host passes a key,
a truncated HMAC-SHA256 of 80 bits in base32 (it refuses a forged page too).

>>> page = cover_page(Party(kind="client_company", name="Bakkerij Peeters BV", number="C42"),
...                   "invoices", tenant="acme")
>>> page.payload
'CC1|acme|C42|invoices|77'
>>> parse_payload(page.payload)
CoverPayload(tenant='acme', client_number='C42', document_kind='invoices')
>>> signed = cover_page(Party(kind="client_company", name="X", number="C42"), "invoices",
...                     tenant="acme", key=b"0123456789abcdef")
>>> parse_payload(signed.payload, key=b"0123456789abcdef").client_number
'C42'
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import html
import io
import re
from collections.abc import Iterable, Sequence
from typing import Any, Final

import attrs

from clientcore._errors import ClientCoreError, Issue, ValidationError
from clientcore._messages import define
from clientcore.model import Party

define(
    {
        "cover.field.invalid": (
            "{field} '{value}' cannot go on a cover page: use 1 to {max} letters, digits, "
            "'.', '_', '/' or '-'.",
            "{field} '{value}' kan niet op een voorblad: gebruik 1 tot {max} letters, cijfers, "
            "'.', '_', '/' of '-'.",
            "{field} '{value}' ne peut pas figurer sur une page de garde : utilisez 1 à {max} "
            "lettres, chiffres, '.', '_', '/' ou '-'.",
        ),
        "cover.no_number": (
            "Party {party_id} ({name}) has no client number: a cover page names the client "
            "by number.",
            "Partij {party_id} ({name}) heeft geen klantnummer: een voorblad noemt de klant "
            "bij nummer.",
            "La partie {party_id} ({name}) n'a pas de numéro de client : une page de garde "
            "désigne le client par son numéro.",
        ),
        "cover.key.invalid": (
            "The signing key must be bytes of at least {min} bytes.",
            "De ondertekeningssleutel moet uit minstens {min} bytes bestaan.",
            "La clé de signature doit compter au moins {min} octets.",
        ),
        "cover.payload.not_text": (
            "A cover payload is text, not {value}.",
            "Een voorblad-payload is tekst, geen {value}.",
            "Un contenu de page de garde est du texte, pas {value}.",
        ),
        "cover.payload.not_ours": (
            "'{value}' is not a clientcore cover page.",
            "'{value}' is geen clientcore-voorblad.",
            "'{value}' n'est pas une page de garde clientcore.",
        ),
        "cover.payload.version": (
            "Cover page version {version} is not supported (this library reads version 1).",
            "Voorbladversie {version} wordt niet ondersteund (deze bibliotheek leest versie 1).",
            "La version {version} de page de garde n'est pas prise en charge (cette "
            "bibliothèque lit la version 1).",
        ),
        "cover.payload.format": (
            "The cover page is damaged: {reason}.",
            "Het voorblad is beschadigd: {reason}.",
            "La page de garde est endommagée : {reason}.",
        ),
        "cover.payload.check": (
            "The cover page's check digits do not match: the page is damaged or misread.",
            "Het controlegetal van het voorblad klopt niet: het blad is beschadigd of "
            "verkeerd gelezen.",
            "Le chiffre de contrôle de la page de garde ne correspond pas : la page est "
            "endommagée ou mal lue.",
        ),
        "cover.payload.forged": (
            "The cover page's signature does not match: the page is forged or damaged.",
            "De handtekening van het voorblad klopt niet: het blad is vervalst of beschadigd.",
            "La signature de la page de garde ne correspond pas : la page est falsifiée ou "
            "endommagée.",
        ),
        "cover.payload.unsigned": (
            "The cover page is not signed, but a signed page is required.",
            "Het voorblad is niet ondertekend, maar een ondertekend blad is vereist.",
            "La page de garde n'est pas signée, alors qu'une page signée est exigée.",
        ),
        "cover.payload.needs_key": (
            "The cover page is signed: pass the key to read it.",
            "Het voorblad is ondertekend: geef de sleutel mee om het te lezen.",
            "La page de garde est signée : passez la clé pour la lire.",
        ),
        "cover.payload.other_tenant": (
            "The cover page belongs to tenant '{found}', not to '{expected}'.",
            "Het voorblad hoort bij tenant '{found}', niet bij '{expected}'.",
            "La page de garde appartient au tenant '{found}', pas à '{expected}'.",
        ),
        "cover.page.invalid": (
            "Page {index} is neither a cover payload, a decoded text nor None: {value}.",
            "Pagina {index} is geen voorblad-payload, gedecodeerde tekst of None: {value}.",
            "La page {index} n'est ni un contenu de page de garde, ni un texte décodé, ni "
            "None : {value}.",
        ),
        "actions.extra_missing": (
            "This needs the '{extra}' extra: pip install 'clientcore[{extra}]' ({package}).",
            "Dit vraagt de extra '{extra}': pip install 'clientcore[{extra}]' ({package}).",
            "Ceci nécessite l'extra '{extra}' : pip install 'clientcore[{extra}]' ({package}).",
        ),
    }
)

#: The payload version this library writes and reads.
PAYLOAD_VERSION: Final = 1
#: The prefix of every clientcore payload, version included.
PAYLOAD_PREFIX: Final = f"CC{PAYLOAD_VERSION}"
#: The smallest signing key accepted (bytes).
MIN_KEY_BYTES: Final = 16
_SIGNATURE_BYTES: Final = 10  # 80 bits: 16 base32 characters
_MAX_PAYLOAD: Final = 200
_FIELD_LIMITS: Final = {"tenant": 16, "client_number": 24, "document_kind": 24}
_FIELD_NAMES: Final = {
    "tenant": ("Tenant", "Tenant", "Tenant"),
    "client_number": ("Client number", "Klantnummer", "Numéro de client"),
    "document_kind": ("Document kind", "Documentsoort", "Type de document"),
}
_SAFE: Final = re.compile(r"[A-Za-z0-9._/\-]+\Z")
_OURS: Final = re.compile(r"CC(\d+)\|")
_MOD97: Final = re.compile(r"\d{2}\Z")
_SIGNED: Final = re.compile(r"[A-Z2-7]{16}\Z")


def _field_issue(field: str, value: object, path: str = "") -> Issue:
    return Issue(
        "cover.field.invalid",
        path or field,
        {"field": _FIELD_NAMES[field][0], "value": value, "max": _FIELD_LIMITS[field]},
    )


def _check_field(field: str, value: object, issues: list[Issue], path: str = "") -> str:
    if not isinstance(value, str) or not _SAFE.match(value) or len(value) > _FIELD_LIMITS[field]:
        issues.append(_field_issue(field, value, path))
        return ""
    return value


def _check_key(key: bytes | None) -> None:
    if key is not None and (not isinstance(key, bytes) or len(key) < MIN_KEY_BYTES):
        raise ValidationError([Issue("cover.key.invalid", "key", {"min": MIN_KEY_BYTES})])


def mod97_check(body: str) -> str:
    """The two check digits of ``body``: ISO 7064 MOD 97-10 over its ASCII codes.

    Every character becomes its three-digit code; the digits are chosen so that the
    whole number followed by them leaves 1 when divided by 97 (as an IBAN does).

    >>> mod97_check("CC1|acme|C42|invoices")
    '77'
    """
    digits = "".join(f"{b:03d}" for b in body.encode("ascii"))
    return f"{98 - int(digits) * 100 % 97:02d}"


def _signature(body: str, key: bytes) -> str:
    mac = hmac.new(key, body.encode("ascii"), hashlib.sha256).digest()[:_SIGNATURE_BYTES]
    return base64.b32encode(mac).decode("ascii")


@attrs.frozen
class CoverPayload:
    """What a cover page says: whose document it is and of which kind."""

    tenant: str
    client_number: str
    document_kind: str

    def body(self) -> str:
        """The payload without its check."""
        return f"{PAYLOAD_PREFIX}|{self.tenant}|{self.client_number}|{self.document_kind}"

    def encode(self, key: bytes | None = None) -> str:
        """The payload text: signed with ``key`` when given, else with a MOD 97 check."""
        issues: list[Issue] = []
        for field in _FIELD_LIMITS:
            _check_field(field, getattr(self, field), issues)
        if issues:
            raise ValidationError(issues)
        _check_key(key)
        body = self.body()
        check = _signature(body, key) if key is not None else mod97_check(body)
        return f"{body}|{check}"


def _payload_error(code: str, **params: Any) -> ValidationError:
    return ValidationError([Issue(code, "payload", params)])


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def is_cover_payload(text: object) -> bool:
    """Whether ``text`` claims to be a clientcore payload (any version): ``CC<n>|...``.

    A page holding some other QR code (an invoice's payment code) does not.
    """
    return isinstance(text, str) and _OURS.match(text.strip()) is not None


def parse_payload(
    text: object, *, key: bytes | None = None, tenant: str | None = None
) -> CoverPayload:
    """Read and verify a scanned payload, or raise :class:`ValidationError` saying why.

    With ``key`` only a page signed with that key is accepted (an unsigned page is
    refused: anyone can print one); without it only a MOD 97 page is read. With
    ``tenant`` a page of another tenant is refused.
    """
    _check_key(key)
    if not isinstance(text, str):
        raise _payload_error("cover.payload.not_text", value=type(text).__name__)
    text = text.strip()
    if len(text) > _MAX_PAYLOAD:
        raise _payload_error("cover.payload.format", reason=f"longer than {_MAX_PAYLOAD}")
    ours = _OURS.match(text)
    if ours is None:
        raise _payload_error("cover.payload.not_ours", value=_shown(text)[1:-1])
    if ours.group(1) != str(PAYLOAD_VERSION):
        raise _payload_error("cover.payload.version", version=ours.group(1)[:6])
    if not text.isascii():
        raise _payload_error("cover.payload.format", reason="characters other than ASCII")
    parts = text.split("|")
    if len(parts) != 5:
        raise _payload_error("cover.payload.format", reason=f"{len(parts)} parts instead of 5")
    _, tenant_, number, kind, check = parts
    issues: list[Issue] = []
    _check_field("tenant", tenant_, issues, "payload.tenant")
    _check_field("client_number", number, issues, "payload.client_number")
    _check_field("document_kind", kind, issues, "payload.document_kind")
    if issues:
        raise ValidationError(issues)
    body = text[: -len(check) - 1]
    if key is None:
        if _SIGNED.match(check):
            raise _payload_error("cover.payload.needs_key")
        if not _MOD97.match(check) or not hmac.compare_digest(check, mod97_check(body)):
            raise _payload_error("cover.payload.check")
    else:
        if _MOD97.match(check):
            raise _payload_error("cover.payload.unsigned")
        if not hmac.compare_digest(check, _signature(body, key)):
            raise _payload_error("cover.payload.forged")
    if tenant is not None and tenant_ != tenant:
        raise _payload_error("cover.payload.other_tenant", found=tenant_, expected=tenant)
    return CoverPayload(tenant_, number, kind)


# --- the printed page ---

_LABELS: Final = {
    "en": ("Client number", "Document", "Put this page in front of the document and scan both."),
    "nl": ("Klantnummer", "Document", "Leg dit blad vóór het document en scan beide."),
    "fr": ("Numéro de client", "Document", "Placez cette page devant le document et scannez."),
}


def _labels(lang: str) -> tuple[str, str, str]:
    return _LABELS.get(lang, _LABELS["en"])


@attrs.frozen
class CoverPage:
    """One cover page: the payload in a QR code, the client's name and number under it."""

    payload: str
    client_number: str
    name: str
    document_kind: str

    def matrix(self) -> tuple[tuple[bool, ...], ...]:
        """The QR code's modules (``True`` is dark), quiet zone of four modules included."""
        # Imported here: with Pillow installed, importing qrcode imports Pillow too.
        import qrcode
        import qrcode.constants

        qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
        qr.add_data(self.payload)
        qr.make(fit=True)
        return tuple(tuple(bool(m) for m in row) for row in qr.get_matrix())

    def text_lines(self, lang: str = "en") -> tuple[str, str, str]:
        """The plain text printed under the code, in ``lang``."""
        number, document, hint = _labels(lang)
        return (
            self.name,
            f"{number}: {self.client_number} · {document}: {self.document_kind}",
            hint,
        )

    def svg(self, lang: str = "en", module: int = 8) -> str:
        """The page as SVG text: the code, then name, number and document kind."""
        modules = self.matrix()
        size = len(modules) * module
        height = size + 90
        dark = "".join(
            f"M{x * module},{y * module}h{module}v{module}h-{module}z"
            for y, row in enumerate(modules)
            for x, on in enumerate(row)
            if on
        )
        name, detail, hint = (html.escape(t) for t in self.text_lines(lang))
        width = max(size, 420)
        left = (width - size) // 2
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}">'
            f'<rect width="{width}" height="{height}" fill="#fff"/>'
            f'<path transform="translate({left},0)" fill="#000" d="{dark}"/>'
            f'<g font-family="Helvetica, Arial, sans-serif" text-anchor="middle" fill="#000">'
            f'<text x="{width // 2}" y="{size + 24}" font-size="20">{name}</text>'
            f'<text x="{width // 2}" y="{size + 50}" font-size="14">{detail}</text>'
            f'<text x="{width // 2}" y="{size + 76}" font-size="11">{hint}</text>'
            "</g></svg>"
        )

    def png(self, lang: str = "en", module: int = 8) -> bytes:
        """The page as PNG bytes (needs the ``png`` extra: Pillow)."""
        image = self._image(lang, module)
        out = io.BytesIO()
        image.save(out, format="PNG")
        return out.getvalue()

    def _image(self, lang: str, module: int) -> Any:
        image_mod, draw_mod, _ = _pillow()
        modules = self.matrix()
        count = len(modules)
        size = count * module
        width = max(size, 420)
        # One pixel a module, scaled up without smoothing: the edges stay sharp.
        code = image_mod.frombytes(
            "L", (count, count), bytes(0 if on else 255 for row in modules for on in row)
        ).resize((size, size), image_mod.Resampling.NEAREST)
        image = image_mod.new("L", (width, size + 90), 255)
        image.paste(code, ((width - size) // 2, 0))
        draw = draw_mod.Draw(image)
        for (text, font_size), top in zip(
            zip(self.text_lines(lang), (20, 14, 11)), (size + 6, size + 36, size + 64)
        ):
            draw.text((width // 2, top), text, fill=0, font=_font(font_size), anchor="ma")
        return image


@functools.cache
def _font(size: int) -> Any:
    return _pillow()[2].load_default(size=size)


def _pillow() -> tuple[Any, Any, Any]:
    try:
        from PIL import Image, ImageDraw, ImageFont
    except ImportError as exc:  # pragma: no cover - the dev extra installs Pillow
        raise _missing_extra("png", "Pillow") from exc
    return Image, ImageDraw, ImageFont


def _missing_extra(extra: str, package: str) -> ClientCoreError:
    issue = Issue("actions.extra_missing", "", {"extra": extra, "package": package})
    err = ClientCoreError(issue.message())
    err.issues = (issue,)
    return err


def cover_page(
    party: Party, document_kind: str, *, tenant: str, key: bytes | None = None
) -> CoverPage:
    """The cover page that files a scanned ``document_kind`` to ``party``.

    The party needs a client number; the payload holds no name or national number.
    """
    return cover_pages([party], document_kind, tenant=tenant, key=key)[0]


def cover_pages(
    parties: Iterable[Party], document_kind: str, *, tenant: str, key: bytes | None = None
) -> tuple[CoverPage, ...]:
    """One cover page per party, in order; every fault is reported before any page is made."""
    _check_key(key)
    issues: list[Issue] = []
    _check_field("tenant", tenant, issues)
    _check_field("document_kind", document_kind, issues)
    pages: list[CoverPage] = []
    for i, party in enumerate(parties):
        path = f"parties[{i}].number"
        if party.number is None:
            issues.append(
                Issue("cover.no_number", path, {"party_id": party.id, "name": party.name})
            )
            continue
        number = _check_field("client_number", party.number, issues, path)
        if issues:
            continue
        payload = CoverPayload(tenant, number, document_kind).encode(key)
        pages.append(CoverPage(payload, number, party.name, document_kind))
    if issues:
        raise ValidationError(issues)
    return tuple(pages)


def cover_pages_pdf(pages: Sequence[CoverPage], lang: str = "en") -> bytes:
    """One A4 page per cover page, ready to print (needs the ``pdf`` extra: fpdf2).

    The code is drawn as vector squares, so it prints sharp at any printer resolution.
    """
    try:
        from fpdf import FPDF
    except ImportError as exc:  # pragma: no cover - the dev extra installs fpdf2
        raise _missing_extra("pdf", "fpdf2") from exc
    pdf = FPDF(format="A4", unit="mm")
    pdf.set_auto_page_break(False)
    pdf.set_creator("clientcore")
    for page in pages:
        pdf.add_page()
        modules = page.matrix()
        cell = 90 / len(modules)  # a 9 cm wide code, quiet zone included
        left, top = (210 - 90) / 2, 40
        for y, row in enumerate(modules):
            for x, on in enumerate(row):
                if on:
                    pdf.rect(left + x * cell, top + y * cell, cell, cell, style="F")
        name, detail, hint = (_latin1(t) for t in page.text_lines(lang))
        pdf.set_font("helvetica", size=20)
        pdf.set_xy(15, top + 100)
        pdf.cell(180, 10, name, align="C")
        pdf.set_font("helvetica", size=13)
        pdf.set_xy(15, top + 112)
        pdf.cell(180, 8, detail, align="C")
        pdf.set_font("helvetica", size=10)
        pdf.set_xy(15, top + 124)
        pdf.cell(180, 6, hint, align="C")
    return bytes(pdf.output())


def _latin1(text: str) -> str:
    # The PDF's built-in Helvetica covers Latin-1: Belgian and Dutch names fit; a
    # character outside it is shown as '?' rather than failing the whole print run.
    return text.encode("latin-1", "replace").decode("latin-1")


# --- routing scanned pages ---


@attrs.frozen
class RoutedDocument:
    """One scanned document: whose, which kind, and its 0-based page indices."""

    client_number: str
    document_kind: str
    pages: tuple[int, ...]
    cover: int
    tenant: str = ""


@attrs.frozen
class RefusedCover:
    """A page that claims to be a cover page but failed verification, and why."""

    index: int
    issues: tuple[Issue, ...]


@attrs.frozen
class Routing:
    """How a scanned batch splits: documents to file, and what cannot be filed.

    ``unrouted`` lists the pages filed to no client: those before the first cover page
    and those after a refused cover page (until the next good one). ``empty`` lists
    cover pages followed directly by another cover page or by the end of the batch.
    """

    documents: tuple[RoutedDocument, ...]
    unrouted: tuple[int, ...]
    refused: tuple[RefusedCover, ...]
    empty: tuple[int, ...]

    @property
    def ok(self) -> bool:
        """Every page went to a document and no cover page was refused or empty."""
        return not (self.unrouted or self.refused or self.empty)


def split_and_route(
    pages: Iterable[CoverPayload | str | None],
    *,
    key: bytes | None = None,
    tenant: str | None = None,
    keep_covers: bool = False,
) -> Routing:
    """Split a scanned batch into documents at its cover pages.

    ``pages`` holds, per scanned page, what the host decoded from it: a
    :class:`CoverPayload`, the raw text of a QR code, or ``None`` (no code). Text that
    is not a clientcore payload (another QR code, such as a payment code on an invoice)
    is an ordinary page. Text that claims to be one is verified with ``key`` and
    ``tenant`` (as :func:`parse_payload`); a refused cover page starts a run of unrouted
    pages, so a damaged or forged page never files a document to the wrong client.
    With ``keep_covers`` a document's pages start with its cover page.
    """
    documents: list[RoutedDocument] = []
    unrouted: list[int] = []
    refused: list[RefusedCover] = []
    empty: list[int] = []
    current: CoverPayload | None = None
    cover = -1
    body: list[int] = []

    def close() -> None:
        if current is None:
            return
        if not body:
            empty.append(cover)
            return
        shown = (cover, *body) if keep_covers else tuple(body)
        documents.append(
            RoutedDocument(
                current.client_number, current.document_kind, shown, cover, current.tenant
            )
        )

    for index, page in enumerate(pages):
        payload: CoverPayload | None = None
        if isinstance(page, CoverPayload):
            if tenant is not None and page.tenant != tenant:
                close()
                current, body = None, []
                issue = Issue(
                    "cover.payload.other_tenant",
                    f"pages[{index}]",
                    {"found": page.tenant, "expected": tenant},
                )
                refused.append(RefusedCover(index, (issue,)))
                continue
            payload = page
        elif isinstance(page, str):
            if is_cover_payload(page):
                try:
                    payload = parse_payload(page, key=key, tenant=tenant)
                except ValidationError as err:
                    close()
                    current, body = None, []
                    refused.append(RefusedCover(index, err.issues))
                    continue
        elif page is not None:
            raise ValidationError(
                [
                    Issue(
                        "cover.page.invalid",
                        f"pages[{index}]",
                        {"index": index, "value": _shown(page)},
                    )
                ]
            )
        if payload is not None:
            close()
            current, cover, body = payload, index, []
        elif current is None:
            unrouted.append(index)
        else:
            body.append(index)
    close()
    return Routing(tuple(documents), tuple(unrouted), tuple(refused), tuple(empty))
