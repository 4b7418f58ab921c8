"""The guideline engine: rule packs in Vale's format, platform limits, grammar and spelling. No Qt."""
