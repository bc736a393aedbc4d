"""`joinedup-match`: deduplicate or link whole CSV files, or retrain the model."""

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from joinedup.matching.batch import DEDUPE_THRESHOLD, LINK_THRESHOLD, dedupe, link
from joinedup.matching.csv_io import InputError, read_records, write_csv_atomically
from joinedup.matching.model import DEFAULT_MODEL_PATH, Model

EXIT_BAD_INPUT = 2
_GUARD_HELP = (
    "do not cap pairs whose given names clearly differ; only for data that are not "
    "households of children (such as FEBRL)"
)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="joinedup-match", description="Find records of the same child in CSV files."
    )
    parser.add_argument("--model", type=Path, default=None, help="model JSON (default: packaged)")
    commands = parser.add_subparsers(dest="command", required=True)
    dedupe_parser = commands.add_parser("dedupe", help="cluster the records of one file")
    dedupe_parser.add_argument("input", type=Path)
    dedupe_parser.add_argument("output", type=Path)
    dedupe_parser.add_argument("--threshold", type=float, default=DEDUPE_THRESHOLD)
    dedupe_parser.add_argument("--no-sibling-guard", action="store_true", help=_GUARD_HELP)
    link_parser = commands.add_parser("link", help="pair records of file A with file B")
    link_parser.add_argument("first", type=Path, metavar="A")
    link_parser.add_argument("second", type=Path, metavar="B")
    link_parser.add_argument("output", type=Path)
    link_parser.add_argument("--threshold", type=float, default=LINK_THRESHOLD)
    link_parser.add_argument("--no-sibling-guard", action="store_true", help=_GUARD_HELP)
    link_parser.add_argument(
        "--one-to-one",
        action="store_true",
        help="each file lists each child at most once: keep only each record's strongest link",
    )
    train_parser = commands.add_parser("train", help="re-estimate the model's parameters")
    train_parser.add_argument(
        "--input",
        type=Path,
        action="append",
        default=[],
        help="CSV of records to train on (repeatable); default: the synthetic UK set and FEBRL3",
    )
    train_parser.add_argument("--output", type=Path, default=DEFAULT_MODEL_PATH)
    return parser


def _check_threshold(threshold: float) -> None:
    if not 0.0 < threshold < 1.0:
        raise InputError(f"--threshold must be between 0 and 1, not {threshold}")


def _run(arguments: argparse.Namespace) -> None:
    if arguments.command == "train":
        from joinedup.matching.training import train_from_files

        model = train_from_files(arguments.input)
        model.save(arguments.output)
        print(f"Model written to {arguments.output} (trained on {model.trained_on})")
        return
    model = Model.load(arguments.model)
    _check_threshold(arguments.threshold)
    if arguments.command == "dedupe":
        clustered = dedupe(
            read_records(arguments.input),
            model,
            threshold=arguments.threshold,
            sibling_guard=not arguments.no_sibling_guard,
        )
        write_csv_atomically(
            arguments.output,
            ("record_id", "cluster_id", "match_probability"),
            (
                (
                    row.record_id,
                    row.cluster_id,
                    "" if row.match_probability is None else f"{row.match_probability:.6f}",
                )
                for row in clustered
            ),
        )
        return
    links = link(
        read_records(arguments.first),
        read_records(arguments.second),
        model,
        threshold=arguments.threshold,
        sibling_guard=not arguments.no_sibling_guard,
        one_to_one=arguments.one_to_one,
    )
    write_csv_atomically(
        arguments.output,
        ("a_record_id", "b_record_id", "match_probability"),
        (
            (found.a_record_id, found.b_record_id, f"{found.match_probability:.6f}")
            for found in links
        ),
    )


def main(argv: Sequence[str] | None = None) -> int:
    arguments = _parser().parse_args(argv)
    try:
        _run(arguments)
    except InputError as error:
        print(f"joinedup-match: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    return 0
