"""The results directory of the SPEC: results.json, the CSV files, the manifest."""
