"""Ballot files: reading, sheet validity, duplicate checks and the counting core."""
