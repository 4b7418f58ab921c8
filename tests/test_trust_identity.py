"""Identity: an Ed25519 key pair whose private half lives only in the real OS keyring (gnome-keyring's
Secret Service on a private D-Bus), namespaced per profile."""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from tests.fixtures.trust_profiles import Team


def private_key_text(profile) -> str:
    import keyring

    with profile.active():
        from desktop.paths import profile_id

        secret = keyring.get_password(f"greenlight:{profile_id()}", "signing-key")
    assert secret, "the private key should be in the OS keyring"
    return secret


def files_under(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file())


def test_identity_init_and_show(team: Team) -> None:
    ana = team.profile("Ana")
    created = ana.ok("identity", "init", "--name", "Ana Ortiz")
    assert "public key:" in created.out and "fingerprint:" in created.out
    shown = ana.ok("identity", "show", "--format", "json").json()
    assert shown["name"] == "Ana Ortiz"
    assert shown["public_key"].startswith("ed25519:")
    assert len(base64.b64decode(shown["public_key"].removeprefix("ed25519:"))) == 32
    assert len(shown["fingerprint"]) == 19 and shown["fingerprint"].count(":") == 3
    again = ana.run("identity", "init", "--name", "Other")
    assert again.code == 2 and "already has an identity" in again.err


def test_show_without_identity_says_what_to_do(team: Team) -> None:
    result = team.profile("Nobody").run("identity", "show")
    assert result.code == 2 and "greenlight identity init --name" in result.err


def test_private_key_is_only_in_the_keyring_and_namespaced_per_profile(team: Team) -> None:
    people = team.start("Lena", {"Wes": 1})
    lead, writer = people["Lena"], people["Wes"]
    draft = writer.new_draft("Hello")
    writer.ok("submit", draft)
    team.sync()
    lead_secret, writer_secret = private_key_text(lead), private_key_text(writer)
    assert lead_secret != writer_secret
    raw = base64.b64decode(writer_secret)
    for profile in (lead, writer):
        stored = files_under(profile.home)  # database, WAL, anything else in the profile
        for secret in (lead_secret, writer_secret):
            assert secret.encode() not in stored
        assert raw not in stored
    shared = files_under(team.folder)
    assert writer_secret.encode() not in shared and lead_secret.encode() not in shared and raw not in shared


def test_missing_keyring_entry_is_a_clear_error_and_nothing_is_signed(team: Team) -> None:
    import keyring

    ana = team.profile("Ana")
    ana.init_identity()
    ana.ok("team", "init")
    draft = ana.new_draft("Hello")
    with ana.active():
        from desktop.paths import profile_id

        keyring.delete_password(f"greenlight:{profile_id()}", "signing-key")
    result = ana.run("submit", draft)
    assert result.code == 2
    assert "not in this OS keyring" in result.err
    db = ana.db()
    assert db.execute("SELECT count(*) FROM events WHERE kind = 'approval.submitted'").fetchone()[0] == 0


def test_without_any_keyring_backend_the_error_names_what_to_install(team: Team) -> None:
    # keyring's own "no backend" stand-in: exactly what a machine without a Secret Service gives.
    ana = team.profile("Ana")
    import os

    saved = os.environ.get("PYTHON_KEYRING_BACKEND")
    os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    try:
        result = ana.run_subprocess("identity", "init", "--name", "Ana")
    finally:
        os.environ["PYTHON_KEYRING_BACKEND"] = saved or ""
        if saved is None:
            del os.environ["PYTHON_KEYRING_BACKEND"]
    assert result.code == 2
    assert "gnome-keyring" in result.err and "keyring" in result.err
    assert ana.run("identity", "show").code == 2  # no half-made identity left behind


def test_identity_works_from_a_separate_process(team: Team) -> None:
    ana = team.profile("Ana")
    result = ana.run_subprocess("identity", "init", "--name", "Ana", "--format", "json")
    assert result.code == 0, result.err
    assert ana.ok("identity", "show", "--format", "json").json()["public_key"] == result.json()["public_key"]
    private_key_text(ana)
