"""Every keyword a command accepts, with its Chinese twins, in one place.

Each table maps what may be typed (after NFKC and lower-casing, see bot.normalize) to the
canonical English value. Chinese words are the ones the bot itself shows in Chinese (its
role names, topic names, listing headings), so people can type back what they read.
"""

from __future__ import annotations

from typing import Literal

from bot.domain.normalize import keyword

ROLE_WORDS = {
    "admin": "admin",
    "管理员": "admin",
    "staff": "staff",
    "工作人员": "staff",
    "member": "member",
    "成员": "member",
    "none": "none",
    "无": "none",
    "无角色": "none",
}
ON_WORDS = {"on", "yes", "开", "是", "开启", "打开"}
OFF_WORDS = {"off", "no", "关", "否", "关闭"}
LANGUAGE_WORDS = {
    "en": "en",
    "english": "en",
    "英文": "en",
    "英语": "en",
    "zh": "zh",
    "chinese": "zh",
    "中文": "zh",
    "汉语": "zh",
    "简体中文": "zh",
    "zh-cn": "zh",
    "zh-hans": "zh",
}
WEEKDAY_WORDS = {
    **{w: i for i, w in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun"))},
    **{
        w: i
        for i, w in enumerate(
            ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
        )
    },
    **{f"{p}{d}": i for p in ("周", "星期", "礼拜") for i, d in enumerate("一二三四五六日")},
    **{f"{p}天": 6 for p in ("周", "星期", "礼拜")},
}
# /meeting_cancel: the next occurrence of a series, or the whole series.
THIS_WORDS = {"this", "next", "本次", "这次", "下次", "下一次"}
ALL_WORDS = {"all", "series", "全部", "所有", "整个系列"}
# /projects: how to group.
STAGE_MODE_WORDS = {"stage", "stages", "阶段"}
CATEGORY_MODE_WORDS = {"category", "categories", "类别", "分类"}
TIER_MODE_WORDS = {"tier", "tiers", "分级", "层级", "监管层级"}
# /actions filters.
MINE_WORDS = {"mine", "my", "我的"}
OVERDUE_WORDS = {"overdue", "逾期", "已逾期"}
EVERYTHING_WORDS = {"all", "全部", "所有"}
# /invite: every unit.
ALL_UNITS_WORDS = {"all", "全部", "所有", "全体", "全部单位"}
# /action: nobody owns it yet.
UNASSIGNED_WORDS = {"tbd", "unassigned", "待定", "未定"}
# /remind and /secretariat: switch off / none.
NONE_WORDS = {"none", "-", "无", "不提醒", *OFF_WORDS}
# /bulletin_schedule
WEEKLY_WORDS = {"weekly", "每周", "每星期", "每个星期"}
MONTHLY_WORDS = {"monthly", "每月", "每个月"}
APPROVE_WORDS = {"approve", "审批", "需审批", "审核"}
# Reporting rounds: the whole register, and the supervision tiers of 分类分级管理.
ALL_PROJECTS_WORDS = {"all", "全部", "所有", "全部项目", "所有项目"}
TIER_WORDS = {
    "key": "key",
    "focus": "key",
    "重点": "key",
    "regular": "regular",
    "常规": "regular",
    "watch": "watch",
    "关注": "watch",
}
# An optional report field answered with "nothing" (the form's skip "-" too).
EMPTY_ANSWER_WORDS = {"-", "—", "none", "n/a", "na", "nil", "no", "无", "暂无", "没有", "无。"}
# /vote_cast: a unit's ballot (the card's buttons say 同意 反对 弃权; 赞成 is read as 同意).
VOTE_WORDS = {
    "agree": "agree",
    "for": "agree",
    "yes": "agree",
    "同意": "agree",
    "赞成": "agree",
    "against": "against",
    "no": "against",
    "反对": "against",
    "abstain": "abstain",
    "弃权": "abstain",
}


def role_word(text: str) -> str | None:
    """A role from 'staff' / '工作人员' etc., or None."""
    return ROLE_WORDS.get(keyword(text))


def on_off(text: str) -> bool | None:
    """True for on/开/是, False for off/关/否, None for anything else."""
    word = keyword(text)
    if word in ON_WORDS:
        return True
    if word in OFF_WORDS:
        return False
    return None


def language_word(text: str) -> str | None:
    """'en' or 'zh' from en/English/英文 or zh/中文/Chinese, or None."""
    return LANGUAGE_WORDS.get(keyword(text))


def weekday_word(text: str) -> int | None:
    """Monday=0 index from mon/monday/周一/星期一/礼拜一 (周日/周天 = 6), or None."""
    return WEEKDAY_WORDS.get(keyword(text))


def tier_word(text: str) -> str | None:
    """A supervision tier from key/重点, regular/常规, watch/关注, or None."""
    return TIER_WORDS.get(keyword(text))


# /project_edit: the record's fields by their English and Chinese names.
FIELD_WORDS = {
    "name": "name",
    "名称": "name",
    "项目名称": "name",
    "category": "category",
    "类别": "category",
    "lead": "lead",
    "lead institution": "lead",
    "institution": "lead",
    "申报机构": "lead",
    "batch": "batch",
    "批次": "batch",
    "region": "region",
    "地区": "region",
}


def field_word(text: str) -> str | None:
    """A project record field from its English or Chinese name, or None."""
    return FIELD_WORDS.get(" ".join(keyword(text).split()))


# The exit mechanism's ways out (退出机制).
EXIT_WAY_WORDS = {
    "completed": "completed",
    "complete": "completed",
    "完成退出": "completed",
    "完成": "completed",
    "withdrawn": "withdrawn",
    "withdraw": "withdrawn",
    "主动退出": "withdrawn",
    "terminated": "terminated",
    "terminate": "terminated",
    "for cause": "terminated",
    "终止": "terminated",
}


def exit_way_word(text: str) -> str | None:
    """A way out of the pilot from its English or Chinese name, or None."""
    return EXIT_WAY_WORDS.get(" ".join(keyword(text).split()))


def is_word(text: str, words: set[str]) -> bool:
    """Whether a typed token is one of a keyword set (NFKC, any case)."""
    return keyword(text) in words


def vote_word(text: str) -> Literal["agree", "against", "abstain"] | None:
    """A ballot from agree/同意/赞成, against/反对 or abstain/弃权, or None."""
    match VOTE_WORDS.get(keyword(text)):
        case "agree":
            return "agree"
        case "against":
            return "against"
        case "abstain":
            return "abstain"
    return None
