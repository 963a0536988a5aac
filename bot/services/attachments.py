"""Files sent with a command, kept with the record the command made (by Telegram file_id).

Any handler whose record may carry a file calls `keep` after its service made the record:
    attachments.keep(svc, "progress", str(entry.id), call.attachment, call.user.user_id,
                     call.now, project=code)
The file's bytes stay with Telegram; /files sends them back by file_id.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from bot.services.projects import find
from storage import attachments
from storage.attachments import Files, Sent

if TYPE_CHECKING:
    from bot.services import Services


def keep(
    svc: Services,
    kind: str,
    ref: str,
    attachment: Sent | None,
    by: int | None,
    now: datetime,
    project: str | None = None,
) -> int | None:
    """Keep the file sent with a command on record (kind, ref); None when none was sent."""
    if attachment is None:
        return None
    return attachments.add(
        svc.db,
        kind=kind,
        ref=ref,
        project_code=project,
        media=attachment.media,
        file_id=attachment.file_id,
        file_unique_id=attachment.file_unique_id,
        name=attachment.name,
        size=attachment.size,
        mime=attachment.mime,
        by_user=by,
        now=now,
    )


def of_project(svc: Services, code: str) -> Files:
    """The files kept on a project's records; refused for an unknown code."""
    project = find(svc, code)
    return Files(project.code, project.name, attachments.of_project(svc.db, project.code))
