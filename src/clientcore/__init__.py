"""clientcore: the client registry of accounting, tax and audit firms.

The names a user needs first live here; the subpackages hold the rest:
:mod:`clientcore.model` (parties, identifiers, field catalogue, rows),
:mod:`clientcore.query` (filters, saved filters, search), :mod:`clientcore.status`
(the status machine), :mod:`clientcore.bulk` (bulk plans),
:mod:`clientcore.ports` and :mod:`clientcore.adapters` (storage),
:mod:`clientcore.testing` (the contract suite for a host's repository).

>>> import clientcore as cc
>>> p = cc.Party(kind=cc.PartyKind.CLIENT_PERSON, name="Jan Peeters")
>>> p.status
<ClientStatus.SUSPECT: 'suspect'>
"""

from clientcore._errors import (
    ClientCoreError,
    ConflictError,
    FilterError,
    Issue,
    NotFound,
    PermissionDenied,
    TransitionDenied,
    UnknownField,
    ValidationError,
)
from clientcore.adapters.memory import InMemoryStore, InMemoryUnitOfWork
from clientcore.bulk import BulkPlan, FieldsChanged, Preview, Receipt
from clientcore.completeness import Report, Rule, RuleSet, Severity, check, default_rules
from clientcore.model import (
    Acceptance,
    Actor,
    Address,
    AmlProfile,
    Billing,
    ChecklistItem,
    ClientStatus,
    ContactPerson,
    CustomField,
    DebtorCard,
    EidCard,
    GeneralCorrespondence,
    Link,
    LinkKind,
    Location,
    Party,
    PartyKind,
    Portal,
    Schema,
    StaffRoles,
    Task,
    TaskPreset,
    default_schema,
    from_row,
    read_csv,
    to_row,
    validate_party,
)
from clientcore.query import F, Filter, Today
from clientcore.status import (
    Decision,
    Reason,
    RolePolicy,
    StatusChanged,
    StatusFacts,
    StatusMachine,
    StatusPolicy,
    status_history,
    status_label,
)

__version__ = "0.1.0"

__all__ = [
    "Acceptance",
    "Actor",
    "Address",
    "AmlProfile",
    "Billing",
    "BulkPlan",
    "ChecklistItem",
    "ClientCoreError",
    "ClientStatus",
    "ConflictError",
    "ContactPerson",
    "CustomField",
    "DebtorCard",
    "Decision",
    "EidCard",
    "F",
    "FieldsChanged",
    "Filter",
    "FilterError",
    "GeneralCorrespondence",
    "InMemoryStore",
    "InMemoryUnitOfWork",
    "Issue",
    "Link",
    "LinkKind",
    "Location",
    "NotFound",
    "Party",
    "PartyKind",
    "PermissionDenied",
    "Portal",
    "Preview",
    "Reason",
    "Receipt",
    "Report",
    "RolePolicy",
    "Rule",
    "RuleSet",
    "Schema",
    "Severity",
    "StaffRoles",
    "StatusChanged",
    "StatusFacts",
    "StatusMachine",
    "StatusPolicy",
    "Task",
    "TaskPreset",
    "Today",
    "TransitionDenied",
    "UnknownField",
    "ValidationError",
    "__version__",
    "check",
    "default_rules",
    "default_schema",
    "from_row",
    "read_csv",
    "status_history",
    "status_label",
    "to_row",
    "validate_party",
]
