"""Team provisioning: `greenlight team package` signs the team's setup; first start verifies and applies it.

Real parts throughout: real files, real Ed25519 signatures, the real profile database (root key
pin) and, for the CLI, the real OS keyring (gnome-keyring on a private D-Bus, `os_keyring`).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from desktop.cli import main
from desktop.paths import config_dir, database_path
from desktop.provisioning import (
    AdoptStatus,
    TeamProfileError,
    adopt_bundled_team,
    installed_team,
    package_team,
    team_guidelines_dir,
    verify_team_dir,
)
from desktop.store.database import open_database
from desktop.trust.events import public_key_text
from desktop.trust.policy import load_policy
from desktop.trust.roster import pinned_root

REPO = Path(__file__).resolve().parent.parent
SHIPPED_POLICY = REPO / "guidelines" / "policy.yml"


def _team_policy(tmp_path: Path) -> Path:
    """The shipped policy with one visible change, so tests can tell the team's policy from the default."""
    text = SHIPPED_POLICY.read_text(encoding="utf-8").replace("  4: Lead\n", "  4: Comms Lead\n")
    assert "Comms Lead" in text
    path = tmp_path / "team-policy.yml"
    path.write_text(text, encoding="utf-8")
    return path


def _guidelines(tmp_path: Path) -> Path:
    root = tmp_path / "team-guidelines"
    (root / "Acme").mkdir(parents=True, exist_ok=True)
    (root / "Acme" / "Competitors.yml").write_text(
        "extends: existence\nmessage: \"Don't name competitors: '%s'\"\nlevel: error\ntokens:\n  - Globex\n",
        encoding="utf-8",
    )
    (root / "Acme" / "Tone.yml").write_text(
        "extends: substitution\nmessage: \"Say '%s' instead of '%s'\"\nlevel: warning\nswap:\n  utilize: use\n",
        encoding="utf-8",
    )
    return root


@pytest.fixture
def root_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


@pytest.fixture
def team_dir(tmp_path: Path, root_key: Ed25519PrivateKey) -> Path:
    out = tmp_path / "build" / "team"
    package_team(
        out,
        guidelines=_guidelines(tmp_path),
        policy=_team_policy(tmp_path),
        root_key=public_key_text(root_key.public_key()),
        signing_key=root_key,
        team_name="Acme Comms",
        shared_folder_hint="~/Acme Share/Greenlight",
    )
    return out


def test_package_writes_a_signed_profile_that_verifies(team_dir: Path, root_key: Ed25519PrivateKey) -> None:
    profile = verify_team_dir(team_dir, pinned_root_key=public_key_text(root_key.public_key()))
    assert profile.team_name == "Acme Comms"
    assert profile.shared_folder_hint == "~/Acme Share/Greenlight"
    assert sorted(profile.files) == [
        "guidelines/Acme/Competitors.yml",
        "guidelines/Acme/Tone.yml",
        "policy.yml",
    ]
    assert "Globex" in (profile.guidelines_dir / "Acme" / "Competitors.yml").read_text()
    manifest = json.loads((team_dir / "team.json").read_text())
    assert manifest["root_key"] == public_key_text(root_key.public_key())
    assert manifest["signature"]


@pytest.mark.parametrize(
    ("tamper", "expected"),
    [
        (lambda d: (d / "guidelines/Acme/Tone.yml").write_text("extends: existence\n"), "was changed after"),
        (lambda d: (d / "guidelines/Acme/Competitors.yml").unlink(), "missing"),
        (
            lambda d: (d / "guidelines/Acme/Extra.yml").write_text("extends: existence\n"),
            "not part of the signed",
        ),
        (
            lambda d: (d / "team.json").write_text(
                (d / "team.json").read_text().replace("Acme Comms", "Evil Comms")
            ),
            "signature does not match",
        ),
        (lambda d: (d / "team.json").write_text("{not json"), "damaged"),
    ],
    ids=["edited-rule", "deleted-rule", "added-rule", "edited-manifest", "garbled-manifest"],
)
def test_a_tampered_profile_is_refused_and_says_which_file(team_dir: Path, tamper, expected: str) -> None:
    tamper(team_dir)
    with pytest.raises(TeamProfileError, match=expected):
        verify_team_dir(team_dir)


