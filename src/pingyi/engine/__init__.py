"""From integer counts to the official result: scores, ranks, awards, movement."""
