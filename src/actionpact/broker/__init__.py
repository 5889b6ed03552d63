"""Pact Broker client: publish pacts, record deployments and ask can-i-deploy.

The client follows the broker's HAL links from its index and wraps an injected
``httpx.Client``. The local broker server lives in :mod:`actionpact.broker.server`.
"""

from __future__ import annotations

from actionpact.broker._client import BrokerClient
from actionpact.broker._hal import Link, Notice, Resource, expand_template, redact_url
from actionpact.broker._local import open_broker
from actionpact.broker._matrix import (
    CanIDeployQuery,
    Matrix,
    MatrixRow,
    Selector,
    format_matrix_table,
    matrix_query_params,
)
from actionpact.broker._publish import (
    Contract,
    PactFile,
    PublishResult,
    group_contracts,
    read_pact_file,
    read_pact_files,
)
from actionpact.broker._retry import RETRYABLE_STATUSES, RetryPolicy, parse_retry_after
from actionpact.broker._settings import (
    DEFAULT_LOCAL_DB,
    BrokerSettings,
    resolve_broker_settings,
)

__all__ = [
    "DEFAULT_LOCAL_DB",
    "RETRYABLE_STATUSES",
    "BrokerClient",
    "BrokerSettings",
    "CanIDeployQuery",
    "Contract",
    "Link",
    "Matrix",
    "MatrixRow",
    "Notice",
    "PactFile",
    "PublishResult",
    "Resource",
    "RetryPolicy",
    "Selector",
    "expand_template",
    "format_matrix_table",
    "group_contracts",
    "matrix_query_params",
    "open_broker",
    "parse_retry_after",
    "read_pact_file",
    "read_pact_files",
    "redact_url",
    "resolve_broker_settings",
]
