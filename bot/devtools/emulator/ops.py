"""Driver-side scenario operations on State: what users (not the bot) do."""

from __future__ import annotations

import copy
import hashlib
import time
from collections.abc import Iterable
from typing import Any

from .state import FAULT_KINDS, JSON, Chat, Fault, State, User, text_entities


def add_user(
    s: State,
    user_id: int,
    first_name: str,
    last_name: str | None = None,
    username: str | None = None,
    language_code: str | None = None,
) -> User:
    """Register a user and their private chat with the bot."""
    user = User(user_id, first_name, last_name, username, language_code)
    s.users[user_id] = user
    chat = s.chats.get(user_id)
    if chat is None or chat.type != "private":
        s.chats[user_id] = Chat(user_id, "private", members={user_id: "member"})
    return user


def add_group(
    s: State,
    chat_id: int,
    title: str,
    type: str = "group",
    members: Iterable[int] = (),
    admins: Iterable[int] = (),
    bot_status: str = "member",
) -> Chat:
    """Create a group/supergroup the bot is already in (no update is generated)."""
    if type not in ("group", "supergroup"):
        raise ValueError("type must be 'group' or 'supergroup'")
    chat = Chat(chat_id, type, title, bot_status=bot_status)
    for uid in members:
        s.get_user(uid)
        chat.members[uid] = "member"
    for uid in admins:
        s.get_user(uid)
        chat.members[uid] = "administrator"
    s.chats[chat_id] = chat
    return chat


def _chat_for_user(s: State, user: User, chat_id: int | None) -> Chat:
    chat = s.chats.get(user.id if chat_id is None else chat_id)
    if chat is None:
        raise ValueError(f"unknown chat {chat_id}")
    if chat.migrated_to is not None:
        raise ValueError(f"chat {chat.id} was migrated to {chat.migrated_to}")
    if chat.type == "private":
        if chat.blocked:  # writing to the bot again unblocks it, as in Telegram
            chat.blocked = False
            s.member_update(chat, user, s.bot, "kicked", "member")
    else:
        if chat.bot_status not in ("member", "administrator"):
            raise ValueError(f"bot is not a member of chat {chat.id}")
        if chat.members.get(user.id) in (None, "left"):
            chat.members[user.id] = "member"
    return chat


def send_message(
    s: State,
    user_id: int,
    text: str,
    chat_id: int | None = None,
    reply_to_message_id: int | None = None,
) -> JSON:
    """A user writes text; returns the pushed message Update."""
    user = s.get_user(user_id)
    chat = _chat_for_user(s, user, chat_id)
    reply = None
    if reply_to_message_id is not None:
        reply = s.reply_copy(chat.id, reply_to_message_id)
        if reply is None:
            raise ValueError(f"no message {reply_to_message_id} in chat {chat.id}")
    msg = s.store_message(
        chat, user, text=text, entities=text_entities(text) or None, reply_to_message=reply
    )
    return s.push_update("message", msg)


def send_document(
    s: State,
    user_id: int,
    file_name: str,
    size: int,
    caption: str = "",
    chat_id: int | None = None,
) -> JSON:
    """A user sends a document of `size` bytes (with an optional caption)."""
    return send_file(s, user_id, "document", bytes(size), caption, file_name, chat_id)


def send_file(
    s: State,
    user_id: int,
    media: str,
    data: bytes,
    caption: str = "",
    filename: str = "",
    chat_id: int | None = None,
    mime_type: str = "application/octet-stream",
) -> JSON:
    """A user sends a document or photo with a caption; Telegram keeps it under a file_id
    the bot can send again. Returns the pushed message Update."""
    user = s.get_user(user_id)
    chat = _chat_for_user(s, user, chat_id)
    uid = hashlib.sha256(data).hexdigest()[:16]
    fid = f"{media}-{s.next_id()}-{uid}"
    info = {
        "file_id": fid,
        "file_unique_id": uid,
        "file_size": len(data),
        "file_name": filename or media,
        "mime_type": mime_type,
    }
    s.files[fid] = {**info, "data": data}
    if media == "photo":
        size = {k: info[k] for k in ("file_id", "file_unique_id", "file_size")}
        payload: Any = [{**size, "width": 320, "height": 240}]
    else:
        payload = info
    fields: dict[str, Any] = {media: payload}
    if caption:
        fields["caption"] = caption
        fields["caption_entities"] = text_entities(caption) or None
    msg = s.store_message(chat, user, **fields)
    return s.push_update("message", msg)


def edit_message(s: State, user_id: int, chat_id: int, message_id: int, text: str) -> JSON:
    """A user edits one of their messages; returns the edited_message Update."""
    user = s.get_user(user_id)
    chat = _chat_for_user(s, user, chat_id)
    msg = s.find_message(chat.id, message_id)
    if msg is None or msg.get("from", {}).get("id") != user_id:
        raise ValueError(f"user {user_id} has no message {message_id} in chat {chat.id}")
    msg["text"] = text
    msg.pop("entities", None)
    if entities := text_entities(text):
        msg["entities"] = entities
    msg["edit_date"] = int(time.time())
    return s.push_update("edited_message", msg)


