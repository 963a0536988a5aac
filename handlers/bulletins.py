"""Bulletins: /bulletin, /bulletin_publish, /bulletins, /bulletin_show, /bulletin_export,
/bulletin_schedule, and the Approve / Hold buttons of scheduled issues."""

from __future__ import annotations

import re

from bot.domain.keywords import (
    APPROVE_WORDS,
    MONTHLY_WORDS,
    OFF_WORDS,
    WEEKLY_WORDS,
    is_word,
    weekday_word,
)
from bot.domain.normalize import token
from bot.i18n import N_
from bot.render.bulletin import issue_label, render_sections, to_parts
from bot.render.dates import show_date, show_datetime
from bot.render.text import esc
from bot.services import bulletin_runs, bulletins
from bot.telegram.commands import (
    ButtonSpec,
    Call,
    CommandSpec,
    Document,
    Reply,
    UsageError,
    parse_number,
)
from storage.bulletins import Issue, Schedule

_TIME = re.compile(r"^([01]?\d|2[0-3])(?::([0-5]\d)|点(?:([0-5]?\d)分?|(半))?)$")
# An issue as typed: 2026/3, or as the bot shows it in Chinese, 2026年第3期.
_ISSUE = re.compile(r"^(\d{4})(?:/|年第)(\d{1,3})期?$")
# 每周五 / 每月1日 typed as one word: split the frequency from the day.
_GLUED = re.compile(r"^(每周|每星期|每个星期|每月|每个月)(.+)$")


def bulletin(call: Call) -> Reply:
    """The draft of the next issue, privately."""
    nxt = bulletins.draft(call.services, call.now)
    tz = call.services.config.tz
    sections = render_sections(nxt.data, call.tr, tz, nxt.year, nxt.number, draft=True)
    return Reply(sections=to_parts(sections, call.tr), private=True)


def bulletin_publish(call: Call) -> Reply:
    """Freeze the next issue and push it to every chat subscribed to bulletins."""
    issue = bulletins.publish_next(call.services, call.user.user_id, call.now)
    call.audit_detail.update(issue=f"{issue.year}/{issue.number}")
    return Reply(
        text=call.tr("Published {label}.", label=issue_label(call.tr, issue.year, issue.number))
    )


def bulletins_list(call: Call) -> Reply:
    """The archive of published issues."""
    issues = bulletins.issues(call.services)
    if not issues:
        return Reply(text=call.tr("No bulletin has been published yet."))
    lines = [call.tr("<b>Bulletins</b>")]
    for issue in issues:
        when = show_date(issue.published_at.astimezone(call.services.config.tz).date(), call.tr)
        lines.append(
            f"{issue_label(call.tr, issue.year, issue.number)} · {when} · "
            f"/bulletin_show {issue.year}/{issue.number}"
        )
    return Reply(text="\n".join(lines))


def find_issue(call: Call, ref: str) -> Issue:
    """An issue from 'year/n'; usage error if malformed, refusal if unknown."""
    match = _ISSUE.match(token(ref))
    if not match:
        raise UsageError()
    return bulletins.find_issue(call.services, int(match.group(1)), int(match.group(2)), ref)


def bulletin_show(call: Call) -> Reply:
    """One issue exactly as published, in this chat's language."""
    words = call.words()
    if len(words) != 1:
        raise UsageError()
    issue = find_issue(call, words[0])
    return Reply(sections=bulletins.issue_parts(call.services, issue, call.tr.lang))


def bulletin_export(call: Call) -> Reply:
    """One issue as a docx (default) or Markdown file."""
    words = call.words()
    if len(words) not in (1, 2) or (len(words) == 2 and words[1].lower() not in ("docx", "md")):
        raise UsageError()
    issue = find_issue(call, words[0])
    fmt = words[1].lower() if len(words) == 2 else "docx"
    _, config = call.tr, call.services.config
    # Imported here: python-docx costs every start-up ~35 ms and only exports need it.
    from bot.render.bulletin_doc import BulletinHead, to_docx, to_markdown

    head = BulletinHead(
        number=issue_label(_, issue.year, issue.number),
        day=issue.published_at.astimezone(config.tz).date(),
        name=config.bulletin_name_en if _.lang == "en" else config.bulletin_name,
    )
    sections = bulletins.issue_sections(call.services, issue, _.lang)
    data = to_docx(head, sections, _) if fmt == "docx" else to_markdown(head, sections, _)
    name = f"bulletin-{issue.year}-{issue.number:02d}.{fmt}"
    return Reply(document=Document(name, data, head.number))


