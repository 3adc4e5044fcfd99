import argparse
from pathlib import Path

from .generate import generate

parser = argparse.ArgumentParser(prog="python -m dagster_project.sample", description=__doc__)
parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[2] / "raw")
args = parser.parse_args()
generate(args.out)
print(f"Sample written to {args.out}")
