"""COORDBOT_WEB_PORT, COORDBOT_WEB_HOST and COORDBOT_WEB_URL: read, defaulted, refused by name."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import ConfigError, load_config
from bot.web.urls import public_base


def test_web_is_off_unless_a_port_is_given(tmp_path: Path) -> None:
    config = load_config({"COORDBOT_DB": str(tmp_path / "x.db")})
    assert (config.web_port, config.web_host, config.web_url) == (None, "127.0.0.1", "")
    config = load_config(
        {
            "COORDBOT_DB": str(tmp_path / "x.db"),
            "COORDBOT_WEB_PORT": "8080",
            "COORDBOT_WEB_HOST": "0.0.0.0",
            "COORDBOT_WEB_URL": "https://coord.example.org/",
        }
    )
    assert (config.web_port, config.web_host, config.web_url) == (
        8080,
        "0.0.0.0",
        "https://coord.example.org",
    )


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("COORDBOT_WEB_PORT", "http"),
        ("COORDBOT_WEB_PORT", "70000"),
        ("COORDBOT_WEB_PORT", "８０８０"),
        ("COORDBOT_WEB_URL", "coord.example.org"),
        ("COORDBOT_WEB_URL", "https://coord.example.org/?x=1"),
    ],
)
def test_bad_values_name_the_key(tmp_path: Path, key: str, value: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config({"COORDBOT_DB": str(tmp_path / "x.db"), key: value})
    assert caught.value.key == key


def test_public_base() -> None:
    assert public_base("", "0.0.0.0", 8080) == "http://127.0.0.1:8080"
    assert public_base("https://c.example.org/", "127.0.0.1", 8080) == "https://c.example.org"
