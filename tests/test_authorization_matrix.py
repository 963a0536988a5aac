"""The authorization matrix: every command and button, for every kind of user, in private
and in a group. The expected outcome of each cell is written in the one table below.

Outcomes: A = allowed (the command runs; it may still refuse for a domain reason such as an
unknown id), R = refused for the role (dispatcher), P = refused by a permission rule on the
object (not your project, not your entry, not the secretariat, not an evaluator),
W = wrong kind of chat.
"""

from __future__ import annotations

import pytest

from bot.telegram.registry import all_commands
from tests.support.harness import ADMIN, GROUP, MEMBER, OUTSIDER, STAFF, STAFF2, Harness

# Columns: none, member, staff of another unit (BJ), staff (unit TECH, follows BJ-01), admin.
# Rows run in this order, so a row sees what earlier rows did (an entry withdrawn stays so).
USERS = (OUTSIDER, MEMBER, STAFF2, STAFF, ADMIN)

MATRIX: dict[str, tuple[str | tuple[str, str], str, str]] = {
    # command: (arguments, or (private, group) arguments; private row; group row)
    "start": ("", "AAAAA", "AAAAA"),
    "help": ("", "AAAAA", "AAAAA"),
    "whoami": ("", "AAAAA", "AAAAA"),
    "lang": ("en", "AAAAA", "PPPPA"),
    "cancel": ("", "AAAAA", "AAAAA"),
    "unit_add": ("CSRC | Regulator", "RRRRA", "RRRRA"),
    "units": ("", "RAAAA", "RAAAA"),
    "role": ("@mei member BJ", "RRRRA", "RRRRA"),
    "members": ("", "RAAAA", "RAAAA"),
    "subscribe": ("meetings", "WWWWW", "RRRRA"),
    "unsubscribe": ("disclosures", "WWWWW", "RRRRA"),
    "project_add": ("BJ-09 | Matrix project | tech | Example Bank", "RRRRA", "RRRRA"),
    "project": ("BJ-01", "RAAAA", "RAAAA"),
    "projects": ("", "RAAAA", "RAAAA"),
    "stage": ("BJ-02 selection", "RRRRA", "RRRRA"),
    "project_edit": ("BJ-01 | region | 北京", "RRRRA", "RRRRA"),
    # A project nobody registered: past the dispatcher, the service answers.
    "project_exit": ("BJ-77 | completed | matrix", "RRRRA", "RRRRA"),
    "project_history": ("BJ-01", "RRRRA", "RRRRA"),
    "tier": ("BJ-01 focus | matrix row", "RRRRA", "RRRRA"),
    "follow": ("BJ-02 BJ", "RRRRA", "RRRRA"),
    "unfollow": ("BJ-02 BJ", "RRRRA", "RRRRA"),
    "progress": ("BJ-01 matrix entry #milestone", "RRPAA", "RRPAA"),
    "progress_edit": ("1 corrected text", "RRPAA", "RRPAA"),
    "progress_undo": (("2", "3"), "RRPAA", "RRPAA"),
    "evaluator": ("@li off", "RRRRA", "RRRRA"),
    "evaluate": ("BJ-03 | 4 | 4 | 4 | 4", "RPPAP", "WWWWW"),
    "evaluation": ("BJ-03", "RPPAA", "WWWWW"),
    "evaluation_close": ("BJ-04", "RRRRA", "RRRRA"),
    "panel": ("BJ-02 @ada", "RRRRA", "RRRRA"),
    "bulletin": ("", "RRAAA", "RRAAA"),
    "bulletin_publish": ("", "RRRRA", "RRRRA"),
    "bulletins": ("", "RAAAA", "RAAAA"),
    "bulletin_show": ("2026/9", "RAAAA", "RAAAA"),
    "bulletin_export": ("2026/9 md", "RAAAA", "RAAAA"),
    "bulletin_schedule": ("off", "RRRRA", "RRRRA"),
    "meeting_new": ("joint | 2030-01-08 10:00 | Matrix meeting", "RRRRA", "RRRRA"),
    "invite": ("1 TECH BJ", "RRRRA", "RRRRA"),
    "meeting_move": ("2 | 2030-01-09 10:00", "RRRRA", "RRRRA"),
    "meeting_cancel": ("3 | matrix", "RRRRA", "RRRRA"),
    "ics": ("1", "RAAAA", "RAAAA"),
    "meetings": ("", "RAAAA", "RAAAA"),
    "meeting": ("1", "RAAAA", "RAAAA"),
    "delegate": ("1 Wang Wei", "RAAAA", "RAAAA"),
    "remind": ("1 1d,1h", "RRRRA", "RRRRA"),
    "agenda_add": ("1 | Matrix item", "RRAAA", "RRAAA"),
    "agenda": ("1", "RAAAA", "RAAAA"),
    "agenda_move": ("1 1 1", "RRRRA", "RRRRA"),
    "agenda_drop": ("1 9 | matrix", "RRRRA", "RRRRA"),
    "agenda_lock": ("4", "RRRRA", "RRRRA"),
    "agenda_publish": ("4", "RRRRA", "RRRRA"),
    "present": ("1 TECH", "RRPAA", "RRPAA"),
    "decision": ("1 #1 Agreed.", "RRPAA", "RRPAA"),
    "minutes": ("1", "RAAAA", "RAAAA"),
    "minutes_publish": ("4", "RRRRA", "RRRRA"),
    "minutes_correct": ("1 A correction.", "RRPAA", "RRPAA"),
    "minutes_export": ("1 md", "RAAAA", "RAAAA"),
    "secretariat": ("TECH", "RRRRA", "RRRRA"),
    "files": ("BJ-01", "RAAAA", "RAAAA"),
    "search": ("entry", "RAAAA", "RAAAA"),
    "dossier": ("BJ-01 md", "RRAAA", "RRAAA"),
    "audit": ("BJ-01", "RRRRA", "RRRRA"),
    # A vote on an item that is not there: the card a success posts arrives later, through
    # the outbox, so each cell answers with a reply (see tests/test_votes_e2e.py).
    "vote": ("1 #9", "RRPAA", "RRPAA"),
    "vote_cast": ("1 #1 agree", "RAAAA", "RAAAA"),
    "vote_close": ("1 #9", "RRPAA", "RRPAA"),
    # Likewise a poll with a past time is refused with a reply (tests/test_polls_e2e.py).
    "meeting_poll": ("joint | Matrix | 2030-01-14 10:00 | 2020-01-15 10:00", "RRRRA", "RRRRA"),
    "meeting_poll_close": ("9", "RRRRA", "RRRRA"),
    "action": ("1 TECH | 2030-02-01 | Matrix action", "RRPAA", "RRPAA"),
    "actions": ("all", "RAAAA", "RAAAA"),
    "done": ("A1", "RPPAA", "RPPAA"),
    "holiday_set": ("2031-01-02 off New Year's Day", "RRRRA", "RRRRA"),
    "holidays": ("2031", "RAAAA", "RAAAA"),
    "calendar": ("", "RAAAA", "WWWWW"),
    "dashboard": ("", "RAAAA", "RAAAA"),
    "stats": ("", "RAAAA", "RAAAA"),
    "round_new": ("2d", "RRRRA", "RRRRA"),
    "round": ("", "RAAAA", "RAAAA"),
    "compliance": ("3", "RAAAA", "RAAAA"),
    # BJ's staff was not asked about BJ-01; the admin belongs to no unit.
    "report": ("BJ-01 | matrix report", "RRPAP", "RRPAP"),
    "round_schedule": ("", "RRRRA", "RRRRA"),
    "call_new": ("Matrix call | 2030-12-31", "RRRRA", "RRRRA"),
    "calls": ("", "RRAAA", "RRAAA"),
    "apply": ("1 | Matrix application | tech | Example Bank | Sam | Summary", "RRAAA", "RRAAA"),
    # Without a document the command answers how to send one (allowed, nothing kept).
    "apply_file": ("1", "RRAAA", "RRAAA"),
    "applications": ("", "RRRRA", "RRRRA"),
    "application": ("1", "RRRRA", "RRRRA"),
    "application_accept": ("99 BJ-20", "RRRRA", "RRRRA"),
    "application_reject": ("99 | matrix", "RRRRA", "RRRRA"),
    # BJ's staff does not follow BJ-01: the plan-change rule refuses them.
    "change": ("BJ-01 | matrix change | matrix reason", "RRPAA", "RRPAA"),
    "changes": ("", "RRAAA", "RRAAA"),
    "change_approve": ("1", "RRRRA", "RRRRA"),
    "change_reject": ("1 matrix reason", "RRRRA", "RRRRA"),
    "record": ("BJ-01", "RRRRA", "RRRRA"),
    "record_add": ("BJ-01 | matrix entry", "RRRRA", "RRRRA"),
}
# Buttons: (private outcomes, group outcomes) for pressing the RSVP buttons on a card.
BUTTON_MATRIX = {
    "rsvp": ("RAAAA", "RAAAA"),
    "bl_ok": ("RRRRA", "RRRRA"),
    "rd_rep": ("RRAAA", "RRAAA"),
    "rd_agenda": ("RRRRA", "RRRRA"),
    "vote": ("RAAAA", "RAAAA"),
    "poll": ("RAAAA", "RAAAA"),
    "application_accept": ("RRRRA", "RRRRA"),
    "chg_ok": ("RRRRA", "RRRRA"),
    "chg_no": ("RRRRA", "RRRRA"),
    "chg_file": ("RRAAA", "RRAAA"),
    "project_exit": ("RRRRA", "RRRRA"),
    "audit_pg": ("RRRRA", "RRRRA"),
    "record_pg": ("RRRRA", "RRRRA"),
}

