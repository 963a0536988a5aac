"""Starting and stopping the web server inside the bot's event loop."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from aiohttp import web

from bot.services import Services
from bot.web.app import make_web_app
from bot.web.health import HealthProbe
from bot.web.urls import public_base

log = logging.getLogger(__name__)


@dataclass
class WebServer:
    """The running site: where it listens and the public URL links use."""

    runner: web.AppRunner
    host: str
    port: int
    public_url: str

    async def stop(self) -> None:
        """Stop accepting requests and close the open ones."""
        await self.runner.cleanup()


async def start_web(svc: Services, probe: HealthProbe) -> WebServer:
    """Serve the dashboard, API, feed and health check on COORDBOT_WEB_HOST:PORT."""
    config = svc.config
    assert config.web_port is not None
    runner = web.AppRunner(make_web_app(svc, probe), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, config.web_host, config.web_port)
    await site.start()
    sockets = getattr(site._server, "sockets", None) or []  # the port chosen for port 0
    port = sockets[0].getsockname()[1] if sockets else config.web_port
    base = public_base(config.web_url, config.web_host, port)
    log.info("web: dashboard at %s/app/ (listening on %s:%d)", base, config.web_host, port)
    if config.web_url and not base.startswith("https://"):
        log.warning(
            "web: COORDBOT_WEB_URL is not https (%s); Telegram opens Mini Apps and "
            "calendar apps subscribe only over https",
            base,
        )
    return WebServer(runner, config.web_host, port, base)
