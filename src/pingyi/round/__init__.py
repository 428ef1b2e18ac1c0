"""The round file: models, loading with line numbers, built-in schemes."""
