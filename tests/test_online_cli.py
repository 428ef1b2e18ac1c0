"""Online exports where people see them (issue 13): ``pingyi check`` shows how an
export's header was mapped before anything is counted; results.json and report.xlsx
count sheets per channel; round-file mistakes in the online keys are located."""

from __future__ import annotations

import importlib.util
import io
import json

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from pingyi.cli.main import cli
from pingyi.errors import PingyiError
from pingyi.round.load import load_round

from .conftest import EXAMPLES
from .test_online import PAPER
from .wjx import ROUND, SHEETS, write_export

MAPPING_LINES = [
    "e.xlsx: wjx export",
    "  sheet id: 序号",
    "  submitted: 提交答卷时间",
    "  seconds: 所用时间",
    "  IP: 来自IP",
    "  stratum: 1、您的身份是",
    "┏━━━━━━━┳━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┓",
    "┃ unit  ┃ 名称       ┃ column                              ┃",
    "┡━━━━━━━╇━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┩",
    "│ swbgs │ 市委办公室 │ 2、请评价以下单位的工作(市委办公室) │",
    "│ zzb   │ 组织部     │ 2、请评价以下单位的工作(组织部)     │",
    "│ xcb   │ 宣传部     │ 2、请评价以下单位的工作(宣传部)     │",
    "└───────┴────────────┴─────────────────────────────────────┘",
    "  ignored: 来源, 来源详情, 3、您的意见和建议",
]


def _invoke(*args: str, code: int = 0):
    done = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert done.exit_code == code, done.output
    return done


