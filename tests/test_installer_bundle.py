"""The installer, end to end: build the frozen app and the .deb, install it into a fresh root, run it.

The bundle is built once per tree (cached, see tests/fixtures/installer_build.py) with a team setup
baked in, unpacked with `dpkg -x` into an empty folder, and run from there with a PATH that holds no
Python at all, offscreen: the window opens (`gui --smoke-test`), `check` lints posts with the team's
rules, the OS keyring (gnome-keyring on a private D-Bus) takes the signing key, and a tampered team
setup is refused.
"""

from __future__ import annotations

import base64
import configparser
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from tests.fixtures.installer_build import TEAM_NAME, TEAM_RULE, TEAM_WORD, Built, build_installer

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1200)]


@pytest.fixture(scope="session")
def built() -> Built:
    return build_installer()


def _unpack(deb: Path, root: Path) -> Path:
    subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True)
    return root


@pytest.fixture(scope="session")
def installed(built: Built, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The .deb unpacked into a fresh, empty root (as dpkg would install it)."""
    return _unpack(built.deb, tmp_path_factory.mktemp("fresh-root"))


@pytest.fixture(scope="session")
def no_python_path(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A PATH with the usual shell tools and no Python interpreter anywhere on it."""
    bin_dir = tmp_path_factory.mktemp("bin-without-python")
    for tool in ("sh", "env", "ls", "cat", "dbus-daemon"):
        found = shutil.which(tool, path="/usr/bin:/bin")
        if found:
            (bin_dir / tool).symlink_to(found)
    path = str(bin_dir)
    for name in ("python", "python3", "python3.11"):
        assert shutil.which(name, path=path) is None
    return path


def _run(
    root: Path, path: str, home: Path, *args: str, extra: dict[str, str] | None = None, timeout: int = 120
):
    """Run the installed `greenlight` (via /usr/bin/greenlight in the unpacked root), nothing inherited."""
    home.mkdir(parents=True, exist_ok=True)
    runtime = home / "run"
    runtime.mkdir(mode=0o700, exist_ok=True)
    env = {
        "PATH": path,
        "HOME": str(home),
        "GREENLIGHT_HOME": str(home / "profile"),
        "XDG_RUNTIME_DIR": str(runtime),
        "QT_QPA_PLATFORM": "offscreen",
        "LANG": "C.UTF-8",
        **(extra or {}),
    }
    return subprocess.run(
        [str(root / "usr" / "bin" / "greenlight"), *args],
        env=env,
        cwd=home,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def _control(deb: Path) -> dict[str, str]:
    text = subprocess.run(["dpkg-deb", "-f", str(deb)], capture_output=True, text=True, check=True).stdout
    fields: dict[str, str] = {}
    for line in text.splitlines():
        if line[:1].isspace():
            continue
        key, _, value = line.partition(":")
        fields[key] = value.strip()
    return fields


def _packages(relation: str) -> set[str]:
    """Every package name a Depends/Recommends field mentions (alternatives included)."""
    return {re.split(r"[\s(]", alt.strip())[0] for part in relation.split(",") for alt in part.split("|")}


def test_the_package_installs_to_opt_with_a_launcher_desktop_entry_and_icons(
    built: Built, installed: Path
) -> None:
    fields = _control(built.deb)
    assert fields["Package"] == "greenlight" and fields["Version"] == "0.1.0"
    assert built.deb.name == f"greenlight_0.1.0_{fields['Architecture']}.deb"
    app = installed / "opt" / "greenlight" / "greenlight"
    assert app.is_file() and os.access(app, os.X_OK)
    launcher = installed / "usr" / "bin" / "greenlight"
    assert launcher.is_symlink() and launcher.resolve() == app.resolve()
    entry = configparser.ConfigParser(interpolation=None)
    entry.read(installed / "usr" / "share" / "applications" / "greenlight.desktop", encoding="utf-8")
    desktop = entry["Desktop Entry"]
    assert desktop["Exec"].split()[0] == "greenlight" and desktop["Type"] == "Application"
    assert desktop["Icon"] == "greenlight"
    icons = installed / "usr" / "share" / "icons" / "hicolor"
    assert (icons / "scalable" / "apps" / "greenlight.svg").is_file()
    assert (icons / "48x48" / "apps" / "greenlight.png").is_file()
    # Data the app reads at run time is inside the bundle.
    internal = installed / "opt" / "greenlight" / "_internal"
    assert (internal / "guidelines" / "policy.yml").is_file()
    assert (internal / "team" / "team.json").is_file()
    assert (internal / "resources" / "icons" / "greenlight.svg").is_file()


def test_the_package_is_zstd_compressed_and_owned_by_root(built: Built) -> None:
    members = subprocess.run(
        ["ar", "t", str(built.deb)], capture_output=True, text=True, check=True
    ).stdout.split()
    assert "data.tar.zst" in members
    listing = subprocess.run(
        ["dpkg-deb", "-c", str(built.deb)], capture_output=True, text=True, check=True
    ).stdout
    owners = {line.split()[1] for line in listing.splitlines()}
    assert owners == {"root/root"}
    modes = [line.split()[0] for line in listing.splitlines()]
    assert not [m for m in modes if not m.startswith("l") and m[8] == "w"], (
        "world-writable files in the package"
    )


def _needed(elf: Path) -> list[str]:
    out = subprocess.run(["readelf", "-d", str(elf)], capture_output=True, text=True, check=False).stdout
    return re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", out)


def _owner(soname: str) -> str:
    """The Debian package that provides a system library (as the dynamic linker would find it)."""
    cache = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True, check=True).stdout.splitlines()
    lines = [line for line in cache if line.strip().startswith(soname + " ")]
    native = [line for line in lines if "x86-64" in line or "AArch64" in line] or lines
    assert native, f"{soname} is needed by the bundle but not installed here"
    path = native[0].rsplit("=>", 1)[-1].strip()
    for candidate in (path, os.path.realpath(path)):
        found = subprocess.run(["dpkg", "-S", candidate], capture_output=True, text=True, check=False).stdout
        if found:
            return found.split(":", 1)[0]
    raise AssertionError(f"no Debian package provides {soname} ({path})")


def test_depends_covers_every_system_library_the_bundle_links_against(built: Built, installed: Path) -> None:
    depends = _packages(_control(built.deb)["Depends"])
    bundle = installed / "opt" / "greenlight"
    elves = [p for p in bundle.rglob("*") if p.is_file() and (".so" in p.name or p.name == "greenlight")]
    bundled = {p.name for p in bundle.rglob("lib*.so*")}
    external = {so for elf in elves for so in _needed(elf)} - bundled
    assert external, "the bundle links against no system library at all? (readelf missing?)"
    missing = {so: _owner(so) for so in external if _owner(so) not in depends}
    assert not missing, f"libraries the bundle needs whose packages are not in Depends: {missing}"
    # What the Qt platform plugins need on a desktop, and the keyring/spelling the app recommends.
    assert {
        "libgl1",
        "libegl1",
        "libxcb-cursor0",
        "libxkbcommon0",
        "libfontconfig1",
        "libdbus-1-3",
    } <= depends
    assert {"gnome-keyring", "hunspell-en-us"} <= _packages(_control(built.deb)["Recommends"])


def test_apt_accepts_the_package_and_its_dependencies_resolve(built: Built) -> None:
    # --simulate: apt resolves Depends against this system and prints what it would do, changing nothing.
    result = subprocess.run(
        ["apt-get", "install", "--simulate", "--no-install-recommends", str(built.deb)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"^Inst greenlight ", result.stdout, re.MULTILINE), result.stdout


def test_the_bundle_carries_the_qt_plugins_it_needs_and_none_it_does_not(installed: Path) -> None:
    internal = installed / "opt" / "greenlight" / "_internal"
    names = {p.name for p in internal.rglob("*")}
    platforms = {p.name for p in (internal / "PySide6" / "Qt" / "plugins" / "platforms").iterdir()}
    assert {"libqoffscreen.so", "libqxcb.so", "libqwayland.so"} <= platforms
    assert "libqsvgicon.so" in names  # the app's SVG icons
    unwanted = re.compile(
        r"Qt6(WebEngine|Qml|Quick|Multimedia|3D|Pdf|Charts|Designer|Test|Sql)|libgtk-3|libqgtk3"
    )
    assert not sorted(n for n in names if unwanted.search(n))


def test_the_frozen_app_starts_without_any_python_on_the_path(
    installed: Path, no_python_path: str, tmp_path: Path
) -> None:
    result = _run(installed, no_python_path, tmp_path, "--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "greenlight 0.1.0"


def test_the_frozen_gui_smoke_test_opens_the_window_offscreen(
    installed: Path, no_python_path: str, tmp_path: Path
) -> None:
    result = _run(installed, no_python_path, tmp_path, "gui", "--smoke-test", timeout=180)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("greenlight gui: ok"), result.stdout
    # The guidelines loaded, and the live review's helper process started (it is the frozen binary
    # itself, run as `greenlight -m desktop.ui.child_process`): no "could not start", no traceback.
    assert re.search(r"\b[1-9]\d* rules in \d+ packs?\b", result.stdout), result.stdout
    assert "could not start" not in result.stdout, result.stdout
    assert "Traceback" not in result.stderr, result.stderr


def test_the_frozen_check_lints_a_post_with_the_teams_baked_rules(
    installed: Path, no_python_path: str, tmp_path: Path
) -> None:
    clean = tmp_path / "post.md"
    clean.write_text("# Launch day\n\nOur new app is out today. Try it and tell us what you think!\n")
    result = _run(installed, no_python_path, tmp_path, "check", "--format", "json", str(clean))
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert [f["path"] for f in report["files"]] == [str(clean)]
    assert not [f for f in report["files"][0]["findings"] if f["severity"] == "error"]

    setup = _run(installed, no_python_path, tmp_path, "team", "setup", "--format", "json")
    assert setup.returncode == 0, setup.stdout + setup.stderr
    adopted = json.loads(setup.stdout)
    assert adopted["status"] == "adopted" and adopted["team"]["team_name"] == TEAM_NAME

    rival = tmp_path / "rival.txt"
    rival.write_text(f"Unlike {TEAM_WORD}, we ship on time.\n")
    result = _run(installed, no_python_path, tmp_path, "check", "--format", "vale-json", str(rival))
    assert result.returncode == 1, result.stdout + result.stderr  # an error-level finding
    alerts = json.loads(result.stdout)[str(rival)]
    assert any(a["Check"] == TEAM_RULE and a["Match"] == TEAM_WORD for a in alerts)

    # The team's policy is the profile's policy now.
    policy = _run(installed, no_python_path, tmp_path, "trust", "policy")
    assert policy.returncode == 0, policy.stderr
    assert "4 Comms Lead" in policy.stdout and str(tmp_path / "profile") in policy.stdout


def test_the_frozen_spelling_checker_works_offline(
    installed: Path, no_python_path: str, tmp_path: Path
) -> None:
    (tmp_path / "profile").mkdir(parents=True, exist_ok=True)
    (tmp_path / "profile" / "grammar.json").write_text('{"mode": "spelling"}')
    post = tmp_path / "post.txt"
    post.write_text("This sentense has one mistake.\n")
    result = _run(installed, no_python_path, tmp_path, "grammar", "check", "--format", "json", str(post))
    assert result.returncode in (0, 1), result.stdout + result.stderr
    findings = json.loads(result.stdout)
    assert [f["match"] for f in findings] == ["sentense"]
    assert "sentence" in findings[0]["suggestions"]


def test_the_bundle_carries_the_publishing_grammar_and_keyring_libraries(built: Built) -> None:
    """These are imported only when used (publishing, LanguageTool), so check the archive itself."""
    from PyInstaller.archive.readers import CArchiveReader

    archive = CArchiveReader(str(built.dist / "greenlight"))
    modules = set(archive.open_embedded_archive("PYZ.pyz").toc)
    wanted = {
        "atproto_client",
        "mastodon",
        "language_tool_python",
        "spylls.hunspell",
        "markdown_it",
        "mdit_py_plugins",
        "cryptography.hazmat.primitives.asymmetric.ed25519",
        "keyring.backends.SecretService",
        "secretstorage",
        "jeepney.io.blocking",
        "desktop.ui.child_process",
        "desktop.provisioning",
    }
    assert wanted <= modules, sorted(wanted - modules)
    assert not {
        m for m in modules if m.split(".")[0] in {"pytest", "_pytest", "hypothesis", "tkinter", "PyInstaller"}
    }


def test_a_tampered_team_setup_in_the_installed_files_is_refused(
    built: Built, no_python_path: str, tmp_path: Path
) -> None:
    root = _unpack(built.deb, tmp_path / "root")
    rule = root / "opt" / "greenlight" / "_internal" / "team" / "guidelines" / "Acme" / "Competitors.yml"
    rule.write_text(rule.read_text().replace("level: error", "level: suggestion"))
    result = _run(root, no_python_path, tmp_path / "home", "team", "setup")
    assert result.returncode == 2
    assert "Competitors.yml" in result.stderr and "NOT applied" in result.stderr
    # The app still works, with the shipped defaults.
    post = tmp_path / "rival.txt"
    post.write_text(f"Unlike {TEAM_WORD}, we ship on time.\n")
    result = _run(root, no_python_path, tmp_path / "home", "check", "--format", "vale-json", str(post))
    assert TEAM_RULE not in result.stdout


def test_the_frozen_app_keeps_the_signing_key_in_the_os_keyring(
    installed: Path, no_python_path: str, tmp_path: Path, os_keyring: str
) -> None:
    # No PYTHON_KEYRING_BACKEND: the frozen app must find the Secret Service backend on its own.
    bus = {"DBUS_SESSION_BUS_ADDRESS": os_keyring}
    result = _run(installed, no_python_path, tmp_path, "identity", "init", "--name", "Frozen Ana", extra=bus)
    assert result.returncode == 0, result.stdout + result.stderr
    shown = _run(installed, no_python_path, tmp_path, "identity", "show", "--format", "json", extra=bus)
    assert shown.returncode == 0, shown.stderr
    public = json.loads(shown.stdout)["public_key"]

    # The private key is in the keyring (read back here through the same Secret Service) ...
    from desktop.store.database import open_database
    from desktop.trust.events import public_key_text
    from desktop.trust.identity import load_identity, signing_key

    db = open_database(tmp_path / "profile" / "greenlight.db")
    try:
        identity = load_identity(db)
    finally:
        db.conn.close()
    assert identity is not None and identity.public_key == public
    assert public_key_text(signing_key(identity).public_key()) == public
    # ... and nowhere in the profile folder (raw or base64).
    profile_bytes = b"".join(p.read_bytes() for p in (tmp_path / "profile").rglob("*") if p.is_file())
    raw = signing_key(identity).private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    assert raw not in profile_bytes and base64.b64encode(raw) not in profile_bytes
