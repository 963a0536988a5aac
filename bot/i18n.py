"""Translations: English is the source language; Chinese comes from gettext catalogs.

Catalogs are `bot/locales/zh/*.po`, one per feature area, read with Babel and merged.
The bot reads them through a compiled cache (`cached_catalog`): parsing the .po files and
importing Babel's reader cost ~45 ms of every start.
Messages use named `{placeholders}` filled by `str.format`. Counted messages go through
`Tr.ngettext` (English "1 day" / "2 days"); a catalog's plural entries (`msgid_plural`,
`msgstr[n]`) are chosen by its `Plural-Forms` header, so Chinese (nplurals=1) has one form.
"""

from __future__ import annotations

import gettext
import hashlib
import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

LOCALES_DIR = Path(__file__).parent / "locales"
LANGUAGES = ("en", "zh")
# Telegram sends IETF tags: zh, zh-hans, zh-hant, zh-cn, zh-tw, zh-hk (any case, - or _).
_LANGUAGE_PREFIXES = {"en": "en", "zh": "zh"}
# How lists are joined in running text: Chinese uses the enumeration comma 、.
_LIST_SEPARATORS = {"en": ", ", "zh": "、"}


def _english_plural(n: int) -> int:
    return 0 if n == 1 else 1


def N_(message: str) -> str:
    """Mark a string for extraction without translating it yet (module-level constants)."""
    return message


@dataclass(frozen=True)
class Catalog:
    """One language's messages: plain ones, plural ones (by singular id) and the plural rule."""

    messages: dict[str, str] = field(default_factory=dict)
    plurals: dict[str, tuple[str, ...]] = field(default_factory=dict)
    plural_index: Callable[[int], int] = _english_plural


def read_catalog(lang: str, directory: Path = LOCALES_DIR) -> Catalog:
    """All translated, non-fuzzy messages of one language, merged from its .po files."""
    return _catalog(_parse_catalog(lang, directory))


def _parse_catalog(lang: str, directory: Path) -> _Parsed:
    """Messages, plural messages and the plural expression, read from the .po files."""
    from babel.messages.pofile import read_po  # only when the compiled cache is stale

    messages: dict[str, str] = {}
    plurals: dict[str, tuple[str, ...]] = {}
    expr = ""
    for path in sorted((directory / lang).glob("*.po")):
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=lang)
        expr = catalog.plural_expr
        for message in catalog:
            if not message.id or message.fuzzy:
                continue
            if isinstance(message.id, str):
                if message.string and isinstance(message.string, str):
                    messages[message.id] = message.string
            elif isinstance(message.string, tuple | list) and all(message.string):
                plurals[message.id[0]] = tuple(str(s) for s in message.string)
    return messages, plurals, expr


_Parsed = tuple[dict[str, str], dict[str, tuple[str, ...]], str]
CACHE_NAME = "__pycache__/catalog.json"  # beside the .po files, git-ignored like bytecode


def cached_catalog(lang: str, directory: Path = LOCALES_DIR) -> Catalog:
    """read_catalog through a compiled cache keyed by the .po files' contents.

    Reading the cache (a hash of ~150 kB and one JSON file) takes ~2 ms where importing
    Babel's reader and parsing the catalogs took ~45 ms of every start. Any edit to a .po
    file changes the key, so a stale cache is never used; where the directory cannot be
    written the catalogs are parsed each time, as before.
    """
    paths = sorted((directory / lang).glob("*.po"))
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    key = digest.hexdigest()
    cache = directory / lang / CACHE_NAME
    try:
        stored = json.loads(cache.read_text(encoding="utf-8"))
        if stored.get("key") == key:
            parsed: _Parsed = (
                stored["messages"],
                {k: tuple(v) for k, v in stored["plurals"].items()},
                stored["expr"],
            )
            return _catalog(parsed)
    except (OSError, ValueError, KeyError, AttributeError):
        pass  # missing, unreadable or from another layout: parse and rewrite
    parsed = _parse_catalog(lang, directory)
    messages, plurals, expr = parsed
    data = {"key": key, "messages": messages, "plurals": plurals, "expr": expr}
    try:
        cache.parent.mkdir(exist_ok=True)
        # Written aside and renamed: a process starting meanwhile reads old or new, never half.
        temp = cache.with_name(f"{cache.name}.{os.getpid()}")
        temp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        os.replace(temp, cache)
    except OSError:
        pass  # a read-only install: parse each time
    return _catalog(parsed)


def _catalog(parsed: _Parsed) -> Catalog:
    messages, plurals, expr = parsed
    return Catalog(messages, plurals, gettext.c2py(expr) if expr else _english_plural)


def load_catalog(lang: str, directory: Path = LOCALES_DIR) -> dict[str, str]:
    """The plain (non-plural) translated messages of one language."""
    return read_catalog(lang, directory).messages


@dataclass(frozen=True)
class Tr:
    """A translation function bound to one language: `_("Hello {name}", name=...)`."""

    lang: str
    catalog: dict[str, str]
    plurals: dict[str, tuple[str, ...]] = field(default_factory=dict)
    plural_index: Callable[[int], int] = _english_plural

    def __call__(self, message: str, **values: object) -> str:
        """Translate a message and fill its placeholders."""
        text = self.catalog.get(message, message)
        return text.format(**values) if values else text

    def ngettext(self, singular: str, plural: str, n: int, **values: object) -> str:
        """Translate a counted message ('{n} day' / '{n} days'); `n` fills {n} too."""
        forms = self.plurals.get(singular)
        if forms:
            text = forms[min(self.plural_index(n), len(forms) - 1)]
        else:
            text = singular if _english_plural(n) == 0 else plural
        return text.format(**{"n": n, **values})

    def join(self, items: Iterable[str]) -> str:
        """Items of a list in running text: 'a, b, c' in English, 'a、b、c' in Chinese."""
        return _LIST_SEPARATORS.get(self.lang, ", ").join(items)

    @property
    def babel_locale(self) -> str:
        """The Babel locale identifier for dates and numbers."""
        return "zh_Hans_CN" if self.lang == "zh" else "en_GB"


class Translator:
    """Holds every language's catalog and hands out bound translation functions."""

    def __init__(self, directory: Path = LOCALES_DIR) -> None:
        self._catalogs = {"en": Catalog(), "zh": cached_catalog("zh", directory)}

    def get(self, lang: str | None) -> Tr:
        """The translation function for a language, English when unknown."""
        code = lang if lang in self._catalogs else "en"
        catalog = self._catalogs[code]
        return Tr(code, catalog.messages, catalog.plurals, catalog.plural_index)


def language_of_code(code: str | None) -> str | None:
    """Our language for a Telegram language_code (zh, zh-hans, zh-hant, zh-TW, en-GB ...)."""
    if not code:
        return None
    base = code.strip().lower().replace("_", "-").split("-")[0]
    return _LANGUAGE_PREFIXES.get(base)


def pick_language(
    chat_language: str | None, is_private: bool, user_language: str | None, default: str
) -> str:
    """The reply language: the chat's setting, else the user's (in private), else default."""
    if chat_language in LANGUAGES:
        return chat_language  # type: ignore[return-value]
    if is_private:
        code = language_of_code(user_language)
        if code is not None:
            return code
    return default
