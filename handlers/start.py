"""Getting started: /start, /help, /whoami, /lang, /cancel."""

from __future__ import annotations

from bot.domain.keywords import language_word
from bot.domain.normalize import token
from bot.i18n import N_
from bot.render.help import help_index, help_one
from bot.render.text import esc
from bot.render.units import unit_label
from bot.services import chats, people
from bot.telegram.commands import Call, CommandSpec, Refusal, Reply, UsageError, role_name


def start(call: Call) -> Reply:
    """Greet the user and say what they can do."""
    _ = call.tr
    lines = [
        _(
            "Hello, {name}! I am the coordination group's secretariat assistant.",
            name=esc(call.user.display_name),
        ),
        _(
            "I schedule meetings and remind you, compile progress into numbered bulletins, "
            "and run joint-meeting agendas through to minutes and action items."
        ),
        _("Your role: {role}.", role=role_name(_, call.user.role)),
    ]
    if call.user.role == "none":
        lines.append(
            _(
                "Ask a secretariat admin to give you a role; tell them your id: {id}.",
                id=call.user.user_id,
            )
        )
    lines.append(_("Send /help for the commands you can use."))
    return Reply(text="\n".join(lines))


def help_command(call: Call) -> Reply:
    """List the commands the caller's role may use, or explain one command."""
    specs = call.services.commands
    name = token(call.args).lstrip("/").split("@")[0].lower()
    if name:
        spec = next((s for s in specs if s.name == name), None)
        if spec is None:
            raise Refusal(
                call.tr("There is no command /{name}. Send /help for the list.", name=esc(name))
            )
        return Reply(text=help_one(spec, call.tr))
    return Reply(text=help_index(specs, call.user.role, call.tr))


def whoami(call: Call) -> Reply:
    """Show the caller's id, role and unit."""
    _ = call.tr
    code = call.user.unit_code
    unit = unit_label(_, code, people.unit_names(call.services)) if code else _("none")
    language = _("Chinese") if call.tr.lang == "zh" else _("English")
    lines = [
        _("Id: {id}", id=call.user.user_id),
        _("Name: {name}", name=esc(call.user.display_name)),
        _("Role: {role}", role=role_name(_, call.user.role)),
        _("Unit: {unit}", unit=unit),
        _("This chat: {chat} ({lang})", chat=call.chat.chat_id, lang=language),
    ]
    return Reply(text="\n".join(lines))


def lang(call: Call) -> Reply:
    """Set this chat's language."""
    words = call.words()
    choice = language_word(words[0]) if len(words) == 1 else None
    if choice is None:
        raise UsageError()
    if not call.chat.is_private:
        call.require("admin")
    people.set_language(call.services, call.chat.chat_id, choice)
    _ = call.services.translator.get(choice)
    return Reply(text=_("This chat now uses English."))


def cancel(call: Call) -> Reply:
    """Leave the guided form open in this chat, if there is one."""
    if chats.close_form(call.services, call.chat.chat_id, call.user.user_id):
        return Reply(text=call.tr("Cancelled."))
    return Reply(text=call.tr("Nothing to cancel."))


COMMANDS = [
    CommandSpec("start", start, N_("introduce the bot"), N_("/start"), N_("/start"), role="none"),
    CommandSpec(
        "help",
        help_command,
        N_("list the commands you can use"),
        N_("/help [command]"),
        N_("/help meeting_new"),
        role="none",
    ),
    CommandSpec(
        "whoami",
        whoami,
        N_("show your id, role and unit"),
        N_("/whoami"),
        N_("/whoami"),
        role="none",
    ),
    CommandSpec(
        "lang",
        lang,
        N_("set this chat's language"),
        N_("/lang en|zh"),
        N_("/lang zh"),
        role="none",
        writes=True,
    ),
    CommandSpec(
        "cancel", cancel, N_("leave a guided form"), N_("/cancel"), N_("/cancel"), role="none"
    ),
]
