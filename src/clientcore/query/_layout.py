"""Column layouts of the "all clients" grid: which columns show, in which order, and
which column groups are collapsed; saved per user as JSON.

Columns are the top-level fields of the catalogue, custom fields included
(``custom.<category>.<key>``, group ``custom:<category>``: add a category to run a
completeness test). An unknown column or group is refused with the nearest known one.

>>> from clientcore.model import CustomField
>>> schema = default_schema().with_custom(CustomField("kyc", "source_of_funds"))
>>> layout = ColumnLayout.default(schema).hide("email").move("name", 0)
>>> layout = layout.show_group("custom:kyc").collapse("address")
>>> layout.visible[:3], layout.visible[-1], "email" in layout.hidden
(('name', 'kind', 'number'), 'custom.kyc.source_of_funds', True)
>>> ColumnLayout.from_json(layout.to_json(), schema) == layout
True
>>> try:
...     layout.show("adress.city")
... except ValidationError as err:
...     print(err.issues[0].message("nl"))
Onbekende kolom 'adress.city'; bedoelde je 'address.city'?
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final

import attrs

from clientcore._errors import Issue, ValidationError
from clientcore._limits import check_input
from clientcore._messages import define
from clientcore.model import Actor, Schema, default_schema
from clientcore.query._saved import VERSION, StrictObject

if TYPE_CHECKING:
    from clientcore.ports import LayoutRepository

__all__ = [
    "DEFAULT_COLUMNS",
    "ColumnLayout",
    "InMemoryLayoutRepository",
    "LayoutBook",
]

#: The columns a new user sees, in catalogue order (those the schema has).
DEFAULT_COLUMNS: Final = (
    "number",
    "name",
    "kind",
    "status",
    "legal_form",
    "language",
    "vat_liable",
    "enterprise_number",
    "email",
    "phone",
    "address.city",
    "labels",
    "portfolio",
    "staff.partner",
)

define(
    {
        "layout.column.unknown": (
            "Unknown column '{column}'.",
            "Onbekende kolom '{column}'.",
            "Colonne inconnue '{column}'.",
        ),
        "layout.column.unknown_near": (
            "Unknown column '{column}'; did you mean '{suggestion}'?",
            "Onbekende kolom '{column}'; bedoelde je '{suggestion}'?",
            "Colonne inconnue '{column}' ; vouliez-vous dire '{suggestion}' ?",
        ),
        "layout.column.duplicate": (
            "Column '{column}' is listed twice.",
            "Kolom '{column}' staat er twee keer in.",
            "La colonne '{column}' figure deux fois.",
        ),
        "layout.column.not_visible": (
            "Column '{column}' is hidden: show it before moving it.",
            "Kolom '{column}' is verborgen: toon ze voor je ze verplaatst.",
            "La colonne '{column}' est masquée : affichez-la avant de la déplacer.",
        ),
        "layout.column.last": (
            "Column '{column}' is the last one shown; a grid needs at least one column.",
            "Kolom '{column}' is de laatste getoonde; een raster heeft minstens één kolom nodig.",
            "La colonne '{column}' est la dernière affichée ; une grille a besoin d'au moins "
            "une colonne.",
        ),
        "layout.visible.empty": (
            "A layout shows at least one column.",
            "Een indeling toont minstens één kolom.",
            "Une disposition affiche au moins une colonne.",
        ),
        "layout.group.unknown": (
            "Unknown column group '{group}'.",
            "Onbekende kolomgroep '{group}'.",
            "Groupe de colonnes inconnu '{group}'.",
        ),
        "layout.group.unknown_near": (
            "Unknown column group '{group}'; did you mean '{suggestion}'?",
            "Onbekende kolomgroep '{group}'; bedoelde je '{suggestion}'?",
            "Groupe de colonnes inconnu '{group}' ; vouliez-vous dire '{suggestion}' ?",
        ),
        "layout.index.out_of_range": (
            "Position {index} is outside the columns shown (0 to {last}).",
            "Positie {index} valt buiten de getoonde kolommen (0 tot {last}).",
            "La position {index} est hors des colonnes affichées (0 à {last}).",
        ),
    }
)


def _unknown(what: str, value: str, known: Iterable[str], path: str) -> Issue:
    """``layout.<what>.unknown``, or ``...unknown_near`` naming the nearest known value
    (the same closeness as :meth:`Schema.suggest <clientcore.model.Schema.suggest>`)."""
    close = difflib.get_close_matches(value, list(known), n=1, cutoff=0.6)
    if close:
        return Issue(f"layout.{what}.unknown_near", path, {what: value, "suggestion": close[0]})
    return Issue(f"layout.{what}.unknown", path, {what: value, "suggestion": ""})


def _layout_issues(
    schema: Schema, visible: Sequence[str], collapsed: Sequence[str], prefix: str
) -> list[Issue]:
    """Every unknown or repeated column and every unknown group, with its path."""
    issues: list[Issue] = []
    if not visible:
        issues.append(Issue("layout.visible.empty", f"{prefix}visible"))
    columns = _columns_of(schema)
    known = set(columns)
    seen: set[str] = set()
    for index, column in enumerate(visible):
        path = f"{prefix}visible[{index}]"
        if column not in known:
            issues.append(_unknown("column", column, columns, path))
        elif column in seen:
            issues.append(Issue("layout.column.duplicate", path, {"column": column}))
        seen.add(column)
    groups = schema.groups()
    for index, group in enumerate(collapsed):
        if group not in groups:
            issues.append(_unknown("group", group, groups, f"{prefix}collapsed[{index}]"))
    return issues


def _columns_of(schema: Schema) -> tuple[str, ...]:
    return tuple(f.path for f in schema.top_level())


def _default_visible(schema: Schema) -> tuple[str, ...]:
    wanted = set(DEFAULT_COLUMNS)
    columns = _columns_of(schema)
    # A host's own catalogue may lack every default column: then show its first ones.
    return tuple(path for path in columns if path in wanted) or columns[: len(DEFAULT_COLUMNS)]


def _as_tuple(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


def _as_frozenset(value: Iterable[str]) -> frozenset[str]:
    return frozenset(value)


@attrs.frozen
class ColumnLayout:
    """The columns of the grid for one user: shown (in order), hidden, collapsed groups.

    ``hidden`` is every other column of the ``schema``, in catalogue order, so a column
    the catalogue gains later starts hidden. Every change returns a new layout; an
    unknown column or group raises :class:`ValidationError` naming the nearest one.
    """

    visible: tuple[str, ...] = attrs.field(converter=_as_tuple)
    collapsed: frozenset[str] = attrs.field(factory=frozenset, converter=_as_frozenset)
    schema: Schema = attrs.field(factory=default_schema, eq=False, repr=False)
    hidden: tuple[str, ...] = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        issues = _layout_issues(self.schema, self.visible, sorted(self.collapsed), "")
        if issues:
            raise ValidationError(issues)
        shown = set(self.visible)
        hidden = tuple(c for c in _columns_of(self.schema) if c not in shown)
        object.__setattr__(self, "hidden", hidden)

    # --- building ---

    @classmethod
    def default(cls, schema: Schema | None = None) -> ColumnLayout:
        """The layout a new user gets: :data:`DEFAULT_COLUMNS` the schema has, in
        catalogue order; every other column hidden; no group collapsed."""
        schema = schema or default_schema()
        return cls(_default_visible(schema), frozenset(), schema)

    def reset(self, schema: Schema | None = None) -> ColumnLayout:
        """Back to :meth:`default` (for ``schema``, else this layout's schema)."""
        return ColumnLayout.default(schema or self.schema)

    # --- changing ---

    def show(self, column: str, at: int | None = None) -> ColumnLayout:
        """Show ``column`` at position ``at`` (default: last); a shown column moves there."""
        self._check_column(column)
        rest = [c for c in self.visible if c != column]
        if at is None:
            at = len(rest) if column not in self.visible else self.visible.index(column)
        self._check_index(at, len(rest))
        rest.insert(at, column)
        return attrs.evolve(self, visible=rest)

    def show_group(self, group: str) -> ColumnLayout:
        """Show every hidden column of ``group`` at the end, in catalogue order.

        Adds a category of custom fields (``custom:kyc``) in one go, to see at a glance
        which clients miss a value.
        """
        self._check_group(group)
        added = [c for c in self.hidden if self.group_of(c) == group]
        return attrs.evolve(self, visible=(*self.visible, *added))

    def hide(self, column: str) -> ColumnLayout:
        """Hide ``column``; hiding a hidden column changes nothing; the last shown one
        cannot be hidden."""
        self._check_column(column)
        if column not in self.visible:
            return self
        if len(self.visible) == 1:
            raise ValidationError([Issue("layout.column.last", "column", {"column": column})])
        return attrs.evolve(self, visible=[c for c in self.visible if c != column])

    def move(self, column: str, to_index: int) -> ColumnLayout:
        """Move a shown ``column`` to position ``to_index`` (0 is first)."""
        self._check_column(column)
        if column not in self.visible:
            raise ValidationError(
                [Issue("layout.column.not_visible", "column", {"column": column})]
            )
        return self.show(column, to_index)

    def collapse(self, group: str) -> ColumnLayout:
        """Collapse a column group: its columns stay chosen but are not displayed."""
        self._check_group(group)
        return attrs.evolve(self, collapsed=self.collapsed | {group})

    def expand(self, group: str) -> ColumnLayout:
        """Expand a collapsed column group again."""
        self._check_group(group)
        return attrs.evolve(self, collapsed=self.collapsed - {group})

    # --- reading ---

    def group_of(self, column: str) -> str:
        """The column group of ``column`` (``custom:<category>`` for a custom field)."""
        self._check_column(column)
        return self.schema.field(column).group

    def columns_in(self, group: str) -> tuple[str, ...]:
        """The shown columns of ``group``, in display order."""
        self._check_group(group)
        return tuple(c for c in self.visible if self.schema.field(c).group == group)

    def displayed(self) -> tuple[str, ...]:
        """The shown columns minus those of collapsed groups: what the grid draws."""
        if not self.collapsed:
            return self.visible
        return tuple(c for c in self.visible if self.schema.field(c).group not in self.collapsed)

    def groups(self) -> tuple[str, ...]:
        """The groups of the shown columns, in order of first appearance."""
        return tuple(dict.fromkeys(self.schema.field(c).group for c in self.visible))

    # --- JSON ---

    def to_json(self) -> dict[str, Any]:
        """``{"clientcore_columns": 1, "visible": [...], "collapsed": [...]}``.

        Hidden columns are not stored: they are every other column of the catalogue.
        """
        return {
            "clientcore_columns": VERSION,
            "visible": list(self.visible),
            "collapsed": sorted(self.collapsed),
        }

    @classmethod
    def from_json(cls, obj: Any, schema: Schema | None = None) -> ColumnLayout:
        """Decode a stored layout strictly against ``schema``.

        Unknown keys, wrong types, unknown or repeated columns and unknown groups raise
        one :class:`ValidationError` listing them all with their JSON path
        (``$.visible[3]``); an unknown column's issue suggests the nearest known one.
        The input is bounded first (:data:`~clientcore.errors.DEFAULT_LIMITS`).
        """
        check_input(obj)
        schema = schema or default_schema()
        reader = StrictObject(obj, "clientcore_columns", {"visible": list}, {"collapsed": list})
        visible = reader.text_list("visible")
        collapsed = reader.text_list("collapsed")
        if not reader.issues:
            reader.issues.extend(_layout_issues(schema, visible, collapsed, "$."))
        if reader.issues:
            raise ValidationError(reader.issues)
        return cls(visible, frozenset(collapsed), schema)

    # --- checks ---

    def _check_column(self, column: str) -> None:
        field = self.schema.get(column) if isinstance(column, str) else None
        if field is None or field.item_of is not None:
            columns = _columns_of(self.schema)
            raise ValidationError([_unknown("column", str(column), columns, "column")])

    def _check_group(self, group: str) -> None:
        groups = self.schema.groups()
        if group not in groups:
            raise ValidationError([_unknown("group", str(group), groups, "group")])

    def _check_index(self, index: int, size: int) -> None:
        if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index <= size:
            raise ValidationError(
                [Issue("layout.index.out_of_range", "index", {"index": index, "last": size})]
            )


class InMemoryLayoutRepository:
    """The reference :class:`LayoutRepository`: a dict of user id to JSON."""

    def __init__(self) -> None:
        self._items: dict[str, dict[str, Any]] = {}

    def get(self, user_id: str) -> Mapping[str, Any] | None:
        """The stored layout JSON of this user, or ``None``."""
        found = self._items.get(user_id)
        return None if found is None else dict(found)

    def put(self, user_id: str, layout: Mapping[str, Any]) -> None:
        """Store (or replace) this user's layout JSON (a copy)."""
        self._items[user_id] = dict(layout)

    def delete(self, user_id: str) -> None:
        """Forget this user's layout."""
        self._items.pop(user_id, None)


def _uid(user: str | Actor) -> str:
    return user.id if isinstance(user, Actor) else user


class LayoutBook:
    """Each user's column layout over a :class:`LayoutRepository`, read against ``schema``."""

    def __init__(self, repository: LayoutRepository, schema: Schema | None = None) -> None:
        self._repository = repository
        self._schema = schema or default_schema()

    def for_user(self, user: str | Actor) -> ColumnLayout:
        """The user's saved layout, or the default one when they saved none.

        A stored layout that no longer fits the schema (a custom field was removed)
        raises :class:`ValidationError`; :meth:`reset` starts that user afresh.
        """
        stored = self._repository.get(_uid(user))
        if stored is None:
            return ColumnLayout.default(self._schema)
        return ColumnLayout.from_json(stored, self._schema)

    def save(self, user: str | Actor, layout: ColumnLayout) -> ColumnLayout:
        """Keep ``layout`` as the user's layout."""
        self._repository.put(_uid(user), layout.to_json())
        return layout

    def reset(self, user: str | Actor) -> ColumnLayout:
        """Forget the user's layout; they get the default one again."""
        self._repository.delete(_uid(user))
        return ColumnLayout.default(self._schema)
