"""Edited and forwarded messages never run commands.

Telegram sends an edit as a new update with the same message id. Running it would act on
text people did not see when it was sent, or act twice; so an edited command only gets a
short answer asking for the command again, and any other edit is ignored (including an
edited answer in a guided form, which was already taken as given).

A forwarded message was written by someone else, so a command in it must not run with the
forwarder's rights. In a private chat the sender gets a short answer; in a group, forwarding
a message that quotes a command is ordinary conversation, so the bot stays silent there.
Forwarded plain text is still accepted as a guided form's answer: it is the sender's own
choice of words, like pasting.
"""

from __future__ import annotations

from telegram import Message, Update
from telegram.ext import MessageHandler, filters

from bot.i18n import N_
from bot.services import services
from bot.telegram.calls import Context, command_name, make_call
from bot.telegram.checks import ignored
from bot.telegram.commands import Reply
from bot.telegram.replies import send_reply

EDIT_NOT_APPLIED = N_("Edits are not applied: to run a command, send it again as a new message.")
FORWARD_NOT_RUN = N_("I don't run forwarded commands: send the command yourself.")


def _our_command(message: Message, context: Context) -> bool:
    """Whether the message starts with one of our commands, addressed to us."""
    head = (message.text or "").split(maxsplit=1)
    if not head or not head[0].startswith("/"):
        return False
    _, _at, target = head[0].partition("@")
    if target and target.lower() != (context.bot.username or "").lower():
        return False
    known = {spec.name for spec in services(context).commands}
    return command_name(message.text) in known


async def _guard(update: Update, context: Context) -> None:
    message = update.effective_message
    if message is None or not _our_command(message, context):
        return
    edited = update.edited_message is not None
    if not edited and message.chat.type != "private":
        return
    call = make_call(update, context, "")
    if call is None or ignored(call):
        return
    text = EDIT_NOT_APPLIED if edited else FORWARD_NOT_RUN
    await send_reply(update, context, call, Reply(text=call.tr(text)))


def guard_handler() -> MessageHandler[Context, None]:
    """The first handler of group 0: it claims every edit and every forwarded command."""
    return MessageHandler(
        filters.UpdateType.EDITED | (filters.FORWARDED & filters.COMMAND), _guard
    )
