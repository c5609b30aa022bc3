"""The app's routes under /api/v1: one router per area."""

from ninja import Router

from . import outbreak_api, readiness_api

router = Router()
router.add_router("", outbreak_api.router)
router.add_router("", readiness_api.router)
