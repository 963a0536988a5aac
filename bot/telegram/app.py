"""The application factory: build_application(config) returns a ready python-telegram-bot app."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from telegram import BotCommand, BotCommandScopeDefault, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import Conflict, NetworkError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    Defaults,
    MessageHandler,
    filters,
)

from bot.clock import Clock
from bot.config import Config
from bot.i18n import Translator
from bot.render.text import esc
from bot.services import SERVICES_KEY, Services, services_of
from bot.telegram.buttons import ButtonSigner
from bot.telegram.calls import Context, command_args, command_name, open_call
from bot.telegram.chat_lanes import ChatLanes
from bot.telegram.checks import ignored
from bot.telegram.commands import CommandSpec, Reply
from bot.telegram.conversation import begin, build_forms, take_file
from bot.telegram.delivery import Delivery
from bot.telegram.dispatch import run_command
from bot.telegram.errors import Handling, handling_of
from bot.telegram.guards import guard_handler
from bot.telegram.polling import PollingRequest
from bot.telegram.presses import run_button
from bot.telegram.ratelimit import CoordRateLimiter
from bot.telegram.registry import (
    all_buttons,
    all_commands,
    all_firers,
    extra_handlers,
    startup_hooks,
)
from bot.telegram.replies import send_reply
from bot.telegram.scheduler import Scheduler
from bot.telegram.tls import tls_context
from bot.telegram.transport import AiohttpRequest, proxy_for
from storage import people, settings
from storage.db import SERVING_BUSY_TIMEOUT_MS, open_database, set_busy_timeout, transaction
from storage.schema import migrate

log = logging.getLogger(__name__)
CONFIG_KEY, CLOCK_KEY, POLLING_KEY = "config", "clock", "polling"
WEB_KEY = "web"  # the running bot.web.server.WebServer, when COORDBOT_WEB_PORT is set
CONFLICTS_BEFORE_ALERT = 3  # 409s in a row before the admins hear of another poller


REPLY_GRACE = 3.0  # seconds replies in progress get once the bot begins to stop


class CoordApplication(Application):  # type: ignore[type-arg]
    """python-telegram-bot's Application, winding replies down when it stops.

    Application.stop() waits for every update in progress, and a saturated group's queued
    commands each wait out that group's pacing (one message per 3.2 s) before their reply
    leaves: a stop could take minutes. Once stopping, replies that have not left go to the
    outbox (sent after the restart), and updates still in progress after REPLY_GRACE are
    cancelled, so the stop stays within seconds without losing a reply that never left.
    """

    async def stop(self) -> None:
        """Mark the services stopping, bound the wait for updates in progress, then stop."""
        if SERVICES_KEY in self.bot_data:
            services_of(self.bot_data).stopping = True
        if isinstance(self.update_processor, ChatLanes):
            self.update_processor.wind_down(REPLY_GRACE)
        await super().stop()


def build_application(
    config: Config, *, clock: Clock | None = None
) -> Application[Any, Any, Any, Any, Any, Any]:
    """Build the Application: Bot API endpoint, defaults, rate limits, handlers, lifecycle."""
    tls = tls_context(config.api_url)  # shared by both clients (bot/telegram/tls.py)
    proxy = proxy_for(config.api_url, config.proxy)
    polling = PollingRequest(config.poll_retry_max, tls, proxy)
    # The builder's own request for everything but getUpdates, with the shared context.
    request = AiohttpRequest(
        connection_pool_size=256,
        read_timeout=config.read_timeout,
        write_timeout=config.read_timeout,
        tls=tls,
        proxy=proxy,
    )
    builder = (
        ApplicationBuilder()
        .application_class(CoordApplication)
        .token(config.require_token())
        .base_url(config.api_url)
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                tzinfo=config.tz,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        .post_init(post_init)
        .post_stop(post_stop)
        .post_shutdown(post_shutdown)
        # Chats are handled concurrently, each chat's updates in order
        # (bot/telegram/chat_lanes.py).
        .concurrent_updates(ChatLanes())
        .request(request)
        .get_updates_request(polling)
    )
    if config.rate_limit > 0:
        builder = builder.rate_limiter(CoordRateLimiter(config.rate_limit))  # type: ignore[arg-type]
    app = builder.build()
    app.bot_data[CONFIG_KEY] = config
    app.bot_data[CLOCK_KEY] = clock or Clock()
    app.bot_data[POLLING_KEY] = polling
    register_handlers(app)
    return app


def register_handlers(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Register every feature's handlers; order within group 0 matters (see comments)."""
    specs = all_commands()
    buttons = all_buttons()
    # 0. Edits and forwarded commands never run: claimed here, before anything else.
    app.add_handler(guard_handler())
    # 1. Guided forms: their entry point is every command with fields; plain text goes to
    #    the form open for that person in that chat, if any (its state is in SQLite).
    start_form, form_answer, form_file = build_forms(specs)
    app.add_handler(start_form)
    app.add_handler(form_answer)
    # 2. Commands without fields, through one handler: a set lookup per update.
    plain = {spec.name: spec for spec in specs if not spec.fields}
    app.add_handler(CommandHandler(list(plain), _command_callback(plain)))
    # 3. Button presses, chat events (migration, membership).
    app.add_handler(CallbackQueryHandler(lambda u, c: run_button(buttons, u, c)))
    for handler in extra_handlers():
        app.add_handler(handler)
    # 4. A command in a document's or photo's caption (PTB's CommandHandler reads text only):
    #    the caption is the command, the file goes on Call.attachments (kept by the commands
    #    whose spec says files=True). A bare form command (/apply) opens its form with the file
    #    kept in it. A forwarded one never runs (guards.py).
    by_name = {spec.name: spec for spec in specs}
    app.add_handler(
        MessageHandler(
            filters.UpdateType.MESSAGE
            & filters.CAPTION
            & (filters.Document.ALL | filters.PHOTO)
            & filters.CaptionRegex(r"^\s*/")
            & ~filters.FORWARDED,
            _caption_callback(by_name),
        )
    )
    # 4b. Any other document or photo: kept in an open form that takes files, else the
    #     sender is told it was not kept (private chats; silence in groups).
    app.add_handler(form_file)
    # 5. Last: any command nobody above claimed.
    app.add_handler(MessageHandler(filters.COMMAND, unknown_command))
    app.add_error_handler(error_handler)


