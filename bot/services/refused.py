"""Why a service will not make a change, said later in the reader's language.

A service knows why it refuses but not who reads the answer, so it raises `Refused` (or a
small subclass naming the case, e.g. `ProjectNotFound`) holding a catalog message and its
values; the dispatcher (or a handler adding context) turns it into text with `text(tr)`.
Services never import the Telegram glue's `Refusal`.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.i18n import N_, Tr

# A value filled into the message: plain (already escaped where it is user text), or
# rendered in the reader's language (a stage name, a list joined with 、).
Value = object | Callable[[Tr], str]


class Refused(Exception):
    """A change refused for a reason in the domain; nothing was changed.

    Subclasses set `message` (marked with N_ so the catalog check finds it); a plain
    Refused takes it as its first argument instead. `outcome` is what the audit records.
    """

    message = ""
    outcome = "refused"

    def __init__(self, message: str | None = None, /, **values: Value) -> None:
        self.message = message or type(self).message
        self.values = values
        super().__init__(self.message)

    def text(self, tr: Tr) -> str:
        """The reason in the reader's language."""
        values = {k: v(tr) if callable(v) else v for k, v in self.values.items()}
        return tr(self.message, **values)


class TooLong(Refused):
    """A field over its limit."""

    message = N_("Too long: keep each field under {n} characters.")

    def __init__(self, limit: int) -> None:
        super().__init__(n=limit)
