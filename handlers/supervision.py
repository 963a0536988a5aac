"""The project record: /project_edit, /project_history and /tier (分类分级管理)."""

from __future__ import annotations

from bot.domain.keywords import NONE_WORDS, field_word, tier_word
from bot.domain.normalize import keyword, token
from bot.i18n import N_
from bot.render.project import tier_name
from bot.render.supervision import field_name, field_value, history_text
from bot.render.text import esc
from bot.services import project_record as service
from bot.telegram.commands import Call, CommandSpec, Reply, UsageError

FIELD_LIST = N_("name, category, lead institution, batch, region")


def project_edit(call: Call) -> Reply:
    """Change one field of a project's record; the old value stays in its history."""
    code, what, value = call.fields(2, 3, free={2})
    field = field_word(what)
    if field is None:
        raise UsageError(
            call.tr(
                "Unknown field {field}; the fields are {fields}.",
                field=esc(what[:40]),
                fields=call.tr(FIELD_LIST),
            )
        )
    done = service.edit(call.services, code, field, value, call.user.user_id, call.now)
    call.audit_detail.update(done.audit)
    return Reply(
        text=call.tr(
            "{code}: {field} changed from {old} to {new}. /project_history {code} shows edits.",
            code=esc(done.project.code),
            field=field_name(call.tr, field),
            old=field_value(call.tr, field, done.change.old_value),
            new=field_value(call.tr, field, done.change.new_value),
        )
    )


def project_history(call: Call) -> Reply:
    """Every edit of a project's record, with the old values."""
    words = call.words()
    if len(words) != 1:
        raise UsageError()
    shown = service.history(call.services, words[0])
    return Reply(text=history_text(shown.project, shown.changes, call.tr, call.services.config.tz))


def tier(call: Call) -> Reply:
    """Put a project in a supervision tier (focus, regular, watch), with the reason."""
    head, _sep, reason = call.args.partition("|")
    words = [token(w) for w in head.split()]
    if len(words) != 2:
        raise UsageError()
    chosen = "" if keyword(words[1]) in NONE_WORDS else tier_word(words[1])
    if chosen is None:
        raise UsageError(
            call.tr(
                "Unknown tier {tier}; the tiers are focus, regular and watch.",
                tier=esc(words[1][:40]),
            )
        )
    done = service.set_tier(call.services, words[0], chosen, reason, call.user.user_id, call.now)
    call.audit_detail.update(done.audit)
    return Reply(
        text=call.tr(
            "{code} is now in the {tier} tier (was {old}).",
            code=esc(done.project.code),
            tier=tier_name(call.tr, chosen),
            old=tier_name(call.tr, done.change.old_value),
        )
    )


COMMANDS = [
    CommandSpec(
        "project_edit",
        project_edit,
        N_("change a project's name, category, lead institution, batch or region"),
        N_("/project_edit <CODE> | <field> | <value>"),
        N_("/project_edit BJ-01 | lead institution | Example Securities Co., Ltd."),
        role="admin",
        writes=True,
    ),
    CommandSpec(
        "project_history",
        project_history,
        N_("show the edits of a project's record with the old values"),
        N_("/project_history <CODE>"),
        N_("/project_history BJ-01"),
        role="admin",
    ),
    CommandSpec(
        "tier",
        tier,
        N_("put a project in a supervision tier: focus, regular or watch"),
        N_("/tier <CODE> <focus|regular|watch|none> | <reason>"),
        N_("/tier BJ-01 focus | high risk exposure found in the evaluation"),
        role="admin",
        writes=True,
    ),
]
