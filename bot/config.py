"""Configuration from the environment and an optional TOML file; env wins."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_API_URL = "https://api.telegram.org/bot"
LOCALES = ("en", "zh")


class ConfigError(Exception):
    """A bad configuration value; the message names the key."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(f"{key}: {message}")
        self.key = key


@dataclass(frozen=True)
class Config:
    """Everything the bot reads from its environment."""

    token: str | None = None
    api_url: str = DEFAULT_API_URL
    # HTTP proxy to the Bot API; "" = HTTPS_PROXY / HTTP_PROXY / NO_PROXY of the environment.
    proxy: str = ""
    db_path: Path = Path("coordbot.db")
    tz: ZoneInfo = field(default_factory=lambda: ZoneInfo("Asia/Shanghai"))
    locale: str = "en"
    admins: tuple[int, ...] = ()
    rate_limit: float = 30.0
    reminder_offsets: tuple[timedelta, ...] = (timedelta(days=1), timedelta(hours=1))
    silent_days: int = 14
    exit_followup_days: int = 90  # the admins' reminder after a project leaves the pilot
    risk_open_days: int = 60  # a risk open longer goes on the lead institution's record
    nudge_before: timedelta = timedelta(hours=24)
    agenda_cutoff: timedelta = timedelta(hours=48)
    agenda_publish_before: timedelta = timedelta(hours=24)
    action_remind_workdays: int = 2
    read_timeout: float = 10.0
    bulletin_name: str = ""  # the bulletin's name on Chinese documents; "" = the default
    bulletin_name_en: str = ""  # and on English documents
    # The longest wait between failing getUpdates (bot/telegram/polling.py).
    poll_retry_max: float = 3.0
    # How long a command waits for a database another process holds locked before the
    # sender is asked to resend (the wait does not block other chats).
    busy_wait: float = 5.0
    # The web server (dashboard, calendar feed, /healthz): None = off, 0 = any free port.
    web_port: int | None = None
    web_host: str = "127.0.0.1"
    web_url: str = ""  # public base URL for links; "" = http://<host>:<port>

    def require_token(self) -> str:
        """The bot token, or a ConfigError naming COORDBOT_TOKEN."""
        if not self.token:
            raise ConfigError("COORDBOT_TOKEN", "is not set; get a token from @BotFather")
        return self.token


KEYS = (
    "COORDBOT_TOKEN",
    "COORDBOT_API_URL",
    "COORDBOT_PROXY",
    "COORDBOT_DB",
    "COORDBOT_TZ",
    "COORDBOT_LOCALE",
    "COORDBOT_ADMINS",
    "COORDBOT_RATE_LIMIT",
    "COORDBOT_REMINDERS",
    "COORDBOT_SILENT_DAYS",
    "COORDBOT_EXIT_FOLLOWUP_DAYS",
    "COORDBOT_RISK_OPEN_DAYS",
    "COORDBOT_NUDGE_HOURS",
    "COORDBOT_AGENDA_CUTOFF_HOURS",
    "COORDBOT_AGENDA_PUBLISH_HOURS",
    "COORDBOT_ACTION_REMIND_WORKDAYS",
    "COORDBOT_BULLETIN_NAME",
    "COORDBOT_BULLETIN_NAME_EN",
    "COORDBOT_BUSY_WAIT",
    "COORDBOT_WEB_PORT",
    "COORDBOT_WEB_HOST",
    "COORDBOT_WEB_URL",
)


def _read_toml(path: Path) -> dict[str, str]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError("--config", f"file not found: {path}") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError("--config", f"not valid TOML: {exc}") from exc
    out: dict[str, str] = {}
    for key, value in data.items():
        name = key.upper()
        if not name.startswith("COORDBOT_"):
            name = "COORDBOT_" + name
        if name not in KEYS:
            raise ConfigError(key, "unknown configuration key")
        if isinstance(value, list):
            value = ",".join(str(v) for v in value)
        out[name] = str(value)
    return out


def _user_ids(key: str, raw: str) -> tuple[int, ...]:
    from bot.telegram.commands import parse_telegram_id

    ids = []
    for part in raw.replace(" ", "").split(","):
        if not part:
            continue
        user_id = parse_telegram_id(part)
        if user_id is None:
            raise ConfigError(key, f"not a numeric Telegram user id: {part!r}")
        ids.append(user_id)
    return tuple(ids)


def _number(key: str, raw: str, minimum: float = 0) -> float:
    try:
        value = float(raw)
    except ValueError as exc:
        raise ConfigError(key, f"not a number: {raw!r}") from exc
    if value < minimum:
        raise ConfigError(key, f"must be at least {minimum:g}")
    return value


