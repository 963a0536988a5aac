"""The dashboard's words: page strings plus the names the chat already translates.

`/api/i18n` sends them in the viewer's language as templates (`{n}` filled by the page),
so the page's text lives in the same catalogs (bot/locales/zh/web.po) and the same
missing-translation test covers it.
"""

from __future__ import annotations

from bot.i18n import N_, Tr
from bot.render.agenda import ITEM_KINDS
from bot.render.meeting import ANSWER_NAMES, KIND_NAMES
from bot.render.project import CATEGORY_NAMES, DIMENSION_NAMES, STAGE_NAMES, TAG_NAMES

PAGE = {
    "app_title": N_("Programme dashboard"),
    "tab_overview": N_("Overview"),
    "tab_projects": N_("Projects"),
    "tab_meetings": N_("Meetings"),
    "tab_actions": N_("Actions"),
    "projects_total": N_("Projects"),
    "by_stage": N_("Projects by stage"),
    "by_category": N_("Projects by category"),
    "by_tier": N_("Projects by supervision tier"),
    "open_risks": N_("Open risks"),
    "risks_by_age": N_("Open risks by age"),
    "age_lt7": N_("under 7 days"),
    "age_7to30": N_("7 to 30 days"),
    "age_30to90": N_("30 to 90 days"),
    "age_gt90": N_("over 90 days"),
    "oldest_risks": N_("Oldest open risks"),
    "reporting": N_("Reporting by unit"),
    "since_last": N_("now"),
    "reported": N_("reported"),
    "silent": N_("silent"),
    "no_projects": N_("follows no project"),
    "open_actions": N_("Open actions"),
    "overdue": N_("Overdue"),
    "overdue_by_unit": N_("Overdue actions by unit"),
    "attendance": N_("Attendance by unit, last 180 days"),
    "present_of": N_("{present} of {invited}"),
    "no_unit": N_("no unit"),
    "unassigned": N_("UNASSIGNED"),
    "lead": N_("Lead institution"),
    "batch": N_("Batch"),
    "region": N_("Region"),
    "following": N_("Following units"),
    "timeline": N_("Timeline"),
    "evaluation": N_("Evaluation"),
    "eval_result": N_("Closed round: {count} evaluators"),
    "eval_open": N_("Round still open: {count} score sets so far"),
    "eval_own": N_("Your scores; the round is still open"),
    "no_evaluation": N_("No evaluation scores to show."),
    "stage_change": N_("Stage: {from} → {to}"),
    "on_agendas": N_("On meeting agendas"),
    "decisions": N_("Decisions"),
    "actions": N_("Actions"),
    "days_short": N_("{n} d"),
    "overdue_by": N_("overdue {n} d"),
    "due_on": N_("due {date}"),
    "agenda": N_("Agenda"),
    "answers": N_("Answers by unit"),
    "minutes": N_("Minutes"),
    "minutes_draft": N_("Draft minutes"),
    "minutes_number": N_("No. {number} ({year})"),
    "present": N_("Present"),
    "present_rsvp": N_("Present (from the answers)"),
    "general_decisions": N_("General decisions"),
    "corrections": N_("Corrections"),
    "invited": N_("Invited units"),
    "all_units": N_("all units"),
    "cancelled": N_("Cancelled"),
    "place": N_("Place"),
    "time": N_("Time"),
    "from_meeting": N_("from meeting #{id}"),
    "series": N_("repeats"),
    "major": N_("major matter"),
    "not_reached": N_("not reached"),
    "mine": N_("Mine"),
    "all_open": N_("All open"),
    "owner": N_("Owner"),
    "empty": N_("Nothing here yet."),
    "loading": N_("Loading…"),
    "back": N_("Back"),
    "prev_month": N_("Previous month"),
    "next_month": N_("Next month"),
    "no_meetings_month": N_("No meetings this month."),
    "open_from_telegram": N_("Open this page from the bot in Telegram: send /dashboard."),
    "no_role": N_("You have no role in the coordination group yet; ask an admin."),
    "expired": N_("This page has been open too long; open it again from Telegram."),
    "load_failed": N_("Could not load this page. Please try again."),
    "not_found": N_("Not found."),
}


def page_strings(tr: Tr) -> dict[str, str]:
    """Every string the page shows, in one language, placeholders left for the page."""
    out = {key: tr.catalog.get(text, text) for key, text in PAGE.items()}
    for prefix, names in (
        ("stage.", STAGE_NAMES),
        ("category.", CATEGORY_NAMES),
        ("tag.", TAG_NAMES),
        ("kind.", KIND_NAMES),
        ("item.", ITEM_KINDS),
        ("answer.", ANSWER_NAMES),
    ):
        out.update({prefix + key: tr(text) for key, text in names.items()})
    out.update({f"dimension.{i}": tr(text) for i, text in enumerate(DIMENSION_NAMES)})
    for key, text in (("tier.key", N_("key")), ("tier.regular", N_("regular"))):
        out[key] = tr(text)
    out["tier.watch"] = tr(N_("watch"))
    return out