@pytest.fixture
def online_round(tmp_path, write, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write("round.yaml", ROUND)
    write_export(tmp_path / "e.xlsx", SHEETS)
    write("paper.csv", PAPER)
    return tmp_path


def test_check_shows_the_mapping_before_the_count(online_round):
    lines = _invoke("check", "round.yaml", "e.xlsx").output.splitlines()
    at = lines.index("e.xlsx: wjx export")
    assert [line.rstrip() for line in lines[at : at + len(MAPPING_LINES)]] == [
        line.rstrip() for line in MAPPING_LINES
    ]
    assert lines[at + len(MAPPING_LINES)] == (
        "sheets: read 7 = counted 3 + rejected 4 "
        "(all_blank 1, too_many_invalid 1, too_fast 1, unknown_answer 1)"
    )


def test_check_json_has_the_mapping_and_the_channels(online_round):
    summary = json.loads(_invoke("check", "round.yaml", "e.xlsx", "paper.csv", "--format", "json").output)
    assert summary["rules"][-2] == (
        "网上问卷（问卷星）: 同一IP按提交时间先后前3份有效；答题用时少于30秒无效；"
        "身份答案未对应评议层面的无效"
    )
    files = {f["file"]: f for f in summary["ballots"]["files"]}
    assert "mapping" not in files["paper.csv"]
    assert files["e.xlsx"]["mapping"] == {
        "channel": "wjx",
        "sheet": "序号",
        "submitted": "提交答卷时间",
        "seconds": "所用时间",
        "ip": "来自IP",
        "stratum": "1、您的身份是",
        "form": None,
        "units": [
            {"unit": "swbgs", "name": "市委办公室", "column": "2、请评价以下单位的工作(市委办公室)"},
            {"unit": "zzb", "name": "组织部", "column": "2、请评价以下单位的工作(组织部)"},
            {"unit": "xcb", "name": "宣传部", "column": "2、请评价以下单位的工作(宣传部)"},
        ],
        "ignored": ["来源", "来源详情", "3、您的意见和建议"],
    }
    assert summary["ballots"]["sheets"]["by_channel"] == {
        "paper": {
            "read": 3,
            "counted": 2,
            "rejected": 1,
            "counted_by_stratum": {"deputies": 1, "enterprise": 1},
        },
        "wjx": {
            "read": 7,
            "counted": 3,
            "rejected": 4,
            "counted_by_stratum": {"deputies": 2, "enterprise": 1},
        },
    }


def test_a_unit_in_two_headers_stops_check_with_both_named(online_round):
    write_export(online_round / "two.csv", SHEETS, extra=("4、工作作风(宣传部)",))
    done = _invoke("check", "round.yaml", "two.csv", code=2)
    assert done.output.splitlines()[-1] == (
        "error: two.csv:1: 2、请评价以下单位的工作(宣传部): unit xcb (宣传部) is the row title of columns "
        "'2、请评价以下单位的工作(宣传部)' and '4、工作作风(宣传部)': map it to one of them in "
        "ballots.columns [ambiguous_column]"
    )


def test_tally_writes_channels_to_results_json_and_report_xlsx(online_round):
    _invoke("tally", "round.yaml", "paper.csv", "e.xlsx", "-o", "out", "-q")
    document = json.loads((online_round / "out" / "results.json").read_text(encoding="utf-8"))
    assert document["sheets"]["read"] == 10
    assert list(document["sheets"]["by_channel"]) == ["paper", "wjx"]
    book = load_workbook(io.BytesIO((online_round / "out" / "report.xlsx").read_bytes()))
    assert [[c.value for c in row] for row in book["渠道"].iter_rows()] == [
        [
            "渠道",
            "读入评议表",
            "有效评议表",
            "无效评议表",
            "人大代表政协委员（有效评议表）",
            "企业负责人（有效评议表）",
        ],
        ["纸质评议表", 3, 2, 1, 1, 1],
        ["问卷星", 7, 3, 4, 2, 1],
    ]
    rejects = (online_round / "out" / "rejects.csv").read_text(encoding="utf-8").splitlines()
    assert rejects[1:3] == [
        'e.xlsx,4,wjx:3,too_fast,"answered in 29秒 (29 s), under online.min_seconds 30 s"',
        "e.xlsx,5,wjx:4,unknown_answer,\"answer '其他' to 1、您的身份是 names no stratum "
        '(ballots.strata_answers maps: 人大代表政协委员, 企业负责人, 1, 2)"',
    ]
    _invoke("verify", "out")


def test_a_paper_round_has_no_channel_sheet(tmp_path, write, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write("round.yaml", ROUND.split("ballots:")[0])
    write("paper.csv", PAPER)
    _invoke("tally", "round.yaml", "paper.csv", "-o", "out", "-q")
    document = json.loads((tmp_path / "out" / "results.json").read_text(encoding="utf-8"))
    assert "by_channel" not in document["sheets"]
    assert "渠道" not in load_workbook(tmp_path / "out" / "report.xlsx").sheetnames


@pytest.mark.parametrize(
    "ballots,expected",
    [
        (
            "ballots:\n  strata_answers: {甲: deputies}\n",
            [(13, "ballots.strata_answers", "bad_value")],
        ),
        (
            "ballots:\n  source: wjx\n  sheet_id: 编号\n  strata_answers: {甲: nobody}\n",
            [(14, "ballots.sheet_id", "bad_value"), (15, "ballots.strata_answers.甲", "unknown_reference")],
        ),
        (
            "ballots:\n  source: online\n  online: {max_per_ip: 3}\n",
            [
                (14, "ballots.online", "missing_key"),
                (14, "ballots.online.max_per_ip", "missing_key"),
                (14, "ballots.online.max_per_ip", "missing_key"),
            ],
        ),
        (
            "ballots:\n  source: wjx\n  paper: {source: wjx, marks: {'1': Z}}\n",
            [(14, "ballots.paper.marks.1", "unknown_reference"), (14, "ballots.paper.source", "bad_value")],
        ),
        ("ballots:\n  source: forms\n", [(13, "ballots.source", "bad_value")]),
    ],
)
def test_online_keys_that_cannot_work_are_located_errors(write, ballots, expected):
    head = ROUND.split("ballots:")[0]
    with pytest.raises(PingyiError) as error:
        load_round(write("round.yaml", head + ballots))
    assert [(p.line, p.field, p.code) for p in error.value.problems] == expected


def test_a_generic_online_export_is_mapped_by_online_columns(tmp_path, write):
    text = ROUND.replace("source: wjx", "source: online").replace(
        "    min_seconds: 30\n",
        "    min_seconds: 30\n"
        "    columns: {sheet: 编号, submitted: 提交时间, seconds: 答题时长, ip: IP地址}\n",
    )
    r = load_round(write("round.yaml", text))
    from pingyi.ballots.count import read_ballots

    export = (
        "编号,提交时间,答题时长,IP地址,1、您的身份是,2、评价(市委办公室),2、评价(组织部),2、评价(宣传部)\n"
        "1,2024-05-06 10:00:01,00:01:05,1.1.1.1,企业负责人,满意,满意,不满意\n"
        "2,2024-05-06 10:00:02,12,1.1.1.2,企业负责人,满意,满意,不满意\n"
    )
    c = read_ballots(r, [write("tencent.csv", export)])
    assert [(j.sheet, j.reason) for j in c.rejects] == [("online:2", "too_fast")]
    assert c.counts[:, 1, :3].tolist() == [[1, 0, 0], [1, 0, 0], [0, 0, 1]]


# --- examples/mixed -----------------------------------------------------------------------

MIXED = EXAMPLES / "mixed"


def test_the_mixed_example_files_are_what_its_script_writes(tmp_path):
    spec = importlib.util.spec_from_file_location("make_ballots", MIXED / "make_ballots.py")
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    script.write_ballots(tmp_path)
    for name in ("paper.csv", "online/wjx-text.xlsx"):
        assert (tmp_path / name).read_bytes() == (MIXED / name).read_bytes(), name


def test_the_mixed_example_counts_each_channel_and_verifies(tmp_path):
    files = [str(MIXED / "round.yaml"), str(MIXED / "paper.csv"), str(MIXED / "online" / "wjx-text.xlsx")]
    _invoke("tally", *files, "-o", str(tmp_path / "out"), "-q")
    document = json.loads((tmp_path / "out" / "results.json").read_text(encoding="utf-8"))
    assert document["sheets"] == {
        "read": 351,
        "counted": 330,
        "rejected": 21,
        "rejected_by_reason": {"duplicate": 1, "ip_limit": 5, "too_fast": 12, "unknown_answer": 3},
        "by_channel": {
            "paper": {
                "read": 201,
                "counted": 200,
                "rejected": 1,
                "counted_by_stratum": {"residents": 160, "leaders": 40, "enterprise": 0, "users": 0},
            },
            "wjx": {
                "read": 150,
                "counted": 130,
                "rejected": 20,
                "counted_by_stratum": {"residents": 0, "leaders": 0, "enterprise": 64, "users": 66},
            },
        },
    }
    assert _invoke("verify", str(tmp_path / "out")).exit_code == 0


def test_simulate_gives_an_online_round_paper_sheets_it_reads(tmp_path):
    """simulate wrote the online stratum question as a paper column, a file the round
    then refused as neither an export nor a paper file."""
    from pingyi.ballots.count import read_ballots
    from pingyi.simulate import simulate

    r = load_round(MIXED / "round.yaml")
    simulate(r, 20, 1, tmp_path / "sim.csv")
    assert (tmp_path / "sim.csv").read_text(encoding="utf-8").splitlines()[0].startswith("编号,层面,bgs,")
    c = read_ballots(r, [tmp_path / "sim.csv"])
    assert c.read == c.counted + c.rejected == 20 and [f.channel for f in c.files] == ["paper"]


@pytest.mark.parametrize(
    "extra",
    [
        "items:\n  - {id: law, name: 依法行政}\n",
        "scale:\n  options: []\n  numeric: {min: 0, max: 100}\n",
    ],
)
def test_items_and_numeric_scales_are_refused_for_online_exports(write, extra):
    """An export is read one option mark per unit: a round with items or numbers would be
    counted wrong, so it is refused at load (pingyi.round.item_checks)."""
    with pytest.raises(PingyiError) as error:
        load_round(write("round.yaml", ROUND.replace("ballots:", extra + "ballots:")))
    assert [p.code for p in error.value.problems if p.field == "ballots.source"] == ["bad_value"]
