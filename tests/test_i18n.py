"""Two languages: every message has a Chinese translation with the same placeholders."""

from __future__ import annotations

from bot.i18n import Translator, pick_language
from bot.i18n_catalog import extract_messages, problems


def test_every_message_is_translated() -> None:
    assert problems() == []


def test_extraction_finds_messages_in_every_layer() -> None:
    found = extract_messages()
    assert len(found) > 50
    assert any(loc.startswith("handlers/") for locs in found.values() for loc in locs)


def test_translator_fills_placeholders() -> None:
    zh = Translator().get("zh")
    assert zh("Unit {code} already exists.", code="TECH") == "单位TECH已存在。"
    assert (
        Translator().get("en")("Unit {code} already exists.", code="X") == "Unit X already exists."
    )


def test_language_choice() -> None:
    assert pick_language("zh", False, "en", "en") == "zh"
    assert pick_language(None, True, "zh-hans", "en") == "zh"
    assert pick_language(None, False, "zh", "en") == "en"
