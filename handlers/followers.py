"""Units following projects (they report on them): /follow, /unfollow."""

from __future__ import annotations

from bot.i18n import N_
from bot.render.text import esc
from bot.render.units import unit_label, unit_labels
from bot.services import projects as service
from bot.telegram.commands import Call, CommandSpec, Reply, UsageError


def follow(call: Call) -> Reply:
    """Make a unit follow a project, or list the units that do."""
    words = call.words()
    if len(words) not in (1, 2):
        raise UsageError()
    if len(words) == 1:
        shown = service.followers(call.services, words[0])
        return Reply(
            text=call.tr(
                "Units following {code}: {units}",
                code=esc(shown.project.code),
                units=unit_labels(call.tr, shown.units, shown.unit_names) or "—",
            )
        )
    done = service.follow(call.services, words[0], words[1], call.now)
    call.audit_detail.update(done.audit)
    text = "{unit} now follows {code}." if done.changed else "{unit} already follows {code}."
    unit = unit_label(call.tr, done.unit_code, done.unit_names)
    return Reply(text=call.tr(text, unit=unit, code=esc(done.project.code)))


def unfollow(call: Call) -> Reply:
    """Stop a unit following a project."""
    words = call.words()
    if len(words) != 2:
        raise UsageError()
    done = service.unfollow(call.services, words[0], words[1])
    call.audit_detail.update(done.audit)
    unit = unit_label(call.tr, words[1][:40], done.unit_names)
    return Reply(
        text=call.tr("{unit} no longer follows {code}.", unit=unit, code=esc(done.project.code))
    )


_FOLLOW_TEXTS = (N_("{unit} now follows {code}."), N_("{unit} already follows {code}."))

COMMANDS = [
    CommandSpec(
        "follow",
        follow,
        N_("make a unit report on a project"),
        N_("/follow <CODE> [UNIT-CODE]"),
        N_("/follow BJ-01 TECH"),
        role="admin",
        writes=True,
    ),
    CommandSpec(
        "unfollow",
        unfollow,
        N_("stop a unit reporting on a project"),
        N_("/unfollow <CODE> <UNIT-CODE>"),
        N_("/unfollow BJ-01 TECH"),
        role="admin",
        writes=True,
    ),
]
