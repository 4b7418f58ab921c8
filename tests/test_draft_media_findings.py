"""A draft's images without alt text are findings: in the editor's live review (real window, real
store, real platform checks) and in the trust gate's findings, until `drafts media alt` sets one."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from desktop.cli import main
from desktop.store.media import DraftMedia
from desktop.trust.gate import compute_findings
from desktop.ui.review_pipeline import ReviewPipeline, ReviewRequest
from tests.fixtures.publish_env import PNG
from tests.ui_support import close_window, open_window, ui_profile, wait_findings  # noqa: F401


def _attach(store, draft_id: str, tmp_path: Path, alt: str = "") -> int:
    (tmp_path / "photo.png").write_bytes(PNG)
    return DraftMedia(store.db).add(draft_id, tmp_path / "photo.png", alt=alt).id


def _set_alt(monkeypatch, media_id: int, text: str) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert main(["drafts", "media", "alt", str(media_id), text]) == 0


def _review_request(store, draft_id: str) -> ReviewRequest:
    """Built as the draft controller builds it: from the draft and its images, as loaded."""
    draft = store.get(draft_id)
    media = tuple((m.path, m.alt) for m in DraftMedia(store.db).list(draft.id))
    return ReviewRequest(1, draft.id, draft.text, platforms=tuple(draft.platforms), media=media)


def test_pipeline_reports_missing_alt_text_until_it_is_set(store, tmp_path, monkeypatch) -> None:
    draft = store.create("Look at this view", platforms=["bluesky"])
    media_id = _attach(store, draft.id, tmp_path)
    pipeline = ReviewPipeline()  # no guideline engine loaded: only the platform checks run

    [alt] = [
        f for f in pipeline.check(_review_request(store, draft.id)).findings if f.rule == "Platform.AltText"
    ]
    assert "photo.png" in alt.message and "no alt text" in alt.message

    _set_alt(monkeypatch, media_id, "Sunset over the harbour")
    findings = pipeline.check(_review_request(store, draft.id)).findings
    assert not [f for f in findings if "AltText" in f.rule]


def test_images_are_checked_even_before_platforms_are_chosen(store, tmp_path) -> None:
    draft = store.create("No platform yet")
    _attach(store, draft.id, tmp_path)
    result = ReviewPipeline().check(_review_request(store, draft.id))
    assert [f.rule for f in result.findings] == ["Platform.AltText"]
    assert result.platforms == ()


def test_gate_findings_include_the_drafts_images(store, tmp_path, monkeypatch) -> None:
    draft = store.create("Team photo", platforms=["mastodon"])
    media_id = _attach(store, draft.id, tmp_path)

    def gate_findings():
        media = [m.as_review_input() for m in DraftMedia(store.db).list(draft.id)]
        findings, note = compute_findings(draft.text, draft.platforms, media)
        assert note is None
        return [f.rule for f in findings if "AltText" in f.rule]

    assert gate_findings() == ["Platform.AltText"]
    _set_alt(monkeypatch, media_id, "x" * 1600)  # Mastodon accepts 1,500 characters of alt text
    assert gate_findings() == ["Platform.MastodonAltTextLength"]
    _set_alt(monkeypatch, media_id, "Twelve people in blue shirts")
    assert gate_findings() == []


@pytest.mark.usefixtures("ui_profile")
def test_the_editor_shows_the_finding_for_the_open_draft(qtbot, store, tmp_path, monkeypatch) -> None:
    draft = store.create("Harbour at dusk", title="Photo post", platforms=["bluesky"])
    media_id = _attach(store, draft.id, tmp_path)
    window = open_window(qtbot, engine=False)
    window.drafts.open(draft.id)
    [found] = wait_findings(qtbot, window, lambda fs: any(f.rule == "Platform.AltText" for f in fs))
    assert "photo.png" in found.message
    close_window(qtbot, window)

    _set_alt(monkeypatch, media_id, "Boats moored at dusk")
    window = open_window(qtbot, engine=False)
    window.drafts.open(draft.id)
    qtbot.waitUntil(
        lambda: window.drafts.media == ((str((tmp_path / "photo.png").resolve()), "Boats moored at dusk"),)
    )
    wait_findings(qtbot, window, lambda fs: not any("AltText" in f.rule for f in fs))
    close_window(qtbot, window)


def test_attaching_and_describing_an_image_in_the_window(qtbot, store, tmp_path, monkeypatch) -> None:
    """Draft ▸ Attach image… with no description flags the image at once; Describe images… clears it.
    The dialogs are answered by patching them; everything else is the real window and store."""
    from desktop.ui import image_actions

    draft = store.create("Harbour at dusk", title="Photo post", platforms=["bluesky"])
    (tmp_path / "photo.png").write_bytes(PNG)
    window = open_window(qtbot, engine=False)
    window.drafts.open(draft.id)
    qtbot.waitUntil(lambda: window.drafts.draft is not None and window.drafts.draft.id == draft.id)

    monkeypatch.setattr(
        image_actions.QFileDialog, "getOpenFileName", lambda *a, **k: (str(tmp_path / "photo.png"), "")
    )
    answers = iter([("", True), ("Boats moored at dusk", True)])
    monkeypatch.setattr(image_actions.QInputDialog, "getMultiLineText", lambda *a, **k: next(answers))
    window.findChild(type(window.new_action), "attachImage").trigger()
    wait_findings(qtbot, window, lambda fs: any(f.rule == "Platform.AltText" for f in fs))
    assert [m.alt for m in DraftMedia(store.db).list(draft.id)] == [""]

    window.findChild(type(window.new_action), "describeImages").trigger()
    wait_findings(qtbot, window, lambda fs: not any("AltText" in f.rule for f in fs))
    assert [m.alt for m in DraftMedia(store.db).list(draft.id)] == ["Boats moored at dusk"]
    close_window(qtbot, window)
