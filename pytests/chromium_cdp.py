"""A minimal Chrome DevTools Protocol client for headless Chromium, standard
library only: Chromium runs with `--remote-debugging-pipe` and talks CDP as
NUL-separated JSON messages over fds 3 (commands in) and 4 (replies and
events out), so no debugging port and no websocket library are needed.

    with Chromium(user_data_dir=tmp) as browser:
        page = browser.new_page()            # a session attached to a tab
        page.navigate("http://127.0.0.1:8000/")
        page.wait_for("document.readyState === 'complete'")
        page.evaluate("document.title")
        page.screenshot(Path("shot.png"))
"""

from __future__ import annotations

import base64
import itertools
import json
import os
import shutil
import subprocess
import threading
import time
from pathlib import Path
from typing import Any, Self

CHROMIUM = Path(os.environ.get("HM_CHROMIUM", "/usr/bin/chromium"))
# the flags the project runs Chromium with: headless, no sandbox (containers
# run as root), no GPU, no network chatter, a throwaway profile
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
]


class CdpError(RuntimeError):
    pass


class Chromium:
    def __init__(self, user_data_dir: Path, width: int = 1600, height: int = 1000) -> None:
        if not CHROMIUM.exists():
            raise CdpError(
                f"{CHROMIUM} not found: install it with `make browser` "
                "(apt-get install chromium) or set HM_CHROMIUM"
            )
        self.user_data_dir = user_data_dir
        self.size = (width, height)
        self._ids = itertools.count(1)
        self._replies: dict[int, dict] = {}
        self._events: list[dict] = []
        self._cond = threading.Condition()
        self._closed = False
        self.stderr_path = user_data_dir.parent / "chromium.stderr"

    # ------------------------------------------------------------ lifecycle
    def __enter__(self) -> Self:
        self.user_data_dir.mkdir(parents=True, exist_ok=True)
        to_child_r, self._to_child_w = os.pipe()
        self._from_child_r, from_child_w = os.pipe()
        args = [
            *FLAGS,
            f"--user-data-dir={self.user_data_dir}",
            f"--window-size={self.size[0]},{self.size[1]}",
            "--remote-debugging-pipe",
            "about:blank",
        ]
        # the child must see the pipes as fds 3 and 4: let bash move them
        # (dash, Debian's /bin/sh, rejects fd numbers above 9)
        script = f'exec "$0" "$@" 3<&{to_child_r} 4>&{from_child_w}'
        self._stderr = open(self.stderr_path, "wb")
        self.proc = subprocess.Popen(
            ["/bin/bash", "-c", script, str(CHROMIUM), *args],
            pass_fds=(to_child_r, from_child_w),
            stdin=subprocess.DEVNULL,
            stdout=self._stderr,
            stderr=self._stderr,
        )
        os.close(to_child_r)
        os.close(from_child_w)
        self._reader = threading.Thread(target=self._read_loop, daemon=True)
        self._reader.start()
        try:
            self.version = self.send("Browser.getVersion", timeout=30)
        except CdpError:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            if self.proc.poll() is None and not self._closed:
                try:
                    self.send("Browser.close", timeout=5)
                except CdpError:
                    pass
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)
        finally:
            self._closed = True
            for fd in (self._to_child_w, self._from_child_r):
                try:
                    os.close(fd)
                except OSError:
                    pass
            self._stderr.close()
            shutil.rmtree(self.user_data_dir, ignore_errors=True)

    def stderr_tail(self, n: int = 3000) -> str:
        try:
            return self.stderr_path.read_text(errors="replace")[-n:]
        except OSError:
            return ""

    # ------------------------------------------------------------- protocol
    def _read_loop(self) -> None:
        buffer = b""
        while True:
            try:
                chunk = os.read(self._from_child_r, 1 << 16)
            except OSError:
                chunk = b""
            if not chunk:
                with self._cond:
                    self._closed = True
                    self._cond.notify_all()
                return
            buffer += chunk
            *messages, buffer = buffer.split(b"\0")
            with self._cond:
                for raw in messages:
                    message = json.loads(raw)
                    if "id" in message:
                        self._replies[message["id"]] = message
                    else:
                        self._events.append(message)
                self._cond.notify_all()

    def send(
        self,
        method: str,
        params: dict | None = None,
        session_id: str | None = None,
        timeout: float = 30,
    ) -> dict:
        """Send one command and wait for its reply's `result`."""
        message_id = next(self._ids)
        message: dict[str, Any] = {"id": message_id, "method": method, "params": params or {}}
        if session_id:
            message["sessionId"] = session_id
        data = json.dumps(message).encode() + b"\0"
        try:
            os.write(self._to_child_w, data)
        except OSError as err:
            raise CdpError(f"chromium is gone ({err}); stderr:\n{self.stderr_tail()}") from err
        deadline = time.monotonic() + timeout
        with self._cond:
            while message_id not in self._replies:
                if self._closed:
                    raise CdpError(f"chromium exited; stderr:\n{self.stderr_tail()}")
                left = deadline - time.monotonic()
                if left <= 0:
                    raise CdpError(f"no reply to {method} within {timeout} s")
                self._cond.wait(left)
            reply = self._replies.pop(message_id)
        if "error" in reply:
            raise CdpError(f"{method}: {reply['error']}")
        return reply.get("result", {})

    def new_page(self) -> Page:
        targets = self.send("Target.getTargets")["targetInfos"]
        pages = [t for t in targets if t["type"] == "page"]
        if pages:
            target_id = pages[0]["targetId"]
        else:
            target_id = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session_id = self.send("Target.attachToTarget", {"targetId": target_id, "flatten": True})[
            "sessionId"
        ]
        page = Page(self, session_id)
        page.call("Page.enable")
        page.call("Runtime.enable")
        page.call(
            "Emulation.setDeviceMetricsOverride",
            {
                "width": self.size[0],
                "height": self.size[1],
                "deviceScaleFactor": 1,
                "mobile": False,
            },
        )
        return page

    def events(self, method: str) -> list[dict]:
        with self._cond:
            return [e for e in self._events if e.get("method") == method]


