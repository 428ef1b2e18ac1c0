"""Headings and words of the human outputs, in Chinese (default) or English (``--lang``).

Machine files (results.json, the CSV files) keep their English keys whatever the language.
"""

from __future__ import annotations

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
    "winners": ("优胜单位", "Winners"),
    "last_place": ("末位单位", "Last place"),
    "rectification": ("重点整改单位", "To rectify"),
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
    "detail": ("详情", "Detail"),
    "threshold": ("整改线", "Threshold"),
    "opinions": ("意见建议", "Opinions"),
    "opinion_class": ("类别", "Class"),
    "text": ("内容", "Text"),
    "feedback": ("评议结果反馈", "Appraisal feedback"),
    "of_units": ("共{n}个单位", "of {n} units"),
    "rank_in_category": ("第{rank}名", "rank {rank}"),
    "not_ranked": ("不排名", "not ranked"),
    "thresholds": ("评定结果", "Standing against the rules"),
    "reached": ("达到", "met"),
    "missed": ("未达到", "missed"),
    "none": ("无", "none"),
    "winner": ("优胜", "winner"),
    "last_place_flag": ("末位", "last place"),
    "rectification_flag": ("整改", "rectify"),
    "veto": ("否决", "veto"),
    "tie": ("并列", "tie"),
    "escalation": ("连续末位", "escalated"),
    "units_word": ("个单位", "units"),
}

FLAG_KEYS = {
    "winner": "winner",
    "last_place": "last_place_flag",
    "rectification": "rectification_flag",
    "veto": "veto",
    "tie": "tie",
}


def word(key: str, lang: str = "zh", **values: object) -> str:
    zh, en = WORDS[key]
    text = en if lang == "en" else zh
    return text.format(**values) if values else text


def flag_word(flag: str, lang: str = "zh") -> str:
    return word(FLAG_KEYS[flag], lang)
