"""Running a command through its spec: check where and who, skip a redelivered write (by
chat and message id), run the handler with its audit entry in one transaction, commit,
then reply."""

from __future__ import annotations

import logging
from contextlib import nullcontext

from telegram import Update

from bot.services import services
from bot.services.refused import Refused
from bot.telegram.bookkeeping import follow_up, record_audit, tell_admins, wake_delivery
from bot.telegram.busy import answer_busy
from bot.telegram.calls import Context, make_call
from bot.telegram.checks import (
    SOMETHING_WRONG,
    check_where,
    ignored,
    not_kept,
    refusal_for_role,
    usage_text,
)
from bot.telegram.commands import Call, CommandSpec, Refusal, Reply, UsageError
from bot.telegram.replies import send_reply
from storage import audit, outbox
from storage.attachments import Sent
from storage.db import DatabaseBusy, is_busy, run_transaction, transaction

log = logging.getLogger(__name__)


class _Answer(Exception):
    """Abandon the whole unit of work (nothing is committed) and answer with this reply."""

    def __init__(self, call: Call, reply: Reply, error: Exception | None = None) -> None:
        super().__init__("answer without committing")
        self.call = call
        self.reply = reply
        self.error = error  # unexpected: the admins are told once the unit is rolled back


async def run_command(
    spec: CommandSpec, update: Update, context: Context, args: str, files: tuple[Sent, ...] = ()
) -> None:
    """Check role, deduplicate, run the handler in a transaction, commit, then reply.

    The whole unit (recording the sender, the checks, the handler, the audit entry) is one
    transaction, retried as a whole while another process holds the database; if it stays
    locked the sender is told to resend and nothing was written.
    """
    svc = services(context)
    queued = outbox.queued_count(svc.db)
    try:
        outcome = await run_transaction(
            svc.db,
            lambda: _command(spec, update, context, args, files),
            wait=svc.config.busy_wait,
            immediate=spec.writes,
        )
    except DatabaseBusy:
        await answer_busy(update, context)
        return
    except _Answer as answer:
        outcome = answer.call, answer.reply
        if answer.error is not None:
            # After the rollback, so the alert is not rolled back with the failed unit.
            tell_admins(answer.call, answer.error, "command", f"/{spec.name} {args}")
    if outcome is None:
        return
    await send_reply(update, context, *outcome)
    wake_delivery(svc, queued)


def _command(
    spec: CommandSpec, update: Update, context: Context, args: str, files: tuple[Sent, ...]
) -> tuple[Call, Reply] | None:
    """The synchronous part of a command, inside the caller's transaction."""
    call = make_call(update, context, args, files)
    if call is None or ignored(call):
        return None
    refusal = check_where(call, spec) or refusal_for_role(call, spec.role)
    if refusal:
        if spec.writes:
            record_audit(call, spec.name, "refused: role")
        return call, Reply(text=refusal)
    if spec.writes and call.message_id is not None:
        if audit.already_handled(call.db, call.chat.chat_id, call.message_id):
            log.info(
                "skipping redelivered /%s %s:%s", spec.name, call.chat.chat_id, call.message_id
            )
            return None
    reply = _execute(call, spec)
    if call.attachments and not spec.files:
        reply.text = "\n".join(filter(None, [reply.text, not_kept(call, spec.name)]))
    if reply.follow_up is not None and call.message_id is not None:
        # A command that opens its own guided form part-answered (/report CODE): the
        # sender's next messages in this chat answer the rest.
        follow_up(call, reply.follow_up, call.message_id)
    return call, reply


def _execute(call: Call, spec: CommandSpec) -> Reply:
    """Run a handler; its writes and the audit entry commit together or not at all."""
    try:
        # A savepoint: a refused or mistyped write still commits its audit entry.
        with transaction(call.db) if spec.writes else nullcontext(call.db):
            reply = spec.handler(call)
        if spec.writes:
            record_audit(call, spec.name, "ok")
        return reply
    except UsageError as exc:
        reply = Reply(text=usage_text(call, spec, exc.detail))
    except Refusal as exc:
        reply = Reply(text=exc.message)
        if spec.writes:
            record_audit(call, spec.name, exc.outcome)
    except Refused as exc:  # a service's refusal, said in this chat's language
        reply = Reply(text=exc.text(call.tr))
        if spec.writes:
            record_audit(call, spec.name, exc.outcome)
    except Exception as exc:
        if is_busy(exc):
            raise  # the whole unit is retried once the other process lets go
        log.exception(
            "/%s failed (chat %s, user %s)", spec.name, call.chat.chat_id, call.user.user_id
        )
        raise _Answer(call, Reply(text=call.tr(SOMETHING_WRONG)), exc) from exc
    return reply
