"""Completeness rules and rule sets, and their strict JSON form.

A :class:`Rule` says: every party that matches ``scope`` must match ``require``. A
:class:`RuleSet` is a named, ordered list of rules with unique ids; it is stored as
``{"clientcore_rules": 1, "name": ..., "rules": [...]}`` with the filter JSON of each
scope and requirement inside, so a firm can keep its own rule files.

>>> from clientcore.query import F
>>> rule = Rule(
...     "vat",
...     ("VAT-liable client without an active VAT task",
...      "Btw-plichtige klant zonder actieve btw-taak",
...      "Client assujetti à la TVA sans tâche TVA active"),
...     scope=F("status").eq("client") & F("vat_liable").eq(True),
...     require=F("tasks").any(F("code").eq("vat") & F("active").eq(True)),
...     severity="error",
... )
>>> rule.title_in("nl")
'Btw-plichtige klant zonder actieve btw-taak'
>>> rules = RuleSet("mine", [rule])
>>> RuleSet.from_json(rules.to_json()) == rules
True
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Final

import attrs

from clientcore._errors import FilterError, Issue, ValidationError
from clientcore._limits import check_input
from clientcore._messages import LANGS, define, render
from clientcore.completeness._references import LOCATION_UNKNOWN, unknown_locations
from clientcore.query import Filter

if TYPE_CHECKING:
    from clientcore.model import Schema

#: The version written in, and required of, the JSON of a rule set.
RULES_VERSION: Final = 1

define(
    {
        "rule.id.invalid": (
            "A rule id is 1 to 64 letters, digits, '_', '-' or '.', starting with a letter or "
            "digit; {value} is not.",
            "Een regel-id bestaat uit 1 tot 64 letters, cijfers, '_', '-' of '.', en begint met "
            "een letter of cijfer; {value} niet.",
            "Un id de règle compte 1 à 64 lettres, chiffres, '_', '-' ou '.', et commence par "
            "une lettre ou un chiffre ; {value} non.",
        ),
        "rule.title.invalid": (
            "A rule title needs a non-empty text in en, nl and fr (a mapping or three texts), "
            "not {value}.",
            "Een regeltitel vraagt een niet-lege tekst in en, nl en fr (een mapping of drie "
            "teksten), niet {value}.",
            "Un titre de règle demande un texte non vide en en, nl et fr (un dictionnaire ou "
            "trois textes), pas {value}.",
        ),
        "rule.severity.invalid": (
            "Severity {value} is not one of error, warning, info.",
            "Ernst {value} is niet een van error, warning, info.",
            "La gravité {value} n'est pas l'une de error, warning, info.",
        ),
        "rule.filter.invalid": (
            "The {part} of a rule must be a filter, not {value}.",
            "De {part} van een regel moet een filter zijn, niet {value}.",
            "Le {part} d'une règle doit être un filtre, pas {value}.",
        ),
        "rule.no_issue.unknown": (
            "No check finds an issue {value} in a record; known: {known}.",
            "Geen controle vindt een probleem {value} in een record; gekend: {known}.",
            "Aucun contrôle ne trouve de problème {value} dans un enregistrement ; connus : "
            "{known}.",
        ),
        LOCATION_UNKNOWN + ".none": (
            "every contact and general correspondence is attached to an existing location",
            "elke contactpersoon en algemene correspondentie hangt aan een bestaande locatie",
            "chaque personne de contact et correspondance générale est rattachée à un "
            "établissement existant",
        ),
        "rule.params.invalid": (
            "Rule parameters are a mapping of names to texts, numbers, booleans or null; "
            "{value} is not.",
            "Regelparameters zijn een mapping van namen naar teksten, getallen, booleans of "
            "null; {value} niet.",
            "Les paramètres d'une règle associent des noms à des textes, nombres, booléens ou "
            "null ; {value} non.",
        ),
        "rule.lang.invalid": (
            "Language {value} is not one of en, nl, fr.",
            "Taal {value} is niet een van en, nl, fr.",
            "La langue {value} n'est pas l'une de en, nl, fr.",
        ),
        "rules.name.invalid": (
            "A rule set needs a name: a non-empty text of at most 200 characters, not {value}.",
            "Een regelset heeft een naam nodig: een niet-lege tekst van hoogstens 200 tekens, "
            "niet {value}.",
            "Un jeu de règles a besoin d'un nom : un texte non vide d'au plus 200 caractères, "
            "pas {value}.",
        ),
        "rules.duplicate_id": (
            "Rule id '{id}' is used twice.",
            "Regel-id '{id}' komt twee keer voor.",
            "L'id de règle '{id}' est utilisé deux fois.",
        ),
        "rules.unknown_id": (
            "No rule with id '{id}' in this rule set.",
            "Geen regel met id '{id}' in deze regelset.",
            "Aucune règle avec l'id '{id}' dans ce jeu de règles.",
        ),
        "rules.json.type": (
            "Expected {expected}, found {found}.",
            "Verwacht: {expected}, gevonden: {found}.",
            "Attendu : {expected}, trouvé : {found}.",
        ),
        "rules.json.missing_key": (
            "The key '{key}' is missing.",
            "De sleutel '{key}' ontbreekt.",
            "La clé '{key}' manque.",
        ),
        "rules.json.unknown_key": (
            "Unknown key '{key}'.",
            "Onbekende sleutel '{key}'.",
            "Clé inconnue '{key}'.",
        ),
        "rules.json.version": (
            "Unsupported rule file version {value}: this clientcore reads version {supported}.",
            "Niet ondersteunde versie {value} van het regelbestand: deze clientcore leest "
            "versie {supported}.",
            "Version {value} du fichier de règles non prise en charge : ce clientcore lit la "
            "version {supported}.",
        ),
        "rules.json.syntax": (
            "The rule file is not valid JSON: {reason} (line {line}, column {column}).",
            "Het regelbestand is geen geldige JSON: {reason} (regel {line}, kolom {column}).",
            "Le fichier de règles n'est pas du JSON valide : {reason} (ligne {line}, "
            "colonne {column}).",
        ),
    }
)


class Severity(StrEnum):
    """How bad a failing rule is. An ``error`` fails the check (``clientcore check`` exits
    1); a ``warning`` and an ``info`` are reported only."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


