"""Infection models, one module per area (imported here so Django finds them)."""

from .outbreak import *  # noqa: F403
from .readiness import *  # noqa: F403
