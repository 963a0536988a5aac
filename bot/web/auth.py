"""Mini App authentication: Telegram's signed initData, verified as Telegram specifies.

The page sends `Authorization: tma <initData>`. The data-check string is every received
field except `hash`, as `key=value`, sorted by key and joined with newlines; the secret key
is HMAC-SHA256 of the bot token keyed with "WebAppData", and the hash is the hex
HMAC-SHA256 of the data-check string under that secret. Hashes are compared in constant
time and `auth_date` may be at most 24 hours old. The user id comes from nowhere else.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl, urlencode

MAX_AGE = timedelta(hours=24)
CLOCK_SKEW = timedelta(minutes=5)  # auth_date a little ahead of our clock is tolerated
MAX_LENGTH = 8192


class AuthError(Exception):
    """initData missing, malformed, forged or stale; the message says which (for logs)."""


@dataclass(frozen=True)
class WebUser:
    """The Telegram user a verified initData names."""

    user_id: int
    language_code: str | None
    auth_date: datetime


def _secret(bot_token: str) -> bytes:
    return hmac.new(b"WebAppData", bot_token.encode(), hashlib.sha256).digest()


def _check_string(fields: dict[str, str]) -> str:
    return "\n".join(f"{k}={fields[k]}" for k in sorted(fields) if k != "hash")


def _signature(fields: dict[str, str], bot_token: str) -> str:
    return hmac.new(_secret(bot_token), _check_string(fields).encode(), hashlib.sha256).hexdigest()


def verify_init_data(init_data: str, bot_token: str, now: datetime) -> WebUser:
    """The user of a genuine, fresh initData; AuthError otherwise."""
    if not init_data or len(init_data) > MAX_LENGTH:
        raise AuthError("no initData")
    try:
        pairs = parse_qsl(init_data, keep_blank_values=True, strict_parsing=True)
    except ValueError as exc:
        raise AuthError("initData is not a query string") from exc
    fields = dict(pairs)
    if len(fields) != len(pairs):
        raise AuthError("a field appears twice")
    given = fields.get("hash", "")
    if not hmac.compare_digest(given.encode(), _signature(fields, bot_token).encode()):
        raise AuthError("bad signature")
    try:
        auth_date = datetime.fromtimestamp(int(fields["auth_date"]), tz=now.tzinfo)
        user = json.loads(fields["user"])
        user_id = int(user["id"])
    except (KeyError, ValueError, TypeError) as exc:
        raise AuthError("auth_date or user missing or malformed") from exc
    if now - auth_date > MAX_AGE:
        raise AuthError("initData is older than 24 hours")
    if auth_date - now > CLOCK_SKEW:
        raise AuthError("auth_date is in the future")
    language = user.get("language_code")
    return WebUser(user_id, language if isinstance(language, str) else None, auth_date)


def sign_init_data(bot_token: str, user: dict[str, Any], auth_date: datetime, **extra: str) -> str:
    """initData as Telegram would sign it (for tests, the console and benchmarks)."""
    fields = {
        "auth_date": str(int(auth_date.timestamp())),
        "user": json.dumps(user, ensure_ascii=False, separators=(",", ":")),
        **extra,
    }
    fields["hash"] = _signature(fields, bot_token)
    return urlencode(fields)


def bearer(header: str | None) -> str:
    """The initData of an `Authorization: tma <initData>` header ('' when absent)."""
    scheme, _sep, value = (header or "").strip().partition(" ")
    return value.strip() if scheme.lower() == "tma" else ""
