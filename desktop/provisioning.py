"""Team provisioning: the admin bakes the team's setup into the installer; each member's app adopts it.

The comms team's admin runs `greenlight team package` once. It copies the team's guideline packs and
trust policy into a *team profile* folder (default `build/team/`, which `build.spec` bakes into the
bundle) together with a manifest, `team.json`, that lists every file with its SHA-256 and is signed
with the team's root key, whose private half never leaves the admin's OS keyring.

On a member's first start the app finds the baked profile, checks the signature against the root key
and every file against the manifest, and only then applies it to the member's profile: the root key
is pinned for the trust core (the roster must be signed by it), the policy becomes the profile's
`policy.yml` and the packs go where team guidelines live (`<config>/guidelines`, also where newer
ones a lead publishes through the shared folder arrive); a verified copy stays in `<profile>/team/`. Later installers (new guidelines) are accepted only when signed by that same
pinned key. A profile that fails any check is not applied at all, and the reason is shown: the app
then starts with the shipped defaults, so a member is never silently handed altered rules.

What this protects against: files of the installed program edited or swapped afterwards (a shared
install folder, a copied bundle, a repackaged installer with different guidelines but no root key).
It cannot protect against someone who can replace the whole program, which no signature inside the
program can. Members still add guideline packs of their own; the team's packs are one more source.

No Qt here: the first-run dialog (`desktop.ui.first_run`) and the CLI both call this module.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path, PurePosixPath
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from desktop.errors import GreenlightError
from desktop.fileio import replace_file
from desktop.trust.events import (
    EventError,
    b64,
    canonical_json,
    fingerprint,
    load_public_key,
    public_key_text,
    unb64,
)

MANIFEST = "team.json"
FORMAT = "greenlight-team-profile"
FORMAT_VERSION = 1
GUIDELINES = "guidelines"
POLICY_FILE = "policy.yml"  # the name members' profiles use too (desktop.trust.policy.POLICY_FILE)
ADOPTED = "adopted.json"  # in the member's profile: which bundle was applied, and the pinned root key
FIRST_RUN = "first-run.json"  # in the member's profile: the first-run dialog was completed or skipped

# Guideline packs are small text files; anything near this is the wrong folder.
MAX_PACK_BYTES = 20 * 1024 * 1024
# Folders and files that are never part of a pack (editor, VCS and OS litter).
_IGNORED_NAMES = {".git", ".hg", ".svn", "__pycache__", ".DS_Store", "Thumbs.db", "desktop.ini"}
_POLICY_SUFFIXES = {".yml", ".yaml"}


class TeamProfileError(GreenlightError):
    """A team profile cannot be written or trusted; the message names the file and what to do."""


@dataclass(frozen=True)
class TeamProfile:
    """A verified team profile folder (every file matched the signed manifest)."""

    directory: Path
    team_name: str
    root_key: str
    shared_folder_hint: str | None
    created: str
    files: dict[str, str] = field(default_factory=dict)  # relative posix path -> sha256 hex
    policy_name: str = "policy.yml"
    digest: str = ""  # SHA-256 of the signed manifest body: identifies this exact profile

    @property
    def root_fingerprint(self) -> str:
        return fingerprint(self.root_key)

    @property
    def guidelines_dir(self) -> Path:
        return self.directory / GUIDELINES

    @property
    def policy_path(self) -> Path:
        return self.directory / self.policy_name

    def as_json(self) -> dict[str, Any]:
        return {
            "team_name": self.team_name,
            "root_key": self.root_key,
            "root_fingerprint": self.root_fingerprint,
            "shared_folder_hint": self.shared_folder_hint,
            "created": self.created,
            "guidelines": str(self.guidelines_dir),
            "policy": str(self.policy_path),
            "files": len(self.files),
            "digest": self.digest,
        }


# --- writing a team profile (the admin) ------------------------------------------------------------------


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _pack_files(guidelines: Path) -> list[tuple[Path, str]]:
    """Every file of the guideline folder as (source, relative posix name), with clear refusals."""
    if not guidelines.is_dir():
        raise TeamProfileError(f"{guidelines}: --guidelines must be a folder of guideline packs (not found)")
    found: list[tuple[Path, str]] = []
    total = 0
    for root, dirs, files in os.walk(guidelines, followlinks=False):
        dirs[:] = sorted(d for d in dirs if d not in _IGNORED_NAMES and not d.startswith("."))
        for name in sorted(files):
            if (name in _IGNORED_NAMES or name.startswith(".")) and name != ".vale.ini":
                continue
            source = Path(root) / name
            if source.is_symlink() or not source.is_file():
                raise TeamProfileError(
                    f"{source}: is a link or special file; copy the real file into the pack before packaging"
                )
            total += source.stat().st_size
            if total > MAX_PACK_BYTES:
                raise TeamProfileError(
                    f"{guidelines}: holds more than {MAX_PACK_BYTES // (1024 * 1024)} MB; is this the right "
                    "folder? --guidelines takes the folder that contains your style folders (<Style>/<Rule>.yml)"
                )
            found.append((source, source.relative_to(guidelines).as_posix()))
    rules = [rel for _, rel in found if rel.endswith((".yml", ".yaml"))]
    if not rules:
        raise TeamProfileError(
            f"{guidelines}: contains no rule files (*.yml). --guidelines takes the folder that contains your "
            "style folders, each with <Rule>.yml files in Vale's format"
        )
    return found


def _check_yaml(path: Path, label: str) -> Any:
    """Parse a YAML file, naming the file and line when it is not valid YAML."""
    import yaml

    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise TeamProfileError(f"{label}: is not UTF-8 text") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise TeamProfileError(
            f"{label}:{where}: not valid YAML ({problem}); fix it and package again"
        ) from None


def _check_policy(policy: Path) -> None:
    """The policy must be one this Greenlight can enforce: validated exactly as members will load it."""
    from desktop.trust.policy import PolicyError, parse_policy

    if not policy.is_file():
        raise TeamProfileError(f"{policy}: --policy must be the team's policy file (not found)")
    if policy.suffix.lower() not in _POLICY_SUFFIXES:
        raise TeamProfileError(f"{policy}: a policy file is YAML (.yml or .yaml), like guidelines/policy.yml")
    try:
        parse_policy(policy.read_text(encoding="utf-8"), str(policy))
    except UnicodeDecodeError:
        raise TeamProfileError(f"{policy}: is not UTF-8 text") from None
    except PolicyError as exc:
        raise TeamProfileError(f"{exc} (nothing was packaged)") from None


def read_root_key(value: str) -> str:
    """`--root-key` takes the key text (`ed25519:...`) or a file that contains it."""
    text = value.strip()
    if not text.startswith("ed25519:"):
        path = Path(text).expanduser()
        if not path.is_file():
            raise TeamProfileError(
                f"--root-key {value!r}: expected the team's root public key ('ed25519:' + base64, as printed "
                "by `greenlight identity show`) or a file containing it"
            )
        text = path.read_text(encoding="utf-8").strip()
    try:
        return public_key_text(load_public_key(text))
    except EventError as exc:
        raise TeamProfileError(f"--root-key: {exc}") from None


def package_team(
    out_dir: Path,
    *,
    guidelines: Path,
    policy: Path,
    root_key: str,
    signing_key: Ed25519PrivateKey,
    team_name: str,
    shared_folder_hint: str | None = None,
    created: str | None = None,
) -> TeamProfile:
    """Write a signed team profile to `out_dir` (replacing one that is there) and return it verified.

    `signing_key` is the root key's private half, read from the admin's keyring by the caller. The
    folder is assembled next to `out_dir` and renamed into place, so an interrupted run leaves the
    previous profile intact.
    """
    root_key = read_root_key(root_key)
    if public_key_text(signing_key.public_key()) != root_key:
        raise TeamProfileError(
            f"the signing key in this keyring ({fingerprint(public_key_text(signing_key.public_key()))}) is "
            f"not the root key {fingerprint(root_key)}: run `greenlight team package` in the profile that "
            "holds the team's root key (the lead's), or pass that profile's public key as --root-key"
        )
    if not team_name.strip():
        raise TeamProfileError("--team-name must not be empty")
    pack = _pack_files(guidelines)
    for source, rel in pack:
        if rel.endswith((".yml", ".yaml")):
            _check_yaml(source, str(source))
    _check_policy(policy)
    policy_name = POLICY_FILE

    from desktop.store.database import utcnow

    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".team-", dir=out_dir.parent))
    try:
        files: dict[str, str] = {}
        for source, rel in pack:
            target = staging / GUIDELINES / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
            files[f"{GUIDELINES}/{rel}"] = _sha256(target)
        shutil.copyfile(policy, staging / policy_name)
        files[policy_name] = _sha256(staging / policy_name)
        body = {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "team_name": team_name.strip(),
            "root_key": root_key,
            "shared_folder_hint": shared_folder_hint or None,
            "created": created or utcnow(),
            "policy": policy_name,
            "files": dict(sorted(files.items())),
        }
        manifest = {**body, "signature": b64(signing_key.sign(canonical_json(body)))}
        (staging / MANIFEST).write_text(
            json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        verify_team_dir(staging, pinned_root_key=root_key)
        if out_dir.exists():
            old = out_dir.with_name(out_dir.name + ".old")
            shutil.rmtree(old, ignore_errors=True)
            out_dir.rename(old)
            staging.rename(out_dir)
            shutil.rmtree(old, ignore_errors=True)
        else:
            staging.rename(out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return verify_team_dir(out_dir, pinned_root_key=root_key)


# --- verifying a team profile (the build and every member's first start) ------------------------------


def _listed_files(directory: Path) -> Iterable[str]:
    for root, dirs, files in os.walk(directory, followlinks=False):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        for name in files:
            rel = (Path(root) / name).relative_to(directory).as_posix()
            if rel != MANIFEST:
                yield rel


def verify_team_dir(directory: Path, *, pinned_root_key: str | None = None) -> TeamProfile:
    """Check a team profile folder completely; return it, or raise TeamProfileError saying what is wrong.

    Checked: the manifest's shape, the root key (against `pinned_root_key` when this profile has
    already adopted a team), the signature over the manifest, and every file's SHA-256, with no file
    missing and none added.
    """
    path = directory / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise TeamProfileError(
            f"{path}: missing; this is not a team profile (make one with `greenlight team package`)"
        ) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise TeamProfileError(f"{path}: damaged ({exc}); ask your admin for a fresh installer") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise TeamProfileError(f"{path}: not a Greenlight team profile manifest")
    if not isinstance(data.get("version"), int) or data["version"] > FORMAT_VERSION:
        raise TeamProfileError(
            f"{path}: team profile format v{data.get('version')} is newer than this Greenlight understands "
            f"(v{FORMAT_VERSION}); install the newer Greenlight"
        )
    try:
        signature = unb64(str(data.pop("signature")))
        root_key = public_key_text(load_public_key(str(data["root_key"])))
        files = {str(k): str(v) for k, v in dict(data["files"]).items()}
        policy_name = str(data["policy"])
        team_name = str(data["team_name"])
        created = str(data["created"])
    except (KeyError, TypeError, ValueError, EventError) as exc:
        raise TeamProfileError(
            f"{path}: malformed manifest ({exc}); ask your admin for a fresh installer"
        ) from None
    if pinned_root_key is not None and root_key != public_key_text(load_public_key(pinned_root_key)):
        raise TeamProfileError(
            f"{directory}: is signed by root key {fingerprint(root_key)}, but this profile belongs to the team "
            f"with root key {fingerprint(pinned_root_key)}. It was not applied. If your team really changed "
            "its root key, your admin must hand out the new key in person; otherwise report this installer."
        )
    try:
        load_public_key(root_key).verify(signature, canonical_json(data))
    except InvalidSignature:
        raise TeamProfileError(
            f"{path}: the signature does not match the manifest (it was altered after the admin signed it, or "
            f"not signed with root key {fingerprint(root_key)}). The team setup was NOT applied; ask your "
            "admin for a fresh installer."
        ) from None
    for rel, expected in files.items():
        pure = PurePosixPath(rel)
        if pure.is_absolute() or ".." in pure.parts:
            raise TeamProfileError(
                f"{path}: lists an unsafe file name {rel!r}; the team setup was NOT applied"
            )
        target = directory / pure
        if not target.is_file():
            raise TeamProfileError(
                f"{target}: listed in the signed manifest but missing. The team setup was NOT applied; "
                "reinstall, or ask your admin for a fresh installer."
            )
        if _sha256(target) != expected:
            raise TeamProfileError(
                f"{target}: was changed after the admin signed the team setup. The team setup was NOT "
                "applied; reinstall, or ask your admin for a fresh installer."
            )
    extra = sorted(set(_listed_files(directory)) - set(files))
    if extra:
        raise TeamProfileError(
            f"{directory / extra[0]}: is not part of the signed team setup (added afterwards). The team setup "
            "was NOT applied; reinstall, or ask your admin for a fresh installer."
        )
    if policy_name not in files:
        raise TeamProfileError(f"{path}: the policy file {policy_name!r} is not in the signed file list")
    return TeamProfile(
        directory=directory,
        team_name=team_name,
        root_key=root_key,
        shared_folder_hint=data.get("shared_folder_hint") or None,
        created=created,
        files=files,
        policy_name=policy_name,
        digest=hashlib.sha256(canonical_json(data)).hexdigest(),
    )


# --- adopting the baked profile (a member's first start, and after every upgrade) -----------------------


class AdoptStatus(StrEnum):
    NONE = "none"  # this installation carries no team setup
    ADOPTED = "adopted"  # applied for the first time (root key now pinned)
    UPDATED = "updated"  # a newer setup signed by the pinned root key replaced the old one
    UNCHANGED = "unchanged"  # already applied
    REFUSED = "refused"  # failed verification: not applied, `message` says why


@dataclass(frozen=True)
class AdoptResult:
    status: AdoptStatus
    message: str
    profile: TeamProfile | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "status": str(self.status),
            "message": self.message,
            "team": self.profile.as_json() if self.profile else None,
        }


def bundled_team_dir() -> Path | None:
    """The team profile shipped with this installation, if any.

    Frozen builds carry it as `team/` next to `guidelines/`; when running from source,
    GREENLIGHT_TEAM_DIR points at one (the same variable `build.spec` reads).
    """
    from desktop.paths import _bundle_root

    override = os.environ.get("GREENLIGHT_TEAM_DIR")
    candidate = Path(override).expanduser() if override else _bundle_root() / "team"
    return candidate if (candidate / MANIFEST).is_file() or override else None


def team_home() -> Path:
    """Where the member's verified copy of the team setup lives (inside their profile)."""
    from desktop.paths import home

    return home() / "team"