def test_a_profile_resigned_with_another_key_is_refused_once_a_root_is_pinned(
    tmp_path: Path, team_dir: Path, root_key: Ed25519PrivateKey
) -> None:
    forger = Ed25519PrivateKey.generate()
    forged = package_team(
        tmp_path / "forged",
        guidelines=_guidelines(tmp_path),
        policy=_team_policy(tmp_path),
        root_key=public_key_text(forger.public_key()),
        signing_key=forger,
        team_name="Acme Comms",
    )
    verify_team_dir(forged.directory)  # valid on its own ...
    with pytest.raises(TeamProfileError, match="this profile belongs to the team with root key"):
        verify_team_dir(forged.directory, pinned_root_key=public_key_text(root_key.public_key()))


def test_first_start_adopts_the_team_setup_pins_the_root_and_uses_the_team_policy(
    tmp_path: Path, team_dir: Path, root_key: Ed25519PrivateKey, capsys: pytest.CaptureFixture[str]
) -> None:
    result = adopt_bundled_team(team_dir)
    assert result.status is AdoptStatus.ADOPTED, result.message
    db = open_database(database_path())
    try:
        assert pinned_root(db) == public_key_text(root_key.public_key())
    finally:
        db.conn.close()
    assert load_policy().levels[4] == "Comms Lead"
    guidelines = team_guidelines_dir()
    assert guidelines is not None and (guidelines / "Acme" / "Competitors.yml").is_file()
    # ... and the packs are where the app loads the team's guidelines from, switched on for `check`.
    assert "Globex" in (config_dir() / "guidelines" / "Acme" / "Competitors.yml").read_text()
    post = tmp_path / "post.txt"
    post.write_text("We beat Globex again.\n")
    assert main(["check", "--format", "json", str(post)]) == 1
    assert "Acme.Competitors" in capsys.readouterr().out
    # Starting again changes nothing.
    assert adopt_bundled_team(team_dir).status is AdoptStatus.UNCHANGED


def test_a_tampered_bundle_is_not_applied_and_the_app_keeps_its_defaults(team_dir: Path) -> None:
    (team_dir / "policy.yml").write_text(SHIPPED_POLICY.read_text().replace("min_level: 3", "min_level: 0"))
    result = adopt_bundled_team(team_dir)
    assert result.status is AdoptStatus.REFUSED
    assert "policy.yml" in result.message and "NOT applied" in result.message
    assert not (config_dir() / "policy.yml").exists()
    assert installed_team() is None
    db = open_database(database_path())
    try:
        assert pinned_root(db) is None
    finally:
        db.conn.close()


def test_an_upgrade_signed_by_the_pinned_root_replaces_the_team_setup(
    tmp_path: Path, team_dir: Path, root_key: Ed25519PrivateKey
) -> None:
    assert adopt_bundled_team(team_dir).status is AdoptStatus.ADOPTED
    guidelines = _guidelines(tmp_path / "v2")
    (guidelines / "Acme" / "Crisis.yml").write_text("extends: existence\nmessage: crisis\ntokens: [outage]\n")
    upgraded = package_team(
        tmp_path / "v2" / "team",
        guidelines=guidelines,
        policy=_team_policy(tmp_path),
        root_key=public_key_text(root_key.public_key()),
        signing_key=root_key,
        team_name="Acme Comms",
    )
    result = adopt_bundled_team(upgraded.directory)
    assert result.status is AdoptStatus.UPDATED, result.message
    assert (team_guidelines_dir() / "Acme" / "Crisis.yml").is_file()


def test_an_upgrade_keeps_a_policy_the_member_wrote_themselves(
    tmp_path: Path, team_dir: Path, root_key: Ed25519PrivateKey
) -> None:
    own = config_dir() / "policy.yml"
    own.write_text(SHIPPED_POLICY.read_text().replace("  4: Lead\n", "  4: My Own Lead\n"))
    result = adopt_bundled_team(team_dir)
    assert result.status is AdoptStatus.ADOPTED
    assert "your own" in result.message
    assert "My Own Lead" in own.read_text()


