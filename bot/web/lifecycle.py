"""The web server's place in the bot's life: started in post_init, stopped in post_stop."""

from __future__ import annotations

from typing import Any

from bot.services import Services
from bot.telegram.app import WEB_KEY
from bot.telegram.polling import PollingRequest
from bot.web.health import HealthProbe
from bot.web.server import start_web


async def start_in(app: Any, svc: Services, polling: PollingRequest) -> None:
    """Start the web server and keep it in bot_data under WEB_KEY."""

    def scheduler_running() -> bool:
        queue = app.job_queue
        return bool(queue is not None and queue.scheduler.running)

    # In webhook mode getUpdates is never called: no answered poll, no failures.
    probe = HealthProbe(scheduler_running, lambda: polling.last_ok, lambda: polling.failures)
    app.bot_data[WEB_KEY] = await start_web(svc, probe)
