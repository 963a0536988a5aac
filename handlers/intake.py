"""Intake (项目征集): /call_new, /calls, /apply, /applications, /application,
/application_accept, /application_reject.

/apply is a guided form (call, project name, category, lead institution, contact, summary);
a document sent with /apply in its caption is kept as the application's material, and
/apply_file <n> in a document's caption adds one later.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from bot.domain.normalize import token
from bot.domain.timeparse import WhenError, parse_due
from bot.i18n import N_
from bot.render.dates import show_datetime
from bot.render.intake import application_text, applications_text, calls_text
from bot.render.text import esc
from bot.services import intake as service
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
    parse_number,
)
from handlers._args import keep_attachments
from storage.projects import CODE, parse_category

ACCEPT, REJECT = "application_accept", "application_reject"


def _number(text: str) -> int:
    n = parse_number(text.lstrip("#"))
    if n is None:
        raise UsageError()
    return n


def call_new(call: Call) -> Reply:
    """Open a call for projects until a deadline (the end of that day)."""
    title, when = call.fields(2, 2, free={0})
    tz = call.services.config.tz
    try:
        day = parse_due(when, call.now, tz)
    except WhenError:
        raise Refusal(
            call.tr("I could not read that deadline. Try 2026-12-31, next friday or 下周五.")
        ) from None
    deadline = datetime.combine(day + timedelta(days=1), time(0), tz)
    done = service.open_call(call.services, title, deadline, call.user.user_id, call.now)
    call.audit_detail.update(done.audit)
    return Reply(
        text=call.tr(
            "Call {n} opened: {title}. Applications until {deadline}; staff file them with "
            "/apply.",
            n=done.call.id,
            title=esc(done.call.title),
            deadline=show_datetime(done.call.deadline, tz, call.tr),
        )
    )


def calls(call: Call) -> Reply:
    """Every call with its deadline and application count."""
    if call.args.strip():
        raise UsageError()
    return Reply(text=calls_text(call.tr, call.services.config.tz, service.calls(call.services)))


def apply(call: Call) -> Reply:
    """File an application for one's unit (a document in the caption is kept with it)."""
    number, name, category_text, lead, contact, summary = call.fields(6, 6, free={1, 3, 4, 5})
    category = parse_category(category_text)
    if category is None:
        raise UsageError(call.tr("Category: business, public, tech or enablement (业务创新…)."))
    done = service.file_application(
        call.services,
        _number(number),
        (name, category, lead, contact, summary),
        call.user.unit_code,
        call.user.user_id,
        call.now,
    )
    call.audit_detail.update(done.audit)
    kept = keep_attachments(call, service.MATERIALS, str(done.application.id), None)
    text = call.tr(
        "Application {n} to call {call} is filed: {name}. The secretariat will tell you the "
        "outcome.",
        n=done.application.id,
        call=done.call.id,
        name=esc(done.application.name),
    )
    if kept:
        text += kept
    else:
        text += "\n" + call.tr(
            "To add materials, send a document with /apply_file {n} as its caption.",
            n=done.application.id,
        )
    return Reply(text=text)


def apply_file(call: Call) -> Reply:
    """Keep the document this command came with as an application's material."""
    words = call.words()
    if len(words) != 1:
        raise UsageError()
    if not call.attachments:
        raise Refusal(
            call.tr(
                "Send the document with /apply_file and the application number as its caption."
            )
        )
    target = service.material_target(
        call.services,
        _number(words[0]),
        call.user.user_id,
        call.user.unit_code,
        call.user.role == "admin",
    )
    call.audit_detail["application"] = target.id
    kept = keep_attachments(call, service.MATERIALS, str(target.id), target.project_code)
    return Reply(text=call.tr("Materials kept with application {n}.", n=target.id) + kept)


def applications(call: Call) -> Reply:
    """Applications of one call, or of all."""
    words = call.words()
    if len(words) > 1:
        raise UsageError()
    found = service.listing(call.services, _number(words[0]) if words else None)
    return Reply(text=applications_text(call.tr, found))


def application(call: Call) -> Reply:
    """One application in full, with Accept / Reject buttons while it is open."""
    words = call.words()
    if len(words) != 1:
        raise UsageError()
    shown = service.show(call.services, _number(words[0]))
    text = application_text(
        call.tr, call.services.config.tz, shown.application, shown.call, shown.materials
    )
    buttons = None
    if shown.application.state == "filed":
        n = str(shown.application.id)
        buttons = [
            [Button(call.tr("✅ Accept"), ACCEPT, n), Button(call.tr("❌ Reject"), REJECT, n)]
        ]
    return Reply(text=text, buttons=buttons)


