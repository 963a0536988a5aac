"""Pilot projects: /project_add, /project, /projects, /stage, /follow, /unfollow."""

from __future__ import annotations

from bot.domain.keywords import (
    CATEGORY_MODE_WORDS,
    STAGE_MODE_WORDS,
    TIER_MODE_WORDS,
    exit_way_word,
    tier_word,
)
from bot.domain.normalize import token
from bot.i18n import N_
from bot.render.changes import card_lines
from bot.render.project import (
    category_name,
    exit_way_name,
    project_card,
    project_list,
    stage_name,
    tier_name,
)
from bot.render.text import esc
from bot.render.units import unit_label, unit_labels
from bot.services import exits
from bot.services import projects as service
from bot.telegram.commands import (
    Button,
    ButtonSpec,
    Call,
    CommandSpec,
    Field,
    FollowUp,
    Refusal,
    Reply,
    UsageError,
)
from storage.projects import (
    CATEGORIES,
    CODE,
    FINAL_STAGES,
    STAGES,
    TIERS,
    parse_category,
    parse_stage,
)

CATEGORY_WORDS = N_("business, public, tech, enablement")
EXIT = "project_exit"  # the command, and the action of its way-out buttons


def project_add(call: Call) -> Reply:
    """Register a pilot project."""
    code, name, cat, lead, batch, region = call.fields(4, 6, free={1, 3, 4, 5})
    category = parse_category(cat)
    if not CODE.match(code):
        raise UsageError(
            call.tr(
                "A project code is letters, digits and '-', e.g. BJ-01; not {code}.",
                code=esc(code[:40]),
            )
        )
    if category is None:
        raise UsageError(
            call.tr(
                "Unknown category {category}; the categories are {categories}.",
                category=esc(cat[:40]),
                categories=call.tr(CATEGORY_WORDS),
            )
        )
    fields = service.ProjectFields(name, category, lead, batch, region)
    done = service.register(call.services, code, fields, call.user.user_id, call.now)
    call.audit_detail.update(done.audit)
    return Reply(
        text=call.tr(
            "Project {code} ({name}) registered: {category}, {stage}.",
            code=esc(done.project.code),
            name=esc(name),
            category=category_name(call.tr, category),
            stage=stage_name(call.tr, done.project.stage),
        )
    )


def project(call: Call) -> Reply:
    """A project's card."""
    words = call.words()
    if len(words) != 1:
        raise UsageError()
    card = service.card(call.services, words[0])
    tz = call.services.config.tz
    return Reply(
        text="\n".join(
            [
                project_card(
                    card.project,
                    unit_labels(call.tr, card.followers, card.unit_names),
                    card.recent,
                    card.open_risks,
                    card.result,
                    call.tr,
                    tz,
                    call.now,
                    card.files,
                ),
                *card_lines(card.changes, call.tr, tz),
            ]
        )
    )


def projects_list(call: Call) -> Reply:
    """Projects grouped by stage (default), category or tier, optionally filtered to one."""
    _ = call.tr
    words = call.words()
    if len(words) > 1:
        raise UsageError()
    mode = words[0].lower() if words else "stage"
    by_category, by_tier = mode in CATEGORY_MODE_WORDS, mode in TIER_MODE_WORDS
    tier = tier_word(mode)
    if mode in STAGE_MODE_WORDS or by_category or by_tier or tier:
        every = service.listing(call.services)
        if tier:
            every, by_tier = [p for p in every if p.tier == tier], True
    else:
        stage, category = parse_stage(mode), parse_category(mode)
        if stage is None and category is None:
            raise UsageError(
                _(
                    "Group by stage, category or tier, or name a stage, category or tier; "
                    "not {word}.",
                    word=esc(words[0][:40]),
                )
            )
        every = service.listing(call.services, stage, category)
    if not every:
        return Reply(text=_("No projects yet. An admin adds one with /project_add."))
    if by_tier:
        groups = [(tier_name(_, t), [p for p in every if p.tier == t]) for t in TIERS]
        groups.append((_("no tier set"), [p for p in every if p.tier not in TIERS]))
    elif by_category:
        groups = [(category_name(_, c), [p for p in every if p.category == c]) for c in CATEGORIES]
    else:
        groups = [(stage_name(_, s), [p for p in every if p.stage == s]) for s in STAGES]
    return Reply(text=project_list([g for g in groups if g[1]], _))


def stage(call: Call) -> Reply:
    """Move a project forward along its lifecycle; exits and terminations are disclosed."""
    head, _sep, note = call.args.partition("|")
    words, note = [token(w) for w in head.split()], note.strip()
    if len(words) != 2:
        raise UsageError()
    target = parse_stage(words[1])
    if target is None:
        service.find(call.services, words[0])  # an unknown project is named first
        raise Refusal(
            call.tr(
                "Unknown stage {stage}. Stages: {stages}.",
                stage=esc(words[1][:40]),
                stages=call.tr.join(stage_name(call.tr, s) for s in STAGES),
            )
        )
    if target in FINAL_STAGES:
        way, assessment = _exit_parts(words[1], note)
        outcome = exits.exit_or_ask(
            call.services,
            words[0],
            target,
            way,
            assessment,
            call.user.user_id,
            call.now,
            call.chat.chat_id,
        )
        if isinstance(outcome, exits.ExitAsk):
            return _ask_exit(call, outcome)
        return _moved(call, outcome, target)
    moved = service.move_stage(
        call.services, words[0], target, note, call.user.user_id, call.now, call.chat.chat_id
    )
    return _moved(call, moved, target)


