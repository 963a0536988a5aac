"""Plan-change review: /change, /changes, /change_approve, /change_reject and the admins'
Approve / Reject buttons (Reject asks for the reason as a guided follow-up)."""

from __future__ import annotations

from bot.domain.normalize import token
from bot.i18n import N_
from bot.render.changes import listing_text
from bot.render.text import esc
from bot.services import changes as service
from bot.telegram.commands import (
    ButtonSpec,
    Call,
    CommandSpec,
    Field,
    FollowUp,
    Reply,
    UsageError,
)
from handlers._args import keep_attachments

REJECT_COMMAND = "change_reject"


def _number(text: str) -> int | None:
    text = token(text).lstrip("#")
    return int(text) if text.isdigit() and len(text) <= 9 else None


def change(call: Call) -> Reply:
    """File a plan-change request on a project the caller's unit follows."""
    code, what, why = call.fields(3, 3, free={1, 2})
    done = service.file(call.services, code, what, why, call.user, call.now)
    call.audit_detail.update(done.audit)
    text = call.tr(
        "Plan-change request #{n} on {code} filed; the secretariat will review it and "
        "you will be told the decision.",
        n=done.change.id,
        code=esc(done.project.code),
    )
    text += keep_attachments(call, "change", str(done.change.id), done.project.code)
    return Reply(text=text)


def changes_list(call: Call) -> Reply:
    """Plan-change requests with their state, newest first; of one project when named."""
    words = call.words()
    if len(words) > 1:
        raise UsageError()
    found = service.listing(call.services, words[0] if words else None)
    return Reply(text=listing_text(found, call.tr, call.services.config.tz))


def _decided_reply(call: Call, done: service.Decided, edit: bool) -> Reply:
    call.audit_detail.update(done.audit)
    if done.change.state == "approved":
        text = call.tr(
            "Plan-change request #{n} on {code} approved by {name}; disclosed.",
            n=done.change.id,
            code=esc(done.change.project_code),
            name=esc(call.user.display_name),
        )
    else:
        text = call.tr(
            "Plan-change request #{n} on {code} rejected by {name}; the requester is told why.",
            n=done.change.id,
            code=esc(done.change.project_code),
            name=esc(call.user.display_name),
        )
    return Reply(text=text, edit=edit, toast=text if edit else None)


def change_approve(call: Call) -> Reply:
    """Approve a plan-change request."""
    words = call.words()
    if len(words) != 1 or _number(words[0]) is None:
        raise UsageError()
    done = service.decide(call.services, _number(words[0]), True, "", call.user.user_id, call.now)
    return _decided_reply(call, done, edit=False)


def change_reject(call: Call) -> Reply:
    """Reject a plan-change request, with the reason."""
    head, _sep, reason = call.args.strip().partition(" ")
    number = _number(head) if head else None
    if number is None:
        raise UsageError()
    done = service.decide(call.services, number, False, reason, call.user.user_id, call.now)
    return _decided_reply(call, done, edit=False)


def press_approve(call: Call, payload: str) -> Reply:
    """The Approve button under a request."""
    number = int(payload) if payload.isdigit() else None
    done = service.decide(call.services, number, True, "", call.user.user_id, call.now)
    return _decided_reply(call, done, edit=True)


def press_reject(call: Call, payload: str) -> Reply:
    """The Reject button: ask the presser for the reason (their next message gives it)."""
    found = service.get(call.services, int(payload) if payload.isdigit() else None)
    prompt = call.tr(
        "Why is plan-change request #{n} on {code} rejected? Your next message is sent to "
        "the requester as the reason.",
        n=found.id,
        code=esc(found.project_code),
    )
    return Reply(text=prompt, follow_up=FollowUp(REJECT_COMMAND, (str(found.id),), prompt))


def press_file(call: Call, payload: str) -> Reply:
    """The button under a #change progress entry: start /change for that project."""
    code = esc(payload[:32])
    prompt = call.tr("What changes in the plan of {code}?", code=code)
    return Reply(text=prompt, follow_up=FollowUp("change", (payload[:32],), prompt))


COMMANDS = [
    CommandSpec(
        "change",
        change,
        N_("request a change to a project's plan, for the secretariat to review"),
        N_("/change <CODE> | <what changes> | <why>"),
        N_("/change BJ-01 | launch moved to March | the clearing interface needs retesting"),
        role="staff",
        writes=True,
        files=True,
        fields=(
            Field(N_("Project code?")),
            Field(N_("What changes in the plan?")),
            Field(N_("Why?")),
        ),
    ),
    CommandSpec(
        "changes",
        changes_list,
        N_("list plan-change requests and their state"),
        N_("/changes [CODE]"),
        N_("/changes BJ-01"),
        role="staff",
    ),
    CommandSpec(
        "change_approve",
        change_approve,
        N_("approve a plan-change request"),
        N_("/change_approve <n>"),
        N_("/change_approve 3"),
        role="admin",
        writes=True,
    ),
    CommandSpec(
        REJECT_COMMAND,
        change_reject,
        N_("reject a plan-change request, with the reason"),
        N_("/change_reject <n> <reason>"),
        N_("/change_reject 3 the risk assessment is missing"),
        role="admin",
        writes=True,
        separator=" ",
        fields=(Field(N_("Request number?")), Field(N_("Why is it rejected?"))),
    ),
]
BUTTONS = [
    ButtonSpec(service.APPROVE, press_approve, role="admin"),
    ButtonSpec(service.REJECT, press_reject, role="admin", writes=False),
    ButtonSpec(service.FILE, press_file, role="staff", writes=False),
]
