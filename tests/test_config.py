"""Configuration: defaults, env over TOML, and one-line errors naming the key."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from bot.config import DEFAULT_API_URL, ConfigError, load_config


def test_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    config = load_config({})
    assert config.token is None
    assert config.api_url == DEFAULT_API_URL
    assert config.tz.key == "Asia/Shanghai"
    assert config.locale == "en"
    assert config.admins == ()
    assert config.rate_limit == 30
    assert config.reminder_offsets == (timedelta(days=1), timedelta(hours=1))
    assert config.busy_wait == 5


def test_env_wins_over_toml(tmp_path: Path) -> None:
    toml = tmp_path / "c.toml"
    toml.write_text('tz = "Europe/Berlin"\nlocale = "zh"\nadmins = [7, 8]\n', encoding="utf-8")
    config = load_config({"COORDBOT_TZ": "UTC", "COORDBOT_DB": str(tmp_path / "x.db")}, toml)
    assert config.tz.key == "UTC"
    assert config.locale == "zh"
    assert config.admins == (7, 8)


@pytest.mark.parametrize(
    ("env", "key"),
    [
        ({"COORDBOT_TZ": "Mars/Olympus"}, "COORDBOT_TZ"),
        ({"COORDBOT_ADMINS": "12,abc"}, "COORDBOT_ADMINS"),
        ({"COORDBOT_DB": "/nonexistent-dir/x.db"}, "COORDBOT_DB"),
        ({"COORDBOT_LOCALE": "fr"}, "COORDBOT_LOCALE"),
        ({"COORDBOT_RATE_LIMIT": "fast"}, "COORDBOT_RATE_LIMIT"),
        ({"COORDBOT_API_URL": "ftp://x"}, "COORDBOT_API_URL"),
        ({"COORDBOT_PROXY": "socks5://127.0.0.1:1080"}, "COORDBOT_PROXY"),
        ({"COORDBOT_REMINDERS": "soon"}, "COORDBOT_REMINDERS"),
        ({"COORDBOT_BUSY_WAIT": "a while"}, "COORDBOT_BUSY_WAIT"),
    ],
)
def test_bad_values_name_the_key(env: dict[str, str], key: str, tmp_path: Path) -> None:
    env = {"COORDBOT_DB": str(tmp_path / "x.db"), **env}
    with pytest.raises(ConfigError) as info:
        load_config(env)
    assert info.value.key == key
    assert key in str(info.value)


def _cli(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_run_without_token_exits_2_with_one_line(tmp_path: Path) -> None:
    result = _cli(["run"], {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}, tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "COORDBOT_TOKEN" in lines[0]
    assert "Traceback" not in result.stderr


def test_bad_time_zone_is_one_line(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "COORDBOT_TOKEN": "1:x", "COORDBOT_TZ": "Nowhere/Land"}
    result = _cli(["run"], env, tmp_path)
    assert result.returncode == 2
    assert "COORDBOT_TZ" in result.stderr and "Traceback" not in result.stderr


def test_the_proxy_is_read_and_off_by_default(tmp_path: Path) -> None:
    db = {"COORDBOT_DB": str(tmp_path / "x.db")}
    assert load_config(db).proxy == ""
    assert load_config({**db, "COORDBOT_PROXY": " http://127.0.0.1:7890 "}).proxy == (
        "http://127.0.0.1:7890"
    )
