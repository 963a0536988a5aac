"""Files kept in an open guided form: stored with the form (a restart keeps them), in the
order sent, gone with the form."""

from __future__ import annotations

from bot.services import Services
from storage import chats, forms
from storage.attachments import Sent

CHAT = USER = 7_000_000_002
PDF = Sent("document", "BQAC-1", "u1", "申报书.pdf", 20_480, "application/pdf")
PHOTO = Sent("photo", "AgAC-2", "u2", "", 3_000, "")


def test_files_wait_in_the_form_until_it_closes(svc: Services) -> None:
    now = svc.clock.now()
    chats.touch_chat(svc.db, CHAT, "private", "", now)
    forms.start(svc.db, CHAT, USER, "apply", 10, now, files=[PDF])
    form = forms.get(svc.db, CHAT, USER)
    assert form is not None and form.files == (PDF,)
    form = forms.add_file(svc.db, form, PHOTO, 12, now)
    assert forms.get(svc.db, CHAT, USER) == form
    assert (form.files, form.last_message_id) == ((PDF, PHOTO), 12)
    form = forms.answer(svc.db, form, "1", 13, now)
    assert form.files == (PDF, PHOTO) and form.answers == ("1",)
    forms.start(svc.db, CHAT, USER, "progress", 14, now)  # another form: its files are its own
    replaced = forms.get(svc.db, CHAT, USER)
    assert replaced is not None and replaced.files == ()
    assert forms.close(svc.db, CHAT, USER)
