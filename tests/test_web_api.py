"""The dashboard's JSON API through aiohttp's test client: initData verified as Telegram
specifies, the coordbot role deciding what each person sees, security headers, /healthz."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.clock import FixedClock
from bot.services import Services
from bot.web.app import make_web_app
from bot.web.auth import AuthError, sign_init_data, verify_init_data
from bot.web.health import HealthProbe
from storage import outbox
from storage.db import transaction
from tests.support.services import make_services
from tests.web_seed import ADMIN, EVALUATOR, EVALUATOR2, MEMBER, OUTSIDER, STAFF, Seeded, seed

TOKEN = "1:SERVICES"  # make_services' bot token


@pytest.fixture
def seeded(tmp_path: Path) -> tuple[Services, Seeded]:
    svc = make_services(tmp_path)
    return svc, seed(svc)


@pytest.fixture
async def client(seeded: tuple[Services, Seeded]) -> AsyncIterator[TestClient[Any, Any]]:
    async with TestClient(TestServer(make_web_app(seeded[0]))) as c:
        yield c


def auth(
    svc: Services, user_id: int, *, age: timedelta = timedelta(0), **extra: str
) -> dict[str, str]:
    init = sign_init_data(
        TOKEN, {"id": user_id, "first_name": "X"}, svc.clock.now() - age, **extra
    )
    return {"Authorization": f"tma {init}"}


async def get(client: TestClient[Any, Any], path: str, headers: dict[str, str]) -> tuple[int, Any]:
    response = await client.get(path, headers=headers)
    return response.status, await response.json()


# --- initData, at the seam ---------------------------------------------------------------


def test_initdata_verified_as_telegram_specifies(clock: FixedClock) -> None:
    # A vector computed independently of our signer, following the spec step by step.
    import hashlib
    import hmac

    fields = {
        "auth_date": str(int(clock.now().timestamp())),
        "query_id": "AAH",
        "user": '{"id":42}',
    }
    check = "\n".join(f"{k}={fields[k]}" for k in sorted(fields))
    secret = hmac.new(b"WebAppData", TOKEN.encode(), hashlib.sha256).digest()
    fields["hash"] = hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()
    user = verify_init_data(urlencode(fields), TOKEN, clock.now())
    assert user.user_id == 42


@pytest.mark.parametrize(
    ("tamper", "reason"),
    [
        (lambda f: {**f, "user": '{"id":7000000002}'}, "bad signature"),  # someone else's id
        (lambda f: {**f, "hash": "0" * 64}, "bad signature"),
        (lambda f: {k: v for k, v in f.items() if k != "hash"}, "bad signature"),
        (lambda f: {**f, "auth_date": str(int(f["auth_date"]) + 1)}, "bad signature"),
    ],
)
def test_forged_initdata_is_refused(clock: FixedClock, tamper: Any, reason: str) -> None:
    fields = dict(parse_qsl(sign_init_data(TOKEN, {"id": ADMIN}, clock.now())))
    with pytest.raises(AuthError, match=reason):
        verify_init_data(urlencode(tamper(fields)), TOKEN, clock.now())


def test_signed_with_another_bot_token_is_refused(clock: FixedClock) -> None:
    with pytest.raises(AuthError, match="bad signature"):
        verify_init_data(sign_init_data("2:OTHER", {"id": ADMIN}, clock.now()), TOKEN, clock.now())


def test_stale_initdata_is_refused(clock: FixedClock) -> None:
    fresh = sign_init_data(TOKEN, {"id": ADMIN}, clock.now() - timedelta(hours=23, minutes=59))
    assert verify_init_data(fresh, TOKEN, clock.now()).user_id == ADMIN
    stale = sign_init_data(TOKEN, {"id": ADMIN}, clock.now() - timedelta(hours=24, seconds=1))
    with pytest.raises(AuthError, match="older than 24 hours"):
        verify_init_data(stale, TOKEN, clock.now())


# --- the API --------------------------------------------------------------------------------


async def test_valid_initdata_reads_every_endpoint(
    client: TestClient[Any, Any], seeded: tuple[Services, Seeded]
) -> None:
    svc, data = seeded
    headers = auth(svc, MEMBER)
    status, me = await get(client, "/api/me", headers)
    assert (status, me["user_id"], me["role"], me["lang"]) == (200, MEMBER, "member", "zh")
    status, overview = await get(client, "/api/overview", headers)
    assert status == 200 and overview["projects"] == 16
    assert sum(n for _k, n in overview["by_stage"]) == 16
    assert (
        overview["open_risks"] == len(data.risk_ids) == sum(n for _k, n in overview["risk_ages"])
    )
    assert overview["overdue_actions"] > 0 and overview["attendance"]
    status, board = await get(client, "/api/projects", headers)
    assert status == 200 and [p["code"] for p in board["projects"]] == data.project_codes
    status, page = await get(client, "/api/projects/bj-01", headers)
    assert status == 200 and page["code"] == "BJ-01" and page["timeline"]
    status, month = await get(client, "/api/meetings?month=2026-12", headers)
    assert status == 200 and {m["id"] for m in month["meetings"]} >= {2, 3, 4}
    status, meeting = await get(client, f"/api/meetings/{data.meeting_ids[0]}", headers)
    assert status == 200 and len(meeting["agenda"]) == 3 and meeting["minutes"]["actions"]
    status, found = await get(client, "/api/actions", headers)
    overdue = [a["overdue_days"] for a in found["actions"]]
    assert status == 200 and overdue == sorted(overdue, reverse=True) and overdue[0] > 0


async def test_strings_follow_the_persons_chat_language(
    client: TestClient[Any, Any], seeded: tuple[Services, Seeded]
) -> None:
    svc, _data = seeded
    _s, zh = await get(client, "/api/i18n", auth(svc, ADMIN))  # Telegram language zh-hans
    _s, en = await get(client, "/api/i18n", auth(svc, STAFF))
    assert (zh["lang"], en["lang"]) == ("zh", "en")
    assert (
        zh["strings"]["stage.running"] == "试点运行"
        and en["strings"]["tab_overview"] == "Overview"
    )
    assert zh["strings"].keys() == en["strings"].keys()


@pytest.mark.parametrize(
    ("headers", "status", "error"),
    [
        ({}, 401, "unauthorized"),
        ({"Authorization": "Bearer x"}, 401, "unauthorized"),
        ("forged", 401, "unauthorized"),
        ("stale", 401, "expired"),
        ("no role", 403, "no_role"),
        ("unknown person", 403, "no_role"),
    ],
)
async def test_refused_requests(
    client: TestClient[Any, Any],
    seeded: tuple[Services, Seeded],
    headers: Any,
    status: int,
    error: str,
) -> None:
    svc, _data = seeded
    if headers == "forged":
        fields = dict(parse_qsl(auth(svc, OUTSIDER)["Authorization"][4:]))
        fields["user"] = json.dumps({"id": ADMIN})  # claim to be the admin
        headers = {"Authorization": "tma " + urlencode(fields)}
    elif headers == "stale":
        headers = auth(svc, ADMIN, age=timedelta(hours=25))
    elif headers == "no role":
        headers = auth(svc, OUTSIDER)
    elif headers == "unknown person":
        headers = auth(svc, 8_000_000_000)
    for path in ("/api/me", "/api/overview", "/api/projects/BJ-01", "/api/actions"):
        got, body = await get(client, path, headers)
        assert (got, body) == (status, {"error": error}), path


async def test_evaluation_scores_only_for_those_who_may_see_them(
    client: TestClient[Any, Any], seeded: tuple[Services, Seeded]
) -> None:
    svc, _data = seeded
    board = (await get(client, "/api/projects", auth(svc, ADMIN)))[1]["projects"]
    closed, still_open = [p["code"] for p in board if p["stage"] == "evaluation"][:2]

    async def evaluation(user: int, code: str) -> Any:
        return (await get(client, f"/api/projects/{code}", auth(svc, user)))[1]["evaluation"]

    result = {"kind": "result", "count": 2, "means": [3.5, 3.5, 4.0, 4.5]}
    for user in (ADMIN, MEMBER, EVALUATOR):
        assert {
            k: v for k, v in (await evaluation(user, closed)).items() if k != "closed"
        } == result
    assert (await evaluation(ADMIN, still_open))["means"] == [3.5, 3.5, 4.0, 4.5]
    assert await evaluation(MEMBER, still_open) is None  # not an evaluator: nothing yet
    assert (await evaluation(EVALUATOR, still_open))["means"] == [4, 3, 5, 4]  # own only
    assert (await evaluation(EVALUATOR2, still_open))["means"] == [3, 4, 3, 5]


async def test_another_persons_data_cannot_be_asked_for(
    client: TestClient[Any, Any], seeded: tuple[Services, Seeded]
) -> None:
    svc, _data = seeded
    mine = (await get(client, "/api/actions?mine=1", auth(svc, MEMBER)))[1]["actions"]
    assert mine and all(a["owner"] == "Mei" or a["unit"] == "BJ" for a in mine)
    # Naming someone else anywhere but in the signed data changes nothing.
    for query in ("&user_id=7000000002", "&user=7000000002", "&id=7000000002"):
        again = (await get(client, "/api/actions?mine=1" + query, auth(svc, MEMBER)))[1]
        assert again["actions"] == mine
    staff = (await get(client, "/api/actions?mine=1", auth(svc, STAFF)))[1]["actions"]
    assert all(a["unit"] == "TECH" for a in staff) and staff != mine
    me = (await get(client, "/api/me", {**auth(svc, MEMBER), "X-Telegram-User": str(ADMIN)}))[1]
    assert (me["user_id"], me["role"]) == (MEMBER, "member")


async def test_security_headers_and_the_page(client: TestClient[Any, Any]) -> None:
    page = await client.get("/app/")
    assert page.status == 200
    csp = page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors https://web.telegram.org" in csp
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    html = await page.text()
    assert "<script src=" in html and "<script>" not in html and " style=" not in html
    api = await client.get("/api/overview")
    assert api.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in api.headers["Content-Security-Policy"]
    assert api.headers["Cache-Control"] == "no-store"
    script = await client.get("/app/static/app.js")
    code = await script.text()
    assert script.status == 200 and ".innerHTML" not in code and "insertAdjacentHTML" not in code
    assert (await client.get("/app/static/../../app.py")).status in (403, 404)


async def test_static_assets_stay_small() -> None:
    static = Path(__file__).resolve().parent.parent / "bot" / "web" / "static"
    assert sum(f.stat().st_size for f in static.iterdir()) < 300_000


async def test_healthz_reports_and_fails(seeded: tuple[Services, Seeded]) -> None:
    svc, _data = seeded
    probe = HealthProbe(scheduler_running=lambda: True, last_poll=lambda: None)
    async with TestClient(TestServer(make_web_app(svc, probe))) as c:
        ok = await c.get("/healthz")
        report = await ok.json()
        assert ok.status == 200 and report["ok"] and report["database"]
        assert report["outbox_backlog"] == 0 and report["seconds_since_last_poll"] is None
        probe.scheduler_running = lambda: False
        down = await c.get("/healthz")
        assert down.status == 503 and (await down.json())["problems"] == ["scheduler"]
        probe.scheduler_running = lambda: True
        with transaction(svc.db):
            outbox.enqueue(
                svc.db,
                key="k",
                kind="notice",
                chat_id=1,
                text="x",
                now=svc.clock.now() - timedelta(minutes=20),
            )
        stuck = await (await c.get("/healthz")).json()
        assert stuck["outbox_backlog"] == 1 and stuck["problems"] == ["outbox"]
