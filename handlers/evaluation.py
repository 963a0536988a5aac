"""Professional evaluation: /evaluator, /evaluate, /evaluation, /evaluation_close.

Scores are private until the round closes: only admins and each score's author see them,
so /evaluate and /evaluation answer in private chats only.
"""

from __future__ import annotations

from bot.commands import Call, CommandSpec, Field, Refusal, Reply, UsageError, parse_number
from bot.i18n import N_
from bot.keywords import on_off
from bot.render.project import evaluation_result_line, evaluation_view, stage_name
from bot.render.text import esc
from handlers.projects import find_project
from handlers.roles import find_person_id
from storage import evaluations, people

COMMENT_LIMIT = 1000


def evaluator(call: Call) -> Reply:
    """Add someone to, or remove them from, the evaluation group."""
    words = call.words()
    if call.reply_to_user_id and len(words) == 1:
        words = [str(call.reply_to_user_id), *words]
    on = on_off(words[1]) if len(words) == 2 else None
    if on is None:
        raise UsageError()
    user_id = find_person_id(call, words[0])
    changed = evaluations.set_evaluator(call.db, user_id, on, call.now)
    call.audit_detail.update(target=user_id, evaluator=on)
    person = people.get_person(call.db, user_id)
    name = esc(person.display_name if person else str(user_id))
    if on:
        text = "{name} is an evaluator." if changed else "{name} already was an evaluator."
    else:
        text = "{name} is no longer an evaluator." if changed else "{name} was not an evaluator."
    return Reply(text=call.tr(text, name=name))


def evaluate(call: Call) -> Reply:
    """Score a project in evaluation on the four dimensions; replaceable until the round closes."""
    code, *raw, comment = call.fields(5, 6, free={5})
    parsed = [parse_number(s) for s in raw]
    numbers = [n for n in parsed if n is not None and 1 <= n <= 5]
    if len(numbers) != len(raw):
        raise UsageError(call.tr("Each score is a whole number from 1 to 5."))
    if not evaluations.is_evaluator(call.db, call.user.user_id):
        raise Refusal(call.tr("Only members of the evaluation group may score projects."))
    project = find_project(call, code)
    if evaluations.get_result(call.db, project.code) is not None:
        raise Refusal(call.tr("The evaluation of {code} is closed.", code=esc(project.code)))
    if project.stage != "evaluation":
        raise Refusal(
            call.tr(
                "{code} is not in professional evaluation (it is {stage}).",
                code=esc(project.code),
                stage=stage_name(call.tr, project.stage),
            )
        )
    if len(comment) > COMMENT_LIMIT:
        raise Refusal(call.tr("Too long: keep each field under {n} characters.", n=COMMENT_LIMIT))
    scores = (numbers[0], numbers[1], numbers[2], numbers[3])
    replaced = evaluations.put_scores(
        call.db, project.code, call.user.user_id, scores, comment, call.now
    )
    call.audit_detail.update(project=project.code, replaced=replaced)
    text = (
        "Your scores for {code} were replaced."
        if replaced
        else "Your scores for {code} are recorded."
    )
    return Reply(text=call.tr(text, code=esc(project.code)))


def evaluation(call: Call) -> Reply:
    """Admins: every score set; an evaluator: their own; everyone: the result once closed."""
    words = call.words()
    if len(words) != 1:
        raise UsageError()
    project = find_project(call, words[0])
    result = evaluations.get_result(call.db, project.code)
    sets = evaluations.all_scores(call.db, project.code)
    if call.user.role != "admin":
        sets = [s for s in sets if s.evaluator_id == call.user.user_id]
        if not sets and result is None:
            raise Refusal(call.tr("Scores stay private until the round closes."))
    named = []
    for s in sets:
        person = people.get_person(call.db, s.evaluator_id)
        named.append((person.display_name if person else str(s.evaluator_id), s))
    text = evaluation_view(project, named, result, call.tr)
    if result is not None:
        text += "\n" + evaluation_result_line(result, call.tr)
    return Reply(text=text)


def evaluation_close(call: Call) -> Reply:
    """Freeze a project's round and record the result."""
    words = call.words()
    if len(words) != 1:
        raise UsageError()
    project = find_project(call, words[0])
    if evaluations.get_result(call.db, project.code) is not None:
        raise Refusal(call.tr("The evaluation of {code} is closed.", code=esc(project.code)))
    result = evaluations.close_round(call.db, project.code, call.now, call.user.user_id)
    if result is None:
        raise Refusal(call.tr("Nobody has scored {code} yet.", code=esc(project.code)))
    call.audit_detail.update(project=project.code, count=result.count, means=list(result.means))
    return Reply(
        text=call.tr("Evaluation of {code} closed.", code=esc(project.code))
        + "\n"
        + evaluation_result_line(result, call.tr)
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