_ID: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}")
_MAX_NAME: Final = 200
_MAX_PARAMS: Final = 50

Title = tuple[str, str, str]
ParamValue = str | int | float | bool | None


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a text"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, Mapping):
        return "an object"
    return type(value).__name__


# --- converters: normalise what they can; __attrs_post_init__ reports every fault ---


def _to_title(value: object) -> Title:
    if isinstance(value, Mapping) and set(value) == set(LANGS):
        value = tuple(value[lang] for lang in LANGS)
    if (
        isinstance(value, (tuple, list))
        and len(value) == 3
        and all(isinstance(t, str) and t.strip() for t in value)
    ):
        return (value[0].strip(), value[1].strip(), value[2].strip())
    return value  # type: ignore[return-value]  # reported by the post-init check


def _to_severity(value: object) -> Severity:
    if isinstance(value, str):
        try:
            return Severity(value.strip().lower())
        except ValueError:
            pass
    return value  # type: ignore[return-value]  # reported by the post-init check


def _to_params(value: object) -> dict[str, ParamValue]:
    if value is None:
        return {}
    if isinstance(value, Mapping):
        return dict(value)
    return value  # type: ignore[return-value]  # reported by the post-init check


def _params_fine(params: object) -> bool:
    if not isinstance(params, dict) or len(params) > _MAX_PARAMS:
        return False
    for key, value in params.items():
        if not isinstance(key, str) or not key:
            return False
        if isinstance(value, float) and not math.isfinite(value):
            return False
        if value is not None and not isinstance(value, (str, int, float, bool)):
            return False
    return True


def _lang_index(lang: str) -> int:
    if lang not in LANGS:
        raise ValidationError([Issue("rule.lang.invalid", "lang", {"value": _shown(lang)})])
    return LANGS.index(lang)


# The issues a requirement ``NoIssue(code)`` may name, and the check that finds each in
# a raw record (a row, a party-JSON mapping; a party cannot hold one).
_RECORD_CHECKS: Final[dict[str, Callable[[Any], list[Issue]]]] = {
    LOCATION_UNKNOWN: unknown_locations,
}


def _known_code(instance: object, attribute: object, value: str) -> None:
    if not isinstance(value, str) or value not in _RECORD_CHECKS:
        raise ValidationError(
            [
                Issue(
                    "rule.no_issue.unknown",
                    "require.no_issue",
                    {"value": _shown(value), "known": ", ".join(sorted(_RECORD_CHECKS))},
                )
            ]
        )


