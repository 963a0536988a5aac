"""Bot API methods about commands, webhooks, chats and members (mixin for BotApi)."""

from __future__ import annotations

import copy
import json
import re
from typing import Any

from .state import JSON, ApiError, Chat, State, as_int, member_dict

_COMMAND_NAME_RE = re.compile(r"^[a-z0-9_]{1,32}$")


class AdminMethods:
    """Non-messaging Bot API methods; expects self.s (State) and self.writable_chat."""

    s: State

    def writable_chat(self, chat_id: Any) -> Chat:
        """Implemented by BotApi."""
        raise NotImplementedError

    @staticmethod
    def _cmd_key(p: JSON) -> tuple[str, str]:
        scope = p.get("scope") if isinstance(p.get("scope"), dict) else {"type": "default"}
        return json.dumps(scope, sort_keys=True), str(p.get("language_code") or "")

    def do_setMyCommands(self, p: JSON) -> bool:
        """setMyCommands (stored per scope and language_code)."""
        cmds = p.get("commands")
        if not isinstance(cmds, list) or len(cmds) > 100:
            raise ApiError(400, "Bad Request: can't parse commands JSON object")
        for cmd in cmds:
            if not _COMMAND_NAME_RE.match(str(cmd.get("command", ""))):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(str(cmd.get("description", ""))) <= 256:
                raise ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        self.s.commands[self._cmd_key(p)] = [
            {"command": c["command"], "description": c["description"]} for c in cmds
        ]
        return True

    def do_getMyCommands(self, p: JSON) -> list[JSON]:
        """getMyCommands."""
        return copy.deepcopy(self.s.commands.get(self._cmd_key(p), []))

    def do_deleteMyCommands(self, p: JSON) -> bool:
        """deleteMyCommands."""
        self.s.commands.pop(self._cmd_key(p), None)
        return True

    def do_setWebhook(self, p: JSON) -> bool:
        """setWebhook (stored only)."""
        self.s.webhook = dict(p) if p.get("url") else None
        return True

    def do_deleteWebhook(self, p: JSON) -> bool:
        """deleteWebhook, honouring drop_pending_updates."""
        self.s.webhook = None
        if p.get("drop_pending_updates"):
            self.s.updates.clear()
        return True

    def do_getWebhookInfo(self, p: JSON) -> JSON:
        """getWebhookInfo."""
        url = (self.s.webhook or {}).get("url", "")
        return {
            "url": url,
            "has_custom_certificate": False,
            "pending_update_count": len(self.s.updates),
        }

    def do_getChat(self, p: JSON) -> JSON:
        """getChat (ChatFullInfo)."""
        chat = self.s.get_chat(p.get("chat_id"))
        return {
            **self.s.chat_dict(chat),
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        }

    def _member(self, chat: Chat, user_id: int) -> JSON:
        if user_id == self.s.bot.id:
            user, status = self.s.bot, chat.bot_status
        elif user_id in self.s.users:
            user = self.s.users[user_id]
            status = "member" if chat.type == "private" and chat.id == user_id else "left"
            status = chat.members.get(user_id, status)
        else:
            raise ApiError(400, "Bad Request: user not found")
        return member_dict(user, status)

    def do_getChatMember(self, p: JSON) -> JSON:
        """getChatMember."""
        chat = self.s.get_chat(p.get("chat_id"))
        return self._member(chat, int(as_int(p.get("user_id"))))

    def do_getChatAdministrators(self, p: JSON) -> list[JSON]:
        """getChatAdministrators."""
        chat = self.s.get_chat(p.get("chat_id"))
        if chat.type == "private":
            raise ApiError(400, "Bad Request: there are no administrators in the private chat")
        ids = [u for u, st in chat.members.items() if st in ("creator", "administrator")]
        if chat.bot_status == "administrator":
            ids.append(self.s.bot.id)
        return [self._member(chat, uid) for uid in ids]

    def do_getChatMemberCount(self, p: JSON) -> int:
        """getChatMemberCount."""
        chat = self.s.get_chat(p.get("chat_id"))
        if chat.type == "private":
            return 2
        live = [s for s in chat.members.values() if s not in ("left", "kicked")]
        return len(live) + (chat.bot_status in ("member", "administrator"))

    def do_leaveChat(self, p: JSON) -> bool:
        """leaveChat (pushes the my_chat_member update Telegram sends)."""
        chat = self.writable_chat(p.get("chat_id"))
        if chat.type == "private":
            raise ApiError(
                400, "Bad Request: chat member status can't be changed in private chats"
            )
        old, chat.bot_status = chat.bot_status, "left"
        self.s.member_update(chat, self.s.bot, self.s.bot, old, "left")
        return True

    def do_close(self, p: JSON) -> bool:
        """close."""
        return True

    def do_logOut(self, p: JSON) -> bool:
        """logOut."""
        return True

    def do_setChatMenuButton(self, p: JSON) -> bool:
        """setChatMenuButton (a private chat's, or the default); a web_app needs https."""
        if p.get("chat_id") is not None:
            chat = self.writable_chat(p.get("chat_id"))
            if chat.type != "private":
                raise ApiError(400, "Bad Request: chat not found")
        button = p.get("menu_button") or {"type": "default"}
        if not isinstance(button, dict) or button.get("type") not in (
            "default",
            "commands",
            "web_app",
        ):
            raise ApiError(400, "Bad Request: can't parse menu button")
        if button["type"] == "web_app":
            url = str((button.get("web_app") or {}).get("url") or "")
            loopback = url.startswith(("http://127.0.0.1", "http://localhost"))
            if not button.get("text") or not (url.startswith("https://") or loopback):
                raise ApiError(400, "Bad Request: BUTTON_URL_INVALID")
        return True
