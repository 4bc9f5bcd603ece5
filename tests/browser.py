"""Headless Chromium (Debian's package) driven through the DevTools protocol over a pipe, and
`chuanyu serve` started as a real process: what tests/test_serve.py's browser test uses, and
`make screenshot` (README's picture of the web face).

`python tests/browser.py OUT.png` writes the picture: the home page as a colleague sees it.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from conftest import interruptible

#: Chromium's flags: headless, and none of its own traffic (without those, connections to the
#: server are refused many at a time here).
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
    "--force-device-scale-factor=1",
    "--window-size=1100,760",
    "--remote-debugging-pipe",
]


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def server(*args: str) -> Iterator[str]:
    """`chuanyu serve` on a free port of 127.0.0.1 as a process of its own: its address once it
    answers; stopped (Ctrl-C) after."""
    process, address = start(*args)
    try:
        yield address
    finally:
        stop(process)


def start(*args: str) -> tuple[subprocess.Popen[str], str]:
    """`chuanyu serve ARGS` on a free port of 127.0.0.1, and its address, once it answers."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "chuanyu", "serve", "--port", str(port), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        preexec_fn=interruptible,
        text=True,
        encoding="utf-8",
    )
    address = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120  # a first build of the database included
    while True:
        try:
            with urllib.request.urlopen(address + "/-/versions.json", timeout=5):
                return process, address
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                stop(process)
                raise RuntimeError(f"chuanyu serve did not start: {process.stdout.read() if process.stdout else ''}") from None
            time.sleep(0.2)


def stop(process: subprocess.Popen[str], signum: int = signal.SIGINT) -> str:
    """Stop a server started by `start` with `signum` (Ctrl-C's by default): what it printed."""
    if process.poll() is None:
        process.send_signal(signum)
    try:
        output, _ = process.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
    return output


class Browser:
    """One headless Chromium and one page in it, spoken to as the DevTools protocol over a pipe
    (its fds 3 and 4: JSON messages ended by NUL). Collects the page's console errors, uncaught
    exceptions and failed loads in `errors`."""

    def __init__(self, executable: str) -> None:
        self.profile = tempfile.mkdtemp(prefix="chuanyu-chromium-")
        to_browser, self._commands = os.pipe()
        self._replies, from_browser = os.pipe()

        def on_fds_3_and_4() -> None:  # by way of fds out of the way, whichever numbers the pipes have
            reading, writing = (fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in (to_browser, from_browser))
            os.dup2(reading, 3)
            os.dup2(writing, 4)

        self.process = subprocess.Popen(
            [executable, *FLAGS, f"--user-data-dir={self.profile}", "about:blank"],
            preexec_fn=on_fds_3_and_4,
            pass_fds=(3, 4),  # kept open past the preexec_fn
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(to_browser)
        os.close(from_browser)
        self._buffer = b""
        self._next = 0
        self._events: list[dict[str, Any]] = []
        self.errors: list[str] = []
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            self.call(f"{domain}.enable", session=True)

    def call(self, method: str, session: bool = False, timeout: float = 60, **params: Any) -> dict[str, Any]:
        self._next += 1
        message: dict[str, Any] = {"id": self._next, "method": method, "params": params}
        if session:
            message["sessionId"] = self.session
        os.write(self._commands, json.dumps(message).encode() + b"\0")
        reply = self._wait(lambda m: m.get("id") == self._next, timeout)
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        return dict(reply.get("result", {}))

    def _wait(self, wanted: Any, timeout: float) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            while b"\0" in self._buffer:
                raw, self._buffer = self._buffer.split(b"\0", 1)
                message = json.loads(raw)
                self._note(message)
                if wanted(message):
                    return dict(message)
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._replies], [], [], left)[0]:
                raise TimeoutError("Chromium did not answer in time")
            chunk = os.read(self._replies, 1 << 20)
            if not chunk:
                raise RuntimeError("Chromium has gone")
            self._buffer += chunk

    def _note(self, message: dict[str, Any]) -> None:
        method, params = message.get("method"), message.get("params", {})
        if method == "Runtime.exceptionThrown":
            self.errors.append(f"exception: {params['exceptionDetails'].get('text')}")
        elif method == "Runtime.consoleAPICalled" and params.get("type") == "error":
            self.errors.append("console.error: " + " ".join(str(a.get("value", a.get("description"))) for a in params["args"]))
        elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
            self.errors.append(f"{params['entry']['source']}: {params['entry']['text']} {params['entry'].get('url', '')}")

    def load(self, url: str) -> None:
        """Open `url` and wait until it has loaded (its load event)."""
        self.call("Page.navigate", session=True, url=url)
        self._wait(lambda m: m.get("method") == "Page.loadEventFired" and m.get("sessionId") == self.session, 60)

    def evaluate(self, expression: str) -> Any:
        return self.call("Runtime.evaluate", session=True, expression=expression, returnByValue=True)["result"].get("value")

    def screenshot(self, selector: str | None = None) -> bytes:
        """A PNG of the page as shown, or of the first element `selector` finds."""
        params: dict[str, Any] = {"format": "png"}
        if selector:
            box = self.evaluate(
                f"(r => [r.x, r.y, r.width, r.height])(document.querySelector({json.dumps(selector)}).getBoundingClientRect())"
            )
            params["clip"] = {"x": box[0], "y": box[1], "width": box[2], "height": box[3], "scale": 1}
        return base64.b64decode(self.call("Page.captureScreenshot", session=True, **params)["data"])

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.call("Browser.close", timeout=10)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._commands)
        os.close(self._replies)
        shutil.rmtree(self.profile, ignore_errors=True)


@contextlib.contextmanager
def browser() -> Iterator[Browser]:
    executable = chromium()
    if executable is None:
        raise RuntimeError("no Chromium: install Debian's chromium")
    opened = Browser(executable)
    try:
        yield opened
    finally:
        opened.close()


def picture(out: Path) -> None:
    """README's picture: the home page of `chuanyu serve` on the shipped catalogue, a PNG of few colours."""
    import io

    from PIL import Image

    with server() as address, browser() as page:
        page.load(address + "/chuanyu")
        shot = Image.open(io.BytesIO(page.screenshot()))
    shot.convert("RGB").quantize(colors=64).save(out, optimize=True)


if __name__ == "__main__":
    picture(Path(sys.argv[1]))
