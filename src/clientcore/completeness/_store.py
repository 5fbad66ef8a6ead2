"""Completeness checks run by the store: counts and failing parties found by queries.

:func:`check_store` asks the unit of work's repository, so a store that pushes filters
down (SQL) counts each rule's scope in the database and loads only the parties that
fail; memory does not grow with the registry.

>>> import datetime as dt
>>> from clientcore import InMemoryUnitOfWork, Party
>>> uow = InMemoryUnitOfWork()
>>> with uow:
...     _ = uow.parties.add(Party(id="p1", kind="client_company", name="Peeters BV",
...                               status="client", vat_liable=True))
...     uow.commit()
>>> report = check_store(uow, today=dt.date(2026, 1, 1))
>>> (report.records, report.result("vat").in_scope, report.result("vat").failing)
(1, 1, 1)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from clientcore._errors import FilterError, Issue, ValidationError
from clientcore._seen import StatusView, viewer, visible_only
from clientcore.completeness._check import Finding, Report, RuleResult, _as_ruleset, _check_lang
from clientcore.completeness._rules import NoIssue, Rule, RuleSet
from clientcore.model import Actor, ClientStatus
from clientcore.ports import UnitOfWork
from clientcore.query import F, Filter


def check_store(
    uow: UnitOfWork,
    rules: RuleSet | Iterable[Rule] | None = None,
    today: dt.date | None = None,
    lang: str = "en",
    *,
    actor: Actor | str | None = None,
    machine: StatusView | None = None,
) -> Report:
    """Run ``rules`` (the built-in ones when ``None``) over every party of the store.

    Per rule, the scope is counted with ``count(scope)`` and the failing parties are
    read with ``find(scope & ~require)``, in one transaction; the report is the one
    :func:`check` gives for the same parties. :class:`NoIssue` rules find nothing
    here: a stored party cannot hold the faults they look for (only raw rows can).

    With ``actor`` and ``machine``, every query also requires a status the actor may
    see (``status in visible_statuses(actor)``, in the store's own query, so counts are
    right) and the failing parties pass :meth:`StatusMachine.visible`: the report is the
    one :func:`check` gives that actor.
    """
    seen_by = viewer(actor, machine)
    mine: Filter | None = None
    if seen_by is not None:
        who, view = seen_by
        visible = view.visible_statuses(who)
        if visible < frozenset(ClientStatus):
            mine = F("status").in_(sorted(s.value for s in visible))
    ruleset = _as_ruleset(rules)
    _check_lang(lang)
    if today is not None and (not isinstance(today, dt.date) or isinstance(today, dt.datetime)):
        raise ValidationError(
            [Issue("completeness.today.invalid", "today", {"value": repr(today)[:40]})]
        )
    needs_today = ruleset.uses_today()
    if needs_today and today is None:
        issue = Issue("completeness.needs_today", "today", {"rules": ", ".join(needs_today)})
        raise FilterError(issue.message(), "today", [issue])
    results = []
    with uow:
        records = uow.parties.count(_within(Filter.all(), mine))
        counted: dict[Filter, int] = {}
        for rule in ruleset:
            in_scope = counted.get(rule.scope)
            if in_scope is None:
                scope = _within(rule.scope, mine)
                in_scope = counted[rule.scope] = uow.parties.count(scope, today=today)
            if isinstance(rule.require, NoIssue):
                findings: tuple[Finding, ...] = ()
            else:
                wanted = _within(rule.scope & ~rule.require, mine)
                failing = uow.parties.find(wanted, today=today)
                shown = visible_only(failing, actor, machine)
                findings = tuple(Finding(rule, party, None, today) for party in shown)
            results.append(RuleResult(rule, in_scope, findings))
    return Report(ruleset, tuple(results), records, (), today, lang)


def _within(flt: Filter, mine: Filter | None) -> Filter:
    """``flt``, and with an actor also the statuses that actor may see."""
    return flt if mine is None else flt & mine


__all__ = ["check_store"]
