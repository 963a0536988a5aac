"""The aiohttp application: security headers, the Mini App's files and JSON API, the
calendar feed and the health endpoint. Handlers call services; no SQL here."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from aiohttp import web

from bot.services import Services, web_reads
from bot.services import calendar as calendar_service
from bot.services.notify import language_for
from bot.services.overview import overview
from bot.web.auth import AuthError, bearer, verify_init_data
from bot.web.health import HealthProbe, health
from bot.web.strings import page_strings
from bot.web.views import overview_json
from storage import people
from storage.people import Person

log = logging.getLogger(__name__)
STATIC = Path(__file__).parent / "static"
SERVICES: web.AppKey[Services] = web.AppKey("services", Services)
PROBE: web.AppKey[HealthProbe] = web.AppKey("probe", HealthProbe)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

# The page: our own files only, no inline script or style, framed only by Telegram's web
# clients (the phone and desktop apps do not frame it).
APP_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors https://web.telegram.org"
)
API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"


@web.middleware
async def security_headers(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Headers on every answer (errors included): CSP, no sniffing, no referrer."""
    try:
        response = await handler(request)
    except web.HTTPException as exc:
        _secure(request, exc.headers)
        raise
    _secure(request, response.headers)
    return response


def _secure(request: web.Request, headers: Any) -> None:
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "no-referrer"
    if request.path.startswith("/app"):
        headers["Content-Security-Policy"] = APP_CSP
    else:
        headers["Content-Security-Policy"] = API_CSP
        headers["X-Frame-Options"] = "DENY"
    if request.path.startswith("/api/"):
        headers["Cache-Control"] = "no-store"


def _error(status: int, code: str) -> web.Response:
    return web.json_response({"error": code}, status=status)


def viewer(request: web.Request) -> Person:
    """The person whose verified initData came with the request; 401/403 otherwise."""
    svc = request.app[SERVICES]
    token = svc.config.require_token()
    try:
        user = verify_init_data(
            bearer(request.headers.get("Authorization")), token, svc.clock.now()
        )
    except AuthError as exc:
        log.info("web: refused %s %s: %s", request.method, request.path, exc)
        stale = "older" in str(exc)
        raise web.HTTPUnauthorized(
            text='{"error": "%s"}' % ("expired" if stale else "unauthorized"),
            content_type="application/json",
            headers={"WWW-Authenticate": "tma"},
        ) from None
    person = people.get_person(svc.db, user.user_id)
    if person is None or person.role == "none":
        raise web.HTTPForbidden(text='{"error": "no_role"}', content_type="application/json")
    return person


async def me(request: web.Request) -> web.Response:
    """Who is looking: name, role, unit and language."""
    person = viewer(request)
    svc = request.app[SERVICES]
    return web.json_response(
        {
            "user_id": person.user_id,
            "name": person.display_name,
            "role": person.role,
            "unit": person.unit_code,
            "lang": language_for(svc, person.user_id),
        }
    )


async def i18n(request: web.Request) -> web.Response:
    """The page's strings: ?lang=en|zh, else the viewer's chat language, else the default.

    The strings are no secret: without initData (a page opened outside Telegram) they come
    in the default language, so the page can say how to open it.
    """
    svc = request.app[SERVICES]
    lang = request.query.get("lang", "")
    if lang not in ("en", "zh"):
        try:
            lang = language_for(svc, viewer(request).user_id)
        except web.HTTPException:
            lang = svc.config.locale
    tr = svc.translator.get(lang)
    return web.json_response({"lang": tr.lang, "strings": page_strings(tr)})


async def api_overview(request: web.Request) -> web.Response:
    """The Overview's numbers."""
    viewer(request)
    svc = request.app[SERVICES]
    return web.json_response(overview_json(overview(svc, svc.clock.now())))


async def api_projects(request: web.Request) -> web.Response:
    """The board: every project by stage."""
    viewer(request)
    svc = request.app[SERVICES]
    return web.json_response(web_reads.project_board(svc, svc.clock.now()))


