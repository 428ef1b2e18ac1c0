"""The rules in force, in plain words: what ``pingyi check`` prints and reports repeat.

An appraisal office must be able to read, before the count, exactly how the count will be
done; these sentences are drawn from the merged round, never written by hand.
"""

from __future__ import annotations

from pingyi.flags import flag
from pingyi.numbers import plain, show_percent
from pingyi.round.models import Round, Scale


def describe_scale(scale: Scale) -> str:
    """``满意 2 / 基本满意 1 / 不满意 0; 弃权 0.5``."""
    parts = []
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
        return f"有效选项平均分{times} (mean)"
    how = "按评议表所属层面权重" if scoring.weighting == "per_sheet" else "各层面平均分按权重合成"
    return f"加权平均{times}，{how} (weighted_mean, {scoring.weighting})"


def describe_rules(r: Round) -> list[str]:
    """One sentence per rule in force, in the order an office applies them."""
    scale = r.scale
    satisfied = "+".join(o.label for o in scale.options if o.satisfied) or "(无)"
    denominator = "有效票" if r.satisfaction.denominator == "valid" else "有效选项票"
    if r.satisfaction.denominator == "valid" and scale.blank.valid:
        denominator += f" (含{scale.blank.label})"
    lines = [
        f"计分: {describe_scale(scale)}",
        f"得分: {describe_method(r)}，保留 {r.scoring.precision} 位小数显示，排名与阈值用精确值",
        f"满意率: ({satisfied}) ÷ {denominator}",
    ]
    if r.scoring.tie_break:
        lines.append(
            "同分: 依次比较 "
            + "，".join(_tie_break_words(r, k) for k in r.scoring.tie_break)
            + "；仍相同者并列"
        )
    winners = "；".join(f"{c.name} 前{c.winners}名" for c in r.categories if c.ranked and c.winners)
    if winners:
        veto = "，一票否决单位不得评为优胜单位" if "winner" in r.awards.veto_blocks else ""
        lines.append(f"优胜单位: {winners}{veto}")
    lasts = sorted({r.last_place_of(c) for c in r.categories if c.ranked})
    if any(lasts):
        lines.append(f"末位单位: 每类最后 {'/'.join(map(str, lasts))} 名")
    rect = r.awards.rectification
    if rect is not None:
        if rect.grade is not None:
            grading, wanted = next(iter(rect.grade.items()))
            named = r.grading(grading)
            measure = f"{named.name if named else grading}为{wanted}"
        elif rect.below is None:
            measure = "(无)"
        elif rect.measure == "satisfaction_rate":
            measure = "满意率低于 " + show_percent(rect.below, 0)
        else:
            measure = f"得分低于 {plain(rect.below)}"
        excluded = "、".join(flag(e).list_title("zh") for e in rect.excluding)
        lines.append(f"重点整改单位: 除{excluded}外，{measure}" if excluded else f"重点整改单位: {measure}")
    lines.extend(_sheet_rules(r))
    lines.extend(_quota_rules(r))
    lines.extend(_extra_rules(r))
    return lines


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
        void.append(f"无效选项超过 {show_percent(r.sheets.invalid_if_invalid_marks_over, 0)}")
    return [f"废票: {'、'.join(void)}"] if void else []


def _quota_rules(r: Round) -> list[str]:
    names = {s.id: s.name for s in r.strata}
    lines = []
    for quota in r.quotas:
        who = "+".join(names.get(s, s) for s in quota.strata)
        bounds = []
        if quota.min_share is not None:
            bounds.append(f"≥ {show_percent(quota.min_share, 0)}")
        if quota.max_share is not None:
            bounds.append(f"≤ {show_percent(quota.max_share, 0)}")
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
