"""Completeness checks: rules that find what is missing in the client registry.

A :class:`Rule` says that every party in its ``scope`` (a filter) must match its
``require`` filter: "every VAT-liable client has an active VAT task" (or, for a fault
only raw data can hold, have no such issue: :class:`NoIssue`). :func:`check`
runs a :class:`RuleSet` (the built-in :func:`default_rules` for Belgian and Dutch firms
unless told otherwise) over parties, rows or a file read with :func:`read_parties`, and
returns a :class:`Report` that says, per rule, how many parties are in scope, which fail
and why, in English, Dutch or French, as text, HTML, rows, CSV, JSON or a DataFrame.

>>> import datetime as dt
>>> from clientcore import Party
>>> from clientcore.completeness import check
>>> bakery = Party(kind="client_company", name="Bakkerij Peeters BV", number="C000001",
...                status="client", vat_liable=True, tasks=[{"code": "closing"}],
...                address={"city": "Gent", "country": "BE"})
>>> report = check([bakery], today=dt.date(2026, 1, 1))
>>> [r.rule.id for r in report.failed][:3]
['vat', 'enterprise_number', 'email']
>>> print(report.result("vat").findings[0].explanation("fr"))
tasks : aucun élément où code est 'vat' et active est true
>>> report.ok
False
"""

from clientcore.completeness._check import UNREADABLE, Finding, Report, RuleResult, check
from clientcore.completeness._io import FORMATS, read_parties
from clientcore.completeness._pack import (
    ACTIVE_STATUSES,
    DEFAULT_RULESET_NAME,
    HOME_COUNTRIES,
    default_rules,
)
from clientcore.completeness._references import LOCATION_UNKNOWN, unknown_locations
from clientcore.completeness._render import ROW_COLUMNS, MissingExtra
from clientcore.completeness._rules import RULES_VERSION, NoIssue, Rule, RuleSet, Severity
from clientcore.completeness._store import check_store

__all__ = [
    "ACTIVE_STATUSES",
    "DEFAULT_RULESET_NAME",
    "FORMATS",
    "HOME_COUNTRIES",
    "LOCATION_UNKNOWN",
    "ROW_COLUMNS",
    "RULES_VERSION",
    "UNREADABLE",
    "Finding",
    "MissingExtra",
    "NoIssue",
    "Report",
    "Rule",
    "RuleResult",
    "RuleSet",
    "Severity",
    "check",
    "check_store",
    "default_rules",
    "read_parties",
    "unknown_locations",
]
