"""The area's routes under /api/v1."""

from ninja import Router

router = Router(tags=["日常照护"])
