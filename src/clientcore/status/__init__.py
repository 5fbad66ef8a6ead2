"""Client statuses: the transition table, who may take and see what, and the audit trail.

A :class:`StatusMachine` evaluates and applies the transitions of :data:`TABLE` under a
:class:`StatusPolicy` (the shipped :class:`RolePolicy` reads a role table); every change
yields a :class:`StatusChanged` event, and every refusal says why in en, nl and fr.

>>> import datetime as dt
>>> from clientcore.model import Actor, Party
>>> from clientcore.status import RolePolicy, StatusMachine
>>> machine = StatusMachine(RolePolicy.default())
>>> ann, bob = Actor("ann", {"staff"}), Actor("bob", {"approver"})
>>> at = dt.datetime(2024, 3, 1, 9, 30)
>>> party = Party(id="p1", kind="client_company", name="Bakkerij Peeters BV",
...               status="acceptance_draft")
>>> party, event = machine.apply(ann, party, "submit_for_approval", at=at)
>>> decision = machine.evaluate(ann, party, "approve")
>>> decision.codes
('policy.transition_not_allowed', 'status.approval_role', 'status.four_eyes')
>>> decision.reasons[1].message("fr")
"'approve' exige le rôle 'approver'."
>>> party, event = machine.apply(bob, party, "approve", at=at)
>>> event.source.value, event.target.value, [a.actor for a in event.approvals]
('acceptance_pending', 'acceptance_central_admin', ['ann', 'bob'])
"""

from clientcore.status._docs import (
    RoleTable,
    label_table,
    permission_matrix,
    status_diagram,
    transition_table,
    visibility_matrix,
)
from clientcore.status._events import (
    Approval,
    ApprovalStep,
    StatusChanged,
    status_history,
    trail_submitter,
)
from clientcore.status._facts import StaticFacts, StatusFacts
from clientcore.status._labels import RESTRICTED, Restricted, status_label
from clientcore.status._machine import (
    SET_STATUS,
    STATUS_PATHS,
    Availability,
    StatusMachine,
    audit_trail,
)
from clientcore.status._policy import (
    EXTRA_TRANSITIONS,
    SYSTEM,
    RoleGrant,
    RolePolicy,
    StatusPolicy,
)
from clientcore.status._reasons import Decision, Reason
from clientcore.status._table import (
    ACCEPTANCE_STATUSES,
    CLIENT_KINDS,
    INITIAL_STATUSES,
    RELATION_KINDS,
    TABLE,
    TRANSITIONS,
    ApprovalRule,
    Effect,
    Guard,
    NoRunningProjects,
    TransitionDef,
    TransitionKind,
    TransitionTable,
    check_table,
)

__all__ = [
    "ACCEPTANCE_STATUSES",
    "CLIENT_KINDS",
    "EXTRA_TRANSITIONS",
    "INITIAL_STATUSES",
    "RELATION_KINDS",
    "RESTRICTED",
    "SET_STATUS",
    "STATUS_PATHS",
    "SYSTEM",
    "TABLE",
    "TRANSITIONS",
    "Approval",
    "ApprovalRule",
    "ApprovalStep",
    "Availability",
    "Decision",
    "Effect",
    "Guard",
    "NoRunningProjects",
    "Reason",
    "Restricted",
    "RoleGrant",
    "RolePolicy",
    "RoleTable",
    "StaticFacts",
    "StatusChanged",
    "StatusFacts",
    "StatusMachine",
    "StatusPolicy",
    "TransitionDef",
    "TransitionKind",
    "TransitionTable",
    "audit_trail",
    "check_table",
    "label_table",
    "permission_matrix",
    "status_diagram",
    "status_history",
    "status_label",
    "trail_submitter",
    "transition_table",
    "visibility_matrix",
]
