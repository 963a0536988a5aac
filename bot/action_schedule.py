"""Moved to bot/services/action_reminders.py (the action-item service's timed rows).

Kept so callers outside the agenda cluster (handlers/holidays.py calls `replan` after the
calendar changes) work until the integrator points them at bot.services.action_reminders.
"""

from __future__ import annotations

from bot.services.action_reminders import DIGEST, DUE, arm_action, arm_digest, replan

__all__ = ["DIGEST", "DUE", "arm_action", "arm_digest", "replan"]
