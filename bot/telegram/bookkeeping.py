"""What a command's or a button's unit of work records besides the handler's own writes:
the audit entry, the guided form it opens or withdraws, the admins' alert when it failed,
and waking delivery when it queued notices."""

from __future__ import annotations

from bot.services import Services
from bot.telegram.commands import Call, FollowUp
from bot.telegram.errors import Handling
from storage import audit, forms, outbox


def record_audit(call: Call, action: str, outcome: str) -> None:
    """The audit entry of a state-changing command or button, in the caller's transaction."""
    detail = {"args": call.args[:2000], **call.audit_detail}
    audit.record(
        call.db,
        now=call.now,
        action=action,
        outcome=outcome,
        user_id=call.user.user_id,
        chat_id=call.chat.chat_id,
        message_id=call.message_id,
        detail=detail,
    )


def follow_up(call: Call, follow: FollowUp, message_id: int) -> None:
    """Open (or withdraw) the guided form a button press asks for; the button's message
    id is the form's last one, so only messages sent after it answer."""
    chat_id, user_id = call.chat.chat_id, call.user.user_id
    if follow.prompt:
        forms.start(
            call.db, chat_id, user_id, follow.command, message_id, call.now, follow.answers
        )
        return
    form = forms.get(call.db, chat_id, user_id)
    if form is not None and form.command == follow.command:
        forms.close(call.db, chat_id, user_id)


def tell_admins(call: Call, error: Exception, kind: str, text: str) -> None:
    """An unexpected error in a handler: the admins get a (rate-limited) alert."""
    svc = call.services
    svc.errors.report(svc, error, Handling(kind, call.user.user_id, call.chat.chat_id, text))


def wake_delivery(svc: Services, queued: int) -> None:
    """Wake delivery if the unit queued notices (or an alert about its failure)."""
    # Waking it with nothing new cost two outbox queries on the loop after every write.
    if outbox.queued_count(svc.db) != queued:
        svc.delivery.kick()
