"""The app's routes under /api/v1: one router per area."""

from ninja import Router

from . import plan_api, safety_api

router = Router()
router.add_router("", plan_api.router)
router.add_router("", safety_api.router)
