"""Translations: English is the source language; Chinese comes from gettext catalogs.

Catalogs are `bot/locales/zh/*.po`, one per feature area, read with Babel and merged.
Messages use named `{placeholders}` filled by `str.format`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from babel.messages.pofile import read_po

LOCALES_DIR = Path(__file__).parent / "locales"
LANGUAGES = ("en", "zh")


def N_(message: str) -> str:
    """Mark a string for extraction without translating it yet (module-level constants)."""
    return message


def load_catalog(lang: str, directory: Path = LOCALES_DIR) -> dict[str, str]:
    """All translated, non-fuzzy messages of one language, merged from its .po files."""
    merged: dict[str, str] = {}
    for path in sorted((directory / lang).glob("*.po")):
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=lang)
        for message in catalog:
            if message.id and message.string and not message.fuzzy and isinstance(message.id, str):
                merged[message.id] = str(message.string)
    return merged


@dataclass(frozen=True)
class Tr:
    """A translation function bound to one language: `_("Hello {name}", name=...)`."""

    lang: str
    catalog: dict[str, str]

    def __call__(self, message: str, **values: object) -> str:
        """Translate a message and fill its placeholders."""
        text = self.catalog.get(message, message)
        return text.format(**values) if values else text

    @property
    def babel_locale(self) -> str:
        """The Babel locale identifier for dates and numbers."""
        return "zh_Hans_CN" if self.lang == "zh" else "en_GB"


class Translator:
    """Holds every language's catalog and hands out bound translation functions."""

    def __init__(self, directory: Path = LOCALES_DIR) -> None:
        self._catalogs = {"en": {}, "zh": load_catalog("zh", directory)}

    def get(self, lang: str | None) -> Tr:
        """The translation function for a language, English when unknown."""
        code = lang if lang in self._catalogs else "en"
        return Tr(code, self._catalogs[code])


def pick_language(
    chat_language: str | None, is_private: bool, user_language: str | None, default: str
) -> str:
    """The reply language: the chat's setting, else the user's (in private), else default."""
    if chat_language in LANGUAGES:
        return chat_language  # type: ignore[return-value]
    if is_private and user_language:
        code = user_language.split("-")[0].lower()
        if code in LANGUAGES:
            return code
    return default
