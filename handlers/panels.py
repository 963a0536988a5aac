"""Evaluation panels: /panel names the evaluators of a project's round, or lists them.

`/panel <CODE> @a @b 123` names the panel (replacing the earlier one; anyone whose unit
leads or follows the project is refused, naming the conflict); `/panel <CODE> opinion on|off`
requires a written opinion from each evaluator; `/panel <CODE>` shows the panel.
"""

from __future__ import annotations

from bot.domain.keywords import on_off
from bot.domain.normalize import token
from bot.i18n import N_
from bot.render.panels import panel_text
from bot.render.text import esc
from bot.services import panels as service
from bot.services import people
from bot.telegram.commands import Call, CommandSpec, Reply, UsageError, parse_person

OPINION_WORDS = {"opinion", "意见", "评审意见", "书面意见"}


def panel(call: Call) -> Reply:
    """Show, name, or set the opinion rule of a project's evaluation panel."""
    words = call.words()
    if not words:
        raise UsageError()
    code, rest = words[0], words[1:]
    if not rest:
        return Reply(text=panel_text(service.completion(call.services, code), call.tr))
    if token(rest[0]).casefold() in OPINION_WORDS:
        on = on_off(rest[1]) if len(rest) == 2 else None
        if on is None:
            raise UsageError()
        done = service.set_opinion(call.services, code, on, call.user.user_id, call.now)
        call.audit_detail.update(done.audit)
        text = (
            "Each evaluator of {code} must now give a written opinion."
            if on
            else "A written opinion is no longer required for {code}."
        )
        return Reply(text=call.tr(text, code=esc(done.project.code)))
    who = [parse_person(w) for w in rest]
    if any(w is None for w in who):
        raise UsageError()
    user_ids = [people.find_user(call.services, w) for w in who if w is not None]
    named = service.name_panel(call.services, code, user_ids, call.user.user_id, call.now)
    call.audit_detail.update(named.audit)
    return Reply(
        text=call.tr(
            "Evaluation panel of {code}: {names}",
            code=esc(named.project.code),
            names=call.tr.join(esc(n) for n in named.names),
        )
        + "\n"
        + call.tr("Only they may score {code}.", code=esc(named.project.code))
    )


_TEXTS = (
    N_("Each evaluator of {code} must now give a written opinion."),
    N_("A written opinion is no longer required for {code}."),
    N_("Evaluation panel of {code}: {names}"),
    N_("Only they may score {code}."),
    N_("{name} ({unit} leads the project)"),
    N_("{name} ({unit} follows the project)"),
    N_("Panel: {done}/{size} scored."),
    N_("Not yet scored: {names}."),
    N_("A written opinion is required."),
    N_("{code} has no evaluation panel; the whole evaluation group may score it."),
)

COMMANDS = [
    CommandSpec(
        "panel",
        panel,
        N_("name or show a project's evaluation panel"),
        N_("/panel <CODE> [<@username|user id> ...] | /panel <CODE> opinion on|off"),
        N_("/panel BJ-01 @mei @li"),
        role="admin",
        writes=True,
        separator=" ",
    ),
]
