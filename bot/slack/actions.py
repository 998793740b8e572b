"""Action ids of buttons the Slack side sends outside any feature's own views."""

from __future__ import annotations

RETRY_TOGGLE = "toggle_retry"  # "Try again now" on a timed revert that failed