def _adopted_record() -> dict[str, Any] | None:
    path = team_home() / ADOPTED
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise TeamProfileError(
            f"{path}: unreadable ({exc}); it records which team this profile belongs to. Restore it from a "
            "backup, or delete it to adopt the installer's team setup again."
        ) from None
    return data if isinstance(data, dict) else None


def pinned_root_key() -> str | None:
    """The team root key this profile is pinned to (by the installer or `team join`), if any."""
    record = _adopted_record()
    return _pinned_in_database() or (str(record["root_key"]) if record and record.get("root_key") else None)


def _pinned_in_database() -> str | None:
    """The team root key the trust core has pinned for this profile (`team init`/`team join`), if any."""
    from desktop.paths import database_path
    from desktop.store.database import open_database
    from desktop.trust.roster import pinned_root

    db = open_database(database_path())
    try:
        return pinned_root(db)
    finally:
        db.conn.close()


def adopt_bundled_team(bundle: Path | None = None) -> AdoptResult:
    """Verify the installation's team setup and apply it to this profile; never raises for a bad bundle.

    Called at every start (cheap: a few hashes). The verified copy goes to `team_home()`; the root
    key is pinned for the trust core (roster signatures) on first adoption, and a later bundle must
    be signed by the pinned key. The team policy becomes this profile's policy unless the member
    has a policy of their own.
    """
    bundle = bundle if bundle is not None else bundled_team_dir()
    if bundle is None:
        return AdoptResult(AdoptStatus.NONE, "this installation carries no team setup")
    try:
        record = _adopted_record()
        pinned = _pinned_in_database() or (
            str(record["root_key"]) if record and record.get("root_key") else None
        )
        profile = verify_team_dir(bundle, pinned_root_key=pinned)
    except TeamProfileError as exc:
        return AdoptResult(AdoptStatus.REFUSED, str(exc))
    if record and record.get("digest") == profile.digest and (team_home() / "current" / MANIFEST).is_file():
        return AdoptResult(AdoptStatus.UNCHANGED, f"team setup of {profile.team_name} is in place", profile)
    previous = record or {}
    installed = _install_copy(profile)
    notes = [
        _install_policy(installed, previous.get("policy_sha256")),
        _install_guidelines(installed, previous.get("guidelines_digest")),
        _activate_team_packs(),
    ]
    _pin_root(installed.root_key)
    update = bool(record)
    verb = "updated to the installer's version" if update else "applied"
    message = f"team setup of {profile.team_name} {verb} (root key {profile.root_fingerprint})"
    message += "".join(f"; {n}" for n in notes if n)
    return AdoptResult(AdoptStatus.UPDATED if update else AdoptStatus.ADOPTED, message, installed)


