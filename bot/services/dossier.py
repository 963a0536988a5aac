"""A project's dossier (项目档案/案例档案): its whole record gathered for one document.

Sections other features own (the tier, plan changes, exits) join through EXTRA: a function
(svc, code) -> list of (heading, lines) appended to the list below shows up in /dossier.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from bot.services.projects import find
from storage import (
    attachments,
    changes,
    dossier,
    evaluations,
    progress_reads,
    project_follows,
)
from storage.dossier import Dossier, Section

if TYPE_CHECKING:
    from bot.services import Services

EXTRA: list[Callable[[Services, str], list[Section]]] = []


def gather(svc: Services, code: str) -> Dossier:
    """The project's record; ProjectNotFound for an unknown code."""
    from bot.services.people import unit_names

    project = find(svc, code)
    db, code = svc.db, project.code
    return Dossier(
        project=project,
        followers=project_follows.followers(db, code),
        unit_names=unit_names(svc),
        stages=dossier.stage_history(db, code),
        entries=dossier.entries(db, code),
        open_risks=[e.id for e in progress_reads.open_risks(db, code)],
        result=evaluations.get_result(db, code),
        evaluators=len(evaluations.all_scores(db, code)),
        minuted=dossier.minuted(db, code),
        files=attachments.of_project(db, code),
        changes=sorted(changes.listing(db, code), key=lambda c: c.id),
        extra=[s for provider in EXTRA for s in provider(svc, code)],
    )
