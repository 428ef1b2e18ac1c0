"""Write this example's ballots: paper.csv (scanned paper sheets) and online/wjx-text.xlsx
(a 问卷星 "按文本" export), deterministically: the same bytes on every run and machine.

    python examples/mixed/make_ballots.py

The paper file has 200 sheets (城市居民 160, 镇街领导 40) with columns 编号, 层面 and one per
unit id, and one of them scanned twice. The export has 150 answered questionnaires,
submitted one a minute from 2024-03-01 09:00, with what real exports hold: one IP (a
shared office computer) that sent 8 sheets, 12 sheets answered in under a minute, 3
identities the round does not map, a skipped row (跳过) and a multi-select (┋) now and then.
The workbook is written through pingyi's own writer (fixed timestamps), so its bytes
depend on its content only.
"""

from __future__ import annotations

import csv
import io
import random
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pingyi  # noqa: F401  (before openpyxl: pingyi keeps openpyxl on its own XML writer)
from pingyi.report.sheets import workbook_bytes

HERE = Path(__file__).resolve().parent
UNITS = [
    ("bgs", "区委办公室", 0.80),
    ("fgj", "发改局", 0.70),
    ("czj", "财政局", 0.72),
    ("rsj", "人社局", 0.65),
    ("gaj", "公安分局", 0.60),
    ("scj", "市场监管局", 0.55),
    ("zjj", "住建局", 0.45),
    ("spj", "审批局", 0.75),
]  # id, name, share of 满意
IDENTITIES = [("企业负责人或企业代表", 0.45), ("到部门办过事的群众", 0.55)]
LABELS = {"A": "满意", "B": "基本满意", "C": "不满意"}


def mark(rng: random.Random, satisfied: float) -> str:
    """One mark: 满意 with the unit's share, else 基本满意 / 不满意 / blank."""
    roll = rng.random()
    if roll < satisfied:
        return "A"
    if roll < satisfied + (1 - satisfied) * 0.6:
        return "B"
    return "C" if roll < 0.97 else ""


def paper_csv(rng: random.Random) -> bytes:
    rows = [["编号", "层面", *(unit for unit, _, _ in UNITS)]]
    for number in range(1, 201):
        stratum = "residents" if number <= 160 else "leaders"
        rows.append([f"P{number:04d}", stratum, *(mark(rng, share) for _, _, share in UNITS)])
    rows.append(rows[17])  # a sheet scanned twice: the copy is a duplicate
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows(rows)
    return text.getvalue().encode("utf-8")


def export_xlsx(rng: random.Random) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    meta = ["序号", "提交答卷时间", "所用时间", "来源", "来源详情", "来自IP"]
    matrix = [f"2、请您对以下部门的工作作出评价({name})" for _, name, _ in UNITS]
    ws.append([*meta, "1、您的身份是", *matrix, "3、您对机关作风建设的意见和建议"])
    start = datetime(2024, 3, 1, 9, 0, 0)
    shared = set(rng.sample(range(1, 151), 8))  # one office computer sends 8 sheets
    fast = set(rng.sample(sorted(set(range(1, 151)) - shared), 12))
    unknown = set(rng.sample(sorted(set(range(1, 151)) - shared - fast), 3))
    for number in range(1, 151):
        own = f"112.{number % 7}.{number}.{rng.randint(1, 254)}(浙江)"
        ip = "36.22.10.8(浙江-宁波)" if number in shared else own
        seconds = rng.randint(8, 50) if number in fast else rng.randint(75, 600)
        taken = f"{seconds // 60}分{seconds % 60}秒" if seconds >= 60 else f"{seconds}秒"
        if number in unknown:
            identity = "其他"
        else:
            identity = IDENTITIES[0][0] if rng.random() < IDENTITIES[0][1] else IDENTITIES[1][0]
        answers = []
        for _, _, share in UNITS:
            code = mark(rng, share)
            roll = rng.random()
            answers.append("(跳过)" if not code else "满意┋基本满意" if roll < 0.01 else LABELS[code])
        when = start + timedelta(minutes=number, seconds=rng.randint(0, 59))
        ws.append([number, when, taken, "手机提交", "微信", ip, identity, *answers, "(跳过)"])
    return workbook_bytes(wb)


def write_ballots(folder: Path = HERE) -> None:
    """paper.csv and online/wjx-text.xlsx in ``folder``."""
    rng = random.Random(2024)
    (folder / "online").mkdir(parents=True, exist_ok=True)
    (folder / "paper.csv").write_bytes(paper_csv(rng))
    (folder / "online" / "wjx-text.xlsx").write_bytes(export_xlsx(rng))


if __name__ == "__main__":
    write_ballots(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
