"""The programme on the web and in pictures: /calendar, /dashboard and /stats."""

from __future__ import annotations

from bot.domain.keywords import is_word
from bot.i18n import N_
from bot.render.chart import render_png
from bot.render.text import esc
from bot.services import calendar
from bot.services.overview import overview
from bot.telegram.commands import Button, Call, CommandSpec, Document, Refusal, Reply, UsageError
from bot.web.urls import public_base

RESET_WORDS = {"reset", "new", "重置", "更换", "换新"}


def web_base(call: Call) -> str:
    """The public base URL of the web server, or a refusal when it is not switched on."""
    config = call.services.config
    if config.web_port is None or (config.web_port == 0 and not config.web_url):
        raise Refusal(
            call.tr(
                "The web server is not switched on; an admin sets COORDBOT_WEB_PORT and "
                "COORDBOT_WEB_URL."
            )
        )
    return public_base(config.web_url, config.web_host, config.web_port)


def calendar_link(call: Call) -> Reply:
    """The caller's own calendar subscription URL; `reset` revokes it and issues a new one."""
    words = call.words()
    if len(words) > 1 or (words and not is_word(words[0], RESET_WORDS)):
        raise UsageError()
    base = web_base(call)
    reset = bool(words)
    token = calendar.token_for(call.services, call.user.user_id, call.now, reset=reset)
    https, webcal = calendar.feed_urls(base, token.token)
    call.audit_detail["reset"] = reset
    _ = call.tr
    lines = [
        _("Your calendar of the group's meetings (keep the link to yourself):")
        if not reset
        else _("A new calendar link; the old one no longer works:"),
        f"<code>{esc(webcal)}</code>",
        _("Calendar apps that want an https address take this one:"),
        f"<code>{esc(https)}</code>",
        _(
            "Subscribe to it (Apple Calendar: File → New Calendar Subscription; Google "
            "Calendar: Other calendars → From URL; Outlook: Add calendar → Subscribe from "
            "web). Moves and cancellations follow by themselves."
        ),
        _("If the link leaks, /calendar reset makes a new one."),
    ]
    return Reply(text="\n".join(lines))


def dashboard(call: Call) -> Reply:
    """A button that opens the dashboard inside Telegram; also the private chat's menu button."""
    url = web_base(call) + "/app/"
    _ = call.tr
    button = Button(_("Open the dashboard"), "", "", web_app=url)
    return Reply(
        text=_("The programme at a glance: projects, meetings and action items."),
        buttons=[[button]],
        private=not call.chat.is_private,  # Telegram shows Mini App buttons in private chats
        menu_app=Button(_("Dashboard"), "", "", web_app=url),
    )


def stats(call: Call) -> Reply:
    """The overview as a picture (drawn by a child process when the reply is sent)."""
    if call.args.strip():
        raise UsageError()
    data = overview(call.services, call.now)
    tr, english = call.tr, call.services.translator.get("en")

    async def picture() -> bytes:
        return await render_png(data, tr, english)

    caption = call.tr(
        "Programme overview, {date}: projects {projects}, open risks {risks}, "
        "overdue actions {overdue}.",
        date=data.today.isoformat(),
        projects=data.projects,
        risks=data.open_risks,
        overdue=data.overdue_actions,
    )
    name = f"overview-{data.today.isoformat()}.png"
    return Reply(photo=Document(name, b"", caption, render=picture))


COMMANDS = [
    CommandSpec(
        "calendar",
        calendar_link,
        N_("your calendar subscription of the meetings"),
        N_("/calendar [reset]"),
        N_("/calendar"),
        role="member",
        writes=True,
        where="private",
    ),
    CommandSpec(
        "dashboard",
        dashboard,
        N_("open the programme dashboard"),
        N_("/dashboard"),
        N_("/dashboard"),
        role="member",
    ),
    CommandSpec(
        "stats",
        stats,
        N_("the programme overview as a picture"),
        N_("/stats"),
        N_("/stats"),
        role="member",
    ),
]
