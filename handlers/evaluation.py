"""Professional evaluation: /evaluator, /evaluate, /evaluation, /evaluation_close.

Scores are private until the round closes: only admins and each score's author see them,
so /evaluate and /evaluation answer in private chats only.
"""

from __future__ import annotations

from bot.domain.keywords import on_off
from bot.i18n import N_
from bot.render.panels import completion_line
from bot.render.project import evaluation_result_line, evaluation_view
from bot.render.text import esc
from bot.services import evaluation as service
from bot.services import people
from bot.telegram.commands import (
    Call,
    CommandSpec,
    Field,
    Reply,
    UsageError,
    parse_number,
    parse_person,
)


def evaluator(call: Call) -> Reply:
    """Add someone to, or remove them from, the evaluation group."""
    words = call.words()
    if call.reply_to_user_id and len(words) == 1:
        words = [str(call.reply_to_user_id), *words]
    on = on_off(words[1]) if len(words) == 2 else None
    who = parse_person(words[0]) if on is not None else None
    if on is None or who is None:
        raise UsageError()
    user_id = people.find_user(call.services, who)
    done = people.set_evaluator(call.services, user_id, on, call.now)
    call.audit_detail.update(done.audit)
    if on:
        text = "{name} is an evaluator." if done.changed else "{name} already was an evaluator."
    else:
        text = (
            "{name} is no longer an evaluator." if done.changed else "{name} was not an evaluator."
        )
    return Reply(text=call.tr(text, name=esc(done.name)))


def evaluate(call: Call) -> Reply:
    """Score a project in evaluation on the four dimensions; replaceable until the round closes."""
    code, *raw, comment = call.fields(5, 6, free={5})
    parsed = [parse_number(s) for s in raw]
    numbers = [n for n in parsed if n is not None and 1 <= n <= 5]
    if len(numbers) != len(raw):
        raise UsageError(call.tr("Each score is a whole number from 1 to 5."))
    scores = (numbers[0], numbers[1], numbers[2], numbers[3])
    done = service.score(call.services, code, scores, comment, call.user.user_id, call.now)
    call.audit_detail.update(done.audit)
    text = (
        "Your scores for {code} were replaced."
        if done.replaced
        else "Your scores for {code} are recorded."
    )
    return Reply(text=call.tr(text, code=esc(done.project.code)))


def evaluation(call: Call) -> Reply:
    """Admins: every score set; an evaluator: their own; everyone: the result once closed."""
    words = call.words()
    if len(words) != 1:
        raise UsageError()
    shown = service.view(call.services, words[0], call.user)
    text = evaluation_view(shown.project, shown.sets, shown.result, call.tr)
    if shown.panel is not None:
        text += "\n" + completion_line(shown.panel, call.tr)
    if shown.result is not None:
        text += "\n" + evaluation_result_line(shown.result, call.tr)
    return Reply(text=text)


def evaluation_close(call: Call) -> Reply:
    """Freeze a project's round and record the result."""
    words = call.words()
    if len(words) != 1:
        raise UsageError()
    done = service.close(call.services, words[0], call.user.user_id, call.now)
    call.audit_detail.update(done.audit)
    return Reply(
        text=call.tr("Evaluation of {code} closed.", code=esc(done.project.code))
        + "\n"
        + evaluation_result_line(done.result, call.tr)
    )


_TEXTS = (
    N_("{name} is an evaluator."),
    N_("{name} already was an evaluator."),
    N_("{name} is no longer an evaluator."),
    N_("{name} was not an evaluator."),
    N_("Your scores for {code} were replaced."),
    N_("Your scores for {code} are recorded."),
)

COMMANDS = [
    CommandSpec(
        "evaluator",
        evaluator,
        N_("add or remove an evaluator"),
        N_("/evaluator <@username|user id> on|off"),
        N_("/evaluator @mei on"),
        role="admin",
        writes=True,
        separator=" ",
    ),
    CommandSpec(
        "evaluate",
        evaluate,
        N_("score a project in evaluation (evaluators)"),
        N_("/evaluate <CODE> | <1-5> | <1-5> | <1-5> | <1-5> [| comment]"),
        N_("/evaluate BJ-01 | 4 | 5 | 3 | 4 | clear investor safeguards"),
        role="member",
        writes=True,
        where="private",
        fields=(
            Field(N_("Project code?")),
            Field(N_("Innovation value (1-5)?")),
            Field(N_("Regulatory insight (1-5)?")),
            Field(N_("Risk control (1-5)?")),
            Field(N_("Investor protection (1-5)?")),
            Field(N_("Comment?"), optional=True),
        ),
    ),
    CommandSpec(
        "evaluation",
        evaluation,
        N_("a project's evaluation scores"),
        N_("/evaluation <CODE>"),
        N_("/evaluation BJ-01"),
        role="member",
        where="private",
    ),
    CommandSpec(
        "evaluation_close",
        evaluation_close,
        N_("close a project's evaluation round"),
        N_("/evaluation_close <CODE>"),
        N_("/evaluation_close BJ-01"),
        role="admin",
        writes=True,
    ),
]
