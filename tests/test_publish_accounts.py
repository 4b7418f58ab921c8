"""Publishing accounts: the secret goes to the real OS keyring (gnome-keyring on a private D-Bus) only."""

from __future__ import annotations

import io
import json
import sqlite3

import keyring
import pytest

from desktop.cli import main
from desktop.publish import secrets


def _cli(monkeypatch, capsys, argv, stdin=""):
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_add_reads_secret_from_stdin_and_keeps_it_only_in_the_keyring(
    os_keyring, greenlight_home, monkeypatch, capsys
):
    secret = "app-pass-4fq2-9zzk-x1"
    code, out, err = _cli(
        monkeypatch,
        capsys,
        ["accounts", "add", "--platform", "bluesky", "--handle", "@alice.test"],
        secret + "\n",
    )
    assert code == 0, err
    assert "bluesky:alice.test" in out
    code, out, _ = _cli(monkeypatch, capsys, ["accounts", "list", "--format", "json"])
    [row] = json.loads(out)
    assert row["server"] == "https://bsky.social" and secret not in out
    ref = secrets.ref_for(row["id"])
    assert ref.service.startswith("greenlight:")
    assert keyring.get_password(ref.service, ref.username) == secret
    with sqlite3.connect(greenlight_home / "greenlight.db") as conn:
        dump = "\n".join(conn.iterdump())
    assert secret not in dump and ref.username in dump


def test_profiles_do_not_share_keyring_entries(os_keyring, tmp_path, monkeypatch, capsys):
    for name, secret in (("one", "secret-of-profile-one"), ("two", "secret-of-profile-two")):
        monkeypatch.setenv("GREENLIGHT_HOME", str(tmp_path / name))
        code, _, err = _cli(
            monkeypatch,
            capsys,
            [
                "accounts",
                "add",
                "--platform",
                "mastodon",
                "--handle",
                "alice",
                "--server",
                "https://m.example",
            ],
            secret,
        )
        assert code == 0, err
    from desktop.publish.accounts import AccountStore
    from desktop.store import DraftStore

    for name, secret in (("one", "secret-of-profile-one"), ("two", "secret-of-profile-two")):
        monkeypatch.setenv("GREENLIGHT_HOME", str(tmp_path / name))
        accounts = AccountStore(DraftStore.open().db)
        assert accounts.secret(accounts.get("mastodon:alice")) == secret


def test_without_an_os_keyring_the_secret_is_refused_with_what_to_install(
    os_keyring, greenlight_home, monkeypatch, capsys
):
    from keyring.backends import fail

    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        code, out, err = _cli(
            monkeypatch,
            capsys,
            [
                "accounts",
                "add",
                "--platform",
                "wordpress",
                "--handle",
                "ed",
                "--server",
                "https://blog.example",
            ],
            "never-stored-anywhere",
        )
    finally:
        keyring.set_keyring(before)
    assert code == 2
    assert "apt-get install gnome-keyring" in err and "not stored anywhere" in err
    code, out, _ = _cli(monkeypatch, capsys, ["accounts", "list", "--format", "json"])
    assert json.loads(out) == []
    for path in greenlight_home.rglob("*"):
        if path.is_file():
            assert b"never-stored-anywhere" not in path.read_bytes()


def test_remove_deletes_the_keyring_entry(os_keyring, monkeypatch, capsys):
    _cli(
        monkeypatch,
        capsys,
        ["accounts", "add", "--platform", "mastodon", "--handle", "bo", "--server", "m.example"],
        "tok-123",
    )
    code, out, _ = _cli(monkeypatch, capsys, ["accounts", "list", "--format", "json"])
    [row] = json.loads(out)
    assert row["server"] == "https://m.example"
    code, out, err = _cli(monkeypatch, capsys, ["accounts", "remove", "mastodon:bo"])
    assert code == 0, err
    ref = secrets.ref_for(row["id"])
    assert keyring.get_password(ref.service, ref.username) is None


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--platform", "wordpress", "--handle", "ed"], "needs --server"),
        (
            ["--platform", "mastodon", "--handle", "a b", "--server", "m.example"],
            "not a valid mastodon handle",
        ),
        (["--platform", "mastodon", "--handle", "a", "--server", "ftp://m.example"], "not an http(s) URL"),
    ],
)
def test_bad_account_input_is_explained(os_keyring, monkeypatch, capsys, argv, message):
    code, _, err = _cli(monkeypatch, capsys, ["accounts", "add", *argv], "secret")
    assert code == 2
    assert message in err


def test_empty_secret_is_refused(os_keyring, monkeypatch, capsys):
    code, _, err = _cli(
        monkeypatch, capsys, ["accounts", "add", "--platform", "bluesky", "--handle", "a.test"], "\n"
    )
    assert code == 2
    assert "no secret given" in err
