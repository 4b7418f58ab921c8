"""`greenlight count` as scripts use it: JSON on stdout, exit codes, files, stdin and bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest


def gl(*args: str, input: bytes | None = b"") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "desktop", *args], input=input, capture_output=True, timeout=60
    )


def counted(*args: str, input: bytes | None = b"") -> dict:
    result = gl("count", *args, input=input)
    assert result.returncode == 0, result.stderr.decode()
    return json.loads(result.stdout)


def test_count_from_stdin_prints_the_contract_keys() -> None:
    data = counted("--platform", "x", "-", input="Hello 👋🏽 https://example.com/page".encode())
    assert data["platform"] == "x"
    assert data["length"] == 6 + 2 + 1 + 23
    assert data["limit"] == 280
    assert data["valid"] is True
    assert data["remaining"] == 280 - 32


def test_count_a_utf8_file_with_crlf_and_bom(tmp_path: Path) -> None:
    post = tmp_path / "post.txt"
    post.write_bytes("\ufeffLine one\r\nLine two".encode())
    data = counted("--platform", "bluesky", str(post), input=None)
    assert data["length"] == len("Line one\nLine two")
    assert data["bytes"] == len("Line one\nLine two")


def test_empty_post_is_valid_false_with_exit_0() -> None:
    data = counted("--platform", "mastodon", "-", input=b"")
    assert data["valid"] is False
    assert data["length"] == 0
    assert "the post is empty" in data["problems"]


def test_content_warning_and_server_limit() -> None:
    data = counted(
        "--platform", "mastodon", "--content-warning", "CW", "--limit", "11", "-", input=b"123456789"
    )
    assert data["length"] == 11 and data["limit"] == 11 and data["valid"] is True


def test_several_platforms_print_a_list() -> None:
    data = counted("--platform", "x,bluesky", "-", input="語".encode())
    assert [d["platform"] for d in data] == ["x", "bluesky"]
    assert [d["length"] for d in data] == [2, 1]


def test_thread_option_lists_each_part_with_its_length() -> None:
    text = " ".join(f"Sentence number {i} is here." for i in range(30))
    data = counted("--platform", "x", "--thread", "-", input=text.encode())
    assert data["valid"] is False
    assert len(data["thread"]) == len(data["parts"]) >= 3
    assert all(part["valid"] and part["length"] <= 280 for part in data["thread"])
    assert data["thread"][0]["text"].endswith(f" 1/{len(data['thread'])}")


def test_unknown_platform_is_exit_2_with_the_valid_names() -> None:
    result = gl("count", "--platform", "myspace", "-", input=b"hello")
    assert result.returncode == 2
    assert b"unknown platform 'myspace'" in result.stderr
    assert b"bluesky" in result.stderr
    assert result.stdout == b""


def test_binary_input_is_exit_2_not_a_crash() -> None:
    result = gl("count", "--platform", "x", "-", input=b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert result.returncode == 2
    assert b"binary" in result.stderr
    assert b"Traceback" not in result.stderr


def test_invalid_utf8_names_the_byte_offset() -> None:
    result = gl("count", "--platform", "x", "-", input=b"caf\xe9 au lait")
    assert result.returncode == 2
    assert b"not valid UTF-8 at byte 3" in result.stderr


def test_missing_file_is_exit_2(tmp_path: Path) -> None:
    result = gl("count", "--platform", "x", str(tmp_path / "nope.txt"), input=None)
    assert result.returncode == 2
    assert b"no such file" in result.stderr


@pytest.mark.parametrize("bad", ["0", "-5"])
def test_bad_limit_is_exit_2(bad: str) -> None:
    result = gl("count", "--platform", "mastodon", "--limit", bad, "-", input=b"hi")
    assert result.returncode == 2
    assert b"positive" in result.stderr


def test_platform_is_required() -> None:
    result = gl("count", "-", input=b"hi")
    assert result.returncode == 2
    assert b"--platform" in result.stderr