@attrs.frozen
class NoIssue:
    """A requirement that no filter can state: the record has no issue ``code``.

    Some faults live in raw data only, because a :class:`~clientcore.Party` refuses
    them when it is built: a contact attached to a location that does not exist
    (``completeness.location.unknown``). The completeness readers find them in each
    row before it becomes a party and keep them; on a plain mapping :func:`check` looks
    itself. In a rule file it is ``{"no_issue": "<code>"}`` where a filter would be.

    >>> req = NoIssue("completeness.location.unknown")
    >>> req.matches({"locations": "[]", "contacts": '[{"id": "c1", "location_id": "x"}]'})
    False
    >>> req.to_json()
    {'no_issue': 'completeness.location.unknown'}
    """

    code: str = attrs.field(validator=_known_code)

    def issues(self, record: Any) -> list[Issue]:
        """The issues ``code`` found in ``record`` itself (a party, a row, a mapping)."""
        return [i for i in _RECORD_CHECKS[self.code](record) if i.code == self.code]

    def matches(self, record: Any, today: dt.date | None = None) -> bool:
        """Whether ``record`` itself has no such issue (``today`` is not used)."""
        return not self.issues(record)

    def uses_today(self) -> bool:
        """Never: no relative date."""
        return False

    def validate(self, schema: Schema) -> None:
        """Nothing to check against a field catalogue: no field is named."""

    def to_json(self) -> dict[str, Any]:
        """``{"no_issue": code}``."""
        return {"no_issue": self.code}

    def describe(self, lang: str = "en") -> str:
        """The requirement in words."""
        return render(self.code + ".none", {}, LANGS[_lang_index(lang)])


Requirement = Filter | NoIssue


@attrs.frozen
class Rule:
    """A completeness rule: every party in ``scope`` must match ``require``.

    ``require`` is a filter, or a :class:`NoIssue` for a fault that only raw data can
    hold.

    ``title`` is the rule's name for people in English, Dutch and French: a mapping
    ``{"en": ..., "nl": ..., "fr": ...}`` or a 3-tuple in that order. ``severity`` is
    ``error`` (the default), ``warning`` or ``info``. ``params`` records the parameters
    a rule was made with (``{"max_age_years": 5}``); it is stored, never evaluated.
    A rule that breaks any of this raises :class:`~clientcore.ValidationError` listing
    every fault.
    """

    id: str
    title: Title = attrs.field(converter=_to_title)
    scope: Filter
    require: Requirement
    severity: Severity = attrs.field(default=Severity.ERROR, converter=_to_severity)
    params: dict[str, ParamValue] = attrs.field(factory=dict, converter=_to_params, hash=False)

    def __attrs_post_init__(self) -> None:
        issues = _rule_issues(self)
        if issues:
            raise ValidationError(issues)

    def title_in(self, lang: str = "en") -> str:
        """The title in ``lang`` (``en``, ``nl`` or ``fr``)."""
        return self.title[_lang_index(lang)]

    def uses_today(self) -> bool:
        """Whether the scope or the requirement holds a relative date (``Today``)."""
        return self.scope.uses_today() or self.require.uses_today()

    def to_json(self) -> dict[str, Any]:
        """The rule as JSON-ready data, with the filter JSON of scope and requirement."""
        return {
            "id": self.id,
            "title": dict(zip(LANGS, self.title)),
            "severity": self.severity.value,
            "scope": self.scope.to_json(),
            "require": self.require.to_json(),
            "params": dict(self.params),
        }

    @staticmethod
    def from_json(obj: Any, schema: Schema | None = None) -> Rule:
        """Decode one rule strictly (see :meth:`RuleSet.from_json`); faults name their
        JSON path from the rule (``$.scope.where.and[0].op``)."""
        issues: list[Issue] = []
        rule = _decode_rule(obj, "$", schema, issues)
        if rule is None:
            raise _error(issues)
        return rule


def _rule_issues(rule: Rule) -> list[Issue]:
    issues: list[Issue] = []
    if not isinstance(rule.id, str) or _ID.fullmatch(rule.id) is None:
        issues.append(Issue("rule.id.invalid", "id", {"value": _shown(rule.id)}))
    title = rule.title
    if not (
        isinstance(title, tuple)
        and len(title) == 3
        and all(isinstance(t, str) and t.strip() for t in title)
    ):
        issues.append(Issue("rule.title.invalid", "title", {"value": _shown(title)}))
    for part in ("scope", "require"):
        value = getattr(rule, part)
        if not isinstance(value, Filter) and not (part == "require" and isinstance(value, NoIssue)):
            issues.append(
                Issue("rule.filter.invalid", part, {"part": part, "value": _shown(value)})
            )
    if not isinstance(rule.severity, Severity):
        issues.append(Issue("rule.severity.invalid", "severity", {"value": _shown(rule.severity)}))
    if not _params_fine(rule.params):
        issues.append(Issue("rule.params.invalid", "params", {"value": _shown(rule.params)}))
    return issues