ROLE = "Sorry, this needs the"
WHERE = "Use this command in a"
PERMISSION = (
    "This needs the",
    "Only staff of a unit following",
    "Only its author or an admin",
    "Only its owner, the owner unit's staff or an admin",
    "Only admins or staff of the secretariat unit",
    "Only members of the evaluation group",
    "Scores stay private until the round closes",
    "No reporting round asks",
    "You belong to no unit",
)


def outcome(texts: str) -> str:
    """Classify the bot's answers to one cell."""
    if ROLE in texts:
        return "R"
    if WHERE in texts:
        return "W"
    if any(marker in texts for marker in PERMISSION):
        return "P"
    return "A"


async def world(h: Harness) -> None:
    """Units, roles, projects in the right stages, meetings, an agenda item, an action."""
    for user in USERS:
        await h.send(user, "/start")
    for text in (
        "/unit_add TECH | Technology Supervision Bureau",
        "/unit_add BJ | Beijing Bureau",
        f"/role {STAFF} staff TECH",
        f"/role {STAFF2} staff BJ",
        f"/role {MEMBER} member BJ",
        "/project_add BJ-01 | Followed project | tech | Example Securities",
        "/project_add BJ-02 | Second | public | Example Bank",
        "/project_add BJ-03 | Under evaluation | business | Example Fund",
        "/project_add BJ-04 | Also evaluated | enablement | Example Tech",
        "/follow BJ-01 TECH",
        "/stage BJ-01 running",
        "/stage BJ-03 evaluation",
        "/stage BJ-04 evaluation",
        "/evaluator @sam on",
        "/secretariat TECH",
        "/meeting_new joint | 2030-01-07 14:00 | Joint meeting one",
        "/meeting_new working | 2030-01-08 14:00 | To be moved",
        "/meeting_new working | 2030-01-09 14:00 | To be cancelled",
        "/meeting_new joint | 2030-01-10 14:00 | To be locked",
        "/action 1 @sam | 2030-02-01 | Owned by Sam",
    ):
        await h.send(ADMIN, text)
    await h.send(STAFF, "/agenda_add 1 | First item")
    await h.send(STAFF, "/progress BJ-01 entry one #milestone")
    await h.send(STAFF, "/progress BJ-01 entry two #milestone")
    await h.send(STAFF, "/evaluate BJ-04 | 3 | 3 | 3 | 3")
    await h.send(ADMIN, "/subscribe", chat=GROUP)


