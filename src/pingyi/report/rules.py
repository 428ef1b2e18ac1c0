"""The rules in force, in plain words: what ``pingyi check`` prints and reports repeat.

An appraisal office must be able to read, before the count, exactly how the count will be
done; these sentences are drawn from the merged round, never written by hand.
"""

from __future__ import annotations

from fractions import Fraction

from pingyi.flags import flag
from pingyi.numbers import plain, show_percent
from pingyi.report.online_words import online_rules
from pingyi.round.grading import Band, GradeRequirement, MeasureRequirement
from pingyi.round.models import Category, Round, Scale
from pingyi.round.numeric import DECIMALS


def describe_scale(scale: Scale) -> str:
    """``满意 2 / 基本满意 1 / 不满意 0; 弃权 0.5``; numbers: ``评分 0–100 分（至多4位小数）``."""
    parts = []
    if scale.numeric is not None:
        low, high = plain(scale.numeric.min), plain(scale.numeric.max)
        parts.append(f"评分 {low}–{high} 分（至多{DECIMALS}位小数）")
    for option in scale.options:
        text = f"{option.label} {plain(option.value)}"
        parts.append(text if option.valid else f"{option.label} 不计分")
    blank = scale.blank
    blank_text = f"{blank.label} {plain(blank.value)}" if blank.valid else f"{blank.label} 不计入"
    return " / ".join(parts) + "; " + blank_text


def describe_method(r: Round) -> str:
    scoring = r.scoring
    times = "" if scoring.multiplier == 1 else f" ×{plain(scoring.multiplier)}"
    if scoring.method == "sum":
        return "各有效评议表得分相加 (sum)"
    if scoring.method == "mean":
        marks = "有效评分" if r.scale.numeric is not None else "有效选项"
        return f"{marks}平均分{times} (mean)"
    how = "按评议表所属层面权重" if scoring.weighting == "per_sheet" else "各层面平均分按权重合成"
    return f"加权平均{times}，{how} (weighted_mean, {scoring.weighting})"


def describe_rules(r: Round) -> list[str]:
    """One sentence per rule in force, in the order an office applies them."""
    scale = r.scale
    satisfied = "+".join(o.label for o in r.mark_options() if o.satisfied) or "(无)"
    denominator = "有效票" if r.satisfaction.denominator == "valid" else "有效选项票"
    if r.satisfaction.denominator == "valid" and scale.blank.valid:
        denominator += f" (含{scale.blank.label})"
    lines = [
        f"计分: {describe_scale(scale)}",
        f"得分: {describe_method(r)}，保留 {r.scoring.precision} 位小数显示，排名与阈值用精确值",
        f"满意率: ({satisfied}) ÷ {denominator}",
    ]
    if r.items:
        listed = "、".join(f"{i.name} ×{plain(i.weight)}" for i in r.items)
        lines.append(f"评议内容: {listed}；各项分别计分，单位得分与满意率为各项按权重的加权平均")
    lines.extend(_share_rules(r))
    lines.extend(_grading_rules(r))
    if r.scoring.tie_break:
        lines.append(
            "同分: 依次比较 "
            + "，".join(_tie_break_words(r, k) for k in r.scoring.tie_break)
            + "；仍相同者并列"
        )
    winners = "；".join(_winners_words(r, c) for c in r.categories if c.ranked and c.winners)
    if winners:
        veto = "，一票否决单位不得评为优胜单位" if "winner" in r.awards.veto_blocks else ""
        lines.append(f"优胜单位: {winners}{veto}")
    lasts = _last_place_words(r)
    if lasts:
        lines.append(f"末位单位: {lasts}")
    rect = r.awards.rectification
    if rect is not None:
        if rect.grade is not None:
            grading, wanted = next(iter(rect.grade.items()))
            named = r.grading(grading)
            measure = f"{named.name if named else grading}为{wanted}"
        elif rect.below is None:
            measure = "(无)"
        elif rect.measure == "satisfaction_rate":
            measure = "满意率低于 " + _percent(rect.below)
        else:
            measure = f"得分低于 {plain(rect.below)}"
        excluded = "、".join(flag(e).list_title("zh") for e in rect.excluding)
        lines.append(f"重点整改单位: 除{excluded}外，{measure}" if excluded else f"重点整改单位: {measure}")
    lines.extend(_sheet_rules(r))
    lines.extend(online_rules(r))
    lines.extend(_quota_rules(r))
    lines.extend(_extra_rules(r))
    return lines


