"""Actions on a selection: QR cover pages, exports, address proposals, register links,
and the catalogue of what the grid's "Actions" button offers.

>>> from clientcore import Party
>>> from clientcore.actions import cover_page, parse_payload, register_links
>>> client = Party(kind="client_company", name="Bakkerij Peeters BV", number="C42",
...                enterprise_number="0403.170.701")
>>> parse_payload(cover_page(client, "invoices", tenant="acme").payload).client_number
'C42'
>>> [link.register for link in register_links(client)]
['kbo', 'nbb']
"""

from clientcore.actions._catalogue import (
    ACTION_IDS,
    ACTIONS,
    Action,
    Offer,
    Skipped,
    available_actions,
    missing_fields,
)
from clientcore.actions._cover import (
    MIN_KEY_BYTES,
    PAYLOAD_PREFIX,
    PAYLOAD_VERSION,
    CoverPage,
    CoverPayload,
    RefusedCover,
    RoutedDocument,
    Routing,
    cover_page,
    cover_pages,
    cover_pages_pdf,
    is_cover_payload,
    mod97_check,
    parse_payload,
    split_and_route,
)
from clientcore.actions._export import excel_safe, export, headers, resolve_columns
from clientcore.actions._registers import REGISTER_TEMPLATES, RegisterLink, register_links
from clientcore.actions._requests import (
    MAX_TIME_ENTRY_PARTIES,
    PERIODICITIES,
    REQUEST_TYPES,
    REQUEST_VERSION,
    SEND_MODES,
    ActionRequest,
    ActivateTask,
    AddCost,
    AddTimeEntries,
    CreateBillingProject,
    EmailSettings,
    SendEmail,
    incomplete_or_invalid,
    request_from_json,
)

__all__ = [
    "ACTIONS",
    "ACTION_IDS",
    "MAX_TIME_ENTRY_PARTIES",
    "MIN_KEY_BYTES",
    "PAYLOAD_PREFIX",
    "PAYLOAD_VERSION",
    "PERIODICITIES",
    "REGISTER_TEMPLATES",
    "REQUEST_TYPES",
    "REQUEST_VERSION",
    "SEND_MODES",
    "Action",
    "ActionRequest",
    "ActivateTask",
    "AddCost",
    "AddTimeEntries",
    "CoverPage",
    "CoverPayload",
    "CreateBillingProject",
    "EmailSettings",
    "Offer",
    "RefusedCover",
    "RegisterLink",
    "RoutedDocument",
    "Routing",
    "SendEmail",
    "Skipped",
    "available_actions",
    "cover_page",
    "cover_pages",
    "cover_pages_pdf",
    "excel_safe",
    "export",
    "headers",
    "incomplete_or_invalid",
    "is_cover_payload",
    "missing_fields",
    "mod97_check",
    "parse_payload",
    "register_links",
    "request_from_json",
    "resolve_columns",
    "split_and_route",
]
