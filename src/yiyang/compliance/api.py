"""The app's routes under /api/v1."""

from ninja import Router

router = Router(tags=["监管与合规"])
