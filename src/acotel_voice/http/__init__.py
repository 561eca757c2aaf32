"""acotel_voice.http: the aiohttp service a callbot platform calls at each turn.

``create_app(config)`` holds every route; ``_auth`` the platform's credentials, ``_validate``
the checks on what the platform sends, ``_jambonz`` the jambonz webhooks, ``_background``
the background tasks, ``_workers`` the supervised worker processes, ``_openapi`` the
neutral API's description.
"""

from ._server import ServerConfig, create_app
from ._workers import run_workers

__all__ = ["ServerConfig", "create_app", "run_workers"]