def test_an_upgrade_keeps_guidelines_that_arrived_later_through_the_shared_folder(
    tmp_path: Path, team_dir: Path, root_key: Ed25519PrivateKey
) -> None:
    adopt_bundled_team(team_dir)
    newer = config_dir() / "guidelines" / "Acme" / "Published.yml"
    newer.write_text("extends: existence\nmessage: newer\ntokens: [foo]\n")
    upgraded = package_team(
        tmp_path / "v2" / "team",
        guidelines=_guidelines(tmp_path / "v2"),
        policy=_team_policy(tmp_path),
        root_key=public_key_text(root_key.public_key()),
        signing_key=root_key,
        team_name="Acme Comms",
        created="2030-01-01T00:00:00Z",
    )
    result = adopt_bundled_team(upgraded.directory)
    assert result.status is AdoptStatus.UPDATED
    assert newer.is_file() and "was kept" in result.message


def test_a_member_who_joined_another_team_does_not_adopt_this_one(team_dir: Path) -> None:
    from desktop.trust.roster import pin_root

    other = public_key_text(Ed25519PrivateKey.generate().public_key())
    db = open_database(database_path())
    try:
        pin_root(db, other)
    finally:
        db.conn.close()
    result = adopt_bundled_team(team_dir)
    assert result.status is AdoptStatus.REFUSED
    assert "root key" in result.message


def test_the_profile_copy_is_reverified_when_read(team_dir: Path) -> None:
    adopt_bundled_team(team_dir)
    copy = installed_team()
    assert copy is not None
    (copy.guidelines_dir / "Acme" / "Tone.yml").write_text("extends: existence\n")
    with pytest.raises(TeamProfileError, match="Tone.yml"):
        team_guidelines_dir()


def _broken_pack(base: Path) -> Path:
    (base / "bad" / "S").mkdir(parents=True)
    (base / "bad" / "S" / "R.yml").write_text("extends: existence\ntokens: [a\n")
    return base / "bad"


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda d: d / "nowhere", "not found"),
        (lambda d: (d / "empty").mkdir() or d / "empty", "no rule files"),
        (lambda d: _broken_pack(d), r"R.yml: line \d+"),
    ],
    ids=["missing", "empty", "bad-yaml"],
)
def test_bad_guidelines_are_refused_before_anything_is_written(
    tmp_path: Path, root_key: Ed25519PrivateKey, make, expected: str
) -> None:
    out = tmp_path / "out"
    with pytest.raises(TeamProfileError, match=expected):
        package_team(
            out,
            guidelines=make(tmp_path),
            policy=_team_policy(tmp_path),
            root_key=public_key_text(root_key.public_key()),
            signing_key=root_key,
            team_name="T",
        )
    assert not out.exists()


def test_an_invalid_policy_is_refused_with_its_line(tmp_path: Path, root_key: Ed25519PrivateKey) -> None:
    bad = tmp_path / "policy.yml"
    bad.write_text(SHIPPED_POLICY.read_text().replace("lead_level: 4", "lead_level: 9"))
    with pytest.raises(TeamProfileError, match=r"policy.yml.*nothing was packaged"):
        package_team(
            tmp_path / "out",
            guidelines=_guidelines(tmp_path),
            policy=bad,
            root_key=public_key_text(root_key.public_key()),
            signing_key=root_key,
            team_name="T",
        )


def test_packaging_with_a_key_that_is_not_the_root_is_refused(
    tmp_path: Path, root_key: Ed25519PrivateKey
) -> None:
    other = Ed25519PrivateKey.generate()
    with pytest.raises(TeamProfileError, match="is not the root key"):
        package_team(
            tmp_path / "out",
            guidelines=_guidelines(tmp_path),
            policy=_team_policy(tmp_path),
            root_key=public_key_text(root_key.public_key()),
            signing_key=other,
            team_name="T",
        )


def test_repackaging_replaces_the_previous_profile(tmp_path: Path, team_dir: Path, root_key) -> None:
    guidelines = _guidelines(tmp_path)
    (guidelines / "Acme" / "Tone.yml").unlink()
    package_team(
        team_dir,
        guidelines=guidelines,
        policy=_team_policy(tmp_path),
        root_key=public_key_text(root_key.public_key()),
        signing_key=root_key,
        team_name="Acme Comms",
    )
    assert sorted(verify_team_dir(team_dir).files) == ["guidelines/Acme/Competitors.yml", "policy.yml"]
    assert not list(tmp_path.joinpath("build").glob(".team-*"))


