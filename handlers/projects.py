"""Pilot projects: /project_add, /project, /projects, /stage, /follow, /unfollow."""

from __future__ import annotations

from bot.commands import Call, CommandSpec, Field, Refusal, Reply, UsageError
from bot.fanout import to_subscribers
from bot.i18n import N_
from bot.keywords import CATEGORY_MODE_WORDS, STAGE_MODE_WORDS
from bot.normalize import token
from bot.render.project import (
    category_name,
    disclosure_stage,
    project_card,
    project_list,
    stage_name,
)
from bot.render.text import esc
from bot.render.units import unit_label, unit_labels, unit_names
from storage import evaluations, people, progress, projects
from storage.projects import CATEGORIES, CODE, STAGES, Project

NAME_LIMIT = 200
CATEGORY_WORDS = N_("business, public, tech, enablement")


def find_project(call: Call, code: str) -> Project:
    """A project by code, or a refusal naming the unknown code."""
    code = token(code)
    project = projects.get_project(call.db, code) if CODE.match(code) else None
    if project is None:
        raise Refusal(call.tr("Unknown project {code}. See /projects.", code=esc(code[:40])))
    return project


def project_add(call: Call) -> Reply:
    """Register a pilot project."""
    code, name, cat, lead, batch, region = call.fields(4, 6, free={1, 3, 4, 5})
    category = projects.parse_category(cat)
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
    if max(len(name), len(lead), len(batch), len(region)) > NAME_LIMIT:
        raise Refusal(call.tr("Too long: keep each field under {n} characters.", n=NAME_LIMIT))
    project = projects.add_project(
        call.db,
        code=code,
        name=name,
        category=category,
        lead=lead,
        batch=batch,
        region=region,
        now=call.now,
        by_user=call.user.user_id,
    )
    if project is None:
        raise Refusal(call.tr("Project {code} already exists.", code=esc(code.upper())))
    call.audit_detail["project"] = project.code
    return Reply(
        text=call.tr(
            "Project {code} ({name}) registered: {category}, {stage}.",
            code=esc(project.code),
            name=esc(name),
            category=category_name(call.tr, category),
            stage=stage_name(call.tr, project.stage),
        )
    )


def project(call: Call) -> Reply:
    """A project's card."""
    words = call.words()
    if len(words) != 1:
        raise UsageError()
    p = find_project(call, words[0])
    return Reply(
        text=project_card(
            p,
            unit_labels(call.tr, projects.followers(call.db, p.code), unit_names(call.db)),
            progress.recent_entries(call.db, p.code),
            progress.open_risks(call.db, p.code),
            evaluations.get_result(call.db, p.code),
            call.tr,
            call.services.config.tz,
            call.now,
        )
    )


def projects_list(call: Call) -> Reply:
    """Projects grouped by stage (default) or category, optionally filtered to one of either."""
    _ = call.tr
    words = call.words()
    if len(words) > 1:
        raise UsageError()
    mode = words[0].lower() if words else "stage"
    every = projects.list_projects(call.db)
    by_category = mode in CATEGORY_MODE_WORDS
    if mode not in STAGE_MODE_WORDS and not by_category:
        stage, category = projects.parse_stage(mode), projects.parse_category(mode)
        if stage is None and category is None:
            raise UsageError(
                _(
                    "Group by stage or category, or name a stage or category; not {word}.",
                    word=esc(words[0][:40]),
                )
            )
        every = [p for p in every if p.stage == stage or p.category == category]
    if not every:
        return Reply(text=_("No projects yet. An admin adds one with /project_add."))
    if by_category:
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
    p = find_project(call, words[0])
    target = projects.parse_stage(words[1])
    if target is None:
        raise Refusal(
            call.tr(
                "Unknown stage {stage}. Stages: {stages}.",
                stage=esc(words[1][:40]),
                stages=call.tr.join(stage_name(call.tr, s) for s in STAGES),
            )
        )
    allowed = projects.next_stages(p.stage)
    if target not in allowed:
        raise Refusal(
            call.tr(
                "{code} is {current}; stages advance only in order, to: {allowed}.",
                code=esc(p.code),
                current=stage_name(call.tr, p.stage),
                allowed=call.tr.join(stage_name(call.tr, s) for s in allowed)
                or call.tr("nothing"),
            )
        )
    if len(note) > 1000:
        raise Refusal(call.tr("Too long: keep each field under {n} characters.", n=1000))
    change = projects.set_stage(call.db, p.code, target, note, call.now, call.user.user_id)
    call.audit_detail.update(project=p.code, stage=target, previous=p.stage)
    if target in projects.FINAL_STAGES:
        tz = call.services.config.tz
        to_subscribers(
            call.services,
            "disclosures",
            f"disclose:stage:{change.id}",
            "disclosure",
            lambda tr: disclosure_stage(p, change, tr, tz),
            call.now,
        )
    return Reply(
        text=call.tr(
            "{code}: {old} → {new}.",
            code=esc(p.code),
            old=stage_name(call.tr, p.stage),
            new=stage_name(call.tr, target),
        )
    )


def follow(call: Call) -> Reply:
    """Make a unit follow a project, or list the units that do."""
    words = call.words()
    if len(words) not in (1, 2):
        raise UsageError()
    p = find_project(call, words[0])
    names = unit_names(call.db)
    if len(words) == 1:
        units = projects.followers(call.db, p.code)
        return Reply(
            text=call.tr(
                "Units following {code}: {units}",
                code=esc(p.code),
                units=unit_labels(call.tr, units, names) or "—",
            )
        )
    unit = people.get_unit(call.db, words[1])
    if unit is None:
        raise Refusal(call.tr("Unknown unit {code}. See /units.", code=esc(words[1][:40])))
    added = projects.follow(call.db, p.code, unit.code, call.now)
    call.audit_detail.update(project=p.code, unit=unit.code)
    text = "{unit} now follows {code}." if added else "{unit} already follows {code}."
    return Reply(text=call.tr(text, unit=unit_label(call.tr, unit.code, names), code=esc(p.code)))


def unfollow(call: Call) -> Reply:
    """Stop a unit following a project."""
    words = call.words()
    if len(words) != 2:
        raise UsageError()
    p = find_project(call, words[0])
    names = unit_names(call.db)
    label = unit_label(call.tr, words[1][:40], names)
    if not projects.unfollow(call.db, p.code, words[1]):
        raise Refusal(call.tr("{unit} does not follow {code}.", unit=label, code=esc(p.code)))
    call.audit_detail.update(project=p.code, unit=words[1].upper())
    return Reply(text=call.tr("{unit} no longer follows {code}.", unit=label, code=esc(p.code)))


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
        N_("/projects [stage|category]"),
        N_("/projects category"),
    ),
    CommandSpec(
        "stage",
        stage,
        N_("move a project to its next stage"),
        N_("/stage <CODE> <stage> [| <note>]"),
        N_("/stage BJ-01 running | approved"),
        role="admin",
        writes=True,
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
