"""Tools for scenario writers: calibration against the record, lint, starters, case files."""
