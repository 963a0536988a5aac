"""The checks a call passes before its handler runs (the chat is served, the kind of chat,
the caller's role), and the stock answers when a command cannot run as sent."""

from __future__ import annotations

from bot.i18n import N_
from bot.render.text import esc
from bot.telegram.commands import Call, CommandSpec, role_name
from storage import chats
from storage.people import role_rank

SOMETHING_WRONG = N_("Something went wrong; nothing was changed. Please try again.")


def ignored(call: Call) -> bool:
    """Groups that no admin has subscribed are ignored, except for admins setting them up."""
    if call.chat.is_private or call.user.role == "admin":
        return False
    return not chats.topics_of(call.db, call.chat.chat_id)


def check_where(call: Call, spec: CommandSpec) -> str | None:
    """The refusal text when a command is used in the wrong kind of chat."""
    if spec.where == "group" and call.chat.is_private:
        return call.tr("Use this command in a group chat.")
    if spec.where == "private" and not call.chat.is_private:
        return call.tr("Use this command in a private chat with me.")
    return None


def refusal_for_role(call: Call, spec_role: str) -> str | None:
    """The refusal text when the caller's role is below what is needed."""
    if role_rank(call.user.role) >= role_rank(spec_role):
        return None
    return call.tr(
        "Sorry, this needs the {needed} role; you have {have}.",
        needed=role_name(call.tr, spec_role),
        have=role_name(call.tr, call.user.role),
    )


def usage_text(call: Call, spec: CommandSpec, detail: str = "") -> str:
    """The usage line and an example, in the chat's language."""
    _ = call.tr
    lines = [detail] if detail else []
    lines.append(_("Usage: {usage}", usage=esc(_(spec.usage))))
    lines.append(_("Example: {example}", example=esc(_(spec.example))))
    return "\n".join(lines)


def not_kept(call: Call, command: str) -> str:
    """Said when a file came with a command that keeps none: it was not kept, and which
    commands do keep one."""
    return call.tr(
        "The file was not kept: /{command} takes no attachment. Send a file with one of "
        "{commands} as its caption to keep it with that record.",
        command=esc(command),
        commands=call.tr.join("/" + s.name for s in call.services.commands if s.files),
    )
