"""Completeness check speed: the built-in rule pack against hand-written lambdas, same run.

Target: ``check()`` over sample parties within 1.5x the same rules written as
hand-written Python lambdas, run in the same loop shape (filter the parties in scope,
keep those that fail). What is timed, and what is not:

- "lambdas": for each rule, ``list(filter(scope, parties))`` then
  ``list(filterfalse(require, in_scope))``, with hand-written scope and requirement
  functions (identifiers checked with the same validators the filters use).
- "check()": the whole ``check(parties, rules, today)`` call: compiling every scope and
  requirement once, running the compiled predicates, building the report with one
  ``Finding`` per failure. Rules that share a scope share the parties in scope, which
  the lambda loop does not do; the "predicates" line shows the compiled predicates in
  exactly the lambdas' loop, without that sharing and without building the report.
- Explanations are not in either time: ``check()`` computes them lazily. Their cost is
  timed separately, for every failure, on its own line.
- ``contact_location`` (a contact at a location that does not exist) cannot fail on a
  party, which refuses such a contact when it is built; its lambda, like ``check()``,
  does not look, and its compiled "predicate" is a constant.

Every run starts cold: the compile caches are cleared before it, so ``check()`` compiles
its rules each time, as a fresh process would.

Usage: ``python bench/bench_completeness.py [--sizes 10000,100000] [--runs 5]``. It
prints the medians, spreads and ratios at every size, the growth per 10x and a
verdict against the 1.5x target.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from itertools import filterfalse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from clientcore.completeness import NoIssue, check, default_rules
from clientcore.model import bsn, eid_card_number, email, enterprise_number, kvk_number
from clientcore.model import national_number as national_number_id

from _common import arguments, growth, header, measure, row, sample_parties, verdict

TARGET = 1.5
TODAY = dt.date(2026, 1, 1)
ACTIVE = frozenset({"acceptance_draft", "acceptance_pending", "acceptance_central_admin", "client"})


def hand_written_rules(today: dt.date) -> list[tuple[str, object, object]]:
    """The built-in pack as a developer would write it by hand."""
    aml_limit = today - dt.timedelta(days=365 * 5)

    def active_task(p, code):
        return any(t.code == code and t.active for t in p.tasks)

    def country(p):
        return p.address.country if p.address is not None else None

    def home(p):  # Belgian, or no country at all: the firm's home country
        return country(p) in ("BE", None, "")

    def valid(ident, value, p):
        return bool(value) and ident.is_valid(value, country(p))

    return [
        (
            "closing",
            lambda p: p.kind == "client_company" and p.status == "client",
            lambda p: active_task(p, "closing"),
        ),
        (
            "vat",
            lambda p: p.status == "client" and p.vat_liable is True,
            lambda p: active_task(p, "vat"),
        ),
        (
            "vat_task_not_liable",
            lambda p: p.status == "client" and active_task(p, "vat"),
            lambda p: p.vat_liable is True,
        ),
        (
            "national_number",
            lambda p: p.kind == "client_person" and p.status in ACTIVE and home(p),
            lambda p: valid(national_number_id, p.national_number, p),
        ),
        (
            "bsn",
            lambda p: p.kind == "client_person" and p.status in ACTIVE and country(p) == "NL",
            lambda p: valid(bsn, p.bsn, p),
        ),
        (
            "eid",
            lambda p: p.kind == "client_person" and p.status in ACTIVE and home(p),
            lambda p: (
                p.eid is not None
                and valid(eid_card_number, p.eid.card_number, p)
                and p.eid.valid_until is not None
                and p.eid.valid_until >= today
            ),
        ),
        (
            "enterprise_number",
            lambda p: p.kind == "client_company" and p.status in ACTIVE and home(p),
            lambda p: valid(enterprise_number, p.enterprise_number, p),
        ),
        (
            "kvk_number",
            lambda p: p.kind == "client_company" and p.status in ACTIVE and country(p) == "NL",
            lambda p: valid(kvk_number, p.kvk_number, p),
        ),
        ("email", lambda p: p.status in ACTIVE, lambda p: bool(p.email)),
        (
            "email_valid",
            lambda p: p.status in ACTIVE and bool(p.email),
            lambda p: valid(email, p.email, p),
        ),
        ("portal_email", lambda p: p.portal.enabled is True, lambda p: bool(p.email)),
        (
            "aml",
            lambda p: p.status in ACTIVE,
            lambda p: (
                p.aml is not None
                and bool(p.aml.risk)
                and p.aml.verified_on is not None
                and p.aml.verified_on >= aml_limit
            ),
        ),
        ("partner", lambda p: p.status in ACTIVE, lambda p: bool(p.staff.partner)),
        ("client_until", lambda p: p.status == "client", lambda p: p.client_until is None),
        (
            "former_client_tasks",
            lambda p: p.status == "former_client",
            lambda p: not any(t.active for t in p.tasks),
        ),
        ("contact_location", lambda p: True, lambda p: True),
    ]


def run_rules(parties, rules):
    """The loop both the lambdas and the bare compiled predicates run in."""
    out = []
    for rule_id, scope, require in rules:
        in_scope = list(filter(scope, parties))
        out.append((rule_id, len(in_scope), list(filterfalse(require, in_scope))))
    return out


def _always(record: object) -> bool:
    return True


def main() -> None:
    args = arguments(__doc__)
    header("completeness: check() against the same rules as hand-written lambdas", args.runs)
    rules = default_rules()
    hand = hand_written_rules(TODAY)
    assert [r[0] for r in hand] == list(rules.ids), "the lambdas must cover the pack"
    compiled = [
        (
            r.id,
            r.scope.compile(today=TODAY),
            _always if isinstance(r.require, NoIssue) else r.require.compile(today=TODAY),
        )
        for r in rules
    ]
    # email_valid runs the e-mail validator (tens of microseconds a call) on most parties:
    # it dominates the whole pack, lambdas and check() alike, and so hides the engine's
    # own cost. The pack without it shows that cost.
    lean = rules.without("email_valid")
    lean_hand = [r for r in hand if r[0] != "email_valid"]
    lean_compiled = [r for r in compiled if r[0] != "email_valid"]

    costs: dict[str, dict[int, float]] = {"the whole pack": {}, "without email_valid": {}}
    base: dict[str, dict[int, float]] = {"the whole pack": {}, "without email_valid": {}}
    ratios: dict[str, dict[int, float]] = {"the whole pack": {}, "without email_valid": {}}
    for count in args.sizes:
        parties = sample_parties(count)
        report = check(parties, rules, TODAY)
        by_hand = run_rules(parties, hand)
        for result, (rule_id, in_scope, failing) in zip(report.results, by_hand):
            assert (result.rule.id, result.in_scope, result.failing) == (
                rule_id,
                in_scope,
                len(failing),
            ), f"{rule_id}: the lambdas and the rule disagree"
        findings = list(report.findings())
        print(f"  {count:,} parties ({len(findings):,} failures of the whole pack)")
        for label, pack, pack_hand, pack_compiled in (
            ("the whole pack", rules, hand, compiled),
            ("without email_valid", lean, lean_hand, lean_compiled),
        ):
            times = measure(
                {
                    "lambdas": lambda parties=parties, h=pack_hand: run_rules(parties, h),
                    "predicates": lambda parties=parties, c=pack_compiled: run_rules(parties, c),
                    "check": lambda parties=parties, pack=pack: check(parties, pack, TODAY),
                },
                args.runs,
            )
            costs[label][count] = times["check"].median
            base[label][count] = times["lambdas"].median
            ratios[label][count] = times["check"].median / times["lambdas"].median
            print(f"   {label}: {len(pack)} rules")
            print(row("hand-written lambdas", times["lambdas"]))
            print(row("compiled predicates, same loop", times["predicates"], times["lambdas"]))
            print(row("check() end to end (cold)", times["check"], times["lambdas"]))
        started = time.perf_counter()
        for finding in findings:
            finding.reasons("en")
        explaining = time.perf_counter() - started
        print(
            f"    explanations, in none of the times above: {explaining * 1000:.0f} ms for all "
            f"{len(findings):,} failures ({explaining / max(len(findings), 1) * 1e6:.0f} us each)"
        )
    for label in costs:
        print(f"  growth of check(), {label}: {growth(costs[label])}")
        print(f"  growth of the lambdas, {label}: {growth(base[label])}")
    whole = max(ratios["the whole pack"].values())
    lean_worst = max(ratios["without email_valid"].values())
    print(
        f"  verdict: the whole pack at worst {whole:.2f}x, target <= {TARGET}x: "
        f"{verdict(whole <= TARGET)} (without email_valid at worst {lean_worst:.2f}x)"
    )


if __name__ == "__main__":
    main()