def forward_message(
    s: State, user_id: int, text: str, from_user_id: int, chat_id: int | None = None
) -> JSON:
    """A user forwards (into a chat) a message that another user wrote; returns the Update."""
    user, author = s.get_user(user_id), s.get_user(from_user_id)
    chat = _chat_for_user(s, user, chat_id)
    origin = {"type": "user", "date": int(time.time()) - 60, "sender_user": author.to_dict()}
    msg = s.store_message(
        chat, user, text=text, entities=text_entities(text) or None, forward_origin=origin
    )
    return s.push_update("message", msg)


def press_button(
    s: State,
    user_id: int,
    message_id: int,
    data: str,
    chat_id: int | None = None,
    check: bool = True,
) -> JSON:
    """A user presses an inline button; returns the callback_query Update."""
    user = s.get_user(user_id)
    chat = _chat_for_user(s, user, chat_id)
    msg = s.find_message(chat.id, message_id)
    if msg is None:
        raise ValueError(f"no message {message_id} in chat {chat.id}")
    rows = (msg.get("reply_markup") or {}).get("inline_keyboard", [])
    datas = [b.get("callback_data") for row in rows for b in row]
    if check and data not in datas:
        raise ValueError(f"message {message_id} has no button with data {data!r}: {datas}")
    qid = str(9_000_000 + s.next_id())
    query = {
        "id": qid,
        "from": user.to_dict(),
        "message": copy.deepcopy(msg),
        "chat_instance": str(chat.id),
        "data": data,
    }
    s.callback_queries[qid] = {"query": query, "answer": None}
    return s.push_update("callback_query", query)


def add_bot_to_group(
    s: State, chat_id: int, by_user_id: int, title: str = "", type: str = "group"
) -> JSON:
    """A user adds the bot to a group: my_chat_member update plus new_chat_members message."""
    user = s.get_user(by_user_id)
    chat = s.chats.get(chat_id)
    if chat is None:
        chat = add_group(s, chat_id, title or f"Group {chat_id}", type, bot_status="left")
    chat.title = title or chat.title
    chat.members.setdefault(user.id, "member")
    old, chat.bot_status = chat.bot_status, "member"
    upd = s.member_update(chat, user, s.bot, old, "member")
    msg = s.store_message(chat, user, new_chat_members=[s.bot.to_dict()])
    s.push_update("message", msg)
    return upd


def remove_bot_from_group(s: State, chat_id: int, by_user_id: int, kicked: bool = True) -> JSON:
    """A user removes the bot: my_chat_member update with status kicked (or left)."""
    user = s.get_user(by_user_id)
    chat = s.chats[chat_id]
    new = "kicked" if kicked else "left"
    old, chat.bot_status = chat.bot_status, new
    return s.member_update(chat, user, s.bot, old, new)


def block_bot(s: State, user_id: int) -> JSON:
    """The user blocks the bot: my_chat_member update in the private chat."""
    user = s.get_user(user_id)
    chat = s.chats[user_id]
    chat.blocked = True
    return s.member_update(chat, user, s.bot, "member", "kicked")


def migrate_group(s: State, old_id: int, new_id: int, by_user_id: int | None = None) -> list[JSON]:
    """Upgrade a group to a supergroup; returns the two service-message Updates."""
    old = s.chats[old_id]
    if by_user_id is None:
        by_user_id = next(
            iter(sorted(old.members, key=lambda u: old.members[u] == "member")), None
        )
    user = s.users[by_user_id] if by_user_id is not None else s.bot
    new = Chat(new_id, "supergroup", old.title, dict(old.members), old.bot_status)
    s.chats[new_id] = new
    old.migrated_to = new_id
    first = s.push_update("message", s.store_message(old, user, migrate_to_chat_id=new_id))
    second = s.push_update("message", s.store_message(new, user, migrate_from_chat_id=old_id))
    return [first, second]


def add_fault(
    s: State,
    method: str,
    kind: str,
    chat_id: int | None = None,
    times: int | None = 1,
    retry_after: int = 1,
    delay: float = 30.0,
) -> Fault:
    """Schedule a failure for the next `times` matching calls (method '*' = any)."""
    if kind not in FAULT_KINDS:
        raise ValueError(f"fault kind must be one of {sorted(FAULT_KINDS)}")
    fault = Fault(method, kind, chat_id, times, retry_after, delay)
    s.faults.append(fault)
    return fault


def now() -> float:
    """Monotonic clock used for call times and limit windows."""
    return time.monotonic()


def jsonable(value: Any) -> Any:
    """Replace bytes inside params by size and sha256 for JSON transport."""
    import hashlib

    if isinstance(value, dict):
        if isinstance(value.get("data"), bytes):
            data = value["data"]
            out = {k: v for k, v in value.items() if k != "data"}
            out.update(size=len(data), sha256=hashlib.sha256(data).hexdigest())
            return out
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [jsonable(v) for v in value]
    if isinstance(value, bytes):
        return {"size": len(value), "sha256": hashlib.sha256(value).hexdigest()}
    return value
