"""The model the FEBRL benchmarks use: estimated without labels from FEBRL3's own records
(without soc_sec_id), as a deployment would train on its own records with
`joinedup-match train --input`. FEBRL is adult Australian data with names replaced at
random, unlike the packaged model's mix of children's household records and FEBRL.

Regenerate with `python -m benchmarks.febrl_model`.
"""

from pathlib import Path

from joinedup.matching.febrl import febrl3
from joinedup.matching.model import Model
from joinedup.matching.training import train_model

FEBRL_MODEL_PATH = Path(__file__).with_name("febrl_model.json")


def febrl_model() -> Model:
    return Model.load(FEBRL_MODEL_PATH)


def main() -> None:
    model = train_model(
        febrl3().datasets[0], trained_on="FEBRL3 without soc_sec_id (5000 records, no labels)"
    )
    model.save(FEBRL_MODEL_PATH)
    print(f"Wrote {FEBRL_MODEL_PATH}")


if __name__ == "__main__":
    main()
