"""The online checks of a round in the words of its rules (report.xlsx's summary and
``pingyi check``): a round that takes exports says how their sheets are judged."""

from __future__ import annotations

from pingyi.round.models import Round
from pingyi.round.online import is_online

SERVICE_WORDS = {"wjx": "问卷星", "online": "网上问卷"}


def online_rules(r: Round) -> list[str]:
    """``网上问卷（问卷星）: 同一IP按提交时间先后前3份有效；答题用时少于30秒无效；…``."""
    if not is_online(r):
        return []
    online = r.ballots.online
    words = []
    if online is not None and online.max_per_ip is not None:
        words.append(f"同一IP按提交时间先后前{online.max_per_ip}份有效")
    if online is not None and online.min_seconds is not None:
        words.append(f"答题用时少于{online.min_seconds}秒无效")
    words.append("身份答案未对应评议层面的无效")
    return [f"网上问卷（{SERVICE_WORDS[r.ballots.source]}）: {'；'.join(words)}"]
