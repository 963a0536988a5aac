"""Two languages: every message has a Chinese translation with the same placeholders."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.devtools.i18n_catalog import extract_messages, extract_plurals, problems, unextracted
from bot.i18n import Translator, pick_language


@pytest.mark.slow(1)
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
    assert pick_language(None, True, "zh-TW", "en") == "zh"


def test_a_literal_babel_skips_is_still_reported(tmp_path: Path) -> None:
    for directory in ("bot", "handlers", "storage"):
        (tmp_path / directory).mkdir()
    (tmp_path / "bot" / "card.py").write_text(
        'def line(tr, unit):\n    return tr("{unit}: {n}", unit=esc(unit or tr("no unit")), n=1)\n'
    )
    assert unextracted(tmp_path) == ["not extracted: 'no unit' (bot/card.py)"]


def test_plural_messages_need_a_chinese_form() -> None:
    zh, en = Translator().get("zh"), Translator().get("en")
    assert en.ngettext("{n} day", "{n} days", 1) == "1 day"
    assert en.ngettext("{n} day", "{n} days", 2) == "2 days"
    assert zh.ngettext("{n} day", "{n} days", 2) == "2天"
    assert extract_plurals()  # the source uses ngettext, and problems() checks every one


def test_a_message_means_one_thing_in_every_catalog() -> None:
    # The catalogs merge into one: a msgid translated twice differently would show the
    # last one loaded everywhere ("rejected" once read 未受理 on plan changes).
    from babel.messages.pofile import read_po

    from bot.i18n import LOCALES_DIR

    seen: dict[str, tuple[str, object]] = {}
    clashes = []
    for path in sorted((LOCALES_DIR / "zh").glob("*.po")):
        with path.open("rb") as handle:
            for message in read_po(handle, locale="zh"):
                if not message.id or not message.string:
                    continue
                key = message.id if isinstance(message.id, str) else message.id[0]
                value = (
                    message.string if isinstance(message.string, str) else tuple(message.string)
                )
                first = seen.setdefault(key, (path.name, value))
                if first[1] != value:
                    clashes.append(f"{key!r}: {first[0]} {first[1]!r} vs {path.name} {value!r}")
    assert clashes == []
