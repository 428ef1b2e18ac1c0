"""Loading good round files: extends, overrides, exact numbers, units files, schemes."""

from __future__ import annotations

import json
import subprocess
import sys
from fractions import Fraction

import pytest
from click.testing import CliRunner

from pingyi.cli.main import cli
from pingyi.round import schemes
from pingyi.round.load import load_round
from pingyi.round.models import to_fraction

from .conftest import EXAMPLES
from .test_round_errors import GOOD


def test_round_inherits_scheme_and_overrides_key_by_key(write):
    text = GOOD.replace("winners: 1}", "winners: 0}")  # two last places leave no room for a winner
    path = write("round.yaml", text + "scoring:\n  precision: 3\nawards:\n  last_place: 2\n")
    r = load_round(path)
    assert r.scheme == "qianren-2-1-0"
    assert r.scoring.method == "sum"  # from the scheme
    assert r.scoring.precision == 3  # overridden
    assert r.scoring.tie_break == ["satisfaction_rate", "count:A", "fewest:C"]
    assert r.awards.last_place == 2
    assert r.awards.rectification is not None and r.awards.rectification.below == Fraction(9, 10)
    assert [o.value for o in r.scale.options] == [2, 1, 0]
    assert r.scale.blank.value == Fraction(1, 2)


def test_chain_of_extends(write):
    write("mid.yaml", "scheme: mid\nextends: qianren-2-1-0\nawards:\n  last_place: 3\n")
    text = GOOD.replace("qianren-2-1-0", "mid.yaml").replace("winners: 1}", "winners: 0}")
    r = load_round(write("round.yaml", text))
    assert r.scheme == "mid"
    assert r.awards.last_place == 3
    assert r.awards.veto_blocks == ["winner"]
    assert [p.name for p in r.files] == ["round.yaml", "mid.yaml", "qianren-2-1-0.yaml"]


@pytest.mark.parametrize(
    "text,expected",
    [
        (0.8, Fraction(4, 5)),
        (0.9, Fraction(9, 10)),
        (2, Fraction(2)),
        ("2/3", Fraction(2, 3)),
        ("90%", Fraction(9, 10)),
        ("0.30", Fraction(3, 10)),
        (0.1, Fraction(1, 10)),
    ],
)
def test_numbers_are_exact(text, expected):
    assert to_fraction(text) == expected


def test_units_from_csv_in_gb18030(write):
    text = "id,name,category\na,市委办公室,local\nb,财政局,local\nc,国土资源局,vertical\n"
    write("units.csv", text.encode("gb18030"))
    r = load_round(write("round.yaml", GOOD.split("units:")[0] + "units: units.csv\n"))
    assert [(u.id, u.name, u.category) for u in r.units] == [
        ("a", "市委办公室", "local"),
        ("b", "财政局", "local"),
        ("c", "国土资源局", "vertical"),
    ]