def _pin_root(root_key: str) -> None:
    from desktop.paths import database_path
    from desktop.store.database import open_database
    from desktop.trust.roster import pin_root

    db = open_database(database_path())
    try:
        pin_root(db, root_key)  # no-op when already pinned to this key (verified above)
    finally:
        db.conn.close()


def _install_policy(team: TeamProfile, previous_sha256: str | None) -> str:
    """Make the team policy the profile's policy, without overwriting one the member wrote themselves.

    The profile's `policy.yml` is replaced when absent or when it is still exactly the team policy
    adopted before (an upgrade); a policy the member edited stays, and the message says so.
    """
    from desktop.paths import config_dir

    target = config_dir() / POLICY_FILE
    if target.exists() and _sha256(target) not in {previous_sha256, team.files[team.policy_name]}:
        return f"your own {target} was kept; the team policy is in {team.policy_path}"
    replace_file(target, team.policy_path.read_bytes())
    return ""


def _tree_digest(folder: Path) -> str:
    """One hash for a folder's files (names and contents), to tell whether anyone changed it."""
    digest = hashlib.sha256()
    for rel in sorted(_listed_files(folder)):
        digest.update(f"{rel}\0{_sha256(folder / rel)}\n".encode())
    return digest.hexdigest()


def _install_guidelines(team: TeamProfile, previous_digest: str | None) -> str:
    """Install the team's packs where the app loads the team's guidelines from (the profile's config).

    That folder is also where newer guidelines a lead publishes through the shared folder land
    (`desktop.sync.team_setup`), so it is replaced only when absent or still exactly what the
    previous installer put there; otherwise the newer content stays.
    """
    from desktop.sync.team_setup import guidelines_dir

    target = guidelines_dir()
    if target.exists() and _tree_digest(target) not in {previous_digest, _tree_digest(team.guidelines_dir)}:
        return f"{target} holds newer or edited guidelines and was kept; the installer's are in {team.guidelines_dir}"
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".guidelines-", dir=target.parent))
    try:
        shutil.copytree(team.guidelines_dir, staging, dirs_exist_ok=True)
        old = target.with_name(".guidelines-previous")
        shutil.rmtree(old, ignore_errors=True)
        if target.exists():
            target.rename(old)
        staging.rename(target)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return ""