def _command_callback(specs: dict[str, CommandSpec]):  # type: ignore[no-untyped-def]
    async def callback(update: Update, context: Context) -> None:
        message = update.effective_message
        text = message.text if message else ""
        await run_command(specs[command_name(text)], update, context, command_args(text))

    return callback


def _caption_callback(specs: dict[str, CommandSpec]):  # type: ignore[no-untyped-def]
    async def callback(update: Update, context: Context) -> None:
        message = update.effective_message
        caption = message.caption if message else ""
        head = (caption or "").split(maxsplit=1)[0]
        target = head.partition("@")[2]
        if target and target.lower() != (context.bot.username or "").lower():
            return  # addressed to another bot
        spec = specs.get(command_name(caption))
        args = command_args(caption)
        if spec is None:
            await take_file(specs, update, context)  # not ours: kept in a form, or told
        elif spec.fields and not args:
            await begin(spec, update, context)  # /apply as the caption: the form, file kept
        else:
            await run_command(spec, update, context, args)

    return callback


async def unknown_command(update: Update, context: Context) -> None:
    """Answer a command we do not know, unless it was addressed to another bot."""
    message = update.effective_message
    if message is None or not message.text:
        return
    head = message.text.split()[0]
    name, _, target = head[1:].partition("@")
    if target and target.lower() != (context.bot.username or "").lower():
        return
    call = await open_call(update, context)
    if call is None or ignored(call):
        return
    text = call.tr(
        "Unknown command /{name}. Send /help for the commands you can use.", name=esc(name[:64])
    )
    await send_reply(update, context, call, Reply(text=text))


async def error_handler(update: object, context: Context) -> None:
    """Log every error with its update and tell the admins; users never see a traceback."""
    error, job = context.error, context.job
    if update is None and job is None and isinstance(error, NetworkError):
        # Fetching updates failed (Telegram down, 409): a line, not a traceback per poll.
        log.warning("Telegram: %s", error)
        return
    log.error("error while handling %r", update or job, exc_info=error)
    if error is not None and SERVICES_KEY in context.bot_data:
        svc = services_of(context.bot_data)
        handling = Handling("job", text=job.name or "") if job else handling_of(update)
        svc.errors.report(svc, error, handling)


