"""Subscriptions and chat events at the seam: topics, a lost group, a migrated group."""

from __future__ import annotations

import pytest

from bot.services import Services
from bot.services import chats as chat_service
from bot.services import subscriptions as service
from storage import chats, outbox, people
from storage.chats import TOPICS, Topic

ADMIN, GROUP, SUPERGROUP = 7_000_000_001, -1001, -1_001_234_567_890


def _world(svc: Services) -> None:
    now = svc.clock.now()
    people.touch_person(svc.db, ADMIN, "ada", "Ada", None, "zh-hans", now)
    people.set_role(svc.db, ADMIN, "admin", None, now)
    chats.touch_chat(svc.db, GROUP, "group", "Pilot group", now)


@pytest.mark.parametrize(
    ("subscribe", "unsubscribe", "left"),
    [
        (["bulletins"], [], ["bulletins"]),
        (["bulletins", "meetings", "disclosures"], ["meetings"], ["bulletins", "disclosures"]),
        (["meetings"], ["meetings"], []),
        (["meetings", "meetings"], ["bulletins"], ["meetings"]),
    ],
)
def test_topics(
    svc: Services, subscribe: list[Topic], unsubscribe: list[Topic], left: list[Topic]
) -> None:
    _world(svc)
    now = svc.clock.now()
    # Topics come back in one fixed order, whatever the order typed.
    assert service.subscribe(svc, GROUP, subscribe, now) == [t for t in TOPICS if t in subscribe]
    assert service.unsubscribe(svc, GROUP, unsubscribe) == left
    assert service.topics(svc, GROUP) == left


def test_removal_suspends_the_chat_and_tells_the_admins_once(svc: Services) -> None:
    _world(svc)
    now = svc.clock.now()
    service.subscribe(svc, GROUP, ["bulletins"], now)
    outbox.enqueue(svc.db, key="n:1", kind="notice", chat_id=GROUP, text="hi", now=now)
    for _ in range(2):
        seen = chat_service.membership_changed(
            svc, GROUP, "group", "Pilot group", 42, "Otto", "kicked", True, False, now
        )
    assert seen.chat.chat_id == GROUP and seen.by is None
    assert chats.get_chat(svc.db, GROUP).suspended  # type: ignore[union-attr]
    assert {row.state for row in outbox.by_key_prefix(svc.db, "n:")} == {"suspended"}
    (alert,) = outbox.by_key_prefix(svc.db, "bot-removed:")
    assert alert.chat_id == ADMIN and "Pilot group" in alert.text and "Otto" in alert.text
    assert "移出" in alert.text  # the admin reads Chinese


def test_a_migrated_group_keeps_its_subscriptions_and_queue(svc: Services) -> None:
    _world(svc)
    now = svc.clock.now()
    service.subscribe(svc, GROUP, ["meetings"], now)
    outbox.enqueue(svc.db, key="n:2", kind="notice", chat_id=GROUP, text="hi", now=now)
    chat_service.migrated(svc, GROUP, SUPERGROUP, now)
    assert service.topics(svc, SUPERGROUP) == ["meetings"]
    (row,) = outbox.by_key_prefix(svc.db, "n:2")
    assert row.chat_id == SUPERGROUP


def test_close_form(svc: Services) -> None:
    assert not chat_service.close_form(svc, GROUP, ADMIN)
