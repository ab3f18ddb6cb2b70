"""How many documents and figures the seeds hold, read from seeds/ (the counts change as curators add)."""

import csv
import tomllib

from store.seed import SEEDS_DIR

SEED_DOCUMENTS = len(tomllib.loads((SEEDS_DIR / "documents.toml").read_text(encoding="utf-8"))["document"])
SEED_FIGURES = sum(sum(1 for _row in csv.DictReader(path.open(encoding="utf-8", newline="")))
                   for path in sorted((SEEDS_DIR / "figures").glob("*.csv")))
