"""The ASGI entry point uvicorn imports in each worker process."""

from __future__ import annotations

import os

from starlette.types import ASGIApp

from c360graph.api.app import create_app
from c360graph.config import load_settings
from c360graph.runtime.gc_policy import settle_for_serving

DEV_ENV = "C360_API_DEV"


def app_factory() -> ASGIApp:
    """The app for this worker, from the environment (`c360 serve` sets C360_API_DEV)."""
    app = create_app(load_settings(), dev=os.environ.get(DEV_ENV) == "1")
    settle_for_serving()
    return app