def _activate_team_packs() -> str:
    """Make the team's style folders part of the guidelines the editor and `greenlight check` use.

    They are added to the guideline settings' pack list unless that list already covers them, so
    the member's own packs (and choices) stay as they are.
    """
    from desktop.review.settings import load_settings, save_settings
    from desktop.sync.team_setup import guidelines_dir

    folder = guidelines_dir()
    styles = (
        sorted(d for d in folder.iterdir() if d.is_dir() and any(d.glob("*.y*ml"))) if folder.is_dir() else []
    )
    try:
        settings = load_settings()
    except GreenlightError as exc:
        return f"the team's guidelines are in {folder} but could not be switched on ({exc})"
    active = {p.resolve() for p in settings.pack_dirs()}
    added = [str(d) for d in styles if d.resolve() not in active]
    if added:
        settings.extra_packs.extend(added)
        save_settings(settings)
    return ""


def _install_copy(profile: TeamProfile) -> TeamProfile:
    """Copy a verified profile to `team_home()/current` atomically and record it as adopted."""
    home = team_home()
    home.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".adopt-", dir=home))
    try:
        for rel in [MANIFEST, *profile.files]:
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(profile.directory / rel, target)
        copy = verify_team_dir(staging, pinned_root_key=profile.root_key)
        current = home / "current"
        old = home / ".previous"
        shutil.rmtree(old, ignore_errors=True)
        if current.exists():
            current.rename(old)
        staging.rename(current)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    from desktop.store.database import utcnow

    record = {
        "team_name": copy.team_name,
        "root_key": copy.root_key,
        "digest": copy.digest,
        "shared_folder_hint": copy.shared_folder_hint,
        "policy_sha256": copy.files[copy.policy_name],
        "guidelines_digest": _tree_digest(copy.guidelines_dir),
        "adopted": utcnow(),
    }
    replace_file(home / ADOPTED, json.dumps(record, indent=2) + "\n")
    return verify_team_dir(current, pinned_root_key=copy.root_key)