@pytest.fixture
async def matrix_bot(bot: Harness) -> Harness:
    await world(bot)
    return bot


def test_the_table_covers_every_command_and_button() -> None:
    from bot.telegram.registry import all_buttons

    assert set(MATRIX) == {spec.name for spec in all_commands()}
    assert set(BUTTON_MATRIX) <= set(all_buttons())
    assert all(len(p) == len(g) == len(USERS) for _, p, g in MATRIX.values())


@pytest.mark.slow(4)
async def test_every_cell(matrix_bot: Harness) -> None:
    h = matrix_bot
    failures = []
    cells = 0
    for name, (args, private, group) in MATRIX.items():
        for chat_kind, expected_row in (("private", private), ("group", group)):
            for user, expected in zip(USERS, expected_row, strict=True):
                chat = GROUP if chat_kind == "group" else user
                text = args if isinstance(args, str) else args[chat_kind == "group"]
                calls = await h.send(user, f"/{name} {text}".strip(), chat=chat)
                texts = "\n".join(str(c.params.get("text")) for c in calls)
                got = outcome(texts)
                cells += 1
                if not calls:
                    got = "-"
                if got != expected:
                    failures.append(
                        f"/{name} as {user} in {chat_kind}: expected {expected}, got {got}: "
                        f"{texts[:120]!r}"
                    )
    assert not failures, "\n".join(failures)
    assert cells == len(MATRIX) * 2 * len(USERS)


