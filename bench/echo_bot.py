"""The baseline: a bare python-telegram-bot that answers every command with a fixed text."""

from __future__ import annotations

import os

from telegram import Update
from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer with a short fixed reply, as the cheapest possible handler."""
    if update.effective_message:
        await update.effective_message.reply_text("ok")


def main() -> None:
    """Run against COORDBOT_API_URL with long polling."""
    app = (
        ApplicationBuilder()
        .token(os.environ["COORDBOT_TOKEN"])
        .base_url(os.environ["COORDBOT_API_URL"])
        .build()
    )
    app.add_handler(MessageHandler(filters.ALL, echo))
    app.run_polling(allowed_updates=Update.ALL_TYPES, timeout=25)


if __name__ == "__main__":
    main()
