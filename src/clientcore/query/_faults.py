"""The faults of the filter readers and writers: one code per kind, words in en/nl/fr.

Every :class:`~clientcore.FilterError` raised by :mod:`clientcore.query` is built here,
so a screen can show it in the user's language and a program can branch on its code.
Parameters name the fault: ``field`` (the filter's field path), ``op``, ``value`` (the
offending input, shortened), ``expected``, ``key``, ``limit``; the issue's ``path`` is
the JSON path of the fault.

>>> err = fault("filter.unknown_operator", "$.where.op", op="like", field="name")
>>> err.issues[0].message("nl")
"Ongeldige filter op $.where.op: onbekende operator 'like' op veld 'name'."
>>> err.path
'$.where.op'
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Final

from clientcore._errors import FilterError, Issue
from clientcore._messages import define

_EN: Final = "Invalid filter at {path}: "
_NL: Final = "Ongeldige filter op {path}: "
_FR: Final = "Filtre invalide à {path} : "


def _at(en: str, nl: str, fr: str) -> tuple[str, str, str]:
    return (_EN + en, _NL + nl, _FR + fr)


define(
    {
        # --- the JSON of a filter, and the tree classes ---
        "filter.expected_object": _at(
            "expected an object, got {value}.",
            "een object verwacht, kreeg {value}.",
            "un objet est attendu, reçu {value}.",
        ),
        "filter.expected_node": _at(
            "expected a filter node, got {value}.",
            "een filterknoop verwacht, kreeg {value}.",
            "un nœud de filtre est attendu, reçu {value}.",
        ),
        "filter.unknown_key": _at(
            "unknown key '{key}'.",
            "onbekende sleutel '{key}'.",
            "clé inconnue '{key}'.",
        ),
        "filter.missing_key": _at(
            "'{key}' is missing.",
            "'{key}' ontbreekt.",
            "'{key}' manque.",
        ),
        "filter.unknown_version": _at(
            "unsupported version {value} (this is version {expected}).",
            "niet-ondersteunde versie {value} (dit is versie {expected}).",
            "version {value} non prise en charge (celle-ci est la version {expected}).",
        ),
        "filter.unknown_operator": _at(
            "unknown operator '{op}' on field '{field}'.",
            "onbekende operator '{op}' op veld '{field}'.",
            "opérateur inconnu '{op}' sur le champ '{field}'.",
        ),
        "filter.bad_path": _at(
            "a field path must be a non-empty text, got {value}.",
            "een veldpad moet een niet-lege tekst zijn, kreeg {value}.",
            "un chemin de champ doit être un texte non vide, reçu {value}.",
        ),
        "filter.expected_text": _at(
            "'{key}' of '{op}' on '{field}' must be a text, got {value}.",
            "'{key}' van '{op}' op '{field}' moet een tekst zijn, kreeg {value}.",
            "'{key}' de '{op}' sur '{field}' doit être un texte, reçu {value}.",
        ),
        "filter.expected_list": _at(
            "'{key}' of '{op}' on '{field}' must be a list, got {value}.",
            "'{key}' van '{op}' op '{field}' moet een lijst zijn, kreeg {value}.",
            "'{key}' de '{op}' sur '{field}' doit être une liste, reçu {value}.",
        ),
        "filter.expected_pair": _at(
            "'between' on '{field}' needs a list of two values, got {value}.",
            "'between' op '{field}' vraagt een lijst van twee waarden, kreeg {value}.",
            "'between' sur '{field}' demande une liste de deux valeurs, reçu {value}.",
        ),
        "filter.expected_bool": _at(
            "'{key}' must be true or false, got {value}.",
            "'{key}' moet true of false zijn, kreeg {value}.",
            "'{key}' doit valoir true ou false, reçu {value}.",
        ),
        "filter.expected_number": _at(
            "'{key}' of '{op}' on '{field}' must be a number, got {value}.",
            "'{key}' van '{op}' op '{field}' moet een getal zijn, kreeg {value}.",
            "'{key}' de '{op}' sur '{field}' doit être un nombre, reçu {value}.",
        ),
        "filter.expected_scalar": _at(
            "unsupported value {value} for '{op}' on '{field}' (text, number, true/false, "
            '{{"date": ...}} or {{"today": ...}}).',
            "niet-ondersteunde waarde {value} voor '{op}' op '{field}' (tekst, getal, "
            'true/false, {{"date": ...}} of {{"today": ...}}).',
            "valeur non prise en charge {value} pour '{op}' sur '{field}' (texte, nombre, "
            'true/false, {{"date": ...}} ou {{"today": ...}}).',
        ),
        "filter.ordering_bool": _at(
            "'{op}' on '{field}' orders values; true/false has no order ({value}).",
            "'{op}' op '{field}' ordent waarden; true/false heeft geen volgorde ({value}).",
            "'{op}' sur '{field}' ordonne des valeurs ; true/false n'a pas d'ordre ({value}).",
        ),
        "filter.lone_surrogate": _at(
            "the text holds a lone surrogate (\\u{expected}), which is no character.",
            "de tekst bevat een losse surrogaat (\\u{expected}), wat geen teken is.",
            "le texte contient un substitut isolé (\\u{expected}), qui n'est pas un caractère.",
        ),
        "filter.expected_date": _at(
            "not a date {expected}: {value}.",
            "geen datum {expected}: {value}.",
            "pas une date {expected} : {value}.",
        ),
        "filter.expected_days": _at(
            "'today' must be a whole number of days (at most {limit}), got {value}.",
            "'today' moet een geheel aantal dagen zijn (hoogstens {limit}), kreeg {value}.",
            "'today' doit être un nombre entier de jours (au plus {limit}), reçu {value}.",
        ),
        "filter.no_value": _at(
            "'{op}' on '{field}' takes no '{key}', got {value}.",
            "'{op}' op '{field}' neemt geen '{key}', kreeg {value}.",
            "'{op}' sur '{field}' ne prend pas de '{key}', reçu {value}.",
        ),
        "filter.needs_value": _at(
            "'{op}' on '{field}' needs '{key}'.",
            "'{op}' op '{field}' vraagt '{key}'.",
            "'{op}' sur '{field}' demande '{key}'.",
        ),
        "filter.no_switch": _at(
            "'{op}' on '{field}' takes no case or accent switch ('{key}').",
            "'{op}' op '{field}' neemt geen hoofdletter- of accentschakelaar ('{key}').",
            "'{op}' sur '{field}' ne prend pas d'option de casse ou d'accents ('{key}').",
        ),
        "filter.too_deep": _at(
            "deeper than {limit} levels.",
            "dieper dan {limit} niveaus.",
            "plus de {limit} niveaux d'imbrication.",
        ),
        "filter.too_many_nodes": _at(
            "more than {limit} nodes.",
            "meer dan {limit} knopen.",
            "plus de {limit} nœuds.",
        ),
        "filter.text_too_long": _at(
            "text {value} of {length} characters is longer than {limit}.",
            "tekst {value} van {length} tekens is langer dan {limit}.",
            "le texte {value} de {length} caractères dépasse {limit}.",
        ),
        "filter.number_out_of_range": _at(
            "number {value} is out of range (at most {limit} in size).",
            "getal {value} valt buiten het bereik (hoogstens {limit} groot).",
            "le nombre {value} est hors limites (au plus {limit} en valeur absolue).",
        ),
        "filter.number_not_finite": _at(
            "number {value} must be finite.",
            "getal {value} moet eindig zijn.",
            "le nombre {value} doit être fini.",
        ),
        "filter.no_identifier": _at(
            "'{op}' on '{field}' needs a field with an identifier type ({expected}).",
            "'{op}' op '{field}' vraagt een veld met een identificatietype ({expected}).",
            "'{op}' sur '{field}' demande un champ avec un type d'identifiant ({expected}).",
        ),
        "filter.needs_today": _at(
            "this filter uses the relative date {value}: pass today=.",
            "deze filter gebruikt de relatieve datum {value}: geef today= mee.",
            "ce filtre utilise la date relative {value} : passez today=.",
        ),
        # --- AG Grid ---
        "filter.aggrid.unknown_setting": _at(
            "unknown setting '{key}' (known: {expected}).",
            "onbekende instelling '{key}' (bekend: {expected}).",
            "réglage inconnu '{key}' (connus : {expected}).",
        ),
        "filter.aggrid.unknown_column": _at(
            "unknown column '{field}'{hint}.",
            "onbekende kolom '{field}'{hint}.",
            "colonne inconnue '{field}'{hint}.",
        ),
        "filter.aggrid.bad_column": _at(
            "a column id must be a non-empty text, got {value}.",
            "een kolom-id moet een niet-lege tekst zijn, kreeg {value}.",
            "un identifiant de colonne doit être un texte non vide, reçu {value}.",
        ),
        "filter.aggrid.unknown_filter_type": _at(
            "unknown filter type {value} on column '{field}' (known: {expected}).",
            "onbekend filtertype {value} op kolom '{field}' (bekend: {expected}).",
            "type de filtre inconnu {value} sur la colonne '{field}' (connus : {expected}).",
        ),
        "filter.aggrid.unknown_option": _at(
            "unknown {kind} filter option {value} on column '{field}' (known: {expected}).",
            "onbekende {kind}-filteroptie {value} op kolom '{field}' (bekend: {expected}).",
            "option de filtre {kind} inconnue {value} sur la colonne '{field}' "
            "(connues : {expected}).",
        ),
        "filter.aggrid.type_mismatch": _at(
            "a {kind} filter does not fit column '{field}' of type {expected}.",
            "een {kind}-filter past niet bij kolom '{field}' van type {expected}.",
            "un filtre {kind} ne convient pas à la colonne '{field}' de type {expected}.",
        ),
        "filter.aggrid.nested_multi": _at(
            "a multi filter on column '{field}' cannot hold another multi filter.",
            "een multi-filter op kolom '{field}' kan geen andere multi-filter bevatten.",
            "un filtre multiple sur la colonne '{field}' ne peut contenir un autre filtre "
            "multiple.",
        ),
        "filter.aggrid.bad_operator": _at(
            "a combined filter on column '{field}' needs 'operator' AND or OR, got {value}.",
            "een samengestelde filter op kolom '{field}' vraagt 'operator' AND of OR, "
            "kreeg {value}.",
            "un filtre combiné sur la colonne '{field}' demande 'operator' AND ou OR, "
            "reçu {value}.",
        ),
        "filter.aggrid.disagree": _at(
            "'{key}' disagrees with '{expected}' on column '{field}'.",
            "'{key}' spreekt '{expected}' tegen op kolom '{field}'.",
            "'{key}' contredit '{expected}' sur la colonne '{field}'.",
        ),
        "filter.aggrid.blank_text": _at(
            "'{key}' on column '{field}' is blank: use the 'blank' or 'notBlank' option.",
            "'{key}' op kolom '{field}' is leeg: gebruik de optie 'blank' of 'notBlank'.",
            "'{key}' sur la colonne '{field}' est vide : utilisez l'option 'blank' ou 'notBlank'.",
        ),
        "filter.aggrid.bad_set_key": _at(
            "set filter key {value} on column '{field}' is not {expected}.",
            "sleutel {value} van de setfilter op kolom '{field}' is geen {expected}.",
            "la clé {value} du filtre d'ensemble sur la colonne '{field}' n'est pas {expected}.",
        ),
        # AG Grid cannot say what the filter says (to_filter_model)
        "filter.aggrid.no_option": _at(
            "'{op}' on column '{field}' has no AG Grid {kind} filter option.",
            "'{op}' op kolom '{field}' heeft geen AG Grid-{kind}-filteroptie.",
            "'{op}' sur la colonne '{field}' n'a pas d'option de filtre {kind} AG Grid.",
        ),
        "filter.aggrid.cross_column_or": _at(
            "AG Grid ANDs its column filters: an OR across columns {expected} cannot be expressed.",
            "AG Grid combineert kolomfilters met AND: een OR over de kolommen {expected} kan niet.",
            "AG Grid combine les filtres de colonnes par AND : un OR entre les colonnes "
            "{expected} est impossible.",
        ),
        "filter.aggrid.nesting": _at(
            "AG Grid joins the conditions of column '{field}' with a single AND or OR: "
            "{kind} inside it cannot be expressed.",
            "AG Grid verbindt de voorwaarden van kolom '{field}' met één AND of OR: een "
            "{kind} daarbinnen kan niet.",
            "AG Grid relie les conditions de la colonne '{field}' par un seul AND ou OR : "
            "un {kind} à l'intérieur est impossible.",
        ),
        "filter.aggrid.blank_semantics": _at(
            "'{op}' on column '{field}' keeps blank cells, which AG Grid's {kind} notEqual "
            "drops: AND it with not_blank.",
            "'{op}' op kolom '{field}' behoudt lege cellen, die AG Grids {kind}-notEqual "
            "weglaat: combineer met not_blank.",
            "'{op}' sur la colonne '{field}' garde les cellules vides, que le notEqual {kind} "
            "d'AG Grid écarte : combinez-le avec not_blank.",
        ),
        "filter.aggrid.in_range_ends": _at(
            "'between' on column '{field}' includes its ends but AG Grid's inRange excludes "
            "them: an OR of it needs in_range_inclusive.",
            "'between' op kolom '{field}' omvat de grenzen, AG Grids inRange niet: een OR "
            "ervan vraagt in_range_inclusive.",
            "'between' sur la colonne '{field}' inclut ses bornes, l'inRange d'AG Grid non : "
            "un OR de celui-ci demande in_range_inclusive.",
        ),
        "filter.aggrid.switch_mismatch": _at(
            "'{op}' on column '{field}' has {key}={value} but the grid has {expected}.",
            "'{op}' op kolom '{field}' heeft {key}={value} maar de grid heeft {expected}.",
            "'{op}' sur la colonne '{field}' a {key}={value} mais la grille a {expected}.",
        ),
        "filter.aggrid.relative_date": _at(
            "relative date {value} on column '{field}' has no AG Grid form: resolve it first.",
            "relatieve datum {value} op kolom '{field}' heeft geen AG Grid-vorm: los ze eerst op.",
            "la date relative {value} sur la colonne '{field}' n'a pas de forme AG Grid : "
            "résolvez-la d'abord.",
        ),
        "filter.aggrid.collection": _at(
            "column '{field}' is a collection: AG Grid has no filter for it.",
            "kolom '{field}' is een verzameling: AG Grid heeft er geen filter voor.",
            "la colonne '{field}' est une collection : AG Grid n'a pas de filtre pour elle.",
        ),
        "filter.aggrid.mixed_types": _at(
            "column '{field}' mixes {expected} values: AG Grid filters a column with one "
            "filter type.",
            "kolom '{field}' mengt {expected}-waarden: AG Grid filtert een kolom met één "
            "filtertype.",
            "la colonne '{field}' mélange des valeurs {expected} : AG Grid filtre une colonne "
            "avec un seul type de filtre.",
        ),
        "filter.aggrid.value_type": _at(
            "a {kind} filter on column '{field}' needs {expected}, got {value}.",
            "een {kind}-filter op kolom '{field}' vraagt {expected}, kreeg {value}.",
            "un filtre {kind} sur la colonne '{field}' demande {expected}, reçu {value}.",
        ),
        "filter.aggrid.needs_schema": _at(
            "a boolean on column '{field}' has only a set filter in AG Grid: pass a schema.",
            "een booleaanse waarde op kolom '{field}' heeft in AG Grid enkel een setfilter: "
            "geef een schema mee.",
            "un booléen sur la colonne '{field}' n'a qu'un filtre d'ensemble dans AG Grid : "
            "passez un schéma.",
        ),
        "filter.aggrid.matches_nothing": _at(
            "a filter that matches nothing has no AG Grid model.",
            "een filter die niets selecteert heeft geen AG Grid-model.",
            "un filtre qui ne retient rien n'a pas de modèle AG Grid.",
        ),
        # --- JsonLogic ---
        "filter.jsonlogic.unmapped_operator": _at(
            "JsonLogic operator {value} has no clientcore filter form.",
            "JsonLogic-operator {value} heeft geen clientcore-filtervorm.",
            "l'opérateur JsonLogic {value} n'a pas de forme de filtre clientcore.",
        ),
        "filter.jsonlogic.field_to_field": _at(
            "'{op}' compares two fields ({value}); a clientcore filter compares a field with "
            "values.",
            "'{op}' vergelijkt twee velden ({value}); een clientcore-filter vergelijkt een veld "
            "met waarden.",
            "'{op}' compare deux champs ({value}) ; un filtre clientcore compare un champ à "
            "des valeurs.",
        ),
        "filter.jsonlogic.arithmetic": _at(
            "'{op}' computes a value ({value}); a clientcore filter compares a field with "
            "literal values.",
            "'{op}' berekent een waarde ({value}); een clientcore-filter vergelijkt een veld "
            "met letterlijke waarden.",
            "'{op}' calcule une valeur ({value}) ; un filtre clientcore compare un champ à "
            "des valeurs littérales.",
        ),
        "filter.jsonlogic.expected_list": _at(
            "'{op}' takes a list of rules, got {value}.",
            "'{op}' neemt een lijst van regels, kreeg {value}.",
            "'{op}' prend une liste de règles, reçu {value}.",
        ),
        "filter.jsonlogic.bad_rule": _at(
            "expected a JsonLogic rule (an object with one operator, or true/false), got {value}.",
            "een JsonLogic-regel verwacht (een object met één operator, of true/false), "
            "kreeg {value}.",
            "une règle JsonLogic est attendue (un objet à un seul opérateur, ou true/false), "
            "reçu {value}.",
        ),
        "filter.jsonlogic.arity": _at(
            "'{op}' takes {expected} argument(s), got {value}.",
            "'{op}' neemt {expected} argument(en), kreeg {value}.",
            "'{op}' prend {expected} argument(s), reçu {value}.",
        ),
        "filter.jsonlogic.bad_arguments": _at(
            "'{op}' must be written as {expected}, got {value}.",
            "'{op}' moet geschreven worden als {expected}, kreeg {value}.",
            "'{op}' doit s'écrire {expected}, reçu {value}.",
        ),
        "filter.jsonlogic.no_value": _at(
            "{value} has no clientcore value ({expected}).",
            "{value} heeft geen clientcore-waarde ({expected}).",
            "{value} n'a pas de valeur clientcore ({expected}).",
        ),
        "filter.jsonlogic.no_form": _at(
            "'{op}' on '{field}' has no JsonLogic form.",
            "'{op}' op '{field}' heeft geen JsonLogic-vorm.",
            "'{op}' sur '{field}' n'a pas de forme JsonLogic.",
        ),
        "filter.jsonlogic.no_switch": _at(
            "JsonLogic has no '{key}' switch ('{op}' on '{field}').",
            "JsonLogic heeft geen schakelaar '{key}' ('{op}' op '{field}').",
            "JsonLogic n'a pas d'option '{key}' ('{op}' sur '{field}').",
        ),
        "filter.jsonlogic.relative_date": _at(
            "relative date {value} on '{field}' has no JsonLogic form: resolve it first.",
            "relatieve datum {value} op '{field}' heeft geen JsonLogic-vorm: los ze eerst op.",
            "la date relative {value} sur '{field}' n'a pas de forme JsonLogic : "
            "résolvez-la d'abord.",
        ),
    }
)


def shown(value: Any, limit: int = 40) -> str:
    """The offending input as it appears in a message: JSON-like and short."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        cut = value if len(value) <= limit else value[:limit] + "…"
        return repr(cut)
    if isinstance(value, (int, float)):
        text = repr(value)
        return text if len(text) <= limit else text[:limit] + "…"
    if isinstance(value, dt.date):
        return value.isoformat()
    if type(value).__name__ == "Today":  # a relative date (no import: _tree imports us)
        return '{"today": ' + str(getattr(value, "days", "?")) + "}"
    text = _compact(value, 2)
    return text if len(text) <= limit else text[:limit] + "…"


