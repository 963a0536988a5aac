"""/search: words across projects, progress, decisions, actions, meetings, published minutes
and (staff, admins) plan changes."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bot.domain.normalize import token
from storage import search_index
from storage.people import Person, role_rank
from storage.search_index import Results

if TYPE_CHECKING:
    from bot.services import Services

PAGE = 8
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# What each role may find: members see what members see in chat (projects, progress,
# meetings, decisions and actions of published minutes, and the published minutes
# themselves, are all posted to the groups; /minutes shows them to members).
_MEMBER = ("project", "progress", "decision", "action", "meeting", "minutes")
KINDS_BY_ROLE: dict[str, tuple[str, ...]] = {
    "none": (),
    "member": _MEMBER,
    # Plan-change requests are listed (/changes) to staff and admins only.
    "staff": (*_MEMBER, "change"),
    "admin": (*_MEMBER, "change"),
}


def words_of(text: str) -> list[str]:
    """The query's words (NFKC, so full-width letters and digits match), at most 8.

    Control characters go: FTS5 reads a NUL inside a quoted phrase as its end."""
    words = (_CONTROL.sub("", token(w)) for w in text.split())
    return [w for w in words if w][:8]


def search(svc: Services, text: str, who: Person, page: int = 1) -> Results:
    """Hits for every word, ranked, one page; nothing for people without a role."""
    words = words_of(text)
    kinds = KINDS_BY_ROLE.get(who.role, ()) if role_rank(who.role) > 0 else ()
    page = max(1, page)
    hits, total = search_index.find(svc.db, words, kinds, PAGE, (page - 1) * PAGE)
    pages = max(1, -(-total // PAGE))
    return Results(words, hits, total, page, pages)
