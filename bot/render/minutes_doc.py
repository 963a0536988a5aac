"""Minutes as documents (pure, bytes), in the 纪要 layout of GB/T 9704-2012 (10.3): the red
mark (联席会议纪要), the number （2026）第3号, the compiling unit and date over a red rule, the
meeting's title, the agreed matters (议定事项) numbered 一、二、, the action items by owner,
出席 and 列席 units, and the imprint (抄送, 印发). Markdown and Word from the same blocks."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from bot.i18n import Tr
from bot.render.agenda import item_kind
from bot.render.doc_markdown import render_markdown
from bot.render.meeting import kind_name
from bot.render.minutes import (
    MinutesData,
    by_owner,
    discussed,
    not_reached,
    number_text,
    vote_results,
)
from bot.render.official_doc import (
    Block,
    Heading,
    Imprint,
    Labelled,
    Masthead,
    Para,
    Title,
    heading_number,
    official_date,
)
from bot.render.official_docx import render_docx
from storage.actions import Action


def _action_text(n: int, action: Action, tr: Tr, today: date) -> str:
    due = official_date(action.due, tr.lang)
    if action.state == "done":
        text = tr("{text} (A{id}, due {date}, done)", text=action.text, id=action.id, date=due)
    elif action.overdue(today):
        text = tr("{text} (A{id}, due {date}, overdue)", text=action.text, id=action.id, date=due)
    else:
        text = tr("{text} (A{id}, due {date})", text=action.text, id=action.id, date=due)
    return f"{n}. {text}"


def _owner(label: str, data: MinutesData) -> str:
    # Units by name on paper; a person, or the UNASSIGNED bucket, as labelled.
    return data.unit_names.get(label.upper(), label)


def _intro(data: MinutesData, tz: ZoneInfo, tr: Tr) -> str:
    meeting = data.sitting.meeting
    day = official_date(data.sitting.start.astimezone(tz).date(), tr.lang)
    kind = kind_name(tr, meeting.kind)
    if meeting.place:
        return tr(
            "{kind} held on {date} at {place}. The matters agreed are recorded below.",
            date=day,
            kind=kind,
            place=meeting.place,
        )
    return tr(
        "{kind} held on {date}. The matters agreed are recorded below.",
        date=day,
        kind=kind,
    )


def _attendance(data: MinutesData, tr: Tr) -> list[Block]:
    """出席: the invited units present; 列席: units present that were not invited."""
    invited = {code.upper() for code in data.sitting.meeting.invited}
    names = [(code, data.unit_names.get(code.upper(), code)) for code in data.attendance]
    present = [name for code, name in names if not invited or code.upper() in invited]
    guests = [name for code, name in names if invited and code.upper() not in invited]
    sep = "、" if tr.lang == "zh" else ", "
    out: list[Block] = [Labelled(tr("Present"), sep.join(present) or "—")]
    if guests:
        out.append(Labelled(tr("In attendance"), sep.join(guests)))
    return out


def blocks(data: MinutesData, tz: ZoneInfo, tr: Tr, today: date) -> list[Block]:
    """The document's blocks in order."""
    meeting, lang = data.sitting.meeting, tr.lang
    pub = data.publication
    issued = pub.published_at.astimezone(tz).date() if pub else today
    issuer = tr("Coordination Group Secretariat")
    out: list[Block] = [
        Masthead(
            tr("{kind} minutes", kind=kind_name(tr, meeting.kind)),
            number_text(pub, tr) if pub else tr("(draft)"),
            issuer,
            official_date(issued, lang),
            top_mm=35 if lang == "zh" else 0,
        ),
        Title(meeting.title),
        Para(_intro(data, tz, tr)),
    ]
    n = 0

    def heading(text: str) -> None:
        nonlocal n
        n += 1
        out.append(Heading(1, heading_number(1, n, lang), text))

    for _number, item in discussed(data):
        heading(tr("{title} ({kind})", title=item.title, kind=item_kind(tr, item.kind)))
        out += [Para(d.text) for d in data.decisions if d.item_id == item.id]
        out += [Para(line) for line in vote_results(data, item, tr)]
        if item.state == "forwarded" and item.forward == "escalate":
            out.append(Para(tr("Referred to the Coordination Group for deliberation.")))
    general = [d for d in data.decisions if d.item_id is None]
    if general:
        heading(tr("Other decisions"))
        out += [Para(d.text) for d in general]
    left = not_reached(data)
    if left:
        heading(tr("Items not reached"))
        out += [Para(f"{i}. {item.title}") for i, (_n, item) in enumerate(left, start=1)]
    if data.actions:
        heading(tr("Action items"))
        for sub, (owner, found) in enumerate(by_owner(data.actions, tr), start=1):
            out.append(Heading(2, heading_number(2, sub, lang), _owner(owner, data)))
            out += [Para(_action_text(i, a, tr, today)) for i, a in enumerate(found, start=1)]
    if data.corrections:
        heading(tr("Corrections"))
        out += [
            Para(
                tr(
                    "{date}: {text}",
                    date=official_date(c.recorded_at.astimezone(tz).date(), lang),
                    text=c.text,
                )
            )
            for c in data.corrections
        ]
    out.append(Para("", indent=False))  # GB/T 9704 10.3: one empty line before 出席
    out += _attendance(data, tr)
    out.append(
        Imprint(
            [(tr("Copied to"), tr("the member units of the Coordination Group."))],
            issuer,
            tr("Issued {date}", date=official_date(issued, lang)),
        )
    )
    return out


def minutes_md(data: MinutesData, tz: ZoneInfo, tr: Tr, today: date) -> bytes:
    """The minutes as Markdown (UTF-8)."""
    return render_markdown(blocks(data, tz, tr, today), tr.lang)


def minutes_docx(data: MinutesData, tz: ZoneInfo, tr: Tr, today: date) -> bytes:
    """The minutes as a Word document in the 纪要 layout."""
    return render_docx(blocks(data, tz, tr, today), tr.lang)