def test_units_from_xlsx(write, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in (
        ["id", "name", "category"],
        ["a", "甲", "local"],
        ["b", "乙", "local"],
        ["c", "丙", "vertical"],
    ):
        sheet.append(row)
    book.save(tmp_path / "units.xlsx")
    r = load_round(write("round.yaml", GOOD.split("units:")[0] + "units: units.xlsx\n"))
    assert [u.id for u in r.units] == ["a", "b", "c"]


@pytest.mark.parametrize("name", schemes.builtin_names())
def test_every_builtin_scheme_loads_in_a_round(write, name):
    text = GOOD.replace("qianren-2-1-0", name)
    if name == "siwei-yiti":
        write("adjustments.csv", "unit,lower,daily,deductions\na,90,95,0\nb,80,90,1\nc,85,85,0\n")
        text = text.split("strata:")[0] + "units:" + text.split("units:")[1]
        text += "adjustments: adjustments.csv\n"
    if name == "renda-manyidu":
        text += "members: 35\n"  # its verdicts count over the body's full membership
    r = load_round(write("round.yaml", text))
    assert r.scheme == name


def test_builtin_schemes_are_the_expected_ones():
    assert schemes.builtin_names() == [
        "manyidu-4",
        "ningbo-weighted",
        "qianren-2-1-0",
        "renda-manyidu",
        "shuzhi-cezhi",
        "siwei-yiti",
    ]


def test_schemes_command_json():
    result = CliRunner().invoke(cli, ["schemes", "--format", "json"], catch_exceptions=False)
    rows = json.loads(result.output)
    assert [(r["name"], r["seed"]) for r in rows] == [
        ("manyidu-4", "003"),
        ("ningbo-weighted", "000"),
        ("qianren-2-1-0", "002"),
        ("renda-manyidu", ""),  # from practice (SPEC "Grades and verdicts"), not a seed
        ("shuzhi-cezhi", ""),
        ("siwei-yiti", "003"),
    ]
    assert rows[2]["scale"] == "满意 2 / 基本满意 1 / 不满意 0; 弃权 0.5"


def test_schemes_command_csv_header():
    result = CliRunner().invoke(cli, ["schemes", "--format", "csv"], catch_exceptions=False)
    assert result.output.splitlines()[0] == "name,title,seed,scale,method"
    assert len(result.output.splitlines()) == 1 + 6


@pytest.mark.parametrize(
    "round_file", sorted(EXAMPLES.glob("*/round*.yaml")), ids=lambda p: p.parent.name + "/" + p.name
)
def test_check_accepts_every_example(round_file):
    result = CliRunner().invoke(cli, ["check", str(round_file)], catch_exceptions=False)
    assert result.exit_code == 0, result.output


def test_yixing_example_has_the_seed_units():
    r = load_round(EXAMPLES / "yixing" / "round.yaml")
    per_category = {c.id: sum(u.category == c.id for u in r.units) for c in r.categories}
    assert per_category == {"local": 45, "vertical": 12, "financial": 9}
    assert [(c.id, c.winners) for c in r.categories] == [("local", 5), ("vertical", 3), ("financial", 2)]
    assert r.quotas[0].min_share == Fraction(3, 5)


def test_check_json_summary():
    result = CliRunner().invoke(
        cli, ["check", str(EXAMPLES / "yixing" / "round.yaml"), "--format", "json"], catch_exceptions=False
    )
    summary = json.loads(result.output)
    assert summary["units"] == 66
    assert [c["units"] for c in summary["categories"]] == [45, 12, 9]
    assert "重点整改单位: 除末位单位外，满意率低于 90%" in summary["rules"]


@pytest.mark.parametrize("scheme", schemes.builtin_names())
def test_init_writes_a_round_that_check_accepts(tmp_path, scheme):
    out = tmp_path / "round.yaml"
    runner = CliRunner()
    result = runner.invoke(cli, ["init", "--scheme", scheme, "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("# Round file for pingyi")
    result = runner.invoke(cli, ["check", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output


def test_init_with_units_file(tmp_path):
    (tmp_path / "units.csv").write_text("id,name,category\nx,甲,local\ny,乙,bank\n", encoding="utf-8")
    out = tmp_path / "round.yaml"
    runner = CliRunner()
    runner.invoke(
        cli,
        ["init", "--scheme", "qianren-2-1-0", "--units", str(tmp_path / "units.csv"), "-o", str(out)],
        catch_exceptions=False,
    )
    r = load_round(out)
    assert [c.id for c in r.categories] == ["local", "bank"]
    assert [u.id for u in r.units] == ["x", "y"]


def test_init_refuses_to_overwrite(tmp_path):
    out = tmp_path / "round.yaml"
    out.write_text("keep", encoding="utf-8")
    result = CliRunner().invoke(cli, ["init", "--scheme", "qianren-2-1-0", "-o", str(out)])
    assert result.exit_code == 2
    assert out.read_text(encoding="utf-8") == "keep"


def test_init_unknown_scheme_exits_2():
    result = CliRunner().invoke(cli, ["init", "--scheme", "nope", "-o", "-"])
    assert result.exit_code == 2
    assert "no built-in scheme 'nope'" in result.stderr


def test_help_does_not_import_pandas():
    code = (
        "import sys\nfrom pingyi.cli.main import cli\n"
        "try:\n    cli(['--help'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('pandas', 'pyarrow', 'numpy', 'openpyxl') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_every_command_has_help_with_an_example():
    for name, command in cli.commands.items():
        assert command.help and "Example:" in command.help, name


def test_counting_on_the_command_line_does_not_import_pandas(tmp_path):
    """pyarrow would import pandas (0.2 s) on its first array; the command keeps it out."""
    ROUND = EXAMPLES / "yixing" / "round.yaml"  # noqa: N806
    code = (
        "import sys\nfrom pingyi.cli.main import main\n"
        f"sys.argv = ['pingyi', 'check', {str(ROUND)!r}, {str(ROUND.with_name('ballots.csv'))!r}, '-q']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('pandas' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "False"