def _moved(call: Call, moved: service.StageMoved, target: str) -> Reply:
    """The reply to a move along the lifecycle (with the disclosure when this chat gets it)."""
    call.audit_detail.update(moved.audit)
    text = call.tr(
        "{code}: {old} → {new}.",
        code=esc(moved.before.code),
        old=stage_name(call.tr, moved.before.stage),
        new=stage_name(call.tr, target),
    )
    if moved.notice_here is not None:
        text += "\n\n" + moved.notice_here(call.tr)
    return Reply(text=text)


def _ask_exit(call: Call, asked: exits.ExitAsk) -> Reply:
    """An exit missing its way out (asked with buttons) or its assessment (asked as free
    text): the guided form of /project_exit opens, part-answered; nothing changed yet."""
    code = asked.project.code
    call.audit_detail.update({"project": code, "asked": "assessment" if asked.way else "way"})
    if asked.way is not None:
        prompt = _assessment_prompt(call, code, asked.way)
        return Reply(text=prompt, follow_up=FollowUp(EXIT, (code, asked.way), prompt))
    prompt = call.tr(
        "How does {code} leave the pilot? Press a button (or type the way out), then send the "
        "exit assessment; /cancel leaves it unchanged.",
        code=esc(code),
    )
    buttons = [[Button(exit_way_name(call.tr, w), EXIT, f"{code}|{w}")] for w in exits.EXIT_WAYS]
    return Reply(text=prompt, buttons=buttons, follow_up=FollowUp(EXIT, (code,), prompt))


def _assessment_prompt(call: Call, code: str, way: str) -> str:
    return call.tr(
        "{code} leaves the pilot: {way}. Send the exit assessment (your next message); it is "
        "disclosed with the exit. /cancel leaves the project unchanged.",
        code=esc(code),
        way=exit_way_name(call.tr, way),
    )


def project_exit(call: Call) -> Reply:
    """Move a project out of the pilot with the way out and the exit assessment (also the
    guided form /stage opens when they are missing)."""
    code, way_text, assessment = call.fields(3, 3, free={2})
    way = exit_way_word(way_text)
    if way is None:
        raise UsageError(
            call.tr(
                "The way out is one of: {ways}.",
                ways=call.tr.join(exit_way_name(call.tr, w) for w in exits.EXIT_WAYS),
            )
        )
    target = exits.stage_of_way(way)
    moved = exits.exit_project(
        call.services,
        code,
        target,
        way,
        assessment,
        call.user.user_id,
        call.now,
        call.chat.chat_id,
    )
    return _moved(call, moved, target)


def press_exit_way(call: Call, payload: str) -> Reply:
    """A way-out button under /stage's question: ask the exit assessment next."""
    code, _bar, way = payload.partition("|")
    asked = exits.ask(call.services, code, exits.stage_of_way(way), way)
    prompt = _assessment_prompt(call, asked.project.code, way)
    return Reply(
        text=prompt,
        edit=True,
        follow_up=FollowUp(EXIT, (asked.project.code, way), prompt),
    )


def _exit_parts(stage_word: str, note: str) -> tuple[str | None, str]:
    """(the way out, the exit assessment) from `/stage CODE exited | completed | text`; the
    way may be the stage word itself (完成退出, 主动退出) and is None when not named."""
    way = exit_way_word(stage_word)
    first, _bar, rest = note.partition("|")
    named = exit_way_word(first)
    if named is not None:
        return named, rest.strip()
    return way, note.strip()


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
        "project_add",
        project_add,
        N_("register a pilot project"),
        N_(
            "/project_add <CODE> | <name> | <category> | <lead institution> [| <batch> "
            "[| <region>]]"
        ),
        N_(
            "/project_add BJ-01 | Supply-chain finance platform | tech | Example Securities | "
            "first batch | Beijing"
        ),
        role="admin",
        writes=True,
        fields=(
            Field(N_("Project code (letters, digits, -)?")),
            Field(N_("Project name?")),
            Field(N_("Category: business, public, tech or enablement?")),
            Field(N_("Lead institution?")),
            Field(N_("Batch?"), optional=True),
            Field(N_("Region?"), optional=True),
        ),
    ),
    CommandSpec(
        "project",
        project,
        N_("show a project's card"),
        N_("/project <CODE>"),
        N_("/project BJ-01"),
    ),
    CommandSpec(
        "projects",
        projects_list,
        N_("list pilot projects, grouped"),
        N_("/projects [stage|category|tier]"),
        N_("/projects category"),
    ),
    CommandSpec(
        "stage",
        stage,
        N_("move a project to its next stage"),
        N_("/stage <CODE> <stage> [| <note>], /stage <CODE> exited | <way> | <assessment>"),
        N_("/stage BJ-01 running | approved"),
        role="admin",
        writes=True,
    ),
    CommandSpec(
        EXIT,
        project_exit,
        N_("move a project out of the pilot: the way out and the exit assessment"),
        N_("/project_exit <CODE> | <completed|withdrawn|terminated> | <exit assessment>"),
        N_("/project_exit BJ-01 | completed | targets met, exit report filed"),
        role="admin",
        writes=True,
        fields=(
            Field(N_("Project code?")),
            Field(N_("Way out: completed (完成退出), withdrawn (主动退出) or terminated (终止)?")),
            Field(N_("Exit assessment?")),
        ),
    ),
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

BUTTONS = [ButtonSpec(EXIT, press_exit_way, role="admin", writes=False)]

FIRERS = exits.FIRERS  # the admins' exit follow-up, planned and fired in bot.services.exits
