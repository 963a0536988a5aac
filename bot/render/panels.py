"""Evaluation panels as text: the panel, its completion, conflicts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.i18n import Tr
from bot.render.text import esc

if TYPE_CHECKING:
    from bot.services.panels import Completion


def completion_line(done: Completion, tr: Tr) -> str:
    """Panel completion: 3/5 scored, who is missing, and whether an opinion is required."""
    line = tr("Panel: {done}/{size} scored.", done=len(done.scored), size=done.size)
    if done.missing:
        line += "\n" + tr("Not yet scored: {names}.", names=tr.join(esc(n) for n in done.missing))
    if done.opinion_required:
        line += "\n" + tr("A written opinion is required.")
    return line


def panel_text(done: Completion, tr: Tr) -> str:
    """A project's panel: members (scored or not) and the opinion rule."""
    code = esc(done.project.code)
    if not done.size:
        head = tr(
            "{code} has no evaluation panel; the whole evaluation group may score it.", code=code
        )
        if done.opinion_required:
            head += "\n" + tr("A written opinion is required.")
        return head
    names = tr.join(esc(n) for n in [*done.scored, *done.missing])
    return (
        tr("Evaluation panel of {code}: {names}", code=code, names=names)
        + "\n"
        + completion_line(done, tr)
    )
