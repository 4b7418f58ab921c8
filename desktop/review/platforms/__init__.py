"""Platform limits: count a post as each platform counts it, split threads, report what would be refused.

No Qt here: the editor calls `count` for every selected platform on each keystroke, and the review
pipeline adds `platform_findings` to the guideline findings.
"""

from __future__ import annotations

from desktop.review.platforms.counting import Count, count
from desktop.review.platforms.findings import platform_findings
from desktop.review.platforms.limits import PLATFORMS, PlatformLimits, platform_limits
from desktop.review.platforms.splitting import split_thread

__all__ = [
    "PLATFORMS",
    "Count",
    "PlatformLimits",
    "count",
    "platform_findings",
    "platform_limits",
    "split_thread",
]
