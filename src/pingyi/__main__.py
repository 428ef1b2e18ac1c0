"""``python -m pingyi``."""

from pingyi.cli.main import main

main()