async def api_project(request: web.Request) -> web.Response:
    """One project's page."""
    person = viewer(request)
    svc = request.app[SERVICES]
    code = request.match_info["code"][:40]
    found = web_reads.project_page(svc, person, code, svc.clock.now())
    return web.json_response(found) if found is not None else _error(404, "not_found")


async def api_meetings(request: web.Request) -> web.Response:
    """The occurrences of a month (?month=YYYY-MM, default this month)."""
    viewer(request)
    svc = request.app[SERVICES]
    text = request.query.get("month", "")
    try:
        year, month = (int(p) for p in text.split("-")) if text else (0, 0)
        if text and not (1 <= month <= 12 and 2000 <= year <= 2100):
            raise ValueError(text)
    except ValueError:
        return _error(400, "bad_month")
    if not text:
        year, month = web_reads.month_of(svc, svc.clock.now())
    return web.json_response(web_reads.month_meetings(svc, year, month))


async def api_meeting(request: web.Request) -> web.Response:
    """One sitting of a meeting (?occ=<occurrence key> for a series)."""
    viewer(request)
    svc = request.app[SERVICES]
    ident = request.match_info["id"]
    if not ident.isdigit() or len(ident) > 9:
        return _error(404, "not_found")
    occ = request.query.get("occ", "")[:20] or None
    found = web_reads.meeting_page(svc, int(ident), occ, svc.clock.now())
    return web.json_response(found) if found is not None else _error(404, "not_found")


async def api_actions(request: web.Request) -> web.Response:
    """Open actions, overdue first (?mine=1: the viewer's and their unit's)."""
    person = viewer(request)
    svc = request.app[SERVICES]
    mine = request.query.get("mine") in ("1", "true")
    return web.json_response(web_reads.action_list(svc, person, mine, svc.clock.now()))


async def calendar_feed(request: web.Request) -> web.StreamResponse:
    """A person's calendar feed by its secret token; 404 for an unknown or revoked one."""
    svc = request.app[SERVICES]
    name = request.match_info["token"]
    feed = calendar_service.feed(svc, name, svc.clock.now())
    if feed is None:
        raise web.HTTPNotFound(text="no such calendar")
    headers = {
        "ETag": feed.etag,
        "Last-Modified": feed.last_modified.strftime("%a, %d %b %Y %H:%M:%S GMT"),
        "Cache-Control": "private, max-age=300",
    }
    if feed.etag in [t.strip() for t in request.headers.get("If-None-Match", "").split(",")]:
        return web.Response(status=304, headers=headers)
    return web.Response(
        body=feed.body, content_type="text/calendar", charset="utf-8", headers=headers
    )


async def healthz(request: web.Request) -> web.Response:
    """200 with the report when healthy, 503 with it when not."""
    ok, report = health(request.app[SERVICES], request.app[PROBE])
    return web.json_response(report, status=200 if ok else 503)


async def app_index(request: web.Request) -> web.StreamResponse:
    """The Mini App's page."""
    return web.FileResponse(STATIC / "index.html", headers={"Cache-Control": "no-cache"})


async def root(request: web.Request) -> web.StreamResponse:
    """/ leads to the dashboard."""
    raise web.HTTPFound("/app/")


def make_web_app(svc: Services, probe: HealthProbe | None = None) -> web.Application:
    """The web application over the bot's services."""
    app = web.Application(middlewares=[security_headers], client_max_size=64 * 1024)
    app[SERVICES] = svc
    app[PROBE] = probe or HealthProbe()
    app.router.add_get("/", root)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/cal/{token:[A-Za-z0-9_-]{1,200}}.ics", calendar_feed)
    app.router.add_get("/app", root)
    app.router.add_get("/app/", app_index)
    app.router.add_static("/app/static/", STATIC, append_version=False)
    routes: list[tuple[str, Any]] = [
        ("/api/me", me),
        ("/api/i18n", i18n),
        ("/api/overview", api_overview),
        ("/api/projects", api_projects),
        ("/api/projects/{code}", api_project),
        ("/api/meetings", api_meetings),
        ("/api/meetings/{id}", api_meeting),
        ("/api/actions", api_actions),
    ]
    for path, handler in routes:
        app.router.add_get(path, handler)
    return app
