"""Headings and words of the human outputs, in Chinese (default) or English (``--lang``).

Machine files (results.json, the CSV files) keep their English keys whatever the language.
A flag's words live in :mod:`pingyi.flags`, with its colours.
"""

from __future__ import annotations

from pingyi.flags import AWARD_FLAGS

LANGS = ("zh", "en")

WORDS: dict[str, tuple[str, str]] = {
    "summary": ("汇总", "Summary"),
    "round": ("评议活动", "Round"),
    "date": ("日期", "Date"),
    "scheme": ("计分办法", "Scheme"),
    "sheets_read": ("读入评议表", "Sheets read"),
    "sheets_counted": ("有效评议表", "Sheets counted"),
    "sheets_rejected": ("无效评议表", "Sheets rejected"),
    "rejected_by_reason": ("无效原因", "Rejected by reason"),
    "overall_rate": ("总体满意率", "Overall satisfaction"),
    "quota": ("配额", "Quota"),
    "count": ("份数", "Sheets"),
    "share": ("占比", "Share"),
    "required": ("要求", "Required"),
    "met": ("达标", "Met"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "rules": ("计分与评定规则", "Rules in force"),
    "category": ("类别", "Category"),
    "rank": ("名次", "Rank"),
    "unit": ("单位", "Unit"),
    "unit_id": ("代码", "Id"),
    "score": ("得分", "Score"),
    "rate": ("满意率", "Satisfaction"),
    "valid": ("有效票", "Valid marks"),
    "blank": ("弃权", "Blank"),
    "invalid": ("无效", "Invalid"),
    "flags": ("标记", "Flags"),
    "reasons": ("说明", "Reasons"),
    "strata": ("分层面", "By stratum"),
    "stratum": ("评议层面", "Stratum"),
    "movement": ("名次变化", "Rank movement"),
    "previous_rank": ("上轮名次", "Previous rank"),
    "rank_change": ("前移位数", "Places up"),
    "bonus": ("加分", "Bonus"),
    "bonus_reason": ("加分说明", "Bonus reason"),
    "rejects": ("无效评议表", "Rejected sheets"),
    "file": ("文件", "File"),
    "line": ("行", "Line"),
    "sheet": ("编号", "Sheet"),
    "reason": ("原因", "Reason"),
    "reason_code": ("原因代码", "Code"),
    "detail": ("详情", "Detail"),
    "threshold": ("整改线", "Threshold"),
    "opinions": ("意见建议", "Opinions"),
    "opinion_class": ("类别", "Class"),
    "text": ("内容", "Text"),
    "feedback": ("评议结果反馈", "Appraisal feedback"),
    "of_units": ("共{n}个单位", "of {n} units"),
    "rank_in_category": ("第{rank}名", "rank {rank}"),
    "not_ranked": ("不排名", "not ranked"),
    "decision": ("评定事项", "Decision"),
    "outcome": ("结论", "Outcome"),
    "grounds": ("依据", "Grounds"),
    "winner_grounds": ("第{rank}名，优胜名额前{n}名", "rank {rank}; winners: the top {n}"),
    "last_place_grounds": ("第{rank}名（共{n}个单位）", "rank {rank} of {n} units"),
    "not_listed_as": ("，但{held}不列入重点整改单位", ", but {held} units are not listed"),
    "none": ("无", "none"),
    "escalation": ("连续末位", "escalated"),
    "units_word": ("个单位", "units"),
    "list_separator": ("，", ", "),
    "replaced": ("写入时替换的控制字符", "Control characters replaced"),
    "replaced_how": (
        "以下文字含 Excel 无法保存的控制字符，已写作 \\x1a 等形式：",
        "These texts held control characters Excel cannot store; they are written as \\x1a etc.:",
    ),
    "and_more": (" 等，另{n}处", " and {n} more"),
    "share_of": ("{label}率", "{label} share"),
    "rate_of": ("满意率（{labels}）", "Satisfaction ({labels})"),
    "no_grade": ("无等次", "no grade"),
    "option": ("选项", "Option"),
    "votes": ("票数", "Votes"),
    "corrections": ("更正记录", "Corrections"),
    "read": ("原读", "Read"),
    "corrected": ("更正为", "Corrected"),
    "correction_reason": ("更正理由", "Reason"),
    "by": ("更正人", "By"),
    "confidence": ("置信度", "How sure"),
    "rank_interval": ("名次区间", "Rank interval"),
    "share_winner": ("优胜概率", "Winner share"),
    "share_last_place": ("末位概率", "Last place share"),
    "share_rectification": ("整改概率", "Rectify share"),
    "operator": ("计票人", "Operator"),
    "correction_count": ("更正", "Corrections"),
    "correction_count_value": ("{n}处", "{n}"),
    "items": ("分项得分", "By item"),
    "item": ("评议内容", "Item"),
    "weight": ("权重", "Weight"),
    "item_score": ("{name}得分", "{name} score"),
    "item_rate": ("{name}满意率", "{name} satisfaction"),
    "weakest_item": ("最低分项", "Weakest item"),
    "item_short": ("项{n}", "i{n}"),
    "weakest_item_line": (
        "最低分项：{name}（得分 {score}，单位得分 {unit}）",
        "weakest item: {name} (score {score}; the unit scores {unit})",
    ),
}

# The titles of the award lists (优胜单位 …) come from the flags table.
for _award in AWARD_FLAGS:
    WORDS[_award.list_key or _award.id] = (_award.list_title("zh"), _award.list_title("en"))


def word(key: str, lang: str = "zh", **values: object) -> str:
    zh, en = WORDS[key]
    text = en if lang == "en" else zh
    return text.format(**values) if values else text


#: Why a sheet was rejected, in words (the codes of rejects.csv stay English everywhere).
REJECT_REASONS: dict[str, tuple[str, str]] = {
    "malformed_row": ("行格式错误（字段数不符）", "malformed row"),
    "missing_sheet_id": ("缺少编号", "no sheet id"),
    "unknown_stratum": ("未知评议层面", "unknown stratum"),
    "unknown_form": ("未知表式", "unknown form"),
    "unknown_unit": ("未知被评议单位", "unknown unit"),
    "conflicting_stratum": ("层面前后不一", "conflicting strata"),
    "missing_column": ("缺少单位列", "missing unit column"),
    "off_form_mark": ("标记了表外单位", "mark off the form"),
    "all_blank": ("全部弃权", "all units blank"),
    "too_many_invalid": ("无效选项过多", "too many invalid marks"),
    "duplicate": ("重复扫描", "duplicate scan"),
    "conflicting_duplicate": ("同号不同内容", "same id, different content"),
    "over_option_cap": ("超出选项比例上限", "over the option cap"),
    "ip_limit": ("同一IP超限", "too many from one IP"),
    "too_fast": ("答题过快", "answered too fast"),
    "unknown_answer": ("未知身份答案", "unknown stratum answer"),
    "unknown_item": ("未知评议内容", "unknown item"),
}


def reject_reason(code: str, lang: str = "zh") -> str:
    """``all_blank`` → ``全部弃权``; a code without words is shown as it is."""
    zh, en = REJECT_REASONS.get(code, (code, code))
    return en if lang == "en" else zh