def installed_team() -> TeamProfile | None:
    """This profile's adopted team setup, re-verified; None when it has none.

    Raises TeamProfileError when the copy in the profile was altered, so callers can say so
    rather than use rules nobody signed.
    """
    record = _adopted_record()
    if not record:
        return None
    return verify_team_dir(team_home() / "current", pinned_root_key=str(record["root_key"]))


def team_guidelines_dir() -> Path | None:
    """The adopted team's guideline packs (a folder of style folders), for the engine's default packs."""
    team = installed_team()
    return team.guidelines_dir if team else None


def team_policy_path() -> Path | None:
    """The adopted team's policy file, used instead of the shipped default policy."""
    team = installed_team()
    return team.policy_path if team else None


# --- first start ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FirstRunAnswers:
    """What the first-run dialog asks; every field may be left empty (the dialog is skippable)."""

    name: str = ""
    create_identity: bool = True
    shared_folder: str = ""


@dataclass(frozen=True)
class FirstRunOutcome:
    identity_fingerprint: str | None
    shared_folder: str | None
    notes: list[str] = field(default_factory=list)


def _first_run_path() -> Path:
    from desktop.paths import home

    return home() / FIRST_RUN


def first_run_state() -> dict[str, Any] | None:
    try:
        data = json.loads(_first_run_path().read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def first_run_needed() -> bool:
    """True until the member completed or skipped the first-run dialog once."""
    return first_run_state() is None


def suggested_shared_folder() -> str:
    """The shared folder the admin suggested when packaging, with `~` and variables expanded."""
    record = _adopted_record() if (team_home() / ADOPTED).is_file() else None
    hint = (record or {}).get("shared_folder_hint") or ""
    return os.path.expandvars(os.path.expanduser(hint)) if hint else ""


def _record_first_run(state: dict[str, Any]) -> None:
    from desktop.store.database import utcnow

    replace_file(_first_run_path(), json.dumps({**state, "when": utcnow()}, indent=2) + "\n")


def skip_first_run() -> None:
    """Remember that the member skipped the dialog: it is not shown again (Settings has the same fields)."""
    _record_first_run({"skipped": True})


def complete_first_run(answers: FirstRunAnswers) -> FirstRunOutcome:
    """Apply the first-run answers: create the signing identity (key into the keyring), set the folder.

    The shared folder becomes this profile's sync folder (what `greenlight sync` uses without
    `--folder`). Raises GreenlightError with a message for the dialog when the name is missing or
    the keyring cannot take the key; nothing is recorded then, so the member can correct and retry.
    """
    from desktop.paths import database_path
    from desktop.store.database import open_database

    notes: list[str] = []
    fp: str | None = None
    if answers.create_identity and not answers.name.strip():
        raise GreenlightError("enter your name: it is shown to your approvers beside everything you sign")
    folder = answers.shared_folder.strip() or None
    folder_path = Path(os.path.expandvars(os.path.expanduser(folder))) if folder else None
    db = open_database(database_path())
    try:
        if answers.create_identity:
            from desktop.trust.identity import create_identity, load_identity

            existing = load_identity(db)
            identity = existing or create_identity(db, answers.name)
            fp = identity.fingerprint
            if existing:
                notes.append(f"this profile already had an identity ({existing.name}, {fp}); it was kept")
        if folder_path is not None:
            from desktop.sync.settings import remember_folder

            remember_folder(db, folder_path)
            if not folder_path.is_dir():
                notes.append(f"{folder_path} does not exist yet; syncing starts once it appears")
    finally:
        db.conn.close()
    shared = str(folder_path) if folder_path else None
    _record_first_run(
        {"skipped": False, "name": answers.name.strip(), "identity": fp, "shared_folder": shared}
    )
    return FirstRunOutcome(fp, shared, notes)