def _to_rules(value: Iterable[Rule]) -> tuple[Rule, ...]:
    return tuple(value)


@attrs.frozen
class RuleSet:
    """A named, ordered list of rules whose ids are unique.

    Iterate over it, ask ``len``, look a rule up with :meth:`get`; narrow it with
    :meth:`only` and :meth:`without`; store it with :meth:`to_json` and read it back
    with :meth:`from_json` (strict: a fault raises an error naming its JSON path).
    """

    name: str
    rules: tuple[Rule, ...] = attrs.field(converter=_to_rules)

    def __attrs_post_init__(self) -> None:
        issues: list[Issue] = []
        if not isinstance(self.name, str) or not self.name.strip() or len(self.name) > _MAX_NAME:
            issues.append(Issue("rules.name.invalid", "name", {"value": _shown(self.name)}))
        seen: set[str] = set()
        for index, rule in enumerate(self.rules):
            if not isinstance(rule, Rule):
                issues.append(
                    Issue(
                        "rules.json.type",
                        f"rules[{index}]",
                        {"expected": "a Rule", "found": type(rule).__name__},
                    )
                )
                continue
            if rule.id in seen:
                issues.append(Issue("rules.duplicate_id", f"rules[{index}].id", {"id": rule.id}))
            seen.add(rule.id)
        if issues:
            raise ValidationError(issues)

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.rules)

    def __len__(self) -> int:
        return len(self.rules)

    def __contains__(self, rule_id: object) -> bool:
        return any(rule.id == rule_id for rule in self.rules)

    @property
    def ids(self) -> tuple[str, ...]:
        """The rule ids, in order."""
        return tuple(rule.id for rule in self.rules)

    def get(self, rule_id: str) -> Rule:
        """The rule with this id; an unknown id raises :class:`~clientcore.ValidationError`."""
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise ValidationError([Issue("rules.unknown_id", "id", {"id": rule_id})])

    def only(self, *rule_ids: str) -> RuleSet:
        """The rules with these ids, in this set's order; an unknown id is refused."""
        self._known(rule_ids)
        wanted = set(rule_ids)
        return RuleSet(self.name, [r for r in self.rules if r.id in wanted])

    def without(self, *rule_ids: str) -> RuleSet:
        """Every rule but these; an unknown id is refused."""
        self._known(rule_ids)
        unwanted = set(rule_ids)
        return RuleSet(self.name, [r for r in self.rules if r.id not in unwanted])

    def with_rules(self, *rules: Rule) -> RuleSet:
        """This set with ``rules`` added at the end (ids must stay unique)."""
        return RuleSet(self.name, [*self.rules, *rules])

    def _known(self, rule_ids: Iterable[str]) -> None:
        known = set(self.ids)
        issues = [Issue("rules.unknown_id", "id", {"id": i}) for i in rule_ids if i not in known]
        if issues:
            raise ValidationError(issues)

    def uses_today(self) -> tuple[str, ...]:
        """The ids of the rules that hold a relative date and so need a ``today``."""
        return tuple(rule.id for rule in self.rules if rule.uses_today())

    def validate(self, schema: Schema) -> None:
        """Check every scope and requirement against ``schema`` (paths, operators,
        values); raise :class:`~clientcore.FilterError` listing every fault, each with its
        JSON path in the rule file (``$.rules[2].scope.where.and[0].path``)."""
        issues: list[Issue] = []
        for index, rule in enumerate(self.rules):
            for part in ("scope", "require"):
                flt: Requirement = getattr(rule, part)
                try:
                    flt.validate(schema)
                except FilterError as err:
                    issues.extend(_repath(err.issues, f"$.rules[{index}].{part}"))
        if issues:
            raise _error(issues)

    # --- JSON ---

    def to_json(self) -> dict[str, Any]:
        """``{"clientcore_rules": 1, "name": ..., "rules": [...]}``: versioned, safe to store."""
        return {
            "clientcore_rules": RULES_VERSION,
            "name": self.name,
            "rules": [rule.to_json() for rule in self.rules],
        }

    def to_json_text(self, indent: int | None = 2) -> str:
        """The JSON text of :meth:`to_json` (UTF-8 friendly: accents are kept)."""
        return json.dumps(self.to_json(), indent=indent, ensure_ascii=False)

    @staticmethod
    def from_json(obj: Any, schema: Schema | None = None) -> RuleSet:
        """Decode a rule set strictly; safe for untrusted input.

        Unknown or missing keys, a wrong version, a bad id, title, severity or parameter,
        duplicate ids and every fault of a filter are all reported at once, each with its
        JSON path (``$.rules[2].severity``, ``$.rules[0].require.where.op``). Filter
        faults alone raise :class:`~clientcore.FilterError`; any other fault raises
        :class:`~clientcore.ValidationError`. With a ``schema``, the filters are also
        checked against it. The input is bounded first
        (:data:`~clientcore.errors.DEFAULT_LIMITS`, a :class:`~clientcore.ValidationError`).
        """
        check_input(obj)
        issues: list[Issue] = []
        found = _decode_ruleset(obj, schema, issues)
        if found is None or issues:
            raise _error(issues)
        return found

    @staticmethod
    def from_json_text(text: str | bytes, schema: Schema | None = None) -> RuleSet:
        """:meth:`from_json` on JSON text; a syntax error is reported with line and column."""
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValidationError(
                [
                    Issue(
                        "rules.json.syntax",
                        "$",
                        {"reason": exc.msg, "line": exc.lineno, "column": exc.colno},
                    )
                ]
            ) from None
        except (UnicodeDecodeError, RecursionError) as exc:
            raise ValidationError(
                [Issue("rules.json.syntax", "$", {"reason": str(exc)[:80], "line": 1, "column": 1})]
            ) from None
        return RuleSet.from_json(obj, schema)

    def to_markdown(self, lang: str = "en") -> str:
        """The rules as a Markdown table: id, severity, title, scope and requirement in
        words (``docs/completeness.md`` lists the built-in pack with it)."""
        from clientcore.query import describe

        index = _lang_index(lang)
        lines = ["| id | severity | title | in scope | requires |", "|---|---|---|---|---|"]
        for rule in self.rules:
            scope = describe(rule.scope, lang).replace("|", "\\|")
            required = (
                rule.require.describe(lang)
                if isinstance(rule.require, NoIssue)
                else describe(rule.require, lang)
            )
            require = required.replace("|", "\\|")
            lines.append(
                f"| `{rule.id}` | {rule.severity.value} | {rule.title[index]} | {scope} | "
                f"{require} |"
            )
        return "\n".join(lines) + "\n"


