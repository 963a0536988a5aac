"""What a command is: its spec, the call a handler receives, and the reply it returns.

Handlers are plain synchronous functions `Call -> Reply`: the dispatcher runs them inside
one database transaction, records the audit entry in it, commits, and only then sends the
reply. That is how "a reply that says done comes after the commit" holds everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from sqlite_utils import Database

from bot.domain.normalize import structural, token
from bot.i18n import Tr
from storage.attachments import Sent
from storage.chats import Chat
from storage.people import Person, Role, role_rank

if TYPE_CHECKING:
    from bot.services import Services

Where = Literal["any", "group", "private"]
_NUMBER = re.compile(r"[0-9]{1,9}")
_TELEGRAM_ID = re.compile(r"-?[0-9]{1,16}")
# Telegram ids "have at most 52 significant bits"; below 2**53 they are exact everywhere.
TELEGRAM_ID_LIMIT = 2**53


def parse_number(text: str) -> int | None:
    """A whole number typed by a user (at most 9 digits, full-width ones too), or None.

    str.isdigit() also accepts '²' (which int() refuses) and any length (which SQLite
    cannot store), so every id, count and position a user types goes through here. The
    text is read through NFKC first, so a phone keyboard's １２ is 12.
    """
    text = token(text)
    return int(text) if _NUMBER.fullmatch(text) else None


def parse_telegram_id(text: str, *, chat: bool = False) -> int | None:
    """A Telegram user id typed by someone (or, with chat=True, a chat id), or None.

    Row ids and counts go through parse_number (nine digits); a Telegram id has ten digits
    for most accounts made since 2021 and up to 52 bits. User ids are positive; group and
    supergroup chat ids are negative (-100...).
    """
    if not _TELEGRAM_ID.fullmatch(text):
        return None
    value = int(text)
    if value == 0 or abs(value) >= TELEGRAM_ID_LIMIT or (value < 0 and not chat):
        return None
    return value


def parse_person(text: str) -> int | str | None:
    """Someone as typed: a user id, an '@username' (to look up), or None for neither."""
    number = parse_telegram_id(text)
    if number is not None:
        return number
    return text if text.startswith("@") and len(text) > 1 else None


class UsageError(Exception):
    """The arguments do not fit the command; the dispatcher answers with the usage line."""

    def __init__(self, detail: str = "") -> None:
        super().__init__(detail)
        self.detail = detail


class Refusal(Exception):
    """The command is understood but cannot be done; the message is already translated."""

    def __init__(self, message: str, outcome: str = "refused") -> None:
        super().__init__(message)
        self.message = message
        self.outcome = outcome


@dataclass(frozen=True)
class Button:
    """An inline button; `action` and `payload` are signed into the callback data.

    With `web_app` (an https URL) it opens that Mini App instead of calling back.
    """

    text: str
    action: str
    payload: str
    web_app: str = ""


@dataclass(frozen=True)
class Document:
    """A file to send; with `render`, its bytes are made when it is sent (after the commit)."""

    filename: str
    data: bytes
    caption: str = ""
    render: Callable[[], Awaitable[bytes]] | None = None


@dataclass(frozen=True)
class Resend:
    """A file Telegram already holds, sent again by its file_id (media: document or photo)."""

    media: str
    file_id: str
    caption: str = ""


@dataclass(frozen=True)
class FollowUp:
    """After a button press: open the guided form of `command` with `answers` already
    given and ask `prompt`, so the presser's next message in that chat completes the
    command; with no prompt, withdraw such a form if one is open."""

    command: str
    answers: tuple[str, ...] = ()
    prompt: str = ""


@dataclass
class Reply:
    """What a handler answers: text, optional buttons or document, and where it goes."""

    text: str = ""
    buttons: list[list[Button]] | None = None
    document: Document | None = None
    private: bool = False
    edit: bool = False
    toast: str | None = None
    sections: list[str] | None = None
    follow_up: FollowUp | None = None
    photo: Document | None = None  # a picture (PNG), sent with its caption
    menu_app: Button | None = None  # a web_app button made the private chat's menu button
    resend: list[Resend] | None = None  # kept files sent back by file_id (/files)


@dataclass(frozen=True)
class Field:
    """One question of a guided conversation."""

    prompt: str
    optional: bool = False


@dataclass
class Call:
    """Everything a handler needs about one command or button press."""

    services: Services
    user: Person
    chat: Chat
    tr: Tr
    args: str
    now: datetime
    message_id: int | None = None
    reply_to_user_id: int | None = None
    audit_detail: dict[str, Any] = field(default_factory=dict)
    # The documents and photos the command came with: the one in its caption's message, or
    # those sent while its guided form was open. Kept by handlers/_args.keep_attachments.
    attachments: tuple[Sent, ...] = ()

    def __post_init__(self) -> None:
        # The full-width bar typed on a Chinese keyboard separates fields like |; the rest
        # of the text stays as typed (see bot.normalize for what is normalised where).
        self.args = structural(self.args)

    @property
    def db(self) -> Database:
        """The database (sqlite-utils), inside the dispatcher's transaction."""
        return self.services.db

    def require(self, role: Role) -> None:
        """Refuse unless the caller holds at least this role."""
        if role_rank(self.user.role) < role_rank(role):
            raise Refusal(self.tr("This needs the {role} role.", role=role_name(self.tr, role)))

    def fields(self, minimum: int, maximum: int, free: Collection[int] = ()) -> list[str]:
        """The `|`-separated arguments, stripped, padded with '' up to maximum.

        Fields whose index is in `free` are free text, kept exactly as typed; every other
        field is a keyword, number, code or time and is read through NFKC.
        """
        parts = [p.strip() for p in self.args.split("|")] if self.args.strip() else []
        if len(parts) < minimum or len(parts) > maximum:
            raise UsageError()
        if any(not parts[i] for i in range(minimum)):
            raise UsageError()
        parts = [p if i in free else token(p) for i, p in enumerate(parts)]
        return parts + [""] * (maximum - len(parts))

    def words(self) -> list[str]:
        """The arguments split on any whitespace, each read through NFKC (keywords, codes)."""
        return [token(word) for word in self.args.split()]


Handler = Callable[[Call], Reply]


@dataclass(frozen=True)
class CommandSpec:
    """A command: who may use it, how to call it, and the function behind it."""

    name: str
    handler: Handler
    summary: str
    usage: str
    example: str
    role: Role = "member"
    writes: bool = False
    fields: tuple[Field, ...] = ()
    separator: str = " | "
    where: Where = "any"
    menu: bool = True
    files: bool = False  # keeps a document or photo sent with it (in the caption, or in its form)


@dataclass(frozen=True)
class ButtonSpec:
    """A kind of inline button press: its action name and handler."""

    action: str
    handler: Callable[[Call, str], Reply]
    role: Role = "member"
    writes: bool = True


def role_name(tr: Tr, role: str) -> str:
    """A role's name in the chat's language."""
    names = {
        "none": tr("no role"),
        "member": tr("member"),
        "staff": tr("staff"),
        "admin": tr("admin"),
    }
    return names.get(role, role)
