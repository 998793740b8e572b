"""The README's shell transcripts are run, so they can't drift from what the shell prints.

The convention (also said in README "The shell"):

- A fenced block whose info string is `shell-session` is a transcript of one
  `switchboard shell` run on a fresh database, against the built-in emulator.
- Its first line may be `$ switchboard shell [--as EMAIL] [--admin]`: the run's arguments
  (default `--as alice@example.com`), and the two banner lines that follow are compared too.
  Without it the block starts at the first prompt and the banner is not compared.
- Input is what follows a prompt the shell printed: its `alice> ` (the person typing) or a
  modal's `  Phone number> `. A prompt with nothing after it on the block's last line is the
  end of input.
- Every other line is output, compared exactly (trailing spaces aside). `...` inside a line
  stands for any text (a time that changes each run); a line that is only `...` stands for
  any number of lines.

Each block runs in-process (the shell's own session code, a real signed request per line,
the Slack stand-in on loopback, the emulator in-process), a few seconds each.
"""

from __future__ import annotations

import difflib
import re
import shlex
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO, cast

import pytest

from bot.devkit.shell.main import shell
from bot.settings import load_settings

README = Path(__file__).resolve().parents[2] / "README.md"
FENCE = re.compile(r"^```shell-session\n(.*?)^```$", re.MULTILINE | re.DOTALL)
PROMPT = re.compile(r"^[a-z0-9._-]+> ")


@dataclass
class Block:
    line: int  # where it starts in README.md
    args: list[str]
    banner: bool
    lines: list[str]


def blocks() -> list[Block]:
    text = README.read_text(encoding="utf-8")
    found = []
    for match in FENCE.finditer(text):
        lines = [line.rstrip() for line in match.group(1).splitlines()]
        args: list[str] = []
        banner = bool(lines) and lines[0].startswith("$ ")
        if banner:
            command = shlex.split(lines.pop(0)[2:])
            assert command[:2] == ["switchboard", "shell"], f"not a shell run: {command}"
            args = command[2:]
        found.append(Block(text[: match.start()].count("\n") + 1, args, banner, lines))
    return found


class Typist:
    """Plays the person at the keyboard: answers each prompt the shell prints with what
    follows that prompt in the transcript, and keeps everything the shell printed."""

    def __init__(self, expected: list[str]) -> None:
        self.expected = expected
        self.cursor = 0
        self.printed = ""

    def write(self, text: str) -> int:
        self.printed += text
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False

    def readline(self) -> str:
        prompt = self.printed.rsplit("\n", 1)[-1]
        for index in range(self.cursor, len(self.expected)):
            line = self.expected[index]
            if line == prompt.rstrip() or line.startswith(prompt):
                typed = line[len(prompt) :]
                self.cursor = index + 1
                if not typed and index == len(self.expected) - 1:
                    return ""  # the last prompt: end of input
                return typed + "\n"
        return ""


def _args(args: list[str]) -> tuple[str, bool]:
    as_email, admin = "alice@example.com", False
    words = iter(args)
    for word in words:
        if word == "--admin":
            admin = True
        elif word == "--as":
            as_email = next(words)
        else:
            raise AssertionError(f"the README runs the shell with {word!r}, which the test can't")
    return as_email, admin


def _pattern(expected: list[str]) -> re.Pattern[str]:
    parts = []
    for line in expected:
        if line == "...":
            parts.append(r"(?:[^\n]*\n)*?")
        else:
            parts.append(".*?".join(re.escape(piece) for piece in line.split("...")) + r"\n")
    return re.compile("".join(parts))


def _shown(printed: str, banner: bool) -> str:
    lines = [line.rstrip() for line in printed.splitlines()]
    if not banner:
        first = next((i for i, line in enumerate(lines) if PROMPT.match(line + " ")), 0)
        lines = lines[first:]
    return "".join(line + "\n" for line in lines)


BLOCKS = blocks()


def test_the_readme_has_transcripts() -> None:
    assert len(BLOCKS) >= 4
    assert all(block.lines for block in BLOCKS)


@pytest.mark.parametrize("block", BLOCKS, ids=[f"README.md:{b.line}" for b in BLOCKS])
async def test_a_readme_transcript_is_what_the_shell_prints(block: Block) -> None:
    as_email, admin = _args(block.args)
    settings = load_settings(switchboard_providers="emulator")  # a fresh database, as `make demo`
    typist = Typist(block.lines)
    io = cast(TextIO, typist)
    code = await shell(settings, as_email=as_email, admin=admin, stdin=io, stdout=io)
    assert code == 0
    shown = _shown(typist.printed, block.banner)
    expected = "".join(line + "\n" for line in block.lines)
    if _pattern(block.lines).fullmatch(shown) is None:
        diff = "\n".join(
            difflib.unified_diff(
                expected.splitlines(), shown.splitlines(), "README.md", "shell", lineterm=""
            )
        )
        pytest.fail(f"README.md:{block.line}: the shell printed something else:\n{diff}")