_ROUNDING_WORDS = {"down": "向下取整", "half_up": "四舍五入", "up": "向上取整"}
_MEASURE_WORDS = {"score": "得分", "satisfaction_rate": "满意率", "composite": "综合得分"}
_COMPARISON_WORDS = (("over", "超过"), ("at_least", "达到"), ("below", "低于"))


def _percent(line: Fraction) -> str:
    """A line as a percentage, exactly: ``90%``, ``89.5%`` (not ``90%``, which would make
    a unit at 89.6 % read as below the stated line and yet not listed)."""
    return plain(line * 100) + "%"


def _share_words(share: Fraction) -> str:
    """``半数``, ``80%``, ``1/3``: a share as rules are written."""
    if share == Fraction(1, 2):
        return "半数"
    percent = plain(share * 100)
    return plain(share) if "/" in percent else f"{percent}%"


def _count_words(count: int | Fraction, rounding: str) -> str:
    """``5名``; a share of the category: ``30%（向下取整）``."""
    if isinstance(count, int):
        return f"{count}名"
    return f"{_share_words(count)}（{_ROUNDING_WORDS[rounding]}）"


def _measure_limit(measure: str, value: Fraction) -> str:
    return plain(value * 100) + "%" if measure == "satisfaction_rate" else plain(value)


def _requirement_words(r: Round, requirement: GradeRequirement | MeasureRequirement) -> str:
    """``综合得分不低于75``, ``等次为优秀``."""
    if isinstance(requirement, GradeRequirement):
        named = r.grading(requirement.grading)
        return f"{named.name if named else requirement.grading}为{requirement.wanted}"
    name = _MEASURE_WORDS[requirement.measure]
    if requirement.at_least is not None:
        return f"{name}不低于{_measure_limit(requirement.measure, requirement.at_least)}"
    assert requirement.below is not None
    return f"{name}低于{_measure_limit(requirement.measure, requirement.below)}"


def _winners_words(r: Round, c: Category) -> str:
    """``地方管理部门 前5名``; ``类 前30%（向下取整），且综合得分不低于75``."""
    words = f"{c.name} 前{_count_words(c.winners, c.winners_rounding)}"
    if c.winners_require is not None:
        words += f"，且{_requirement_words(r, c.winners_require)}"
    return words


def _last_place_words(r: Round) -> str:
    """``每类最后 1 名`` (or ``1/3 名`` where categories differ); with shares or a line to
    be under, per category: ``类 最后20%（向下取整），限得分低于5的单位``."""
    ranked = [c for c in r.categories if c.ranked and r.last_place_of(c)]
    counts = [r.last_place_of(c) for c in ranked]
    if all(isinstance(n, int) for n in counts) and not any(r.last_place_among_of(c) for c in ranked):
        return f"每类最后 {'/'.join(map(str, sorted(set(counts))))} 名" if counts else ""
    parts = []
    for c in ranked:
        among = r.last_place_among_of(c)
        limit = f"，限{_requirement_words(r, among)}的单位" if among is not None else ""
        parts.append(f"{c.name} 最后{_count_words(r.last_place_of(c), r.awards.last_place_rounding)}{limit}")
    return "；".join(parts)


def _share_rules(r: Round) -> list[str]:
    """How the per-option shares are shown, where they are not simply rounded half-up
    (SPEC "Per-option shares": truncated, or adjusted to add up to 100 %)."""
    how = r.satisfaction.shares_rounding
    if how == "half_up":
        return []
    labels = [o.label for o in r.scale.options if o.valid] + (
        [r.scale.blank.label] if r.scale.blank.valid else []
    )
    named = "、".join(f"{label}率" for label in labels)
    base = f"有效票 (含{r.scale.blank.label})" if r.scale.blank.valid else "有效票"
    shown = f"保留 {r.satisfaction.precision} 位小数"
    rule = "截尾不进位" if how == "truncate" else "末位按最大余数调整，使每个单位合计 100%"
    return [f"各选项比率（{named}）: 各选项票数 ÷ {base}，{shown}，{rule}"]