# --- strict decoding ---


def _error(issues: list[Issue]) -> ValidationError | FilterError:
    """A FilterError when every fault lies in a filter, else a ValidationError."""
    if issues and all(i.code.startswith("filter.") for i in issues):
        first = issues[0]
        return FilterError(first.message(), first.path, issues)
    return ValidationError(issues)


def _repath(issues: Iterable[Issue], prefix: str) -> list[Issue]:
    """Issues of a filter (paths from ``$``) moved under ``prefix``."""
    out = []
    for issue in issues:
        path = issue.path
        tail = path[1:] if path.startswith("$") else ("." + path if path else "")
        out.append(attrs.evolve(issue, path=prefix + tail))
    return out


def _type_issue(path: str, expected: str, value: object) -> Issue:
    return Issue("rules.json.type", path, {"expected": expected, "found": _kind(value)})


def _keys(
    obj: Mapping[Any, Any], path: str, required: Iterable[str], optional: Iterable[str]
) -> list[Issue]:
    issues: list[Issue] = []
    allowed = set(required) | set(optional)
    for key in obj:
        if key not in allowed:
            issues.append(Issue("rules.json.unknown_key", path, {"key": _shown(key)[:60]}))
    for key in required:
        if key not in obj:
            issues.append(Issue("rules.json.missing_key", path, {"key": key}))
    return issues