def _compact(value: Any, depth: int) -> str:
    # Bounded in depth and width: the input may be hostile (huge or deeply nested).
    if isinstance(value, (list, tuple)):
        if depth == 0:
            return "[…]" if value else "[]"
        items = [_compact(v, depth - 1) for v in value[:3]]
        return "[" + ", ".join(items) + (", …" if len(value) > 3 else "") + "]"
    if isinstance(value, dict):
        if depth == 0:
            return "{…}" if value else "{}"
        pairs = [
            f"{shown(str(k), 20)}: {_compact(v, depth - 1)}" for k, v in list(value.items())[:3]
        ]
        return "{" + ", ".join(pairs) + (", …" if len(value) > 3 else "") + "}"
    if value is None or isinstance(value, (str, int, float, bool, dt.date)):
        return shown(value, 20)
    return f"<{type(value).__name__}>"


def fault(code: str, where: str, **params: Any) -> FilterError:
    """The :class:`FilterError` of one fault: its ``code`` at JSON path ``where``.

    ``value`` is shown with :func:`shown`; give ``shown_value`` to pass it ready-made.
    """
    if "value" in params:
        params["value"] = shown(params["value"])
    if "shown_value" in params:
        params["value"] = params.pop("shown_value")
    params.setdefault("field", "?")
    found = Issue(code, where, params)
    text = found.message()
    # str(err) ends in "@ path" already: keep the path once
    prefix = _EN.format(path=where)
    return FilterError(text.removeprefix(prefix), where, [found])
