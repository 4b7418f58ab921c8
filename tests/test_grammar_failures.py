"""Every way LanguageTool can fail ends in a clear status, and spelling keeps working offline.

The servers here are the LanguageTool STAND-IN (tests/fixtures/languagetool_standin.py) made to
misbehave, or a closed port; the `java` programs are fakes that print a version or hang. Timeouts
are kept short so each failure shows up in a second or two.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import psutil
import pytest

from desktop.review.grammar import GrammarService, GrammarSettings, GrammarStatus
from desktop.review.grammar import service as service_module
from tests.fixtures.languagetool_standin import (
    LanguageToolStandIn,
    closed_port_url,
    isolate_languagetool,
    write_fake_install,
    write_fake_java,
)

TEXT = "We recieve a apple."


@pytest.fixture(autouse=True)
def ltp_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    return isolate_languagetool(monkeypatch, tmp_path)


def started(settings: GrammarSettings, timeout: float = 5.0) -> GrammarService:
    service = GrammarService(settings)
    service.start(timeout=timeout)
    return service


def assert_falls_back_to_spelling(service: GrammarService, reason: str) -> GrammarStatus:
    status = service.wait_ready(30)
    assert status.kind == "offline-spelling", status
    assert f"LanguageTool not available: {reason}" in status.label
    # The app keeps working: offline spelling findings for the same text.
    assert [(f.rule, f.match) for f in service.check(TEXT)] == [("Spelling.Hunspell", "recieve")]
    return status


def use_java(monkeypatch: pytest.MonkeyPatch, java: Path) -> None:
    monkeypatch.setenv("PATH", f"{java.parent}{os.pathsep}{os.environ['PATH']}")


# -- the local LanguageTool ---------------------------------------------------------------------


def test_no_java(monkeypatch, tmp_path):
    empty = tmp_path / "no-java-here"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    service = started(GrammarSettings())
    try:
        status = assert_falls_back_to_spelling(service, "no Java")
        assert "Java 17" in status.detail and "server_url" in status.detail
    finally:
        service.close()


def test_java_too_old(monkeypatch, tmp_path):
    use_java(
        monkeypatch, write_fake_java(tmp_path / "bin", version_output='openjdk version "11.0.2" 2019-01-15')
    )
    service = started(GrammarSettings())
    try:
        status = assert_falls_back_to_spelling(service, "Java too old")
        assert "java 11" in status.detail.lower()
    finally:
        service.close()


def test_java_with_an_unreadable_version_does_not_exit_the_app(monkeypatch, tmp_path):
    # language-tool-python raises SystemExit for this; the app must survive it.
    use_java(monkeypatch, write_fake_java(tmp_path / "bin", version_output="Picked up _JAVA_OPTIONS: -Xmx1g"))
    service = started(GrammarSettings())
    try:
        assert_falls_back_to_spelling(service, "Java does not work")
    finally:
        service.close()


def test_not_installed_and_no_network_to_download_it(monkeypatch, tmp_path):
    use_java(monkeypatch, write_fake_java(tmp_path / "bin"))
    service = started(GrammarSettings())
    try:
        status = assert_falls_back_to_spelling(service, "not installed")
        assert "could not be downloaded" in status.detail and "LTP_PATH" in status.detail
    finally:
        service.close()


def test_broken_install_that_exits(monkeypatch, tmp_path, ltp_folder):
    use_java(monkeypatch, write_fake_java(tmp_path / "bin", server="crash"))
    write_fake_install(ltp_folder)
    service = started(GrammarSettings(), timeout=20)
    try:
        status = assert_falls_back_to_spelling(service, "did not start")
        assert "exited early" in status.detail
    finally:
        service.close()


def test_broken_install_that_hangs_is_given_up_and_its_process_killed(monkeypatch, tmp_path, ltp_folder):
    java = write_fake_java(tmp_path / "bin", server="hang")
    use_java(monkeypatch, java)
    write_fake_install(ltp_folder)
    service = started(GrammarSettings(), timeout=1.5)
    try:
        status = assert_falls_back_to_spelling(service, "too slow")
        assert "did not start within 1.5 s" in status.detail
    finally:
        service.close()
    hanging = [p for p in psutil.process_iter(["cmdline"]) if str(java) in (p.info["cmdline"] or [])]
    gone, alive = psutil.wait_procs(hanging, timeout=10)
    assert alive == []


# -- a team LanguageTool server -----------------------------------------------------------------


def test_unreachable_server():
    url = closed_port_url()
    service = started(GrammarSettings(server_url=url))
    try:
        status = assert_falls_back_to_spelling(service, "unreachable")
        assert "refused the connection" in status.detail and url in status.detail
    finally:
        service.close()


def test_server_that_never_answers_does_not_block_start():
    with LanguageToolStandIn("hang") as server:
        service = started(GrammarSettings(server_url=server.url, request_timeout=3), timeout=10)
        try:
            # start() has returned although the server holds the request: nothing waits for it.
            assert service.status.kind == "starting"
            status = assert_falls_back_to_spelling(service, "no answer")
            assert "did not answer" in status.detail
            assert server.requests, "the client did reach the server"
        finally:
            service.close()


def test_server_that_never_answers_within_the_start_time_limit():
    with LanguageToolStandIn("hang") as server:
        # The request timeout is longer than the start time limit: the time limit decides.
        service = started(GrammarSettings(server_url=server.url, request_timeout=60), timeout=0.5)
        try:
            status = assert_falls_back_to_spelling(service, "too slow")
            assert "did not answer within 0.5 s" in status.detail
        finally:
            service.close()


def test_server_that_answers_garbage():
    with LanguageToolStandIn("garbage") as server:
        service = started(GrammarSettings(server_url=server.url))
        try:
            status = assert_falls_back_to_spelling(service, "unreadable answer")
            assert "not LanguageTool's API" in status.detail
        finally:
            service.close()


@pytest.mark.parametrize(
    ("behaviour", "reason"), [("garbage-check", "unreadable answer"), ("hang-check", "no answer")]
)
def test_server_that_breaks_after_connecting(behaviour, reason):
    with LanguageToolStandIn() as server:
        service = started(GrammarSettings(server_url=server.url, request_timeout=0.5))
        try:
            assert service.wait_ready(15).kind == "languagetool-server"
            server.behaviour = behaviour
            # The failing check still returns findings, from offline spelling...
            assert [f.rule for f in service.check(TEXT)] == ["Spelling.Hunspell"]
            # ...and the status says so.
            status = service.status
            assert status.kind == "offline-spelling"
            assert f"LanguageTool stopped working ({reason})" in status.label
        finally:
            service.close()


def test_server_that_comes_back_is_used_again(monkeypatch):
    monkeypatch.setattr(service_module, "RETRY_SECONDS", 0.0)
    with LanguageToolStandIn() as server:
        service = started(GrammarSettings(server_url=server.url, request_timeout=0.5))
        back = threading.Event()
        service.add_listener(lambda s: back.set() if s.kind == "languagetool-server" else None)
        try:
            assert service.wait_ready(15).kind == "languagetool-server"
            back.clear()
            server.behaviour = "garbage-check"
            service.check(TEXT)
            assert service.status.kind == "offline-spelling"
            server.behaviour = "normal"
            service.check(TEXT)  # notices the retry time has come: reconnects in the background
            assert back.wait(15), service.status
            assert [f.rule for f in service.check("a apple")] == ["LanguageTool.EN_A_VS_AN"]
        finally:
            service.close()


def test_unknown_language_and_no_dictionary_for_it():
    with LanguageToolStandIn() as server:
        service = started(GrammarSettings(server_url=server.url, language="xx-YY"))
        try:
            status = service.wait_ready(30)
            assert status.kind == "none"
            assert "no xx-YY" in status.label and "no dictionary" in status.label
            assert "change language in grammar.json" in status.detail
            assert service.check(TEXT) == []
        finally:
            service.close()


def test_languagetool_only_mode_has_no_fallback():
    service = started(GrammarSettings(mode="languagetool", server_url=closed_port_url()))
    try:
        status = service.wait_ready(30)
        assert status.kind == "none"
        assert "LanguageTool not available: unreachable" in status.label
        assert service.check(TEXT) == []
    finally:
        service.close()


def test_close_during_a_hanging_start():
    with LanguageToolStandIn("hang") as server:
        service = started(GrammarSettings(server_url=server.url, request_timeout=30), timeout=30)
        service.close()
        assert service.status.kind == "none"
        assert service.status.label == "stopped"


def test_a_failing_status_listener_does_not_stop_the_service():
    service = GrammarService(GrammarSettings(mode="spelling"))
    ready = threading.Event()

    def broken(status: GrammarStatus) -> None:
        raise RuntimeError("listener bug")

    service.add_listener(broken)
    service.add_listener(lambda s: ready.set() if s.kind == "offline-spelling" else None)
    service.start()
    try:
        assert ready.wait(30), service.status
        assert service.status.kind == "offline-spelling"
        assert [f.match for f in service.check(TEXT)] == ["recieve"]
    finally:
        service.close()
