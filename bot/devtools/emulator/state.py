"""Pure in-memory state of the Bot API emulator: users, chats, messages, updates, calls, faults."""

from __future__ import annotations

import copy
import math
import re
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .html_check import utf16_len

BOT_ID = 1000
SEND_METHODS = frozenset({"sendMessage", "sendDocument", "sendPhoto"})
LIMITED_METHODS = SEND_METHODS | {"editMessageText", "editMessageReplyMarkup"}
# "slow" and "timeout" both deliver the message at once and withhold the answer for `delay`
# seconds: "slow" is a slow API (the answer comes), "timeout" outlasts the client's patience.
FAULT_KINDS = frozenset({"429", "500", "403", "timeout", "slow", "disconnect"})
WITHHELD_KINDS = frozenset({"timeout", "slow"})
_COMMAND_RE = re.compile(r"(?<!\S)/[a-zA-Z0-9_]{1,64}(?:@[a-zA-Z0-9_]{3,32})?")
_MENTION_RE = re.compile(r"(?<!\S)@[a-zA-Z0-9_]{5,32}")

JSON = dict[str, Any]


class ApiError(Exception):
    """A Bot API error answer: HTTP code, description and optional parameters."""

    def __init__(self, code: int, description: str, parameters: JSON | None = None) -> None:
        super().__init__(f"{code} {description}")
        self.code = code
        self.description = description
        self.parameters = parameters

    def to_dict(self) -> JSON:
        """Render as Bot API error JSON."""
        out: JSON = {"ok": False, "error_code": self.code, "description": self.description}
        if self.parameters:
            out["parameters"] = self.parameters
        return out


@dataclass
class User:
    """A Telegram user known to the emulator."""

    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = None
    is_bot: bool = False

    def to_dict(self) -> JSON:
        """Bot API User object."""
        d: JSON = {"id": self.id, "is_bot": self.is_bot, "first_name": self.first_name}
        for key in ("last_name", "username", "language_code"):
            if getattr(self, key) is not None:
                d[key] = getattr(self, key)
        return d


@dataclass
class Chat:
    """A chat: private (id == user id), group or supergroup."""

    id: int
    type: str
    title: str | None = None
    members: dict[int, str] = field(default_factory=dict)  # user id -> status
    bot_status: str = "member"  # member / administrator / left / kicked
    blocked: bool = False  # private chats: user blocked the bot
    migrated_to: int | None = None


@dataclass
class CallRecord:
    """One request the bot made to the emulator."""

    seq: int
    method: str
    params: JSON
    time: float
    wall_time: float
    ok: bool | None = None
    result: Any = None
    error: JSON | None = None

    @property
    def chat_id(self) -> int | str | None:
        """The request's chat_id as int when numeric."""
        return as_int(self.params.get("chat_id"))


@dataclass
class Fault:
    """A scheduled failure for matching requests."""

    method: str
    kind: str
    chat_id: int | None = None
    times: int | None = 1  # None = forever
    retry_after: int = 1
    delay: float = 30.0


def as_int(value: Any) -> Any:
    """Convert numeric strings to int, leave anything else untouched."""
    if isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            return value
    return value


_ADMIN_FLAGS = (
    "can_manage_chat can_delete_messages can_manage_video_chats can_restrict_members "
    "can_promote_members can_change_info can_invite_users can_post_stories can_edit_stories "
    "can_delete_stories"
).split()
_RESTRICTED_FLAGS = (
    "is_member can_send_messages can_send_audios can_send_documents can_send_photos "
    "can_send_videos can_send_video_notes can_send_voice_notes can_send_polls "
    "can_send_other_messages can_add_web_page_previews can_change_info can_invite_users "
    "can_pin_messages can_manage_topics"
).split()


def member_dict(user: User, status: str) -> JSON:
    """Bot API ChatMember object with the fields PTB requires for the status."""
    out: JSON = {"user": user.to_dict(), "status": status}
    if status == "creator":
        out["is_anonymous"] = False
    elif status == "administrator":
        out.update(can_be_edited=False, is_anonymous=False, **dict.fromkeys(_ADMIN_FLAGS, True))
    elif status == "restricted":
        out.update(until_date=0, **dict.fromkeys(_RESTRICTED_FLAGS, False))
    elif status == "kicked":
        out["until_date"] = 0
    return out


def text_entities(text: str) -> list[JSON]:
    """Entities Telegram auto-detects in user text: bot_command and mention."""
    ents: list[JSON] = []
    for kind, rx in (("bot_command", _COMMAND_RE), ("mention", _MENTION_RE)):
        for m in rx.finditer(text):
            off = utf16_len(text[: m.start()])
            ents.append({"type": kind, "offset": off, "length": utf16_len(m.group())})
    return sorted(ents, key=lambda e: e["offset"])


