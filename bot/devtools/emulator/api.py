"""Bot API method implementations over State (synchronous; getUpdates lives in server.py)."""

from __future__ import annotations

import copy
import hashlib
import time
from collections.abc import Callable
from typing import Any

from .api_admin import AdminMethods
from .html_check import HtmlError, parse_html
from .state import JSON, ApiError, Chat, State, as_int

NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a content and reply markup of a current message"
)


def _rich_text(
    text: Any, parse_mode: Any, entities: Any, limit: int, what: str
) -> tuple[str, Any]:
    """Validate/parse text; return (plain_text, entities or None)."""
    text = "" if text is None else str(text)
    ents = entities if isinstance(entities, list) and entities else None
    if isinstance(parse_mode, str) and parse_mode.upper() == "HTML":
        try:
            text, parsed = parse_html(text)
        except HtmlError as exc:
            raise ApiError(400, f"Bad Request: can't parse entities: {exc}") from None
        ents = parsed or None
    if len(text) > limit:
        raise ApiError(400, f"Bad Request: {what} is too long")
    return text, ents


def _inline_markup(markup: Any) -> JSON | None:
    """Validate reply_markup; return it when it is an inline keyboard (what messages keep)."""
    if markup is None or markup == "":
        return None
    if not isinstance(markup, dict):
        raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
    if "inline_keyboard" not in markup:
        return None
    rows = markup["inline_keyboard"]
    if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
        raise ApiError(400, "Bad Request: can't parse inline keyboard button: field must be array")
    for row in rows:
        for button in row:
            if not isinstance(button, dict) or not button.get("text"):
                raise ApiError(
                    400,
                    "Bad Request: can't parse inline keyboard button: Text "
                    "buttons are unallowed in the inline keyboard",
                )
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode("utf-8")) <= 64:
                raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
    return copy.deepcopy(markup)


