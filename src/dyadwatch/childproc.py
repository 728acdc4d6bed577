"""What a child process of dyadwatch does when its parent is gone.

Used by the coding workers (:mod:`dyadwatch.coding.workers`) and the web app's
background worker (:mod:`dyadwatch.serve.worker`): both are ended by their parent
on a normal stop, and must not outlive a parent that was killed first.
"""

from __future__ import annotations

import os
import threading
import time


def exit_with_parent(parent: int, code: int, poll: float = 1.0) -> threading.Thread:
    """Start a daemon thread that ends this process with ``os._exit(code)`` once its parent
    is no longer process ``parent`` (the parent died: the child was re-parented).  Checks every
    ``poll`` seconds (a dead parent is noticed within about that long).  Returns the thread."""
    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(poll)
        os._exit(code)

    t = threading.Thread(target=watch, name="exit-with-parent", daemon=True)
    t.start()
    return t
