"""Why the time-poll service refuses: each a catalog message said in the reader's language
(bot.services.refused). Kept apart from bot.services.polls, which raises them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.i18n import N_
from bot.services.refused import Refused

if TYPE_CHECKING:
    from bot.render.polls import PollCard


class NoUnits(Refused):
    """A poll with nobody to ask."""

    message = N_("No member unit is registered yet: add units with /unit_add first.")


class SameTimeTwice(Refused):
    """Two slots starting at the same time."""

    message = N_("{when} is offered twice; give each time once.")


class NoPoll(Refused):
    """No poll with this number."""

    message = N_("There is no time poll #{id}.")


class PollGone(Refused):
    """A button naming a poll or slot that does not exist."""

    message = N_("This button is not valid any more.")


class PollClosed(Refused):
    """A press on a closed poll; carries the card as it now stands."""

    message = N_("This time poll is closed.")

    def __init__(self, card: PollCard) -> None:
        super().__init__()
        self.card = card


class AlreadyClosed(Refused):
    """/meeting_poll_close on a closed poll."""

    message = N_("Time poll #{id} is already closed: it became meeting #{meeting}.")


class NoSlot(Refused):
    """A slot number the poll does not have."""

    message = N_("Time poll #{id} has no time {no}; choose 1 to {n}.")


class SlotPassed(Refused):
    """A slot chosen that has already begun."""

    message = N_("Time {no} ({when}) has already begun; choose a later one.")


class AllPassed(Refused):
    """Every slot of the poll has begun."""

    message = N_("Every time offered by poll #{id} has passed; start a new poll.")


class NoUnit(Refused):
    """The presser belongs to no member unit."""

    message = N_(
        "You belong to no member unit, so you cannot answer for one. An admin sets it with /role."
    )


class NotAsked(Refused):
    """The presser's unit was not asked."""

    message = N_("{unit} was not asked in time poll #{id}.")