class BotApi(AdminMethods):
    """Dispatches Bot API method calls against a State."""

    def __init__(self, state: State) -> None:
        self.s = state
        self.methods: dict[str, Callable[[JSON], Any]] = {
            name[3:]: getattr(self, name) for name in dir(self) if name.startswith("do_")
        }

    def call(self, method: str, params: JSON) -> Any:
        """Run one method; raise ApiError on failure."""
        func = self.methods.get(method) or next(
            (f for k, f in self.methods.items() if k.lower() == method.lower()), None
        )
        if func is None:
            raise ApiError(404, "Not Found: method not found")
        return func(params)

    # ---- checks ---------------------------------------------------------------------
    def writable_chat(self, chat_id: Any) -> Chat:
        """The chat if the bot may post into it, else the error Telegram would give."""
        if chat_id is None or chat_id == "":
            raise ApiError(400, "Bad Request: chat_id is empty")
        chat = self.s.get_chat(chat_id)
        if chat.migrated_to is not None:
            raise ApiError(
                400,
                "Bad Request: group chat was upgraded to a supergroup chat",
                {"migrate_to_chat_id": chat.migrated_to},
            )
        if chat.type == "private" and chat.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        kind = "supergroup" if chat.type == "supergroup" else "group"
        if chat.type != "private" and chat.bot_status == "kicked":
            raise ApiError(403, f"Forbidden: bot was kicked from the {kind} chat")
        if chat.type != "private" and chat.bot_status == "left":
            raise ApiError(403, f"Forbidden: bot is not a member of the {kind} chat")
        return chat

    def _reply(self, chat: Chat, p: JSON) -> JSON | None:
        rp = p.get("reply_parameters")
        rp = rp if isinstance(rp, dict) else {}
        mid = rp.get("message_id", p.get("reply_to_message_id"))
        if mid is None:
            return None
        target = self.s.reply_copy(chat.id, mid)
        if target is None and not (
            rp.get("allow_sending_without_reply") or p.get("allow_sending_without_reply")
        ):
            raise ApiError(400, "Bad Request: message to be replied not found")
        return target

    def _editable(self, p: JSON) -> tuple[Chat, JSON]:
        if p.get("inline_message_id"):
            raise ApiError(400, "Bad Request: MESSAGE_ID_INVALID")
        chat = self.writable_chat(p.get("chat_id"))
        msg = self.s.find_message(chat.id, p.get("message_id"))
        if msg is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        if msg["from"]["id"] != self.s.bot.id:
            raise ApiError(400, "Bad Request: message can't be edited")
        return chat, msg

    def _apply_edit(self, chat: Chat, msg: JSON, changes: JSON) -> JSON:
        new = {k: v for k, v in msg.items() if k not in ("edit_date",)}
        for key, value in changes.items():
            if value is None:
                new.pop(key, None)
            else:
                new[key] = value
        if all(new.get(k) == msg.get(k) for k in set(new) | set(msg) if k != "edit_date"):
            raise ApiError(400, NOT_MODIFIED)
        new["edit_date"] = int(time.time())
        self.s.edits.append(
            {
                "chat_id": chat.id,
                "message_id": msg["message_id"],
                "before": copy.deepcopy(msg),
                "after": copy.deepcopy(new),
            }
        )
        msg.clear()
        msg.update(new)
        return copy.deepcopy(msg)

    # ---- methods ----------------------------------------------------------------------
    def do_getMe(self, p: JSON) -> JSON:
        """getMe."""
        return {
            **self.s.bot.to_dict(),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    def do_sendMessage(self, p: JSON) -> JSON:
        """sendMessage."""
        chat = self.writable_chat(p.get("chat_id"))
        text, ents = _rich_text(
            p.get("text"), p.get("parse_mode"), p.get("entities"), 4096, "message"
        )
        if not text.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        markup = _inline_markup(p.get("reply_markup"))
        reply = self._reply(chat, p)
        msg = self.s.store_message(
            chat, self.s.bot, text=text, entities=ents, reply_markup=markup, reply_to_message=reply
        )
        return copy.deepcopy(msg)

    def _send_file(self, p: JSON, field: str) -> JSON:
        chat = self.writable_chat(p.get("chat_id"))
        caption, cents = _rich_text(
            p.get("caption"),
            p.get("parse_mode"),
            p.get("caption_entities"),
            1024,
            "message caption",
        )
        markup = _inline_markup(p.get("reply_markup"))
        reply = self._reply(chat, p)
        src = p.get(field)
        if isinstance(src, dict) and "data" in src:
            data: bytes = src["data"]
            uid = hashlib.sha256(data).hexdigest()[:16]
            fid = f"{field}-{self.s.next_id()}-{uid}"
            info = {
                "file_id": fid,
                "file_unique_id": uid,
                "file_size": len(data),
                "file_name": src.get("filename") or field,
                "mime_type": src.get("mime_type") or "application/octet-stream",
            }
            self.s.files[fid] = {**info, "data": data}
        elif isinstance(src, str) and src in self.s.files:
            info = {k: v for k, v in self.s.files[src].items() if k != "data"}
        elif isinstance(src, str) and src.startswith(("http://", "https://")):
            info = {
                "file_id": f"url-{self.s.next_id()}",
                "file_unique_id": f"u{self.s.next_id()}",
                "file_size": 0,
                "file_name": src.rsplit("/", 1)[-1] or "file",
                "mime_type": "application/octet-stream",
            }
        else:
            raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")
        if field == "photo":
            media: Any = [
                {
                    "file_id": info["file_id"],
                    "file_unique_id": info["file_unique_id"],
                    "width": 320,
                    "height": 240,
                    "file_size": info["file_size"],
                }
            ]
        else:
            media = info
        msg = self.s.store_message(
            chat,
            self.s.bot,
            caption=caption or None,
            caption_entities=cents,
            reply_markup=markup,
            reply_to_message=reply,
            **{field: media},
        )
        return copy.deepcopy(msg)

    def do_sendDocument(self, p: JSON) -> JSON:
        """sendDocument (multipart upload, known file_id or URL)."""
        return self._send_file(p, "document")

    def do_sendPhoto(self, p: JSON) -> JSON:
        """sendPhoto."""
        return self._send_file(p, "photo")

    def do_editMessageText(self, p: JSON) -> JSON:
        """editMessageText."""
        chat, msg = self._editable(p)
        if "text" not in msg:
            raise ApiError(400, "Bad Request: there is no text in the message to edit")
        text, ents = _rich_text(
            p.get("text"), p.get("parse_mode"), p.get("entities"), 4096, "message"
        )
        if not text.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        markup = _inline_markup(p.get("reply_markup"))
        return self._apply_edit(
            chat, msg, {"text": text, "entities": ents, "reply_markup": markup}
        )

    def do_editMessageReplyMarkup(self, p: JSON) -> JSON:
        """editMessageReplyMarkup."""
        chat, msg = self._editable(p)
        return self._apply_edit(chat, msg, {"reply_markup": _inline_markup(p.get("reply_markup"))})

    def do_deleteMessage(self, p: JSON) -> bool:
        """deleteMessage."""
        chat = self.writable_chat(p.get("chat_id"))
        if self.s.messages.get(chat.id, {}).pop(as_int(p.get("message_id")), None) is None:
            raise ApiError(400, "Bad Request: message to delete not found")
        return True

    def do_answerCallbackQuery(self, p: JSON) -> bool:
        """answerCallbackQuery (each query may be answered once)."""
        query = self.s.callback_queries.get(str(p.get("callback_query_id")))
        if query is None or query.get("answer") is not None:
            raise ApiError(
                400,
                "Bad Request: query is too old and response timeout expired "
                "or query ID is invalid",
            )
        if len(str(p.get("text") or "")) > 200:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        query["answer"] = dict(p)
        return True
