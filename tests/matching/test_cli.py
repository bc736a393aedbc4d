"""joinedup-match on small CSV files: the happy paths and every kind of bad input."""

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from joinedup.matching.cli import main

HEADER = "record_id,given_name,family_name,date_of_birth,sex,postcode,address,school,nhs_number\n"
ROWS = (
    "1,Mohamed,Hassan,2014-03-07,M,BS5 6XY,12 Mina Road,Easton Primary,\n"
    "2,Muhammad,HASSAN,2014-07-03,M,bs56xy,,Easton Primary,\n"
    "3,Hodan,Hassan,2014-03-07,F,BS5 6XY,12 Mina Road,Easton Primary,\n"
    "4,Bill,Jones,2012-11-30,M,BS13 9QR,4 Filwood Broadway,,\n"
    "5,William,Jones,2012-11-30,M,BS3 1AA,8 Wells Road,,\n"
    "6,Oliver,Smith,2011-09-01,M,,,,\n"
)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def test_dedupe_clusters_spellings_and_keeps_the_twin_apart(tmp_path: Path) -> None:
    source = write(tmp_path / "in.csv", HEADER + ROWS)
    output = tmp_path / "out.csv"
    assert main(["dedupe", str(source), str(output)]) == 0
    cluster = {row["record_id"]: row["cluster_id"] for row in read_rows(output)}
    assert cluster["1"] == cluster["2"]
    assert cluster["3"] not in {cluster["1"], cluster["4"]}
    assert cluster["4"] == cluster["5"]
    assert len(set(cluster.values())) == 4


def test_link_pairs_a_with_b(tmp_path: Path) -> None:
    first = write(tmp_path / "a.csv", HEADER + ROWS.splitlines(keepends=True)[0])
    second = write(tmp_path / "b.csv", HEADER + "".join(ROWS.splitlines(keepends=True)[1:]))
    output = tmp_path / "links.csv"
    assert main(["link", str(first), str(second), str(output)]) == 0
    rows = read_rows(output)
    assert [(row["a_record_id"], row["b_record_id"]) for row in rows] == [("1", "2")]
    assert float(rows[0]["match_probability"]) >= 0.9


def test_one_to_one_link_keeps_only_each_records_strongest_link(tmp_path: Path) -> None:
    # Two records in B are close to Mohamed in A; Muhammad is the closer (same day and
    # month, same address), so only that link stays when each file lists a child once.
    first = write(
        tmp_path / "a.csv", HEADER + "1,Mohamed,Hassan,2014-03-07,M,BS5 6XY,12 Mina Road,,\n"
    )
    second = write(
        tmp_path / "b.csv",
        HEADER
        + "7,Muhammad,Hassan,2014-03-07,M,BS5 6XY,12 Mina Road,,\n"
        + "8,Mohamed,Hassan,2014-07-03,M,BS5 6XY,,,\n",
    )
    every_link = tmp_path / "every.csv"
    assert main(["link", str(first), str(second), str(every_link)]) == 0
    assert {row["b_record_id"] for row in read_rows(every_link)} == {"7", "8"}
    strongest = tmp_path / "strongest.csv"
    assert main(["link", "--one-to-one", str(first), str(second), str(strongest)]) == 0
    rows = read_rows(strongest)
    assert [(row["a_record_id"], row["b_record_id"]) for row in rows] == [("1", "7")]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"record_id,given_name,family_name\n1,A,B\n", "missing column(s) date_of_birth"),
        (
            (HEADER + "1,Zo\xe9,Smith,2014-01-01,,,,,\n").encode("latin-1"),
            "line 2 is not valid UTF-8",
        ),
        (HEADER.encode() + b"1,Amy,Smith,2014-02-30,,,,,\n", "line 2: date_of_birth"),
        (HEADER.encode() + b"1,Amy,Smith,07/03/2014,,,,,\n", "YYYY-MM-DD"),
        (
            HEADER.encode() + b"1,Amy,Smith,,,,,,\n1,Ava,Smith,,,,,,\n",
            "line 3: record_id '1' is a duplicate of line 2",
        ),
        (HEADER.encode(), "no records"),
    ],
)
def test_bad_input_names_the_problem_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, message: str
) -> None:
    source = tmp_path / "in.csv"
    source.write_bytes(content)
    output = tmp_path / "out.csv"
    assert main(["dedupe", str(source), str(output)]) == 2
    assert message in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == [source]


def test_console_script_entry_point_runs(tmp_path: Path) -> None:
    source = write(tmp_path / "in.csv", HEADER + ROWS)
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from joinedup.matching.cli import main; sys.exit(main())",
            "dedupe",
            str(source),
            str(tmp_path / "out.csv"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_matching_package_imports_no_django() -> None:
    code = (
        "import sys, pkgutil, importlib, joinedup.matching as m\n"
        "for module in pkgutil.iter_modules(m.__path__):\n"
        "    importlib.import_module('joinedup.matching.' + module.name)\n"
        "loaded = [name for name in sys.modules if name.split('.')[0] == 'django']\n"
        "assert not loaded, loaded\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
