"""A child process ends itself when its parent is gone (dyadwatch.childproc)."""

from __future__ import annotations

import subprocess
import sys
import time


def test_child_exits_with_its_code_once_its_parent_is_not_the_one_named():
    """Named parent pid 1 (not this child's parent): the watch thread ends the child at once
    with the given code, long before its 30 s sleep would."""
    t0 = time.monotonic()
    p = subprocess.run([sys.executable, "-c", "import time; from dyadwatch.childproc import exit_with_parent; "
                        "exit_with_parent(1, 3, poll=0.05); time.sleep(30)"], timeout=60)
    assert p.returncode == 3 and time.monotonic() - t0 < 20


def test_child_keeps_running_while_its_parent_lives():
    p = subprocess.run([sys.executable, "-c", "import os, time; from dyadwatch.childproc import exit_with_parent; "
                        "exit_with_parent(os.getppid(), 3, poll=0.05); time.sleep(0.5); print('alive')"],
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 0 and p.stdout.strip() == "alive"