def _decode_ruleset(obj: Any, schema: Schema | None, issues: list[Issue]) -> RuleSet | None:
    if not isinstance(obj, dict):
        issues.append(_type_issue("$", "an object", obj))
        return None
    found = _keys(obj, "$", ("clientcore_rules", "name", "rules"), ())
    issues.extend(found)
    version = obj.get("clientcore_rules")
    if "clientcore_rules" in obj and (
        isinstance(version, bool) or not isinstance(version, int) or version != RULES_VERSION
    ):
        issues.append(
            Issue(
                "rules.json.version",
                "$.clientcore_rules",
                {"value": _shown(version), "supported": RULES_VERSION},
            )
        )
        return None  # another version may mean anything: read no further
    name = obj.get("name")
    if "name" in obj and (not isinstance(name, str) or not name.strip() or len(name) > _MAX_NAME):
        issues.append(Issue("rules.name.invalid", "$.name", {"value": _shown(name)}))
    items = obj.get("rules")
    rules: list[Rule] = []
    if "rules" in obj:
        if not isinstance(items, list):
            issues.append(_type_issue("$.rules", "a list", items))
        else:
            seen: dict[str, int] = {}
            for index, item in enumerate(items):
                where = f"$.rules[{index}]"
                rule = _decode_rule(item, where, schema, issues)
                if rule is None:
                    continue
                if rule.id in seen:
                    issues.append(Issue("rules.duplicate_id", f"{where}.id", {"id": rule.id}))
                    continue
                seen[rule.id] = index
                rules.append(rule)
    if issues:
        return None
    return RuleSet(str(name), rules)


def _decode_rule(obj: Any, where: str, schema: Schema | None, issues: list[Issue]) -> Rule | None:
    if not isinstance(obj, dict):
        issues.append(_type_issue(where, "an object", obj))
        return None
    before = len(issues)
    issues.extend(_keys(obj, where, ("id", "title", "severity", "scope", "require"), ("params",)))
    rule_id = obj.get("id")
    if "id" in obj and (not isinstance(rule_id, str) or _ID.fullmatch(rule_id) is None):
        issues.append(Issue("rule.id.invalid", f"{where}.id", {"value": _shown(rule_id)}))
    title = obj.get("title")
    if "title" in obj:
        if not isinstance(title, dict):
            issues.append(_type_issue(f"{where}.title", "an object with en, nl and fr", title))
        else:
            issues.extend(_keys(title, f"{where}.title", LANGS, ()))
            for lang in LANGS:
                text = title.get(lang)
                if lang in title and (not isinstance(text, str) or not text.strip()):
                    issues.append(
                        Issue(
                            "rule.title.invalid", f"{where}.title.{lang}", {"value": _shown(text)}
                        )
                    )
    severity = obj.get("severity")
    if "severity" in obj and severity not in tuple(Severity):
        issues.append(
            Issue("rule.severity.invalid", f"{where}.severity", {"value": _shown(severity)})
        )
    params = obj.get("params", {})
    if not _params_fine(params):
        issues.append(Issue("rule.params.invalid", f"{where}.params", {"value": _shown(params)}))
    filters: dict[str, Requirement] = {}
    for part in ("scope", "require"):
        if part not in obj:
            continue
        if part == "require" and isinstance(obj[part], dict) and "no_issue" in obj[part]:
            found = _decode_no_issue(obj[part], f"{where}.require", issues)
            if found is not None:
                filters[part] = found
            continue
        try:
            filters[part] = Filter.from_json(obj[part], schema)
        except FilterError as err:
            issues.extend(_repath(err.issues, f"{where}.{part}"))
    if len(issues) > before:
        return None
    scope = filters["scope"]
    if not isinstance(scope, Filter):  # pragma: no cover - only require may be NoIssue
        return None
    return Rule(
        id=rule_id,  # type: ignore[arg-type]  # checked above
        title=title,
        scope=scope,
        require=filters["require"],
        severity=severity,
        params=params,
    )


def _decode_no_issue(obj: dict[str, Any], where: str, issues: list[Issue]) -> NoIssue | None:
    found = _keys(obj, where, ("no_issue",), ())
    code = obj.get("no_issue")
    if not isinstance(code, str) or code not in _RECORD_CHECKS:
        found.append(
            Issue(
                "rule.no_issue.unknown",
                f"{where}.no_issue",
                {"value": _shown(code), "known": ", ".join(sorted(_RECORD_CHECKS))},
            )
        )
    issues.extend(found)
    return None if found else NoIssue(code)  # type: ignore[arg-type]  # checked above


__all__ = ["RULES_VERSION", "NoIssue", "Requirement", "Rule", "RuleSet", "Severity"]
