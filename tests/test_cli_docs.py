"""Every command has help, and every command is documented in the README."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer.main

from dyadwatch.cli import app, main

README = Path(__file__).resolve().parents[1] / "README.md"


def _commands() -> list[str]:
    group = typer.main.get_command(app)
    return sorted(group.commands)


def test_cli_docs_core_commands_registered():
    assert {"ingest", "dyad", "status", "demo"} <= set(_commands())


@pytest.mark.parametrize("name", _commands())
def test_cli_docs_every_command_has_help(name, capsys):
    assert main([name, "--help"]) == 0
    text = capsys.readouterr().out
    assert "Usage" in text and len(text) > 100
    group = typer.main.get_command(app)
    assert group.commands[name].help, f"command {name} has no docstring"


@pytest.mark.parametrize("name", _commands())
def test_cli_docs_every_command_in_readme(name):
    assert re.search(rf"dyadwatch {re.escape(name)}\b", README.read_text(encoding="utf-8")), (
        f"`dyadwatch {name}` is not documented in README.md")


def test_cli_docs_unknown_command_exit_2(capsys):
    assert main(["no-such-command"]) == 2