def application_accept(call: Call) -> Reply:
    """Accept an application: the project is registered in selection under the code given."""
    words = call.args.replace("|", " ").split()
    if len(words) != 2:
        raise UsageError()
    number, code = token(words[0]), token(words[1])
    if not CODE.match(code):
        raise UsageError(call.tr("A project code is letters, digits and -, like BJ-17."))
    done = service.accept(call.services, _number(number), code, call.user.user_id, call.now)
    call.audit_detail.update(done.audit)
    assert done.project is not None
    return Reply(
        text=call.tr(
            "Application {n} accepted: project {code} registered in selection; the applicant "
            "is told.",
            n=done.application.id,
            code=esc(done.project.code),
        )
    )


def application_reject(call: Call) -> Reply:
    """Reject an application with a reason the applicant receives privately."""
    number, reason = call.fields(2, 2, free={1})
    done = service.reject(call.services, _number(number), reason, call.user.user_id, call.now)
    call.audit_detail.update(done.audit)
    return Reply(
        text=call.tr(
            "Application {n} rejected; the applicant is told the reason.", n=done.application.id
        )
    )


def accept_button(call: Call, payload: str) -> Reply:
    """The Accept button: ask for the project code."""
    prompt = call.tr("Project code for application {n} (e.g. BJ-17)?", n=esc(payload))
    return Reply(text=prompt, follow_up=FollowUp(ACCEPT, (token(payload),), prompt))


def reject_button(call: Call, payload: str) -> Reply:
    """The Reject button: ask for the reason."""
    prompt = call.tr("Reason for rejecting application {n}?", n=esc(payload))
    return Reply(text=prompt, follow_up=FollowUp(REJECT, (token(payload),), prompt))


COMMANDS = [
    CommandSpec(
        "call_new",
        call_new,
        N_("open a call for projects"),
        N_("/call_new <title> | <deadline>"),
        N_("/call_new Second batch of pilot projects | 2026-12-31"),
        role="admin",
        writes=True,
        fields=(Field(N_("Title of the call?")), Field(N_("Deadline (e.g. 2026-12-31, 下周五)?"))),
    ),
    CommandSpec(
        "calls",
        calls,
        N_("calls for projects and their deadlines"),
        N_("/calls"),
        N_("/calls"),
        role="staff",
    ),
    CommandSpec(
        "apply",
        apply,
        N_("file an application to a call for your unit"),
        N_(
            "/apply <call no> | <project name> | <category> | <lead institution> | <contact> | "
            "<summary>"
        ),
        N_(
            "/apply 1 | Bond trading risk radar | tech | Example Securities | Mei 138-0000 | "
            "Real-time monitoring of bond trades"
        ),
        role="staff",
        writes=True,
        files=True,
        fields=(
            Field(N_("Call number (see /calls)?")),
            Field(N_("Project name?")),
            Field(N_("Category (business, public, tech, enablement)?")),
            Field(N_("Lead institution?")),
            Field(N_("Contact (name and phone)?")),
            Field(N_("Summary?")),
        ),
    ),
    CommandSpec(
        "apply_file",
        apply_file,
        N_("add a document to an application (as the document's caption)"),
        N_("/apply_file <application no>"),
        N_("/apply_file 3"),
        role="staff",
        writes=True,
        files=True,
    ),
    CommandSpec(
        "applications",
        applications,
        N_("applications to calls"),
        N_("/applications [call no]"),
        N_("/applications 1"),
        role="admin",
    ),
    CommandSpec(
        "application",
        application,
        N_("one application with its materials"),
        N_("/application <application no>"),
        N_("/application 3"),
        role="admin",
    ),
    CommandSpec(
        ACCEPT,
        application_accept,
        N_("accept an application: the project enters selection"),
        N_("/application_accept <application no> <CODE>"),
        N_("/application_accept 3 BJ-17"),
        role="admin",
        writes=True,
        separator=" ",
        fields=(Field(N_("Application number?")), Field(N_("Project code?"))),
    ),
    CommandSpec(
        REJECT,
        application_reject,
        N_("reject an application with a reason"),
        N_("/application_reject <application no> | <reason>"),
        N_("/application_reject 3 | Outside the pilot's scope"),
        role="admin",
        writes=True,
        fields=(Field(N_("Application number?")), Field(N_("Reason?"))),
    ),
]

BUTTONS = [
    ButtonSpec(ACCEPT, accept_button, role="admin", writes=False),
    ButtonSpec(REJECT, reject_button, role="admin", writes=False),
]

FIRERS = service.FIRERS
