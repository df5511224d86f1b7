"""检查考核: stored results of the quarterly inspection (models are added by the parts that need them)."""
from .probe_models import ProbeResult  # noqa: E402,F401