async def test_every_button_cell(matrix_bot: Harness) -> None:
    h = matrix_bot
    failures = []
    for chat_kind in ("private", "group"):
        for index, user in enumerate(USERS):
            chat = GROUP if chat_kind == "group" else user
            if chat_kind == "private":
                card = await h.send(ADMIN if user == OUTSIDER else user, "/meeting 1", chat=chat)
            else:
                card = await h.send(ADMIN, "/meeting 1", chat=GROUP)
            message = card[-1]
            rsvp = message.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
            # The approval button is signed for real but pressed where it was never sent.
            approve = h.svc.signer.sign("bl_ok", "1")
            report = h.svc.signer.sign("rd_rep", "BJ-01")
            to_agenda = h.svc.signer.sign("rd_agenda", "1")
            # A ballot and a poll answer, signed for real: anyone with a role gets past the
            # dispatcher (the unit rules then answer); someone with none is refused.
            ballot = h.svc.signer.sign("vote", "1:a")
            mark = h.svc.signer.sign("poll", "1:1")
            accept = h.svc.signer.sign("application_accept", "1")
            # Plan-change buttons, signed for real, on a request nobody filed: past the
            # dispatcher, the service answers.
            change_ok = h.svc.signer.sign("chg_ok", "9")
            change_no = h.svc.signer.sign("chg_no", "9")
            change_file = h.svc.signer.sign("chg_file", "BJ-01")
            exit_way = h.svc.signer.sign("project_exit", "BJ-77|completed")
            # Paging buttons (they edit the message they are under: pressed last).
            audit_page = h.svc.signer.sign("audit_pg", "1|")
            record_page = h.svc.signer.sign("record_pg", "1|BJ-01 30")
            pressed = (
                ("rsvp", rsvp),
                ("bl_ok", approve),
                ("rd_rep", report),
                ("rd_agenda", to_agenda),
                ("vote", ballot),
                ("poll", mark),
                ("application_accept", accept),
                ("chg_ok", change_ok),
                ("chg_no", change_no),
                ("chg_file", change_file),
                ("project_exit", exit_way),
                ("audit_pg", audit_page),
                ("record_pg", record_page),
            )
            for action, data in pressed:
                before = h.emu.last_seq
                update = h.emu.press_button(
                    user_id=user,
                    chat_id=chat,
                    message_id=message.result["message_id"],
                    data=data,
                    check=False,
                )
                await h.probe.wait(update["update_id"])
                answers = [
                    c for c in h.emu.calls(since_seq=before) if c.method == "answerCallbackQuery"
                ]
                text = " ".join(str(c.params.get("text")) for c in answers)
                got = "R" if "needs the" in text else "A"
                expected = BUTTON_MATRIX[action][0 if chat_kind == "private" else 1][index]
                if got != expected:
                    failures.append(
                        f"{action} by {user} in {chat_kind}: expected {expected}, "
                        f"got {got}: {text!r}"
                    )
    assert not failures, "\n".join(failures)
