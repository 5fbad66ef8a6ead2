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
from collections.abc import Iterable, Sequence
from typing import Protocol, runtime_checkable

from clientcore._errors import FilterError, Issue, ValidationError
from clientcore._messages import define
from clientcore._seen import StatusView, viewer, visible_only
from clientcore.completeness._check import Finding, Report, RuleResult, _as_ruleset, _check_lang
from clientcore.completeness._rules import NoIssue, Rule, RuleSet
from clientcore.model import Actor, ClientStatus
from clientcore.ports import UnitOfWork
from clientcore.query import F, Filter

define(
    {
        "completeness.limit.invalid": (
            "limit must be a whole number of zero or more, or None, not {value}.",
            "limit moet een geheel getal van nul of meer zijn, of None, niet {value}.",
            "limit doit être un nombre entier positif ou nul, ou None, pas {value}.",
        ),
    }
)


@runtime_checkable
class CountsEach(Protocol):
    """A party repository that counts several filters in one pass (the SQL store)."""

    def count_each(
        self, filters: Sequence[Filter], *, today: dt.date | None = None
    ) -> list[int]: ...


def check_store(
    uow: UnitOfWork,
    rules: RuleSet | Iterable[Rule] | None = None,
    today: dt.date | None = None,
    lang: str = "en",
    *,
    limit: int | None = None,
    actor: Actor | str | None = None,
    machine: StatusView | None = None,
) -> Report:
    """Run ``rules`` (the built-in ones when ``None``) over every party of the store.

    Each rule's scope and failures are counted by the store (``count``, or one
    ``count_each`` for the whole rule set where the store has it: one query on SQL),
    and only failing parties are read, with ``find(scope & ~require)``, in one unit of
    work. With ``limit``, at most that many failing parties per rule are read (the
    first by id) while ``failing`` still counts them all, so memory does not grow with
    the registry; without it the report is the one :func:`check` gives for the same
    parties. :class:`NoIssue` rules find nothing here: a stored party cannot hold the
    faults they look for (only raw rows can).

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
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 0):
        raise ValidationError(
            [Issue("completeness.limit.invalid", "limit", {"value": repr(limit)[:40]})]
        )
    needs_today = ruleset.uses_today()
    if needs_today and today is None:
        issue = Issue("completeness.needs_today", "today", {"rules": ", ".join(needs_today)})
        raise FilterError(issue.message(), "today", [issue])
    # Every count the report needs, each filter once: the registry, every scope, and
    # every scope's failures.
    wanted: dict[Filter, int] = {Filter.all(): 0}
    failures: dict[str, Filter] = {}
    for rule in ruleset:
        wanted.setdefault(rule.scope, len(wanted))
        if not isinstance(rule.require, NoIssue):
            failures[rule.id] = rule.scope & ~rule.require
            wanted.setdefault(failures[rule.id], len(wanted))
    results = []
    with uow:
        repository = uow.parties
        filters = list(wanted)
        mine_filters = [_within(flt, mine) for flt in filters]
        if isinstance(repository, CountsEach):
            counts = repository.count_each(mine_filters, today=today)
        else:
            counts = [repository.count(flt, today=today) for flt in mine_filters]
        counted = dict(zip(filters, counts, strict=True))
        for rule in ruleset:
            failing = failures.get(rule.id)
            if failing is None or not counted[failing]:
                results.append(RuleResult(rule, counted[rule.scope], ()))
                continue
            found = (
                uow.parties.find(_within(failing, mine), today=today, order_by=["id"], limit=limit)
                if limit != 0
                else []
            )
            shown = visible_only(found, actor, machine)
            findings = tuple(Finding(rule, party, None, today) for party in shown)
            results.append(
                RuleResult(rule, counted[rule.scope], findings, counted_failing=counted[failing])
            )
    return Report(ruleset, tuple(results), counted[Filter.all()], (), today, lang)


def _within(flt: Filter, mine: Filter | None) -> Filter:
    """``flt``, and with an actor also the statuses that actor may see."""
    return flt if mine is None else flt & mine


__all__ = ["check_store"]