def _grading_rules(r: Round) -> list[str]:
    """``测评结果: 满意票超过全体组成人员40人的半数为满意；…；其余为不满意``."""
    lines = []
    for grading in r.grades:
        parts = [_band_words(r, band) for band in grading.bands]
        if grading.bands[-1].tested:
            parts.append("均不满足者无等次")
        lines.append(f"{grading.name}: {'；'.join(parts)}")
    return lines


def _band_words(r: Round, band: Band) -> str:
    if not band.tested:
        return f"其余为{band.grade}"
    compared = [
        (words, getattr(band, name)) for name, words in _COMPARISON_WORDS if getattr(band, name) is not None
    ]
    if band.options is not None:
        labels = "和".join(o.label if (o := r.scale.option(code)) else code for code in band.options)
        base = {
            "members": f"全体组成人员{r.members}人的",
            "issued": "发放评议表数的",
            "read": "收回评议表数的",
            "valid": "有效票的",
        }[band.of]
        limits = "且".join(f"{words}{base}{_share_words(v)}" for words, v in compared)
        return f"{labels}票{limits}为{band.grade}"
    assert band.measure is not None
    limits = "且".join(f"{words}{_measure_limit(band.measure, v)}" for words, v in compared)
    return f"{_MEASURE_WORDS[band.measure]}{limits}为{band.grade}"


def _tie_break_words(r: Round, key: str) -> str:
    if key == "satisfaction_rate":
        return "满意率高者"
    if key == "valid":
        return "有效票多者"
    kind, code = key.split(":", 1)
    option = r.scale.option(code)
    label = option.label if option else {"blank": r.scale.blank.label, "invalid": "无效"}.get(code, code)
    return f"{label}票多者" if kind == "count" else f"{label}票少者"


def _sheet_rules(r: Round) -> list[str]:
    void = []
    if r.sheets.invalid_if_all_blank:
        void.append("全部弃权")
    if r.sheets.invalid_if_invalid_marks_over is not None:
        void.append(f"无效选项超过 {_percent(r.sheets.invalid_if_invalid_marks_over)}")
    for code, share in (r.sheets.max_share or {}).items():
        option = r.scale.option(code)
        void.append(f"评为{option.label if option else code}的单位超过所评单位的{_share_words(share)}")
    return [f"废票: {'、'.join(void)}"] if void else []


def _quota_rules(r: Round) -> list[str]:
    names = {s.id: s.name for s in r.strata}
    lines = []
    for quota in r.quotas:
        who = "+".join(names.get(s, s) for s in quota.strata)
        bounds = []
        if quota.min_share is not None:
            bounds.append(f"≥ {_percent(quota.min_share)}")
        if quota.max_share is not None:
            bounds.append(f"≤ {_percent(quota.max_share)}")
        if quota.min_count is not None:
            bounds.append(f"≥ {quota.min_count} 份")
        if quota.max_count is not None:
            bounds.append(f"≤ {quota.max_count} 份")
        label = f"{quota.label}: " if quota.label else ""
        lines.append(f"配额: {label}{who} {'，'.join(bounds)}")
    return lines


def _extra_rules(r: Round) -> list[str]:
    lines = []
    if r.composite is not None:
        terms = " + ".join(
            f"{c.label or c.name} × {show_percent(c.weight, 0)}" for c in r.composite.components
        )
        minus = "".join(f" − {d}" for d in r.composite.deductions)
        lines.append(f"综合评定: {terms}{minus}，按综合评定结果排名")
    if r.movement is not None:
        m = r.movement
        rises = "；".join(
            f"前移 ≥{rise.at_least} 位 +{plain(rise.bonus)}"
            + (f"（前移最多的前{rise.top_advanced}名享受先进单位待遇）" if rise.top_advanced else "")
            for rise in m.rises
        )
        lines.append(f"名次进位: 先进单位 +{plain(m.advanced_bonus)}；{rises}")
    if r.escalation is not None:
        lines.append(f"连续 {r.escalation.consecutive_last_place} 轮末位: 升级处理")
    if r.veto:
        lines.append(f"一票否决: {'、'.join(u.name for u in r.units if u.id in r.veto)}")
    return lines
