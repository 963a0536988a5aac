"""Building the Call a handler gets from a Telegram update: who, where, which language,
the arguments and the files."""

from __future__ import annotations

from telegram import Message, Update
from telegram.ext import ContextTypes

from bot.i18n import pick_language
from bot.services import services
from bot.telegram.busy import answer_busy
from bot.telegram.commands import Call
from storage import chats, people
from storage.attachments import Sent
from storage.db import DatabaseBusy, run_transaction

Context = ContextTypes.DEFAULT_TYPE


def command_args(text: str | None) -> str:
    """The raw text after the leading /command[@bot] token, keeping spacing and newlines.

    The token ends at any whitespace: a phone keyboard's ideographic space (U+3000) too.
    """
    parts = (text or "").split(maxsplit=1)
    return parts[1].strip() if len(parts) > 1 else ""


def command_name(text: str | None) -> str:
    """The command of a message, lower-case, without the slash or @bot suffix."""
    head = (text or "").split(maxsplit=1)[0] if (text or "").strip() else ""
    return head[1:].split("@", 1)[0].lower()


def make_call(
    update: Update, context: Context, args: str, files: tuple[Sent, ...] = ()
) -> Call | None:
    """Record the user and chat, pick the language, and build the Call; `files` were sent
    while the command's guided form was open (the message's own file, if any, follows)."""
    svc = services(context)
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return None
    now = svc.clock.now()
    person = people.touch_person(
        svc.db, user.id, user.username, user.first_name, user.last_name, user.language_code, now
    )
    chat_rec = chats.touch_chat(svc.db, chat.id, chat.type, chat.title or "", now)
    lang = pick_language(
        chat_rec.language, chat_rec.is_private, user.language_code, svc.config.locale
    )
    message = update.effective_message
    reply_to = message.reply_to_message if message else None
    return Call(
        services=svc,
        user=person,
        chat=chat_rec,
        tr=svc.translator.get(lang),
        args=args,
        now=now,
        message_id=message.message_id if message and not update.callback_query else None,
        attachments=(
            files if update.callback_query else (*files, *filter(None, [attachment_of(message)]))
        ),
        reply_to_user_id=(
            # Replying to one of the bot's own messages names nobody.
            reply_to.from_user.id
            if reply_to and reply_to.from_user and not reply_to.from_user.is_bot
            else None
        ),
    )


def attachment_of(message: Message | None) -> Sent | None:
    """The document or photo a command came with (a command in a caption), if any."""
    if message is None:
        return None
    if message.document is not None:
        doc = message.document
        return Sent(
            "document",
            doc.file_id,
            doc.file_unique_id,
            doc.file_name or "",
            doc.file_size or 0,
            doc.mime_type or "",
        )
    if message.photo:
        best = message.photo[-1]  # Telegram lists the sizes smallest first
        return Sent("photo", best.file_id, best.file_unique_id, "", best.file_size or 0, "")
    return None


async def open_call(update: Update, context: Context, args: str = "") -> Call | None:
    """make_call in its own transaction, waiting out a busy database.

    None when there is nobody to answer, and also when the database stayed locked (the
    sender has then been told to resend).
    """
    svc = services(context)
    try:
        return await run_transaction(
            svc.db,
            lambda: make_call(update, context, args),
            wait=svc.config.busy_wait,
            immediate=False,
        )
    except DatabaseBusy:
        await answer_busy(update, context)
        return None
