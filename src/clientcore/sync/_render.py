"""The diff and its preview as text, HTML (Jupyter) and rows (pandas); counts on top.

>>> from clientcore.model import Party
>>> from clientcore.sync import diff
>>> d = diff([Party(id="p1", kind="client_person", name="An", email="an@example.be")],
...          [Party(id="x1", kind="client_person", name="An Peeters", email="an@example.be")])
>>> print(d.to_text())
new 0 · only ours 0 · duplicates 1 · conflicts 0 · probable 0 · invalid 0
duplicates
  p1 ⇄ #1 (email)  An
    name: An → An Peeters
>>> [r["field"] for r in d.to_rows()]
['name']
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Final

from clientcore._messages import define, render
from clientcore.model import Party

if TYPE_CHECKING:
    from clientcore.sync._diff import Match, SyncDiff
    from clientcore.sync._plan import SyncPlan, SyncPreview

define(
    {
        "sync.bucket.new": ("new", "enkel in import", "uniquement dans l'import"),
        "sync.bucket.only_ours": ("only ours", "enkel bij ons", "uniquement chez nous"),
        "sync.bucket.duplicates": ("duplicates", "dubbele klanten", "doublons"),
        "sync.bucket.conflicts": ("conflicts", "conflicten", "conflits"),
        "sync.bucket.probable": ("probable", "waarschijnlijk", "probables"),
        "sync.bucket.invalid": ("invalid", "ongeldig", "invalides"),
        "sync.returning": ("returning client", "terugkerende klant", "client de retour"),
        "sync.reason.keys_disagree": (
            "its keys point at different parties",
            "de sleutels wijzen naar verschillende partijen",
            "ses clés désignent des parties différentes",
        ),
        "sync.reason.key_shared": (
            "its keys point at several parties alike",
            "de sleutels wijzen allemaal naar meerdere partijen",
            "ses clés désignent toutes plusieurs parties",
        ),
        "sync.reason.several_records": (
            "several records point at this party",
            "meerdere records wijzen naar deze partij",
            "plusieurs enregistrements désignent cette partie",
        ),
    }
)

_BUCKETS: Final = ("new", "only_ours", "duplicates", "conflicts", "probable", "invalid")


def show(value: Any) -> str:
    """A raw value as a cell shows it: ``—`` for none, labels joined, dates ISO."""
    if value is None:
        return "—"
    if isinstance(value, frozenset):
        return ", ".join(sorted(value))
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(getattr(value, "value", value))


def _name(party: Party | None) -> str:
    return party.name if party is not None else ""


def counts_line(d: SyncDiff, lang: str = "en") -> str:
    """``new 3 · only ours 1 · ...`` in ``lang``."""
    counts = d.counts()
    return " · ".join(f"{render('sync.bucket.' + b, {}, lang)} {counts[b]}" for b in _BUCKETS)


def diff_text(d: SyncDiff, lang: str = "en", limit: int = 20) -> str:
    """The text report of a diff."""
    lines = [counts_line(d, lang)]
    for issue in d.notes:
        lines.append(f"! {issue.message(lang)}")

    def section(bucket: str, entries: list[str], total: int) -> None:
        if not total:
            return
        lines.append(render("sync.bucket." + bucket, {}, lang))
        lines.extend(entries)
        if total > limit:
            lines.append(f"  … {total - limit} more")

    section(
        "new",
        [
            f"  + {n.incoming.label}  {_name(n.incoming.party)}"
            + (f" [{n.language}]" if n.language else "")
            for n in d.new[:limit]
        ],
        len(d.new),
    )
    section(
        "only_ours",
        [f"  - {p.id}  {p.name} ({p.status.value})" for p in d.only_ours[:limit]],
        len(d.only_ours),
    )
    dup: list[str] = []
    for m in d.duplicates[:limit]:
        returning = f"  [{render('sync.returning', {}, lang)}]" if m.returning else ""
        dup.append(f"  {m.ours.id} ⇄ {m.incoming.label} ({m.key})  {m.ours.name}{returning}")
        for f in m.changed:
            dup.append(f"    {f.path}: {show(f.ours)} → {show(f.theirs)}")
    section("duplicates", dup, len(d.duplicates))
    section(
        "conflicts",
        [
            f"  ? {', '.join(r.label for r in c.incoming)} → "
            f"{', '.join(p.id for p in c.candidates)}: "
            f"{render('sync.reason.' + c.reason, {}, lang)}"
            + "".join(f"; {h.key} → {h.party_id}" for h in c.hits)
            for c in d.conflicts[:limit]
        ],
        len(d.conflicts),
    )
    section(
        "probable",
        [
            f"  ~ {p.incoming.label}  {_name(p.incoming.party)} ≈ "
            + ", ".join(f"{c.id} {c.name} ({score:g})" for c, score in p.candidates)
            for p in d.probable[:limit]
        ],
        len(d.probable),
    )
    section(
        "invalid",
        [
            f"  ✗ {i.incoming.label}  {_name(i.incoming.party)}: "
            + "; ".join(
                f"{x.path}: {x.message(lang)}" if x.path else x.message(lang) for x in i.issues
            )
            for i in d.invalid[:limit]
        ],
        len(d.invalid),
    )
    return "\n".join(lines)


def diff_rows(d: SyncDiff) -> list[dict[str, Any]]:
    """One row per entry, and per changed field of a duplicate: ``bucket``, ``record``
    (the row or position of the import), ``party_id``, ``name``, ``key``, ``field``,
    ``ours``, ``theirs``, ``state``, ``detail``."""
    rows: list[dict[str, Any]] = []

    def row(bucket: str, **values: Any) -> dict[str, Any]:
        base: dict[str, Any] = dict.fromkeys(
            ("record", "party_id", "name", "key", "field", "ours", "theirs", "state", "detail")
        )
        base.update(values)
        return {"bucket": bucket, **base}

    for n in d.new:
        rows.append(
            row("new", record=n.incoming.label, name=_name(n.incoming.party), detail=n.language)
        )
    for p in d.only_ours:
        rows.append(row("only_ours", party_id=p.id, name=p.name, detail=p.status.value))
    for m in d.duplicates:
        changed = m.changed
        for f in changed:
            rows.append(
                row(
                    "duplicates",
                    record=m.incoming.label,
                    party_id=m.ours.id,
                    name=m.ours.name,
                    key=m.key,
                    field=f.path,
                    ours=show(f.ours),
                    theirs=show(f.theirs),
                    state=f.state.value,
                    detail="returning" if m.returning else None,
                )
            )
        if not changed:
            rows.append(
                row(
                    "duplicates",
                    record=m.incoming.label,
                    party_id=m.ours.id,
                    name=m.ours.name,
                    key=m.key,
                    state="equal",
                    detail="returning" if m.returning else None,
                )
            )
    for c in d.conflicts:
        for h in c.hits:
            record = next(r for r in c.incoming if r.index == h.index)
            rows.append(
                row(
                    "conflicts",
                    record=record.label,
                    party_id=h.party_id,
                    name=_name(record.party),
                    key=h.key,
                    detail=c.reason,
                )
            )
    for pr in d.probable:
        for party, score in pr.candidates:
            rows.append(
                row(
                    "probable",
                    record=pr.incoming.label,
                    party_id=party.id,
                    name=_name(pr.incoming.party),
                    key="name",
                    detail=score,
                )
            )
    for inv in d.invalid:
        for issue in inv.issues:
            rows.append(
                row(
                    "invalid",
                    record=inv.incoming.label,
                    name=_name(inv.incoming.party),
                    field=issue.path,
                    state=issue.code,
                    detail=issue.message(),
                )
            )
    return rows


def _json_value(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return show(value)


def diff_json(d: SyncDiff) -> dict[str, Any]:
    """The diff as JSON-ready data: counts, then each bucket."""

    def record(r: Any) -> dict[str, Any]:
        return {"index": r.index, "row": r.row, "name": _name(r.party)}

    return {
        "counts": d.counts(),
        "keys": list(d.keys),
        "records": d.records,
        "notes": [i.to_dict() for i in d.notes],
        "new": [{**record(n.incoming), "language": n.language} for n in d.new],
        "only_ours": [
            {"party_id": p.id, "name": p.name, "status": p.status.value} for p in d.only_ours
        ],
        "duplicates": [
            {
                **record(m.incoming),
                "party_id": m.ours.id,
                "key": m.key,
                "returning": m.returning,
                "fields": [
                    {
                        "path": f.path,
                        "ours": _json_value(f.ours),
                        "theirs": _json_value(f.theirs),
                        "state": f.state.value,
                    }
                    for f in m.differences
                ],
            }
            for m in d.duplicates
        ],
        "conflicts": [
            {
                "records": [record(r) for r in c.incoming],
                "candidates": [p.id for p in c.candidates],
                "hits": [{"index": h.index, "key": h.key, "party_id": h.party_id} for h in c.hits],
                "reason": c.reason,
            }
            for c in d.conflicts
        ],
        "probable": [
            {
                **record(p.incoming),
                "candidates": [{"party_id": c.id, "score": s} for c, s in p.candidates],
            }
            for p in d.probable
        ],
        "invalid": [
            {
                **record(i.incoming),
                "party_ids": list(i.party_ids),
                "issues": [x.to_dict() for x in i.issues],
            }
            for i in d.invalid
        ],
    }


_STYLE: Final = (
    "<style>.cc-sync td,.cc-sync th{padding:2px 8px;text-align:left;vertical-align:top}"
    ".cc-sync .write{background:#fff3b0;font-weight:bold}"
    ".cc-sync .keep{color:#999}.cc-sync .same{color:#999}"
    ".cc-sync .counts span{margin-right:1em}</style>"
)


def _planned(plan: SyncPlan | None) -> set[tuple[str, str]]:
    if plan is None:
        return set()
    return {(o.party_id, path) for o in plan.overwrite_items for path, _ in o.values}


def _match_rows(m: Match, written: set[tuple[str, str]], planned: bool) -> str:
    esc = html.escape
    cells = []
    for f in m.changed:
        css = ""
        if planned:
            css = "write" if (m.ours.id, f.path) in written else "keep"
        cells.append(
            f'<tr class="{css}"><td></td><td>{esc(f.path)}</td><td>{esc(show(f.ours))}</td>'
            f"<td>{esc(show(f.theirs))}</td><td>{esc(f.state.value)}</td></tr>"
        )
    returning = " <i>(returning client)</i>" if m.returning else ""
    head = (
        f"<tr><td><b>{esc(m.ours.id)}</b> ⇄ {esc(m.incoming.label)}</td>"
        f"<td colspan='4'>{esc(m.ours.name)} <small>({esc(m.key)})</small>{returning}</td></tr>"
    )
    return head + "".join(cells)


def diff_html(d: SyncDiff, plan: SyncPlan | None = None, limit: int = 200) -> str:
    """The diff as HTML; with ``plan``, overwritten values highlighted, kept ones greyed."""
    esc = html.escape
    counts = d.counts()
    parts = [_STYLE, '<div class="cc-sync"><p class="counts">']
    parts.extend(f"<span><b>{counts[b]}</b> {esc(b.replace('_', ' '))}</span>" for b in _BUCKETS)
    parts.append("</p>")
    for issue in d.notes:
        parts.append(f"<p>⚠ {esc(issue.message())}</p>")
    written = _planned(plan)

    def table(title: str, header: Iterable[str], rows: list[str], total: int) -> None:
        if not total:
            return
        more = f"<p>… {total - limit} more</p>" if total > limit else ""
        heads = "".join(f"<th>{esc(h)}</th>" for h in header)
        parts.append(
            f"<details open><summary><b>{esc(title)}</b> ({total})</summary>"
            f"<table><thead><tr>{heads}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
            f"{more}</details>"
        )

    table(
        "new",
        ("record", "name", "kind", "language"),
        [
            f"<tr><td>{esc(n.incoming.label)}</td><td>{esc(_name(n.incoming.party))}</td>"
            f"<td>{esc(n.incoming.party.kind.value if n.incoming.party else '')}</td>"
            f"<td>{esc(n.language or '—')}</td></tr>"
            for n in d.new[:limit]
        ],
        len(d.new),
    )
    table(
        "only ours",
        ("party", "name", "status"),
        [
            f"<tr><td>{esc(p.id)}</td><td>{esc(p.name)}</td><td>{esc(p.status.value)}</td></tr>"
            for p in d.only_ours[:limit]
        ],
        len(d.only_ours),
    )
    table(
        "duplicates",
        ("party ⇄ record", "field", "ours", "theirs", "state"),
        [_match_rows(m, written, plan is not None) for m in d.duplicates[:limit]],
        len(d.duplicates),
    )
    table(
        "conflicts",
        ("records", "candidates", "why"),
        [
            f"<tr><td>{esc(', '.join(r.label for r in c.incoming))}</td>"
            f"<td>{esc(', '.join(f'{p.id} {p.name}' for p in c.candidates))}</td>"
            f"<td>{esc(render('sync.reason.' + c.reason, {}, 'en'))}: "
            f"{esc('; '.join(f'{h.key} → {h.party_id}' for h in c.hits))}</td></tr>"
            for c in d.conflicts[:limit]
        ],
        len(d.conflicts),
    )
    table(
        "probable",
        ("record", "name", "candidates (score)"),
        [
            f"<tr><td>{esc(p.incoming.label)}</td><td>{esc(_name(p.incoming.party))}</td>"
            f"<td>{esc(', '.join(f'{c.id} {c.name} ({s:g})' for c, s in p.candidates))}</td></tr>"
            for p in d.probable[:limit]
        ],
        len(d.probable),
    )
    table(
        "invalid",
        ("record", "name", "issues"),
        [
            f"<tr><td>{esc(i.incoming.label)}</td><td>{esc(_name(i.incoming.party))}</td>"
            f"<td>{esc('; '.join(f'{x.path}: {x.message()}' for x in i.issues))}</td></tr>"
            for i in d.invalid[:limit]
        ],
        len(d.invalid),
    )
    parts.append("</div>")
    return "".join(parts)


# --- the preview ---


def preview_text(p: SyncPreview, lang: str = "en", limit: int = 50) -> str:
    """The text report of a sync preview."""
    c = p.counts()
    lines = [
        f"sync plan {p.plan_id}: {c['create']} to create, {c['change']} to change, "
        f"{c['end']} to end, {c['remove']} to remove, {c['rejected']} rejected"
    ]
    for party in p.creations[:limit]:
        lines.append(f"  + {party.id}  {party.name} ({party.kind.value}, {party.status.value})")
    for change in p.changes[:limit]:
        lines.append(
            f"  ~ {change.party_id}  {change.path}: {show(change.before)} → {show(change.after)}"
        )
    if p.ends is not None:
        for change in p.ends.changes[:limit]:
            before, after = show(change.before), show(change.after)
            lines.append(f"  ⏹ {change.party_id}  {change.path}: {before} → {after}")
    for pid in p.removals[:limit]:
        lines.append(f"  - {pid}")
    for rejection in p.rejections[:limit]:
        for issue in rejection.issues:
            lines.append(f"  ✗ {rejection.party_id}  {issue.message(lang)}")
    return "\n".join(lines)


def preview_rows(p: SyncPreview) -> list[dict[str, Any]]:
    """One row per creation, change, end, removal and rejection reason."""
    rows: list[dict[str, Any]] = []
    for party in p.creations:
        rows.append(
            {"action": "create", "party_id": party.id, "field": None, "before": None,
             "after": party.name, "detail": party.status.value}
        )  # fmt: skip
    for change in p.changes:
        rows.append(
            {"action": "change", "party_id": change.party_id, "field": change.path,
             "before": show(change.before), "after": show(change.after), "detail": None}
        )  # fmt: skip
    if p.ends is not None:
        for change in p.ends.changes:
            rows.append(
                {"action": "end", "party_id": change.party_id, "field": change.path,
                 "before": show(change.before), "after": show(change.after), "detail": None}
            )  # fmt: skip
    for pid in p.removals:
        rows.append(
            {"action": "remove", "party_id": pid, "field": None, "before": None,
             "after": None, "detail": None}
        )  # fmt: skip
    for rejection in p.rejections:
        for issue in rejection.issues:
            rows.append(
                {"action": "rejected", "party_id": rejection.party_id, "field": issue.path,
                 "before": None, "after": None, "detail": issue.message()}
            )  # fmt: skip
    return rows


def preview_html(p: SyncPreview) -> str:
    """The preview as HTML: counts on top, then one table of everything it would do."""
    esc = html.escape
    c = p.counts()
    head = " ".join(f"<span><b>{n}</b> {esc(k)}</span>" for k, n in c.items())
    body = "".join(
        f'<tr class="{"keep" if r["action"] == "rejected" else "write"}">'
        f"<td>{esc(r['action'])}</td><td>{esc(r['party_id'])}</td>"
        f"<td>{esc(r['field'] or '')}</td><td>{esc(str(r['before'] or ''))}</td>"
        f"<td>{esc(str(r['after'] or ''))}</td><td>{esc(str(r['detail'] or ''))}</td></tr>"
        for r in preview_rows(p)[:500]
    )
    return (
        f'{_STYLE}<div class="cc-sync"><p class="counts"><b>Sync plan {esc(p.plan_id)}</b>: '
        f"{head}</p><table><thead><tr><th>action</th><th>party</th><th>field</th>"
        f"<th>before</th><th>after</th><th>detail</th></tr></thead><tbody>{body}</tbody>"
        "</table></div>"
    )
