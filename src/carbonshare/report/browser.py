"""Open an HTML page in headless Chromium and check it: console errors, network, screenshot.

Every study's report test uses :func:`check_page`. It starts Debian's
``chromium`` in headless mode with a fresh profile and talks to it through the
Chrome DevTools Protocol over ``--remote-debugging-pipe`` (file descriptors 3
and 4, NUL-delimited JSON), which needs only the standard library. It records

- every request the page makes (``Network.requestWillBeSent``); a request whose
  URL is not ``file:``, ``data:``, ``blob:`` or ``about:`` counts as external;
- console errors (``Runtime.consoleAPICalled`` of type error/assert,
  ``Runtime.exceptionThrown``, ``Log.entryAdded`` at level error), plus error
  lines of Chromium's own console log (``--enable-logging=stderr``) that the
  protocol did not report;
- a PNG screenshot (``Page.captureScreenshot``), the fraction of its pixels
  that differ from the page background, and the same fraction for each plotly
  figure on the page (so a test can assert that maps were drawn).

Host names are mapped to nothing (``--host-resolver-rules``), so a stray
request fails fast instead of reaching the network; it is still counted.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import re
import select
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from carbonshare.errors import CarbonshareError

__all__ = [
    "BrowserSession",
    "PageCheck",
    "check_page",
    "find_chromium",
    "require_browser",
    "table_sort_probe",
]

logger = logging.getLogger(__name__)

#: URL schemes that never leave the machine.
LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
    "--mute-audio",
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--enable-logging=stderr",
    "--v=0",
    "--remote-debugging-pipe",
)


class BrowserError(CarbonshareError, RuntimeError):
    """Chromium could not be started or did not answer."""


def find_chromium() -> str | None:
    """Path of a Chromium executable, or None.

    Looks at the ``CHROMIUM`` environment variable, then ``chromium``,
    ``chromium-browser``, ``google-chrome`` on the PATH, then /usr/bin/chromium.
    """
    env = os.environ.get("CHROMIUM")
    if env and Path(env).is_file() and os.access(env, os.X_OK):
        return env
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    if os.access("/usr/bin/chromium", os.X_OK):
        return "/usr/bin/chromium"
    return None


def require_browser() -> str:
    """Chromium's path for a test; skip the test if Chromium is missing.

    With the environment variable ``CARBONSHARE_REQUIRE_BROWSER=1`` a missing
    Chromium fails the test instead. Call it at the top of a test (or in a
    fixture); it imports pytest, so use it from tests only.
    """
    import pytest

    path = find_chromium()
    if path is None:
        msg = (
            "Chromium not found (set CHROMIUM=/path/to/chromium or install Debian's "
            "'chromium' package)"
        )
        if os.environ.get("CARBONSHARE_REQUIRE_BROWSER", "") not in ("", "0"):
            pytest.fail(msg + "; CARBONSHARE_REQUIRE_BROWSER is set, so this is a failure")
        pytest.skip(msg)
    return path


@dataclass
class PageCheck:
    """What :func:`check_page` saw.

    Attributes
    ----------
    console_errors : console errors and uncaught exceptions, in order.
    external_requests : URLs of requests that were not file/data/blob/about.
    screenshot_path : the PNG written (None if no screenshot was asked for).
    nonblank_fraction : share of screenshot pixels that differ from the
        background colour (the most frequent colour), in [0, 1].
    title : the page's ``document.title``.
    requests : every request URL, local ones included.
    plots : one dict per plotly figure: ``id``, ``paths`` (SVG paths drawn),
        ``x``, ``y``, ``width``, ``height`` (CSS px) and, when a screenshot is
        taken, ``nonblank_fraction`` of its own area (shot separately, so
        figures below the 12,000 px of the page screenshot count too).
    script_results : values of the ``scripts`` evaluated after load.
    ready : whether the page signalled that all figures were drawn in time.
    """

    console_errors: list[str]
    external_requests: list[str]
    screenshot_path: Path | None
    nonblank_fraction: float
    title: str
    requests: list[str] = field(default_factory=list)
    plots: list[dict[str, Any]] = field(default_factory=list)
    script_results: list[Any] = field(default_factory=list)
    ready: bool = True

    @property
    def ok(self) -> bool:
        """No console error and no external request."""
        return not self.console_errors and not self.external_requests


def is_external(url: str) -> bool:
    """True if ``url`` would leave the machine (not file/data/blob/about).

    Examples
    --------
    >>> is_external("https://cdn.plot.ly/plotly.min.js"), is_external("file:///tmp/r.html")
    (True, False)
    """
    return not url.lower().startswith(LOCAL_SCHEMES)


class _Pipe:
    """Chrome DevTools Protocol over a pair of pipes (NUL-delimited JSON)."""

    def __init__(self, write_fd: int, read_fd: int) -> None:
        self.write_fd = write_fd
        self.read_fd = read_fd
        self._buf = b""
        self._next_id = 0
        self.events: list[dict[str, Any]] = []
        self._results: dict[int, dict[str, Any]] = {}

    def send(self, method: str, params: dict | None = None, session: str | None = None) -> int:
        self._next_id += 1
        msg: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        data = json.dumps(msg).encode() + b"\0"
        while data:
            n = os.write(self.write_fd, data)
            data = data[n:]
        return self._next_id

    def _pump(self, timeout: float) -> bool:
        """Read what is available within ``timeout`` s; False if nothing came."""
        ready, _, _ = select.select([self.read_fd], [], [], max(timeout, 0.0))
        if not ready:
            return False
        chunk = os.read(self.read_fd, 1 << 20)
        if not chunk:
            raise BrowserError("Chromium closed the DevTools pipe (it crashed or exited)")
        self._buf += chunk
        while b"\0" in self._buf:
            raw, self._buf = self._buf.split(b"\0", 1)
            msg = json.loads(raw)
            if "id" in msg:
                self._results[msg["id"]] = msg
            else:
                self.events.append(msg)
        return True

    def call(
        self,
        method: str,
        params: dict | None = None,
        session: str | None = None,
        timeout: float = 15.0,
    ) -> dict[str, Any]:
        mid = self.send(method, params, session)
        deadline = time.monotonic() + timeout
        while mid not in self._results:
            left = deadline - time.monotonic()
            if left <= 0:
                raise BrowserError(f"Chromium did not answer {method} within {timeout:.0f} s")
            self._pump(left)
        msg = self._results.pop(mid)
        if "error" in msg:
            raise BrowserError(f"DevTools {method} failed: {msg['error'].get('message')}")
        return msg.get("result", {})

    def wait_event(self, method: str, timeout: float, start: int = 0) -> bool:
        deadline = time.monotonic() + timeout
        while True:
            if any(e.get("method") == method for e in self.events[start:]):
                return True
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            self._pump(left)

    def drain(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            self._pump(left)


def _dup_high(fd: int) -> int:
    return fcntl.fcntl(fd, fcntl.F_DUPFD, 10)


class BrowserSession:
    """A headless Chromium with one page, driven over the DevTools pipe.

    Use as a context manager::

        with BrowserSession() as b:
            b.open("/tmp/report.html")
            b.evaluate("document.title")

    Parameters
    ----------
    width, height : viewport in CSS pixels.
    chromium : executable; default :func:`find_chromium`.
    """

    def __init__(self, width: int = 1280, height: int = 900, chromium: str | None = None) -> None:
        self.width, self.height = int(width), int(height)
        self.chromium = chromium or find_chromium()
        if self.chromium is None:
            raise BrowserError(
                "Chromium not found; install Debian's 'chromium' or set CHROMIUM=/path/to/chromium"
            )
        self._proc: subprocess.Popen | None = None
        self._tmp: tempfile.TemporaryDirectory | None = None
        self._pipe: _Pipe | None = None
        self.session: str | None = None

    # -------------------------------------------------------------- lifecycle
    def __enter__(self) -> BrowserSession:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self) -> None:
        self._tmp = tempfile.TemporaryDirectory(prefix="carbonshare-chromium-")
        profile = Path(self._tmp.name) / "profile"
        self._stderr_path = Path(self._tmp.name) / "stderr.log"
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()

        def _wire_fds() -> None:  # runs in the child before exec
            a, b = _dup_high(to_child_r), _dup_high(from_child_w)
            os.dup2(a, 3)
            os.dup2(b, 4)

        args = [
            self.chromium,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={profile}",
            f"--window-size={self.width},{self.height}",
            "about:blank",
        ]
        with open(self._stderr_path, "wb") as err:
            self._proc = subprocess.Popen(
                args,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=err,
                close_fds=False,
                preexec_fn=_wire_fds,
                start_new_session=True,  # its own process group: see close()
            )
        os.close(to_child_r)
        os.close(from_child_w)
        self._pipe = _Pipe(to_child_w, from_child_r)
        try:
            target = self._pipe.call("Target.createTarget", {"url": "about:blank"}, timeout=30)
            att = self._pipe.call(
                "Target.attachToTarget", {"targetId": target["targetId"], "flatten": True}
            )
            self.session = att["sessionId"]
            for domain in ("Runtime", "Log", "Network", "Page"):
                self.call(f"{domain}.enable")
            self.call(
                "Emulation.setDeviceMetricsOverride",
                {
                    "width": self.width,
                    "height": self.height,
                    "deviceScaleFactor": 1,
                    "mobile": False,
                },
            )
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        if self._pipe is not None:
            with contextlib.suppress(Exception):
                self._pipe.send("Browser.close")
        if self._proc is not None:
            try:
                self._proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                # Chromium did not quit: end the process group this session started
                # (browser, renderer and GPU processes), by its id.
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self._proc.pid, signal.SIGKILL)
                self._proc.wait(timeout=5)
            self._proc = None
        if self._pipe is not None:
            for fd in (self._pipe.write_fd, self._pipe.read_fd):
                with contextlib.suppress(OSError):
                    os.close(fd)
            self._pipe = None
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    # -------------------------------------------------------------- commands
    def call(self, method: str, params: dict | None = None, timeout: float = 15.0) -> dict:
        """Send a DevTools command to the page and return its result."""
        if self._pipe is None:
            raise BrowserError("the browser session is not started; use 'with BrowserSession()'")
        return self._pipe.call(method, params, self.session, timeout)

    def open(self, html_path: str | Path, timeout: float = 20.0) -> bool:
        """Navigate to a local file and wait for its load event, then for
        ``window.csReady`` (set by carbonshare reports once every figure is drawn).

        Returns True if the page signalled ready within ``timeout`` seconds.
        """
        path = Path(html_path).resolve()
        if not path.is_file():
            raise BrowserError(f"page {path} does not exist; write the report first")
        assert self._pipe is not None
        start = len(self._pipe.events)
        self.call("Page.navigate", {"url": path.as_uri()})
        deadline = time.monotonic() + timeout
        self._pipe.wait_event("Page.loadEventFired", timeout, start)
        expr = "document.readyState === 'complete' && window.csReady !== false"
        while time.monotonic() < deadline:
            if self.evaluate(expr):
                self._pipe.drain(0.25)
                return True
            self._pipe.drain(0.1)
        logger.warning("page %s did not signal ready within %.0f s", path, timeout)
        return False

    def evaluate(self, expression: str, timeout: float = 15.0) -> Any:
        """Evaluate a JavaScript expression in the page and return its value (JSON)."""
        res = self.call(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": True},
            timeout,
        )
        if "exceptionDetails" in res:
            d = res["exceptionDetails"]
            text = d.get("exception", {}).get("description") or d.get("text")
            raise BrowserError(f"JavaScript failed: {text}")
        return res.get("result", {}).get("value")

    def screenshot(self, path: str | Path, full_page: bool = True, max_height: int = 12000) -> Path:
        """Write a PNG of the viewport or the whole page (up to ``max_height`` px)."""
        import base64

        if full_page:
            h = int(self.evaluate("Math.ceil(document.documentElement.scrollHeight)") or 0)
            h = max(self.height, min(h, max_height))
            self.call(
                "Emulation.setDeviceMetricsOverride",
                {"width": self.width, "height": h, "deviceScaleFactor": 1, "mobile": False},
            )
            assert self._pipe is not None
            self._pipe.drain(0.3)
        data = self.call("Page.captureScreenshot", {"format": "png"}, timeout=30)["data"]
        p = Path(path)
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(base64.b64decode(data))
        return p

    def region_pixels(self, x: float, y: float, width: float, height: float) -> Any:
        """RGB pixels (numpy array) of a page region in CSS px, wherever it is on the page."""
        import base64
        import io

        import numpy as np
        from PIL import Image

        clip = {"x": x, "y": y, "width": max(width, 1), "height": max(height, 1), "scale": 1}
        data = self.call(
            "Page.captureScreenshot",
            {"format": "png", "clip": clip, "captureBeyondViewport": True},
            timeout=30,
        )["data"]
        with Image.open(io.BytesIO(base64.b64decode(data))) as im:
            return np.asarray(im.convert("RGB"))

    # -------------------------------------------------------------- observations
    @property
    def events(self) -> list[dict[str, Any]]:
        return self._pipe.events if self._pipe is not None else []

    def requests(self) -> list[str]:
        """URLs of every request seen so far (``data:`` URLs cut to 60 characters)."""
        urls = [
            e["params"]["request"]["url"]
            for e in self.events
            if e.get("method") == "Network.requestWillBeSent"
        ]
        return [u[:60] + "..." if u.startswith("data:") and len(u) > 60 else u for u in urls]

    def console_errors(self) -> list[str]:
        """Console errors and uncaught exceptions seen so far."""
        out: list[str] = []
        for e in self.events:
            m, p = e.get("method"), e.get("params", {})
            if m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
                parts = [
                    str(a.get("value", a.get("description", a.get("type", ""))))
                    for a in p.get("args", [])
                ]
                out.append(" ".join(parts))
            elif m == "Runtime.exceptionThrown":
                d = p.get("exceptionDetails", {})
                out.append(d.get("exception", {}).get("description") or d.get("text", "exception"))
            elif m == "Log.entryAdded" and p.get("entry", {}).get("level") == "error":
                entry = p["entry"]
                url = f" ({entry['url']})" if entry.get("url") else ""
                out.append(f"{entry.get('text', '')}{url}")
        first_lines = [o.splitlines()[0] if o else "" for o in out]
        for line in self._stderr_console_errors():
            bare = line.removeprefix("Uncaught ").strip()
            if not any(bare in f or (f and f in bare) for f in first_lines):
                out.append(line)
        return out

    def _stderr_console_errors(self) -> list[str]:
        """Uncaught exceptions in Chromium's console log (``--enable-logging=stderr``).

        Chromium logs every console message there at INFO level, so only the
        "Uncaught ..." lines are known to be errors; console.error calls come
        from the DevTools protocol.
        """
        try:
            text = self._stderr_path.read_text(errors="replace")
        except (OSError, AttributeError):
            return []
        pat = re.compile(r':CONSOLE(?::\d+)?(?:\(\d+\))?\]\s*"(.*)", source:')
        return [m.group(1) for m in pat.finditer(text) if m.group(1).startswith("Uncaught")]


_PLOTS_JS = """
Array.from(document.querySelectorAll('.js-plotly-plot')).map(function (d) {
  var r = d.getBoundingClientRect();
  return {id: d.id, paths: d.querySelectorAll('svg.main-svg path').length,
          x: r.left + window.scrollX, y: r.top + window.scrollY, width: r.width, height: r.height};
})
"""


def _nonblank(pixels: Any) -> float:
    """Share of pixels differing from the most frequent colour."""
    import numpy as np

    if pixels.size == 0:
        return 0.0
    flat = pixels[..., :3].reshape(-1, 3).astype(np.uint32)
    packed = (flat[:, 0] << 16) | (flat[:, 1] << 8) | flat[:, 2]
    values, counts = np.unique(packed, return_counts=True)
    background = values[np.argmax(counts)]
    return float(np.mean(packed != background))


def _read_png(path: Path) -> Any:
    import numpy as np
    from PIL import Image

    with Image.open(path) as im:
        return np.asarray(im.convert("RGB"))


def check_page(
    html_path: str | Path,
    screenshot_path: str | Path | None,
    *,
    scripts: Sequence[str] = (),
    width: int = 1280,
    height: int = 900,
    full_page: bool = True,
    timeout: float = 20.0,
) -> PageCheck:
    """Open a local HTML file in headless Chromium and report what happened.

    Parameters
    ----------
    html_path : the page (opened as a ``file://`` URL).
    screenshot_path : where to write a PNG screenshot; None for none.
    scripts : JavaScript expressions evaluated after the page is ready, in
        order (e.g. :func:`table_sort_probe`); their values are returned in
        ``PageCheck.script_results``. Errors they log are counted.
    width, height : viewport in CSS pixels.
    full_page : screenshot the whole page (up to 12,000 px tall), not the viewport.
    timeout : seconds to wait for the page to load and draw its figures.

    Returns
    -------
    PageCheck

    Raises
    ------
    BrowserError if Chromium is missing, cannot start, or stops answering.
    """
    with BrowserSession(width, height) as b:
        ready = b.open(html_path, timeout=timeout)
        results = [b.evaluate(s) for s in scripts]
        title = b.evaluate("document.title") or ""
        shot = None
        fraction = 0.0
        plots: list[dict[str, Any]] = []
        if screenshot_path is not None:
            shot = b.screenshot(screenshot_path, full_page=full_page)
            fraction = _nonblank(_read_png(shot))
            plots = b.evaluate(_PLOTS_JS) or []
            for pl in plots:  # each figure shot on its own: long pages are covered too
                region = b.region_pixels(pl["x"], pl["y"], pl["width"], pl["height"])
                pl["nonblank_fraction"] = _nonblank(region)
        else:
            plots = b.evaluate(_PLOTS_JS) or []
        if scripts:
            assert b._pipe is not None
            b._pipe.drain(0.1)
        reqs = b.requests()
        return PageCheck(
            console_errors=b.console_errors(),
            external_requests=[u for u in reqs if is_external(u)],
            screenshot_path=shot,
            nonblank_fraction=fraction,
            title=str(title),
            requests=reqs,
            plots=plots,
            script_results=results,
            ready=ready,
        )


def table_sort_probe(table: int = 0, column: int = 0) -> str:
    """JavaScript that clicks a table header twice and reports the column's order.

    The expression returns ``{"before": [...], "asc": [...], "desc": [...],
    "indicator": [aria-sort after 1st click, after 2nd]}`` with the cell texts
    of column ``column`` of the ``table``-th ``table.cs-table`` on the page.
    """
    return f"""
(function () {{
  var t = document.querySelectorAll('table.cs-table')[{int(table)}];
  var th = t.tHead.rows[0].cells[{int(column)}];
  function col() {{
    return Array.from(t.tBodies[0].rows).map(function (r) {{
      return r.cells[{int(column)}].textContent; }});
  }}
  var before = col();
  th.click(); var asc = col(); var a1 = th.getAttribute('aria-sort');
  th.click(); var desc = col(); var a2 = th.getAttribute('aria-sort');
  return {{before: before, asc: asc, desc: desc, indicator: [a1, a2]}};
}})()
"""
