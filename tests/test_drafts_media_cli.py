"""`greenlight drafts media ...` and `drafts show`'s images, as a script uses them; and
`greenlight publish` sending the draft's own images with their alt text, to the Mastodon STAND-IN
(tests/fixtures/mastodon_standin.py: no real Mastodon server can run here)."""

from __future__ import annotations

import io
import json
from pathlib import Path

from desktop.cli import main
from desktop.publish.accounts import AccountStore
from tests.fixtures.publish_env import PNG


def _cli(monkeypatch, capsys, *argv: str) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def _png(tmp_path: Path, name: str = "chart.png") -> str:
    path = tmp_path / name
    path.write_bytes(PNG)
    return str(path)


def test_add_alt_list_remove_and_show_json(store, tmp_path, monkeypatch, capsys) -> None:
    draft = store.create("Results are in", platforms=["bluesky"])

    code, out, err = _cli(monkeypatch, capsys, "drafts", "media", "add", draft.id, _png(tmp_path))
    assert code == 0, err
    media_id = out.strip()
    assert media_id.isdigit()
    assert f"greenlight drafts media alt {media_id} TEXT" in err, "a missing alt text is pointed out at once"
    code, out, _ = _cli(
        monkeypatch, capsys, "drafts", "media", "add", draft.id, _png(tmp_path, "b.png"), "--alt", "A bar"
    )
    second_id = out.strip()

    code, out, _ = _cli(monkeypatch, capsys, "drafts", "media", "list", draft.id, "--format", "json")
    listed = json.loads(out)
    assert [(m["id"], m["name"], m["alt"]) for m in listed] == [
        (int(media_id), "chart.png", ""),
        (int(second_id), "b.png", "A bar"),
    ]

    assert _cli(monkeypatch, capsys, "drafts", "media", "alt", media_id, "Votes by region")[0] == 0
    assert _cli(monkeypatch, capsys, "drafts", "media", "remove", second_id)[0] == 0

    code, out, _ = _cli(monkeypatch, capsys, "drafts", "show", draft.id, "--format", "json")
    shown = json.loads(out)
    assert [(m["id"], m["path"], m["alt"]) for m in shown["media"]] == [
        (int(media_id), str((tmp_path / "chart.png").resolve()), "Votes by region")
    ]
    code, out, _ = _cli(monkeypatch, capsys, "drafts", "show", draft.id)
    assert "chart.png" in out and "Votes by region" in out
    code, out, _ = _cli(monkeypatch, capsys, "drafts", "media", "list", draft.id)
    assert out.count("\n") == 1 and "Votes by region" in out


def test_show_json_of_a_draft_without_images_has_an_empty_media_list(store, monkeypatch, capsys) -> None:
    draft = store.create("Words only")
    code, out, _ = _cli(monkeypatch, capsys, "drafts", "show", draft.id, "--format", "json")
    assert code == 0 and json.loads(out)["media"] == []


def test_bad_input_exits_2_naming_the_problem(store, tmp_path, monkeypatch, capsys) -> None:
    draft = store.create("Careful")
    (tmp_path / "readme.png").write_text("hello", encoding="utf-8")

    code, out, err = _cli(
        monkeypatch, capsys, "drafts", "media", "add", draft.id, str(tmp_path / "readme.png")
    )
    assert code == 2 and "readme.png: not a PNG, JPEG, GIF or WebP image" in err and out == ""
    code, _, err = _cli(monkeypatch, capsys, "drafts", "media", "add", draft.id, str(tmp_path / "gone.png"))
    assert code == 2 and "gone.png: no such file" in err
    code, _, err = _cli(monkeypatch, capsys, "drafts", "media", "alt", "4242", "text")
    assert code == 2 and "no image with media id 4242" in err
    code, _, err = _cli(monkeypatch, capsys, "drafts", "media", "list", "missing-draft")
    assert code == 2 and "no draft with id" in err


def test_publish_without_image_options_sends_the_drafts_images_with_alt_text(
    publish_profile, mastodon_standin, tmp_path, monkeypatch, capsys
) -> None:
    store, service = publish_profile
    AccountStore(store.db).add("mastodon", "alice", mastodon_standin.token, server=mastodon_standin.url)
    draft = store.create("Our new logo.", platforms=["mastodon"])
    # The trust policy is not under test here: allow_gate (tests/fixtures/publish_env.py) stands in.
    monkeypatch.setattr("desktop.publish.service.default_gate", lambda: service._gate)
    code, out, _ = _cli(monkeypatch, capsys, "drafts", "media", "add", draft.id, _png(tmp_path, "logo.png"))
    media_id = out.strip()

    code, _, err = _cli(monkeypatch, capsys, "publish", draft.id, "--account", "mastodon:alice")
    assert code == 2
    assert f"image {media_id} of the draft has no alt text" in err and "logo.png" in err
    assert mastodon_standin.state.statuses == [] and mastodon_standin.state.media == {}

    _cli(monkeypatch, capsys, "drafts", "media", "alt", media_id, "A green tick in a circle")
    code, out, err = _cli(monkeypatch, capsys, "publish", draft.id, "--account", "mastodon:alice")

    assert code == 0, out + err
    [status] = mastodon_standin.state.statuses
    [attachment] = status["media_attachments"]
    assert attachment["description"] == "A green tick in a circle"
    assert attachment["size"] == len(PNG)
