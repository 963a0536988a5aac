"""Running a button press: verify its signed data, check the presser's role, run its
handler and audit entry in one transaction, then answer (toast, alert or reply)."""

from __future__ import annotations

import logging

from telegram import Message, Update

from bot.render.text import clip, plain_text
from bot.services import services
from bot.services.refused import Refused
from bot.telegram.bookkeeping import follow_up, record_audit, tell_admins, wake_delivery
from bot.telegram.busy import answer_busy
from bot.telegram.calls import Context, make_call
from bot.telegram.checks import SOMETHING_WRONG, ignored, refusal_for_role
from bot.telegram.commands import ButtonSpec, Call, Refusal, Reply
from bot.telegram.replies import send_reply
from storage import outbox
from storage.db import DatabaseBusy, is_busy, run_transaction, transaction

log = logging.getLogger(__name__)


async def run_button(specs: dict[str, ButtonSpec], update: Update, context: Context) -> None:
    """Verify a button's signature, check the presser's role, run its handler, then reply."""
    query = update.callback_query
    if query is None:
        return
    svc = services(context)
    queued = outbox.queued_count(svc.db)
    try:
        outcome = await run_transaction(
            svc.db, lambda: _button(specs, update, context), wait=svc.config.busy_wait
        )
    except DatabaseBusy:
        await answer_busy(update, context)
        return
    if isinstance(outcome, str):
        await query.answer(clip(plain_text(outcome), 190), show_alert=True)
        return
    if outcome is None:
        await query.answer()
        return
    await send_reply(update, context, *outcome)
    wake_delivery(svc, queued)


def _button(
    specs: dict[str, ButtonSpec], update: Update, context: Context
) -> tuple[Call, Reply] | str | None:
    """The synchronous part of a press: the reply, an alert to show, or None (just ack)."""
    query = update.callback_query
    assert query is not None
    call = make_call(update, context, "")
    if call is None or ignored(call):
        return None
    verified = call.services.signer.verify(query.data or "")
    spec = specs.get(verified[0]) if verified else None
    if verified is None or spec is None:
        return call.tr("This button is not valid any more.")
    refusal = refusal_for_role(call, spec.role)
    if refusal:
        return refusal
    try:
        with transaction(call.db):
            reply = spec.handler(call, verified[1])
            if reply.follow_up is not None and isinstance(query.message, Message):
                follow_up(call, reply.follow_up, query.message.message_id)
            if spec.writes:
                record_audit(call, f"button:{spec.action}", "ok")
    except Refusal as exc:
        reply = Reply(toast=exc.message)
    except Refused as exc:
        reply = Reply(toast=exc.text(call.tr))
    except Exception as exc:
        if is_busy(exc):
            raise
        log.exception("button %s failed", spec.action)
        tell_admins(call, exc, "button", spec.action)
        reply = Reply(toast=call.tr(SOMETHING_WRONG))
    return call, reply