class State:
    """All mutable emulator state; no I/O, no asyncio."""

    def __init__(self, bot_username: str = "coordbot_test_bot", bot_id: int = BOT_ID) -> None:
        self.bot = User(bot_id, "Coordbot", username=bot_username, is_bot=True)
        self.users: dict[int, User] = {}
        self.chats: dict[int, Chat] = {}
        self.messages: dict[int, dict[int, JSON]] = {}
        self.edits: list[JSON] = []
        self._next_msg: dict[int, int] = {}
        self.updates: list[JSON] = []
        self.history: dict[int, JSON] = {}
        self.next_update_id = 1
        self.calls: list[CallRecord] = []
        self.faults: list[Fault] = []
        self.enforce_limits = False
        self._win_all: deque[float] = deque()
        self._win_chat: dict[int, deque[float]] = {}
        self.stats: dict[str, int] = {"429": 0, "calls": 0, "errors": 0, "faults": 0}
        self.webhook: JSON | None = None
        self.commands: dict[tuple[str, str], list[JSON]] = {}
        self.callback_queries: dict[str, JSON] = {}
        self.files: dict[str, JSON] = {}
        self._counter = 0
        self.on_update: Callable[[], None] | None = None

    # ---- helpers -------------------------------------------------------------
    def next_id(self) -> int:
        """A fresh process-unique integer."""
        self._counter += 1
        return self._counter

    def chat_dict(self, chat: Chat) -> JSON:
        """Bot API Chat object for a chat."""
        if chat.type == "private":
            user = self.users[chat.id].to_dict()
            d = {"id": chat.id, "type": "private", "first_name": user["first_name"]}
            d.update({k: user[k] for k in ("last_name", "username") if k in user})
            return d
        return {"id": chat.id, "type": chat.type, "title": chat.title or ""}

    def get_chat(self, chat_id: Any) -> Chat:
        """Look up a chat or raise 400 chat not found."""
        chat = self.chats.get(as_int(chat_id)) if isinstance(as_int(chat_id), int) else None
        if chat is None:
            raise ApiError(400, "Bad Request: chat not found")
        return chat

    def get_user(self, user_id: int) -> User:
        """Look up a user or raise ValueError (driver misuse)."""
        if user_id not in self.users:
            raise ValueError(f"unknown user {user_id}; call add_user first")
        return self.users[user_id]

    def store_message(self, chat: Chat, sender: User, **fields: Any) -> JSON:
        """Create, number and store a message in a chat."""
        mid = self._next_msg.get(chat.id, 1)
        self._next_msg[chat.id] = mid + 1
        msg: JSON = {
            "message_id": mid,
            "from": sender.to_dict(),
            "chat": self.chat_dict(chat),
            "date": int(time.time()),
        }
        msg.update({k: v for k, v in fields.items() if v is not None})
        self.messages.setdefault(chat.id, {})[mid] = msg
        return msg

    def find_message(self, chat_id: int, message_id: Any) -> JSON | None:
        """The stored message or None."""
        return self.messages.get(chat_id, {}).get(as_int(message_id))

    def reply_copy(self, chat_id: int, message_id: Any) -> JSON | None:
        """A copy of a stored message suitable as reply_to_message."""
        target = self.find_message(chat_id, message_id)
        if target is None:
            return None
        out = copy.deepcopy(target)
        out.pop("reply_to_message", None)
        return out

    def push_update(self, kind: str, payload: JSON) -> JSON:
        """Append an update to the queue and wake pollers."""
        upd = {"update_id": self.next_update_id, kind: copy.deepcopy(payload)}
        self.next_update_id += 1
        self.updates.append(upd)
        self.history[self.next_update_id - 1] = upd
        if self.on_update:
            self.on_update()
        return upd

    def take_updates(self, offset: int | None, limit: int) -> list[JSON]:
        """Confirm updates below offset and return up to limit pending ones."""
        if offset is not None and offset < 0:
            self.updates = self.updates[offset:]
        elif offset is not None:
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
        return copy.deepcopy(self.updates[: max(1, min(limit, 100))])

    def member_update(self, chat: Chat, actor: User, user: User, old: str, new: str) -> JSON:
        """Push a my_chat_member update for the bot (user is the bot)."""
        cmu: JSON = {
            "chat": self.chat_dict(chat),
            "from": actor.to_dict(),
            "date": int(time.time()),
            "old_chat_member": member_dict(user, old),
            "new_chat_member": member_dict(user, new),
        }
        return self.push_update("my_chat_member", cmu)

    # ---- faults and limits -------------------------------------------------------
    def take_fault(self, method: str, chat_id: Any) -> Fault | None:
        """Consume and return the first fault matching this request."""
        for fault in self.faults:
            if fault.method not in (method, "*"):
                continue
            if fault.chat_id is not None and as_int(chat_id) != fault.chat_id:
                continue
            if fault.times is not None:
                fault.times -= 1
                if fault.times <= 0:
                    self.faults.remove(fault)
            self.stats["faults"] += 1
            return fault
        return None

    def check_limits(self, method: str, chat_id: Any, now: float) -> int | None:
        """Return retry_after seconds when this call exceeds Telegram limits, else record it."""
        if not self.enforce_limits or method not in LIMITED_METHODS:
            return None
        cid = as_int(chat_id)
        chat = self.chats.get(cid) if isinstance(cid, int) else None
        checks: list[tuple[deque[float], float, int]] = [(self._win_all, 1.0, 30)]
        if chat is not None:
            win = self._win_chat.setdefault(chat.id, deque())
            checks.append((win, 1.0, 1) if chat.type == "private" else (win, 60.0, 20))
        retry = 0
        for win, span, cap in checks:
            while win and win[0] <= now - 60.0:
                win.popleft()
            recent = [t for t in win if t > now - span]
            if len(recent) >= cap:
                retry = max(retry, math.ceil(recent[-cap] + span - now))
        if retry:
            self.stats["429"] += 1
            return max(1, retry)
        for win, _, _ in checks:
            win.append(now)
        return None
