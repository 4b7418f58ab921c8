"""After a full run (accounts added, tested, published, failed, queued, exported) no secret appears in
the database, logs, command output, exports or the shared folder. Uses the Mastodon STAND-IN."""

from __future__ import annotations

import io
import logging

from desktop.cli import main


def test_no_secret_leaves_the_keyring(
    publish_profile, mastodon_standin, greenlight_home, tmp_path, monkeypatch, capsys, caplog
):
    store, service = publish_profile
    caplog.set_level(logging.DEBUG)
    monkeypatch.setattr("desktop.publish.service.default_gate", lambda: service._gate)
    used = {
        "mastodon": mastodon_standin.token,
        "bluesky": "bsky-app-pass-qq7w-k3m9",
        "wordpress": "WpAppPass 1234 abcd EFGH 5678",
    }
    transcript = []

    def cli(argv, stdin=""):
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        code = main(argv)
        out = capsys.readouterr()
        transcript.append(out.out + out.err)
        return code

    assert (
        cli(
            [
                "accounts",
                "add",
                "--platform",
                "mastodon",
                "--handle",
                "alice",
                "--server",
                mastodon_standin.url,
            ],
            used["mastodon"],
        )
        == 0
    )
    assert (
        cli(
            [
                "accounts",
                "add",
                "--platform",
                "bluesky",
                "--handle",
                "a.test",
                "--server",
                "http://127.0.0.1:9",
            ],
            used["bluesky"],
        )
        == 0
    )
    assert (
        cli(
            [
                "accounts",
                "add",
                "--platform",
                "wordpress",
                "--handle",
                "ed",
                "--server",
                "http://127.0.0.1:9",
            ],
            used["wordpress"],
        )
        == 0
    )
    assert cli(["accounts", "test", "mastodon:alice"]) == 0
    assert cli(["accounts", "test", "bluesky:a.test"]) == 4
    assert cli(["accounts", "list"]) == 0
    draft = store.create("Full run.")
    assert (
        cli(
            [
                "publish",
                draft.id,
                "--account",
                "mastodon:alice",
                "--account",
                "bluesky:a.test",
                "--account",
                "wordpress:ed",
            ]
        )
        == 4
    )
    assert cli(["outbox", "list", "--all"]) == 0
    assert cli(["outbox", "retry"]) == 0
    assert len(mastodon_standin.state.statuses) == 1
    shared = tmp_path / "shared"
    shared.mkdir()
    from desktop.trust.ledger import Ledger

    assert Ledger(store.db).export_to(shared / "me") >= 1
    assert cli(["drafts", "export", "--all", "--to", str(tmp_path / "export")]) == 0

    haystacks = {"cli output": "\n".join(transcript).encode(), "log records": caplog.text.encode()}
    for root in (greenlight_home, shared, tmp_path):
        for path in root.rglob("*"):
            if path.is_file():
                haystacks[str(path)] = path.read_bytes()
    assert len(haystacks) > 4
    for name, secret in used.items():
        for where, data in haystacks.items():
            assert secret.encode() not in data, f"the {name} secret leaked into {where}"
