"""The steering and supervision web app (tender §6.5), served under ``/admin``."""

from ._accounts import CARSAT_REGIONS, ROLES, AccountError, Accounts, User
from ._app import create_admin_app
from ._sentences import PublishedSentences, SentenceError, Sentences

__all__ = [
    "CARSAT_REGIONS",
    "ROLES",
    "AccountError",
    "Accounts",
    "PublishedSentences",
    "SentenceError",
    "Sentences",
    "User",
    "create_admin_app",
]
