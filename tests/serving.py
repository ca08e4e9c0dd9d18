"""Waiting for a server a test started (the app under gunicorn or Flask, nginx) to answer."""

from __future__ import annotations

import subprocess
import time
import urllib.request
from collections.abc import Callable
from typing import Any

import pytest


def wait_until_answering(server: subprocess.Popen, url: str, *, timeout: float = 30.0,
                         why: Callable[[], str] = lambda: "the server did not start") -> Any:
    """The first response of ``url``; when the server exits or does not answer within ``timeout``
    seconds it is killed and the test fails with ``why()``."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return urllib.request.urlopen(url, timeout=2)
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()  # first: reading its stderr then cannot block
                server.wait()
                pytest.fail(why())
            time.sleep(0.1)
