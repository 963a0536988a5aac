"""The project register: /project_add, /project, /projects."""

from __future__ import annotations

from bot.domain.keywords import CATEGORY_MODE_WORDS, STAGE_MODE_WORDS, TIER_MODE_WORDS, tier_word
from bot.i18n import N_
from bot.render.changes import card_lines
from bot.render.project import category_name, project_card, project_list, stage_name, tier_name
from bot.render.text import esc
from bot.render.units import unit_labels
from bot.services import projects as service
from bot.telegram.commands import Call, CommandSpec, Field, Reply, UsageError
from storage.projects import CATEGORIES, CODE, STAGES, TIERS, parse_category, parse_stage

CATEGORY_WORDS = N_("business, public, tech, enablement")


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
]
