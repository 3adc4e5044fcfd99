"""The synthetic sample under raw/: real formats, calibrated 2023 headlines."""