def test_team_package_cli_signs_with_the_key_in_the_os_keyring(
    os_keyring, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["identity", "init", "--name", "Lead Admin"]) == 0
    db = open_database(database_path())
    try:
        from desktop.trust.identity import require_identity

        public = require_identity(db).public_key
    finally:
        db.conn.close()
    capsys.readouterr()
    out = tmp_path / "team"
    code = main(
        [
            "team",
            "package",
            "--guidelines",
            str(_guidelines(tmp_path)),
            "--policy",
            str(_team_policy(tmp_path)),
            "--root-key",
            public,
            "--shared-folder-hint",
            "/srv/share",
            "--team-name",
            "Acme Comms",
            "--out",
            str(out),
            "--format",
            "json",
        ]
    )
    assert code == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["team_name"] == "Acme Comms" and printed["root_key"] == public
    assert verify_team_dir(out, pinned_root_key=public).shared_folder_hint == "/srv/share"
    # Nothing secret in the profile: only the public key appears.
    blob = "".join(p.read_text() for p in out.rglob("*") if p.is_file())
    assert public in blob


def test_team_package_cli_with_someone_elses_root_key_exits_2(
    os_keyring, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["identity", "init", "--name", "Not The Lead"]) == 0
    someone_else = public_key_text(Ed25519PrivateKey.generate().public_key())
    code = main(
        [
            "team",
            "package",
            "--guidelines",
            str(_guidelines(tmp_path)),
            "--policy",
            str(_team_policy(tmp_path)),
            "--root-key",
            someone_else,
            "--out",
            str(tmp_path / "team"),
        ]
    )
    assert code == 2
    assert "is not the root key" in capsys.readouterr().err
    assert not (tmp_path / "team").exists()


def test_team_setup_cli_reports_a_tampered_bundle(
    team_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GREENLIGHT_TEAM_DIR", str(team_dir))
    assert main(["team", "setup", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["status"] == "adopted"
    shutil.copy(team_dir / "policy.yml", team_dir / "guidelines" / "sneaky.yml")
    assert main(["team", "setup"]) == 2
    assert "sneaky.yml" in capsys.readouterr().err


def test_a_real_vale_pack_travels_through_the_installer_setup_into_check(
    tmp_path: Path, root_key: Ed25519PrivateKey, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.conftest import VALE_PACKS

    pack = VALE_PACKS / "write-good"
    assert (pack / "write-good").is_dir(), f"third-party test packs missing at {VALE_PACKS}"
    team = package_team(
        tmp_path / "team",
        guidelines=pack,
        policy=_team_policy(tmp_path),
        root_key=public_key_text(root_key.public_key()),
        signing_key=root_key,
        team_name="Acme Comms",
    )
    assert any(name.startswith("guidelines/write-good/") for name in team.files)
    assert adopt_bundled_team(team.directory).status is AdoptStatus.ADOPTED
    post = tmp_path / "post.txt"
    post.write_text("The report was written by the intern and it is very unique.\n")
    main(["check", "--format", "vale-json", str(post)])
    alerts = json.loads(capsys.readouterr().out)[str(post)]
    assert any(a["Check"].startswith("write-good.") for a in alerts), alerts


def test_the_gate_follows_the_installers_signed_policy_not_an_edited_local_copy(team_dir: Path) -> None:
    """After first start, a member editing `policy.yml` changes nothing the gate decides: the policy
    in force is the one whose manifest verifies against the pinned root key."""
    from desktop.trust.policy_in_force import policy_in_force

    assert adopt_bundled_team(team_dir).status is AdoptStatus.ADOPTED
    own = config_dir() / "policy.yml"
    own.write_text(SHIPPED_POLICY.read_text().replace("  4: Lead\n", "  4: Self-made Lead\n"))
    db = open_database(database_path())
    try:
        in_force = policy_in_force(db)
    finally:
        db.conn.close()
    assert in_force.source == "installer"
    assert in_force.policy.levels[4] == "Comms Lead"
    assert in_force.note and "differs from the team's signed policy" in in_force.note