def parse_schedule(words: list[str]) -> Schedule:
    """A schedule from 'weekly fri 16:00 [approve]', 'monthly 1 09:00 [approve]', or the
    Chinese '每周 周五 16:00 [审批]', '每周五 16点', '每月 1日 9:00 审批'."""
    words = [w.lower() for w in words]
    glued = _GLUED.match(words[0]) if words else None
    if glued:
        words = [glued.group(1), glued.group(2), *words[1:]]
    approve = bool(words) and words[-1] in APPROVE_WORDS
    words = words[:-1] if approve else words
    time_match = _TIME.match(words[2]) if len(words) == 3 else None
    if time_match is None:
        raise UsageError()
    hour, minute, cn_minute, half = time_match.groups()
    at = f"{int(hour):02d}:{int(minute or cn_minute or (30 if half else 0)):02d}"
    freq, day = words[0], words[1]
    weekday = _weekday(day)
    if freq in WEEKLY_WORDS and weekday is not None:
        return Schedule("weekly", weekday, at, approve)
    day_of_month = parse_number(day.removesuffix("日").removesuffix("号"))
    if freq in MONTHLY_WORDS and day_of_month is not None and 1 <= day_of_month <= 28:
        return Schedule("monthly", day_of_month, at, approve)
    raise UsageError()


def _weekday(day: str) -> int | None:
    """fri / friday / 周五 / 星期五, or the bare 五 left when 每周五 is split."""
    found = weekday_word(day)
    if found is None:
        found = weekday_word(f"周{day}") if len(day) == 1 else weekday_word(day[:3])
    return found


def bulletin_schedule(call: Call) -> Reply:
    """Set when the bot publishes by itself (optionally after approval), or turn it off."""
    words = call.words()
    if not words:
        raise UsageError()
    if len(words) == 1 and is_word(words[0], OFF_WORDS):
        bulletin_runs.set_schedule(call.services, None, call.user.user_id, call.now)
        call.audit_detail["schedule"] = "off"
        return Reply(text=call.tr("Scheduled bulletins are off."))
    rule = parse_schedule(words)
    due = bulletin_runs.set_schedule(call.services, rule, call.user.user_id, call.now)
    assert due is not None
    call.audit_detail.update(schedule=call.args)
    text = (
        "Bulletins now go out automatically after an admin approves; next run {when}."
        if rule.approve
        else "Bulletins now go out automatically; next issue {when}."
    )
    return Reply(text=call.tr(text, when=show_datetime(due, call.services.config.tz, call.tr)))


def _approval_id(payload: str) -> int | None:
    return int(payload) if payload.isdigit() else None


def approve(call: Call, payload: str) -> Reply:
    """Approve a scheduled issue: publish it now."""
    done = bulletins.decide(call.services, _approval_id(payload), "approved", call.user, call.now)
    call.audit_detail.update(done.audit)
    _, name = call.tr, esc(call.user.display_name)
    if done.issue is not None:
        label = issue_label(_, done.issue.year, done.issue.number)
        text = _("Approved by {name}: published {label}.", name=name, label=label)
    else:
        text = _(
            "Approved by {name}, but nothing new since the last issue: none was made.", name=name
        )
    return Reply(text=text, edit=True, toast=text)


def hold(call: Call, payload: str) -> Reply:
    """Hold a scheduled issue: nothing goes out until an admin publishes."""
    done = bulletins.decide(call.services, _approval_id(payload), "held", call.user, call.now)
    call.audit_detail.update(done.audit)
    text = call.tr(
        "Held by {name}. Publish with /bulletin_publish when ready.",
        name=esc(call.user.display_name),
    )
    return Reply(text=text, edit=True, toast=text)


_TEXTS = (
    N_("Bulletins now go out automatically after an admin approves; next run {when}."),
    N_("Bulletins now go out automatically; next issue {when}."),
)

COMMANDS = [
    CommandSpec(
        "bulletin",
        bulletin,
        N_("the draft of the next bulletin, privately"),
        N_("/bulletin"),
        N_("/bulletin"),
        role="staff",
    ),
    CommandSpec(
        "bulletin_publish",
        bulletin_publish,
        N_("publish the next bulletin issue"),
        N_("/bulletin_publish"),
        N_("/bulletin_publish"),
        role="admin",
        writes=True,
    ),
    CommandSpec(
        "bulletins", bulletins_list, N_("the bulletin archive"), N_("/bulletins"), N_("/bulletins")
    ),
    CommandSpec(
        "bulletin_show",
        bulletin_show,
        N_("one bulletin issue as published"),
        N_("/bulletin_show <year/n>"),
        N_("/bulletin_show 2026/3"),
    ),
    CommandSpec(
        "bulletin_export",
        bulletin_export,
        N_("a bulletin issue as a document"),
        N_("/bulletin_export <year/n> [docx|md]"),
        N_("/bulletin_export 2026/3 docx"),
    ),
    CommandSpec(
        "bulletin_schedule",
        bulletin_schedule,
        N_("publish bulletins on a schedule"),
        N_(
            "/bulletin_schedule weekly <mon..sun> <HH:MM> | monthly <1-28> <HH:MM> | off [approve]"
        ),
        N_("/bulletin_schedule weekly fri 16:00 approve"),
        role="admin",
        writes=True,
    ),
]

BUTTONS = [
    ButtonSpec("bl_ok", approve, role="admin"),
    ButtonSpec("bl_hold", hold, role="admin"),
]

FIRERS = bulletin_runs.FIRERS
ON_START = [bulletin_runs.on_start]
