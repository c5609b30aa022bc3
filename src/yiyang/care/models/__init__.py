"""Care models, one module per area (imported here so Django finds them)."""

from .plans import *  # noqa: F403
from .safety import *  # noqa: F403
