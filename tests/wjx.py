"""问卷星 exports written by the tests, in both forms ("按文本" answers, "按序号" option
numbers), as CSV or XLSX, with the quirks real exports have (spaces after some headers,
a date cell in the XLSX text export, GB18030 CSV).

A sheet is written as ``Sheet(number, minute, taken, ip, who, marks)``: ``who`` is ``d``
(人大代表政协委员), ``e`` (企业负责人) or ``x`` (an answer no stratum maps); each letter of
``marks`` is one unit's answer: ``A``/``B``/``C`` an option, ``-`` skipped (跳过),
``X`` an answer that is not an option, ``M`` two options (a multi-select ``┋``).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

META = ["序号", "提交答卷时间", "所用时间 ", "来源", "来源详情", "来自IP"]  # a space, as exports have
UNITS = [("swbgs", "市委办公室"), ("zzb", "组织部"), ("xcb", "宣传部")]
STRATUM_QUESTION = "1、您的身份是"

ROUND = """\
round: online-test
extends: qianren-2-1-0
categories:
  - {id: local, name: 地方, winners: 1}
strata:
  - {id: deputies, name: 人大代表政协委员}
  - {id: enterprise, name: 企业负责人}
units:
  - {id: swbgs, name: 市委办公室, category: local}
  - {id: zzb, name: 组织部, category: local}
  - {id: xcb, name: 宣传部, category: local}
ballots:
  source: wjx
  stratum: "1、您的身份是"
  strata_answers: {人大代表政协委员: deputies, 企业负责人: enterprise, 1: deputies, 2: enterprise}
  units_by: name
  marks: {满意: A, 基本满意: B, 不满意: C, 1: A, 2: B, 3: C}
  online:
    max_per_ip: 3
    min_seconds: 30
"""

TEXT = {"A": "满意", "B": "基本满意", "C": "不满意", "-": "(跳过)", "X": "很满意", "M": "满意┋不满意"}
NUMBER = {"A": "1", "B": "2", "C": "3", "-": "-3", "X": "4", "M": "1┋3"}
WHO_TEXT = {"d": "人大代表政协委员", "e": "企业负责人", "x": "其他"}
WHO_NUMBER = {"d": "1", "e": "2", "x": "3"}


@dataclass(frozen=True)
class Sheet:
    number: int
    minute: int  # submitted at 2024-05-06 10:MM:SS (seconds = the sheet number % 60)
    taken: str  # 所用时间 as exported: 65秒, 1分5秒
    ip: str
    who: str
    marks: str


def header(numeric: bool, extra: tuple[str, ...] = ()) -> list[str]:
    units = [f"第2题({name})" if numeric else f"2、请评价以下单位的工作({name})" for _, name in UNITS]
    units[1] += " "  # a trailing space in a matrix header
    return [*META, STRATUM_QUESTION, *units, "3、您的意见和建议", *extra]


def row(sheet: Sheet, numeric: bool, as_date: bool = False) -> list[object]:
    answers = NUMBER if numeric else TEXT
    when = datetime(2024, 5, 6, 10, sheet.minute, sheet.number % 60)
    submitted: object = when if as_date else f"2024/5/6 10:{sheet.minute:02d}:{sheet.number % 60:02d}"
    return [
        sheet.number,
        submitted,
        sheet.taken,
        "手机提交",
        "直接访问",
        sheet.ip,
        (WHO_NUMBER if numeric else WHO_TEXT)[sheet.who],
        *(answers[m] for m in sheet.marks),
        "",
    ]


def write_export(path: Path, sheets: list[Sheet], numeric: bool = False, extra: tuple[str, ...] = ()) -> Path:
    """An export of ``sheets``: XLSX when ``path`` ends in .xlsx (the text form with date
    cells, as 问卷星 writes it), else CSV (the numeric form in GB18030)."""
    rows = [
        row(s, numeric, as_date=path.suffix == ".xlsx" and not numeric) + [""] * len(extra) for s in sheets
    ]
    if path.suffix == ".xlsx":
        from openpyxl import Workbook

        wb = Workbook()
        ws = wb.active
        ws.append(header(numeric, extra))
        for values in rows:
            ws.append(values)
        wb.save(path)
        return path
    text = io.StringIO()
    csv.writer(text, lineterminator="\r\n").writerows([header(numeric, extra), *rows])
    path.write_bytes(text.getvalue().encode("gb18030" if numeric else "utf-8"))
    return path


#: Seven sheets worked by hand (tests/test_online.py): 1, 2 and 6 count.
SHEETS = [
    Sheet(1, 0, "65秒", "1.1.1.1(浙江-宁波)", "e", "AAB"),
    Sheet(2, 0, "1分5秒", "2.2.2.2(浙江-宁波)", "d", "ABC"),
    Sheet(3, 0, "29秒", "3.3.3.3(浙江-杭州)", "e", "AAA"),  # too fast
    Sheet(4, 0, "40秒", "4.4.4.4(浙江-宁波)", "x", "AAA"),  # an answer no stratum maps
    Sheet(5, 0, "2分", "5.5.5.5(浙江-宁波)", "d", "XM-"),  # 2 of 3 invalid: over 50 %
    Sheet(6, 0, "31秒", "6.6.6.6(浙江-宁波)", "d", "-CX"),  # 1 of 3 invalid: counts
    Sheet(7, 0, "1分5秒", "7.7.7.7(浙江-宁波)", "e", "---"),  # all skipped: all blank
]
