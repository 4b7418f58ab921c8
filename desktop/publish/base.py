"""The one interface every platform implements, so the service, outbox, CLI and UI never branch on it.

A publisher is built for one account and its secret. `publish` receives the fixed `Plan` and a
`progress` dict it updates (and asks to have saved) after each step that created something remote,
so a retry resumes instead of repeating. Before creating anything it must look for what an earlier,
interrupted attempt may already have created, using the platform's own idempotency means.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass

from desktop.publish.accounts import Account
from desktop.publish.post import Image, Plan

SaveProgress = Callable[[dict], None]


@dataclass(frozen=True)
class Limits:
    """What the platform accepts, as read from the server where it says so."""

    max_characters: int
    max_images: int
    max_image_bytes: int
    counts: str = "characters"  # or "graphemes"


@dataclass(frozen=True)
class PublishResult:
    remote_id: str
    url: str
    extra: dict | None = None


class Publisher(ABC):
    platform: str = ""

    def __init__(self, account: Account, secret: str, *, timeout: float = 30.0) -> None:
        self.account = account
        self._secret = secret
        self.timeout = timeout

    def __repr__(self) -> str:  # never show the secret, even in a traceback
        return f"<{type(self).__name__} {self.account.name}>"

    @abstractmethod
    def verify(self) -> str:
        """Log in and return who the server says we are; raise PublishError (kind "auth") if refused."""

    @abstractmethod
    def limits(self) -> Limits: ...

    def problems(self, plan: Plan, images: list[Image]) -> list[str]:
        """What the platform would reject, found before sending (too long, too many or too big images)."""
        lim = self.limits()
        found = []
        for i, part in enumerate(plan.parts, 1):
            size = self.measure(part)
            if size > lim.max_characters:
                where = f"post {i} of the thread" if len(plan.parts) > 1 else "the post"
                found.append(
                    f"{where} is {size} {lim.counts} long; {self.account.name} allows {lim.max_characters}"
                )
        if len(images) > lim.max_images:
            found.append(
                f"{len(images)} images attached; {self.account.name} allows {lim.max_images} per post"
            )
        for img in images:
            if len(img.data) > lim.max_image_bytes:
                found.append(
                    f"image {img.filename} is {len(img.data):,} bytes; {self.account.name} allows "
                    f"{lim.max_image_bytes:,}"
                )
        return found

    def measure(self, text: str) -> int:
        return len(text)

    @abstractmethod
    def publish(
        self, plan: Plan, images: list[Image], progress: dict, save: SaveProgress
    ) -> PublishResult: ...
