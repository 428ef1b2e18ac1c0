"""The version numbers of pingyi's own files, in a module that imports nothing heavy, so
that reading a results directory (``pingyi rank``) does not load the counting core."""

from __future__ import annotations

#: results.json: bumped whenever a field changes meaning; scripts check it.
FORMAT_VERSION = 1

#: manifest.json: its format, and the tool name that marks a directory as pingyi's own.
MANIFEST_FORMAT = 1
TOOL = "pingyi"
