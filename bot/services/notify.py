"""The one way to notify: recipients, a readable key, and a render callback per language.

Every notice the bot sends because something changed goes through `notify`: it decides each
chat's language in one place (the chat's own setting; in a private chat, else the person's
own language; else the default), renders once per language, splits at Telegram's limit and
queues one outbox row per chat and part under `<key>:<chat id>[:<part>]` in the caller's
transaction, so the notice commits with the change that caused it, and queueing it twice
sends it once.

A command typed in a chat that would also receive the notice posts one message there, not
its reply and then the same notice: the service is given the chat the command came from,
tells the handler the notice belongs there too (the reply then carries the notice's text),
and passes that chat as `exclude`, so no row is queued to it. The reply goes out after the
commit, as every reply does: a crash between the two loses the notice in that chat together
with the reply (a redelivered command is skipped), the price of one message there.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from bot.i18n import Tr, pick_language
from bot.render.text import MESSAGE_LIMIT, clip_html, split_message
from storage import chats, outbox, people
from storage.chats import Topic

if TYPE_CHECKING:
    from bot.services import Services

# What a render callback returns: one text (split at the limit here), or parts already cut.
Rendered = str | Sequence[str]
ButtonRows = list[list[dict[str, str]]]


def language_for(svc: Services, chat_id: int) -> str:
    """The language a notice to this chat is written in (the one rule, used everywhere)."""
    chat = chats.get_chat(svc.db, chat_id)
    private = chat.is_private if chat is not None else chat_id > 0
    person_language = None
    if private:
        person = people.get_person(svc.db, chat_id)
        person_language = person.language if person else None
    return pick_language(
        chat.language if chat else None, private, person_language, svc.config.locale
    )


def tr_for(svc: Services, chat_id: int) -> Tr:
    """The translation function for a chat (a person's private chat is their user id)."""
    return svc.translator.get(language_for(svc, chat_id))


def subscribers(svc: Services, topic: Topic) -> list[int]:
    """Chats subscribed to a topic."""
    return [chat.chat_id for chat in chats.subscribers(svc.db, topic)]


def admins(svc: Services) -> list[int]:
    """Every admin's private chat."""
    return [person.user_id for person in people.people_with_role(svc.db, "admin")]


def unit_staff(svc: Services, unit: str) -> list[int]:
    """The private chats of a unit's staff."""
    return [person.user_id for person in people.staff_of_unit(svc.db, unit)]


def receives(svc: Services, recipients: Collection[int], chat_id: int | None) -> bool:
    """Whether a notice to these recipients would reach this chat (it is one of them and
    its deliveries are not suspended): the test for a reply carrying the notice."""
    if chat_id is None or chat_id not in recipients:
        return False
    chat = chats.get_chat(svc.db, chat_id)
    return chat is None or not chat.suspended


def queued_to(svc: Services, key: str) -> list[int]:
    """The chats a notice was queued to under `key` (whatever became of each row)."""
    found: list[int] = []
    for row in outbox.by_key_prefix(svc.db, f"{key}:"):
        if outbox.notice_of(row.key, row.chat_id) == key and row.chat_id not in found:
            found.append(row.chat_id)
    return found


def notify(
    svc: Services,
    recipients: Iterable[int],
    key: str,
    kind: str,
    render: Callable[[Tr], Rendered],
    now: datetime,
    *,
    buttons: Callable[[Tr], ButtonRows] | None = None,
    exclude: int | None = None,
) -> int:
    """Queue a notice to each recipient in its language; return how many rows were new.

    Recipients are chat ids (a person's private chat is their user id), deduplicated in
    order; a chat whose deliveries are suspended (the bot was blocked or removed) is
    skipped, and so is `exclude` (the chat whose command reply carries the notice).
    Buttons, when given, go on the last part.
    """
    rendered: dict[str, tuple[list[str], ButtonRows | None]] = {}
    seen: set[int] = set()
    queued = 0
    for chat_id in recipients:
        if chat_id in seen or chat_id == exclude:
            continue
        seen.add(chat_id)
        chat = chats.get_chat(svc.db, chat_id)
        if chat is not None and chat.suspended:
            continue
        lang = language_for(svc, chat_id)
        if lang not in rendered:
            tr = svc.translator.get(lang)
            out = render(tr)
            parts = split_message(out) if isinstance(out, str) else list(out)
            rendered[lang] = (parts, buttons(tr) if buttons else None)
        parts, rows = rendered[lang]
        for index, part in enumerate(parts):
            last = index == len(parts) - 1
            queued += outbox.enqueue(
                svc.db,
                key=f"{key}:{chat_id}" + (f":{index + 1}" if index else ""),
                kind=kind,
                chat_id=chat_id,
                text=part,
                now=now,
                buttons=rows if last else None,
            )
    return queued


def redraw(
    svc: Services,
    card_key: str,
    key: str,
    render: Callable[[Tr], str],
    now: datetime,
    *,
    buttons: Callable[[Tr], ButtonRows] | None = None,
) -> int:
    """Redraw in place every message queued with buttons under notices whose key starts
    with `card_key` (a card whose tally changed or whose buttons go); return how many.

    Each chat gets the text in its language. A card still waiting in the outbox is
    rewritten before it leaves; one already sent gets an edit queued under
    `<key>:<chat id>:<message id>` (an edit repeated changes nothing, so it may be
    retried). A card whose send is in flight or was lost is left as it is: a press on it
    is answered with the card as it now stands. `key` must not start with `card_key`.
    """
    rendered: dict[str, tuple[str, ButtonRows | None]] = {}
    changed = 0
    for row in outbox.by_key_prefix(svc.db, card_key):
        if row.buttons is None or row.edits is not None:
            continue  # not a card's last part, or itself an edit
        lang = language_for(svc, row.chat_id)
        if lang not in rendered:
            tr = svc.translator.get(lang)
            text = clip_html(render(tr), MESSAGE_LIMIT)
            rendered[lang] = (text, buttons(tr) if buttons else None)
        text, rows = rendered[lang]
        if row.state == "pending":
            changed += outbox.rewrite_pending(svc.db, row.id, text, rows)
        elif row.state == "sent" and row.message_id is not None:
            changed += outbox.enqueue(
                svc.db,
                key=f"{key}:{row.chat_id}:{row.message_id}",
                kind="edit",
                chat_id=row.chat_id,
                text=text,
                now=now,
                buttons=rows,
                edits=row.message_id,
            )
    return changed