async def post_init(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Open the database, migrate, build the services, re-arm the schedule, publish commands."""
    config: Config = app.bot_data[CONFIG_KEY]
    clock: Clock = app.bot_data[CLOCK_KEY]
    db = open_database(config.db_path)
    migrate(db)
    with transaction(db):
        people.ensure_admins(db, list(config.admins), clock.now())
        signer = ButtonSigner(settings.button_secret(db))
    translator = Translator()
    assert app.job_queue is not None, "python-telegram-bot[job-queue] is required"
    scheduler = Scheduler(app.job_queue)
    delivery = Delivery(db, app.bot, clock, signer)
    svc = Services(config, db, clock, translator, signer, scheduler, delivery, all_commands())
    delivery.attach(svc)
    app.bot_data[SERVICES_KEY] = svc
    scheduler.attach(svc, all_firers())
    for hook in startup_hooks():
        hook(svc)
    polling: PollingRequest = app.bot_data[POLLING_KEY]
    polling.on_failure = lambda status, reason, count: _polling_failed(svc, status, reason, count)
    armed = scheduler.rebuild()
    delivery.start()
    # Start-up may block waiting for a lock (nothing is served yet); from now on a statement
    # blocks the loop only briefly and longer waits are asyncio sleeps (run_transaction).
    set_busy_timeout(db, SERVING_BUSY_TIMEOUT_MS)
    await publish_commands(app, svc)
    if config.web_port is not None:  # the dashboard, calendar feed and /healthz (bot/web)
        from bot.web.lifecycle import start_in

        await start_in(app, svc, polling)
    log.info("coordbot ready: %d scheduled jobs armed, database %s", armed, config.db_path)


def _polling_failed(svc: Services, status: int | None, reason: str, count: int) -> None:
    """Tell the admins when Telegram keeps refusing our polling with 409 (another poller)."""
    if status == 409 and count == CONFLICTS_BEFORE_ALERT:
        svc.errors.report(svc, Conflict(reason), Handling("polling"))


async def publish_commands(app: Application[Any, Any, Any, Any, Any, Any], svc: Services) -> None:
    """setMyCommands in English (default) and Chinese."""
    menu = [spec for spec in svc.commands if spec.menu]
    for lang, code in (("en", None), ("zh", "zh")):
        _ = svc.translator.get(lang)
        commands = [BotCommand(spec.name, _(spec.summary)[:256]) for spec in menu]
        await app.bot.set_my_commands(commands, scope=BotCommandScopeDefault(), language_code=code)


async def post_stop(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Stop delivery while python-telegram-bot's HTTP client is still open.

    Runs after app.stop() (updates and jobs finished) and before app.shutdown() closes the
    client: no new rows are taken, requests already out get a few seconds, the rest stay
    pending for the next start."""
    if SERVICES_KEY in app.bot_data:
        await services_of(app.bot_data).delivery.stop()
    if app.bot_data.get(WEB_KEY) is not None:
        await app.bot_data.pop(WEB_KEY).stop()


async def post_shutdown(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Close the database (delivery stopped in post_stop; again here if the app never ran)."""
    if SERVICES_KEY not in app.bot_data:
        return
    svc = services_of(app.bot_data)
    await svc.delivery.stop(grace=0)
    svc.db.close()


@asynccontextmanager
async def running(
    app: Application[Any, Any, Any, Any, Any, Any], poll_timeout: int = 1
) -> AsyncIterator[Application[Any, Any, Any, Any, Any, Any]]:
    """Run an application with long polling inside the current event loop (tests, console)."""
    await app.initialize()
    if app.post_init:
        await app.post_init(app)
    await app.start()
    assert app.updater is not None
    await app.updater.start_polling(
        poll_interval=0, timeout=poll_timeout, allowed_updates=Update.ALL_TYPES
    )
    try:
        yield app
    finally:
        if app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
            if app.post_stop:
                await app.post_stop(app)
        if app.post_shutdown:
            await app.post_shutdown(app)
        await app.shutdown()
