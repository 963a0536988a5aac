"""The /help text: commands a role may use, each with an example."""

from __future__ import annotations

from bot.i18n import Tr
from bot.render.text import esc
from bot.telegram.commands import CommandSpec, role_name
from storage.people import role_rank


def help_index(specs: list[CommandSpec], role: str, tr: Tr) -> str:
    """Every command the role may use: name, summary and one example."""
    _ = tr
    lines = [_("<b>Commands for your role ({role})</b>", role=role_name(tr, role))]
    for spec in specs:
        if role_rank(role) < role_rank(spec.role):
            continue
        lines.append(f"/{spec.name} — {esc(_(spec.summary))}")
        lines.append(f"   <i>{esc(_(spec.example))}</i>")
    lines.append("")
    lines.append(
        esc(
            _(
                "Send /help <command> for details. "
                "A command sent without arguments asks for each field."
            )
        )
    )
    return "\n".join(lines)


def help_one(spec: CommandSpec, tr: Tr) -> str:
    """One command: usage, example, summary and the role it needs."""
    _ = tr
    return "\n".join(
        [
            f"/{spec.name} — {esc(_(spec.summary))}",
            _("Usage: {usage}", usage=esc(_(spec.usage))),
            _("Example: {example}", example=esc(_(spec.example))),
            _("Needs the {role} role.", role=role_name(tr, spec.role)),
        ]
    )
