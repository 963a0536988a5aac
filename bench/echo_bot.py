"""The baseline: a bare python-telegram-bot answering each command with a fixed text.

It answers with the very text coordbot gave for the same command (read from
BENCH_REPLIES, a JSON map of command to reply), in HTML parse mode, so that the
comparison measures processing, not message size. BENCH_TRANSPORT=aiohttp gives it
coordbot's HTTP client instead of python-telegram-bot's own.
"""

from __future__ import annotations

import json
import os

from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters

REPLIES: dict[str, str] = json.loads(os.environ.get("BENCH_REPLIES", "{}"))


async def answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Reply with the recorded text for the command, or 'ok'."""
    message = update.effective_message
    if message and message.text:
        command = message.text.split()[0]
        await message.reply_text(REPLIES.get(command, "ok"), parse_mode=ParseMode.HTML)


def main() -> None:
    """Run against COORDBOT_API_URL with long polling."""
    builder = (
        ApplicationBuilder()
        .token(os.environ["COORDBOT_TOKEN"])
        .base_url(os.environ["COORDBOT_API_URL"])
    )
    if os.environ.get("BENCH_TRANSPORT") == "aiohttp":
        # coordbot's HTTP client in place of PTB's own: the like-for-like baseline.
        from bot.telegram.transport import AiohttpRequest

        builder = builder.request(AiohttpRequest()).get_updates_request(AiohttpRequest())
    app = builder.build()
    app.add_handler(MessageHandler(filters.ALL, answer))
    app.run_polling(allowed_updates=Update.ALL_TYPES, timeout=25)


if __name__ == "__main__":
    main()
