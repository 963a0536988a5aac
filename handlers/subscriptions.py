"""Which notices a group receives: /subscribe and /unsubscribe."""

from __future__ import annotations

from typing import cast

from bot.domain.normalize import split_list
from bot.i18n import N_, Tr
from bot.render.text import esc
from bot.services import subscriptions as service
from bot.telegram.commands import Call, CommandSpec, Reply, UsageError
from storage.chats import TOPICS, Topic

# The Chinese names are exactly the ones the bot shows (简报, 会议, 信息公示).
TOPIC_ALIASES = {
    "bulletins": "bulletins",
    "bulletin": "bulletins",
    "简报": "bulletins",
    "工作简报": "bulletins",
    "meetings": "meetings",
    "meeting": "meetings",
    "会议": "meetings",
    "disclosures": "disclosures",
    "disclosure": "disclosures",
    "信息公示": "disclosures",
    "公示": "disclosures",
}


def topic_names(tr: Tr, topics: list[Topic]) -> str:
    """Topics in the chat's language, as a list in running text."""
    names = {
        "bulletins": tr("bulletins"),
        "meetings": tr("meetings"),
        "disclosures": tr("disclosures"),
    }
    return tr.join(names[t] for t in topics) if topics else tr("nothing")


def parse_topics(words: list[str], tr: Tr) -> list[Topic]:
    """Topics named in the arguments (any list separators); none named means all."""
    if not words:
        return list(TOPICS)
    topics: list[Topic] = []
    for word in words:
        topic = TOPIC_ALIASES.get(word.lower())
        if topic is None:
            raise UsageError(
                tr(
                    "Unknown topic {word}; the topics are {topics}.",
                    word=esc(word),
                    topics=topic_names(tr, list(TOPICS)),
                )
            )
        if topic not in topics:
            topics.append(cast(Topic, topic))
    return topics


def subscribe(call: Call) -> Reply:
    """Subscribe this group to topics."""
    topics = parse_topics(split_list(call.args), call.tr)
    current = service.subscribe(call.services, call.chat.chat_id, topics, call.now)
    call.audit_detail["topics"] = topics
    return Reply(
        text=call.tr("This chat now receives: {topics}.", topics=topic_names(call.tr, current))
    )


def unsubscribe(call: Call) -> Reply:
    """Unsubscribe this group from topics."""
    topics = parse_topics(split_list(call.args), call.tr)
    current = service.unsubscribe(call.services, call.chat.chat_id, topics)
    call.audit_detail["topics"] = topics
    return Reply(
        text=call.tr("This chat now receives: {topics}.", topics=topic_names(call.tr, current))
    )


COMMANDS = [
    CommandSpec(
        "subscribe",
        subscribe,
        N_("choose the notices this group receives"),
        N_("/subscribe [bulletins] [meetings] [disclosures]"),
        N_("/subscribe bulletins meetings"),
        role="admin",
        writes=True,
        where="group",
    ),
    CommandSpec(
        "unsubscribe",
        unsubscribe,
        N_("stop notices in this group"),
        N_("/unsubscribe [bulletins] [meetings] [disclosures]"),
        N_("/unsubscribe disclosures"),
        role="admin",
        writes=True,
        where="group",
    ),
]