class Page:
    def __init__(self, browser: Chromium, session_id: str) -> None:
        self.browser = browser
        self.session_id = session_id

    def call(self, method: str, params: dict | None = None, timeout: float = 30) -> dict:
        return self.browser.send(method, params, self.session_id, timeout)

    def navigate(self, url: str) -> None:
        result = self.call("Page.navigate", {"url": url})
        if result.get("errorText"):
            raise CdpError(f"navigating to {url}: {result['errorText']}")

    def evaluate(self, expression: str, timeout: float = 30) -> Any:
        """The JSON value of a JavaScript expression (promises awaited)."""
        result = self.call(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": True},
            timeout=timeout,
        )
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            text = details.get("exception", {}).get("description") or details.get("text")
            raise CdpError(f"javascript error: {text}")
        return result["result"].get("value")

    def wait_for(self, expression: str, timeout: float = 60, interval: float = 0.25) -> Any:
        """Poll a JavaScript expression until it is truthy; return its value."""
        deadline = time.monotonic() + timeout
        last_error = None
        while time.monotonic() < deadline:
            try:
                value = self.evaluate(expression)
                if value:
                    return value
            except CdpError as err:  # page still loading
                last_error = err
            time.sleep(interval)
        raise CdpError(
            f"timed out after {timeout} s waiting for: {expression}"
            + (f" (last error: {last_error})" if last_error else "")
        )

    def screenshot(self, path: Path) -> Path:
        data = self.call("Page.captureScreenshot", {"format": "png"})["data"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))
        return path

    def console_errors(self) -> list[str]:
        """Uncaught exceptions the page raised so far."""
        return [
            e["params"]["exceptionDetails"].get("text", "")
            + " "
            + str(e["params"]["exceptionDetails"].get("exception", {}).get("description", ""))
            for e in self.browser.events("Runtime.exceptionThrown")
            if e.get("sessionId") == self.session_id
        ]