def _check_db_path(key: str, path: Path) -> Path:
    parent = path.expanduser().resolve().parent
    if not parent.is_dir():
        raise ConfigError(key, f"directory does not exist: {parent}")
    if not os.access(parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise ConfigError(key, f"not writable: {path}")
    return path


def _offsets(key: str, raw: str) -> tuple[timedelta, ...]:
    from bot.domain.timeparse import OffsetError, parse_offsets

    try:
        return tuple(parse_offsets(raw))
    except OffsetError as exc:
        raise ConfigError(key, f"not a list of offsets like 1d,1h: {raw!r}") from exc


def load_config(env: Mapping[str, str] | None = None, config_file: Path | None = None) -> Config:
    """Build the Config from a TOML file and the environment; raise ConfigError on bad values."""
    values: dict[str, Any] = _read_toml(config_file) if config_file else {}
    source = os.environ if env is None else env
    values.update({k: v for k, v in source.items() if k in KEYS and v != ""})
    kwargs: dict[str, Any] = {}
    if "COORDBOT_TOKEN" in values:
        kwargs["token"] = values["COORDBOT_TOKEN"].strip()
    if "COORDBOT_API_URL" in values:
        url = values["COORDBOT_API_URL"].strip()
        if not url.startswith(("http://", "https://")):
            raise ConfigError("COORDBOT_API_URL", f"not an http(s) URL: {url!r}")
        kwargs["api_url"] = url
    if "COORDBOT_PROXY" in values:
        proxy = values["COORDBOT_PROXY"].strip()
        if not proxy.startswith(("http://", "https://")):
            raise ConfigError(
                "COORDBOT_PROXY", f"not an http(s) proxy URL (SOCKS is not supported): {proxy!r}"
            )
        kwargs["proxy"] = proxy
    if "COORDBOT_DB" in values:
        kwargs["db_path"] = _check_db_path("COORDBOT_DB", Path(values["COORDBOT_DB"]))
    else:
        kwargs["db_path"] = _check_db_path("COORDBOT_DB", Path("coordbot.db"))
    if "COORDBOT_TZ" in values:
        try:
            kwargs["tz"] = ZoneInfo(values["COORDBOT_TZ"].strip())
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ConfigError(
                "COORDBOT_TZ", f"unknown time zone: {values['COORDBOT_TZ']!r}"
            ) from exc
    if "COORDBOT_LOCALE" in values:
        locale = values["COORDBOT_LOCALE"].strip().lower()
        if locale not in LOCALES:
            raise ConfigError("COORDBOT_LOCALE", f"must be en or zh, not {locale!r}")
        kwargs["locale"] = locale
    if "COORDBOT_ADMINS" in values:
        kwargs["admins"] = _user_ids("COORDBOT_ADMINS", values["COORDBOT_ADMINS"])
    if "COORDBOT_RATE_LIMIT" in values:
        kwargs["rate_limit"] = _number("COORDBOT_RATE_LIMIT", values["COORDBOT_RATE_LIMIT"])
    if "COORDBOT_REMINDERS" in values:
        kwargs["reminder_offsets"] = _offsets("COORDBOT_REMINDERS", values["COORDBOT_REMINDERS"])
    if "COORDBOT_SILENT_DAYS" in values:
        kwargs["silent_days"] = int(
            _number("COORDBOT_SILENT_DAYS", values["COORDBOT_SILENT_DAYS"], 1)
        )
    for key, attr in (
        ("COORDBOT_EXIT_FOLLOWUP_DAYS", "exit_followup_days"),
        ("COORDBOT_RISK_OPEN_DAYS", "risk_open_days"),
    ):
        if key in values:
            kwargs[attr] = int(_number(key, values[key], 1))
    for key, attr in (
        ("COORDBOT_NUDGE_HOURS", "nudge_before"),
        ("COORDBOT_AGENDA_CUTOFF_HOURS", "agenda_cutoff"),
        ("COORDBOT_AGENDA_PUBLISH_HOURS", "agenda_publish_before"),
    ):
        if key in values:
            kwargs[attr] = timedelta(hours=_number(key, values[key]))
    if "COORDBOT_ACTION_REMIND_WORKDAYS" in values:
        kwargs["action_remind_workdays"] = int(
            _number("COORDBOT_ACTION_REMIND_WORKDAYS", values["COORDBOT_ACTION_REMIND_WORKDAYS"])
        )
    for key, attr in (
        ("COORDBOT_BULLETIN_NAME", "bulletin_name"),
        ("COORDBOT_BULLETIN_NAME_EN", "bulletin_name_en"),
    ):
        if key in values:
            kwargs[attr] = " ".join(values[key].split())
    if "COORDBOT_BUSY_WAIT" in values:
        kwargs["busy_wait"] = _number("COORDBOT_BUSY_WAIT", values["COORDBOT_BUSY_WAIT"])
    kwargs.update(_web(values))
    return Config(**kwargs)


def _web(values: Mapping[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if "COORDBOT_WEB_PORT" in values:
        raw = values["COORDBOT_WEB_PORT"].strip()
        if not raw.isascii() or not raw.isdigit() or len(raw) > 5 or int(raw) > 65535:
            raise ConfigError("COORDBOT_WEB_PORT", f"not a port number (0-65535): {raw!r}")
        out["web_port"] = int(raw)
    if "COORDBOT_WEB_HOST" in values:
        out["web_host"] = values["COORDBOT_WEB_HOST"].strip()
    if "COORDBOT_WEB_URL" in values:
        url = values["COORDBOT_WEB_URL"].strip().rstrip("/")
        if not url.startswith(("http://", "https://")) or "?" in url or "#" in url:
            raise ConfigError("COORDBOT_WEB_URL", f"not an http(s) base URL: {url!r}")
        out["web_url"] = url
    return out
