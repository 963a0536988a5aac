"""A project's lifecycle: /stage moves it along, /project_exit takes it out of the pilot
(the way out and the exit assessment, asked for with buttons and a guided form when missing)."""

from __future__ import annotations

from bot.domain.keywords import exit_way_word
from bot.domain.normalize import token
from bot.i18n import N_
from bot.render.project import exit_way_name, stage_name
from bot.render.text import esc
from bot.services import exits
from bot.services import projects as service
from bot.telegram.commands import (
    Button,
    ButtonSpec,
    Call,
    CommandSpec,
    Field,
    FollowUp,
    Refusal,
    Reply,
    UsageError,
)
from storage.projects import FINAL_STAGES, STAGES, parse_stage

EXIT = "project_exit"  # the command, and the action of its way-out buttons


def stage(call: Call) -> Reply:
    """Move a project forward along its lifecycle; exits and terminations are disclosed."""
    head, _sep, note = call.args.partition("|")
    words, note = [token(w) for w in head.split()], note.strip()
    if len(words) != 2:
        raise UsageError()
    target = parse_stage(words[1])
    if target is None:
        service.find(call.services, words[0])  # an unknown project is named first
        raise Refusal(
            call.tr(
                "Unknown stage {stage}. Stages: {stages}.",
                stage=esc(words[1][:40]),
                stages=call.tr.join(stage_name(call.tr, s) for s in STAGES),
            )
        )
    if target in FINAL_STAGES:
        way, assessment = _exit_parts(words[1], note)
        outcome = exits.exit_or_ask(
            call.services,
            words[0],
            target,
            way,
            assessment,
            call.user.user_id,
            call.now,
            call.chat.chat_id,
        )
        if isinstance(outcome, exits.ExitAsk):
            return _ask_exit(call, outcome)
        return _moved(call, outcome, target)
    moved = service.move_stage(
        call.services, words[0], target, note, call.user.user_id, call.now, call.chat.chat_id
    )
    return _moved(call, moved, target)


def _moved(call: Call, moved: service.StageMoved, target: str) -> Reply:
    """The reply to a move along the lifecycle (with the disclosure when this chat gets it)."""
    call.audit_detail.update(moved.audit)
    text = call.tr(
        "{code}: {old} → {new}.",
        code=esc(moved.before.code),
        old=stage_name(call.tr, moved.before.stage),
        new=stage_name(call.tr, target),
    )
    if moved.notice_here is not None:
        text += "\n\n" + moved.notice_here(call.tr)
    return Reply(text=text)


def _ask_exit(call: Call, asked: exits.ExitAsk) -> Reply:
    """An exit missing its way out (asked with buttons) or its assessment (asked as free
    text): the guided form of /project_exit opens, part-answered; nothing changed yet."""
    code = asked.project.code
    call.audit_detail.update({"project": code, "asked": "assessment" if asked.way else "way"})
    if asked.way is not None:
        prompt = _assessment_prompt(call, code, asked.way)
        return Reply(text=prompt, follow_up=FollowUp(EXIT, (code, asked.way), prompt))
    prompt = call.tr(
        "How does {code} leave the pilot? Press a button (or type the way out), then send the "
        "exit assessment; /cancel leaves it unchanged.",
        code=esc(code),
    )
    buttons = [[Button(exit_way_name(call.tr, w), EXIT, f"{code}|{w}")] for w in exits.EXIT_WAYS]
    return Reply(text=prompt, buttons=buttons, follow_up=FollowUp(EXIT, (code,), prompt))


def _assessment_prompt(call: Call, code: str, way: str) -> str:
    return call.tr(
        "{code} leaves the pilot: {way}. Send the exit assessment (your next message); it is "
        "disclosed with the exit. /cancel leaves the project unchanged.",
        code=esc(code),
        way=exit_way_name(call.tr, way),
    )


def project_exit(call: Call) -> Reply:
    """Move a project out of the pilot with the way out and the exit assessment (also the
    guided form /stage opens when they are missing)."""
    code, way_text, assessment = call.fields(3, 3, free={2})
    way = exit_way_word(way_text)
    if way is None:
        raise UsageError(
            call.tr(
                "The way out is one of: {ways}.",
                ways=call.tr.join(exit_way_name(call.tr, w) for w in exits.EXIT_WAYS),
            )
        )
    target = exits.stage_of_way(way)
    moved = exits.exit_project(
        call.services,
        code,
        target,
        way,
        assessment,
        call.user.user_id,
        call.now,
        call.chat.chat_id,
    )
    return _moved(call, moved, target)


def press_exit_way(call: Call, payload: str) -> Reply:
    """A way-out button under /stage's question: ask the exit assessment next."""
    code, _bar, way = payload.partition("|")
    asked = exits.ask(call.services, code, exits.stage_of_way(way), way)
    prompt = _assessment_prompt(call, asked.project.code, way)
    return Reply(
        text=prompt,
        edit=True,
        follow_up=FollowUp(EXIT, (asked.project.code, way), prompt),
    )


def _exit_parts(stage_word: str, note: str) -> tuple[str | None, str]:
    """(the way out, the exit assessment) from `/stage CODE exited | completed | text`; the
    way may be the stage word itself (完成退出, 主动退出) and is None when not named."""
    way = exit_way_word(stage_word)
    first, _bar, rest = note.partition("|")
    named = exit_way_word(first)
    if named is not None:
        return named, rest.strip()
    return way, note.strip()


COMMANDS = [
    CommandSpec(
        "stage",
        stage,
        N_("move a project to its next stage"),
        N_("/stage <CODE> <stage> [| <note>], /stage <CODE> exited | <way> | <assessment>"),
        N_("/stage BJ-01 running | approved"),
        role="admin",
        writes=True,
    ),
    CommandSpec(
        EXIT,
        project_exit,
        N_("move a project out of the pilot: the way out and the exit assessment"),
        N_("/project_exit <CODE> | <completed|withdrawn|terminated> | <exit assessment>"),
        N_("/project_exit BJ-01 | completed | targets met, exit report filed"),
        role="admin",
        writes=True,
        fields=(
            Field(N_("Project code?")),
            Field(N_("Way out: completed (完成退出), withdrawn (主动退出) or terminated (终止)?")),
            Field(N_("Exit assessment?")),
        ),
    ),
]

BUTTONS = [ButtonSpec(EXIT, press_exit_way, role="admin", writes=False)]

FIRERS = exits.FIRERS  # the admins' exit follow-up, planned and fired in bot.services.exits
