"""Shared code for the browser tests and benchmarks/slider_latency.py.

Servers (JupyterLab, Voilà) run on 127.0.0.1 with a random token against a temporary copy of
notebooks/, and are stopped by PID. The browser is Debian's Chromium driven by Playwright's sync
API; `playwright install` is never needed.
"""

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = REPO / "notebooks"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

# A call such as descent_widget(...) or interactive_figure(...) puts a live figure on the page.
WIDGET_CALL = re.compile(r"\b(\w+_widget|interactive_figure)\(")

# Console errors that are not ours and change nothing a learner sees:
#  - Voilà's "lab" template links Font Awesome from cdn.jsdelivr.net; offline (CI, a lecture hall
#    without internet) that stylesheet fails to load. Our pages use no icons from it.
#  - every lesson's first cell shows the "Open in Colab" badge, an image from
#    colab.research.google.com: offline it fails to load, and the lesson is no worse for it.
HARMLESS_ERROR_URLS = ("https://cdn.jsdelivr.net/npm/@fortawesome/",
                       "https://colab.research.google.com/assets/")


# ------------------------------------------------------------------ notebooks

def copy_notebooks(dest):
    """Copy notebooks/ (no checkpoints) to dest: servers autosave there, never into the repo."""
    shutil.copytree(NOTEBOOKS, dest, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    return Path(dest)


def widget_cells(path):
    """Code cells of a notebook that display a live widget (they call *_widget(...))."""
    nb = nbformat.read(path, as_version=4)
    return [c.source for c in nb.cells
            if c.cell_type == "code" and WIDGET_CALL.search(c.source)
            and not c.source.lstrip().startswith("def ")]


def slider_notebooks():
    """Names of the lessons that show at least one widget, discovered from their source."""
    return sorted(p.name for p in NOTEBOOKS.glob("*.ipynb") if widget_cells(p))


# ------------------------------------------------------------------ servers

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http(method, url, timeout=10):
    req = urllib.request.Request(url, method=method)
    with urllib.request.urlopen(req, timeout=timeout) as resp:
        body = resp.read()
    return json.loads(body) if body else None


class Server:
    """A Jupyter-family server process we started; stop() ends exactly this PID."""

    def __init__(self, argv, port, token, log_path, cwd=None, env=None):
        self.port, self.token, self.log_path = port, token, Path(log_path)
        self.base = f"http://127.0.0.1:{port}"
        self._log = open(self.log_path, "w")  # noqa: SIM115 — closed in stop()
        self.proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=self._log,
                                     stderr=subprocess.STDOUT, start_new_session=True)

    def url(self, path, **query):
        query = {"token": self.token, **query}
        sep = "&" if "?" in path else "?"
        return f"{self.base}{path}{sep}" + "&".join(f"{k}={v}" for k, v in query.items())

    def log(self):
        return self.log_path.read_text(errors="replace")

    def wait_ready(self, path="/api/status", timeout=60, any_status=False):
        """Until `path` answers (200, or any HTTP status when any_status); else stop it, raise."""
        try:
            self._wait_ready(path, timeout, any_status)
        except BaseException:
            self.stop()  # nobody else holds this server yet
            raise

    def _wait_ready(self, path, timeout, any_status):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}:\n{self.log()}")
            try:
                urllib.request.urlopen(self.url(path), timeout=2).read()
                return
            except urllib.error.HTTPError:
                if any_status:
                    return
                time.sleep(0.25)
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.25)
        raise TimeoutError(f"server not ready after {timeout} s:\n{self.log()}")

    def stop(self):
        """terminate, wait, kill — by our own PID only."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self._log.close()


def server_env(tmp):
    """Environment for a server: our Python first, Jupyter's state dirs in tmp."""
    tmp = Path(tmp)
    env = dict(os.environ)
    env.update(JUPYTERLAB_SETTINGS_DIR=str(tmp / "lab-settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(tmp / "lab-workspaces"),
               JUPYTER_RUNTIME_DIR=str(tmp / "runtime"),
               # One BLAS thread: kernels share 2 cores with the browser and the server.
               OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    # Never ask about (or fetch) Jupyter news: the toast would cover the figures in screenshots.
    news = tmp / "lab-settings" / "@jupyterlab" / "apputils-extension"
    news.mkdir(parents=True, exist_ok=True)
    (news / "notification.jupyterlab-settings").write_text('{"fetchNews": "false"}')
    return env


def root_flag():
    # Jupyter refuses to run as root without it (containers, CI runners).
    return ["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []


def start_lab(root_dir, tmp):
    """JupyterLab on 127.0.0.1:<free port> with a random token, serving root_dir."""
    port, token = free_port(), secrets.token_hex(16)
    argv = [sys.executable, "-m", "jupyter", "lab", "--no-browser",
            "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
            f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root_dir}",
            # No calls to the internet from the server or the page.
            "--LabApp.news_url=None",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            *root_flag()]
    server = Server(argv, port, token, Path(tmp) / "jupyterlab.log", env=server_env(tmp))
    server.wait_ready()
    return server


def voila_config():
    """The demo's Voilà settings (voila.json at the repo root, read by scripts/demo.sh)."""
    return json.loads((REPO / "voila.json").read_text())


def start_voila(notebook, tmp, extra=()):
    """Voilà on one notebook, 127.0.0.1, random token, with the demo's voila.json."""
    port, token = free_port(), secrets.token_hex(16)
    argv = [sys.executable, "-m", "voila", str(notebook), "--no-browser",
            "--Voila.ip=127.0.0.1", f"--port={port}", f"--token={token}", *extra]
    # Voilà reads voila.json from its working directory: run it from the repo root, as the demo.
    server = Server(argv, port, token, Path(tmp) / "voila.log", cwd=REPO, env=server_env(tmp))
    # Not "/": that would already run the notebook in a new kernel. Any answer means it is up.
    server.wait_ready(path="/voila/static/", any_status=True)
    return server


def lab_kernels(server):
    return http("GET", server.url("/api/kernels"))


def shutdown_kernels(server, kernel_ids=None):
    """DELETE the given kernels (default: every kernel the server runs)."""
    ids = kernel_ids if kernel_ids is not None else [k["id"] for k in lab_kernels(server)]
    for kid in ids:
        try:
            http("DELETE", server.url(f"/api/kernels/{kid}"), timeout=20)
        except urllib.error.HTTPError as err:
            if err.code != 404:  # already gone is fine
                raise


def session_kernel(server, name):
    for s in http("GET", server.url("/api/sessions")):
        if s["path"] == name or s["path"].endswith("/" + name):
            return s["kernel"]["id"]
    return None


# ------------------------------------------------------------------ browser

def find_browser_module():
    """tests/browser/find_browser.py, loaded by path (benchmarks load this file by path too)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("find_browser",
                                                  Path(__file__).with_name("find_browser.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def launch(playwright, executable=None):
    """Chromium for the tests: the one find_browser chose (Playwright's own needs no path)."""
    if executable is None:
        executable, _how = find_browser_module().find_browser()
        if executable is None:
            raise RuntimeError("no Chromium or Chrome found (see tests/browser/find_browser.py)")
    return playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS,
                                      headless=True)


class ConsoleLog:
    """Console messages and uncaught page errors of one page, with a verdict."""

    def __init__(self, page):
        self.messages, self.errors = [], []
        page.on("console", self._console)
        page.on("pageerror", lambda err: self.errors.append(f"pageerror: {err}"))

    def _console(self, msg):
        url = (msg.location or {}).get("url", "")
        self.messages.append(f"{msg.type}: {msg.text} ({url})")
        if msg.type == "error" and not url.startswith(HARMLESS_ERROR_URLS):
            self.errors.append(f"console error: {msg.text} ({url})")


def wait_idle(page, server=None, kernel_id=None, timeout=60):
    """Kernel idle as the page sees it (and as the server sees it, when we know the kernel)."""
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']",
                           timeout=timeout * 1000)
    if server is None or kernel_id is None:
        return
    deadline = time.monotonic() + timeout
    while http("GET", server.url(f"/api/kernels/{kernel_id}"))["execution_state"] != "idle":
        if time.monotonic() > deadline:
            raise TimeoutError("kernel still busy")
        time.sleep(0.1)


def wait_kernel_ready(page, server, name, timeout=60):
    """The notebook's kernel exists, the page is connected to it, and it is idle.

    The page's execution indicator says "idle" even before a kernel exists; running cells then
    makes JupyterLab ask for a kernel. So ask the server too.
    """
    deadline = time.monotonic() + timeout
    while True:
        kernel = session_kernel(server, name)
        if kernel:
            info = http("GET", server.url(f"/api/kernels/{kernel}"))
            if info["connections"] >= 1 and info["execution_state"] == "idle":
                break
        if time.monotonic() > deadline:
            raise TimeoutError(f"{name}: no connected idle kernel after {timeout} s")
        time.sleep(0.2)
    wait_idle(page, server, kernel)
    return kernel


def run_all_cells(page):
    """Run → Run All Cells, from the menu bar as a learner would."""
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()


def tracebacks(page):
    """Text of every output that shows a Python traceback."""
    out = page.locator(".jp-OutputArea-output").filter(has_text="Traceback (most recent call")
    return [out.nth(i).text_content()[:2000] for i in range(out.count())]


def image_digest(img):
    """SHA-256 of the bytes the <img> shows (its blob: src), computed in the page."""
    return img.evaluate("""async (el) => {
        const buf = await (await fetch(el.src)).arrayBuffer();
        const d = await crypto.subtle.digest('SHA-256', buf);
        return Array.from(new Uint8Array(d)).map(b => b.toString(16).padStart(2, '0')).join('');
    }""")


def wait_src_change(img, old_src, timeout=30):
    img.page.wait_for_function("([el, old]) => el.getAttribute('src') !== old",
                               arg=[img.element_handle(), old_src], timeout=timeout * 1000)


def wait_src_stable(img, quiet=0.3, timeout=30):
    """Until the figure's src has not changed for `quiet` seconds."""
    deadline = time.monotonic() + timeout
    src, since = img.get_attribute("src"), time.monotonic()
    while time.monotonic() - since < quiet:
        if time.monotonic() > deadline:
            raise TimeoutError("figure keeps changing")
        time.sleep(0.05)
        now = img.get_attribute("src")
        if now != src:
            src, since = now, time.monotonic()
    return src


def slider_name(slider):
    # textContent, not innerText: the latter is "" while a cell is skipped by content-visibility.
    return slider.locator(".widget-label").first.text_content().strip()


def key_for(slider, preferred="ArrowRight"):
    """preferred, or the opposite key when the handle already sits at that end."""
    handle = slider.locator(".noUi-handle").first
    now = float(handle.get_attribute("aria-valuenow"))
    up = preferred in ("ArrowRight", "ArrowUp", "PageUp")
    if up and now >= float(handle.get_attribute("aria-valuemax")):
        return {"ArrowRight": "ArrowLeft", "ArrowUp": "ArrowDown", "PageUp": "PageDown"}[preferred]
    if not up and now <= float(handle.get_attribute("aria-valuemin")):
        return {"ArrowLeft": "ArrowRight", "ArrowDown": "ArrowUp", "PageDown": "PageUp"}[preferred]
    return preferred


def move_and_check(widget, slider, key, shot, settle=lambda: None):
    """Press `key` on the slider's handle; the figure must change and match the readout.

    settle() waits for the kernel to be idle (JupyterLab can tell; Voilà has no indicator).
    """
    img = widget.locator("img.widget-image").first
    caption = widget.locator(".numdiff-caption").first
    name = slider_name(slider)
    handle = slider.locator(".noUi-handle").first
    before_src, before_digest = img.get_attribute("src"), image_digest(img)
    readout = slider.locator(".widget-readout").first
    before_value = readout.text_content().strip()

    handle.focus()
    widget.page.keyboard.press(key)
    wait_src_change(img, before_src)
    settle()
    wait_src_stable(img)

    shown = readout.text_content().strip()
    assert shown != before_value, f"{name}: {key} did not move it from {before_value}"
    assert image_digest(img) != before_digest, f"{name}: the figure did not change"
    text = caption.text_content()
    plotted = caption_value(text, name)
    assert plotted is not None, f"caption does not state {name!r}: {text!r}"
    assert same_number(shown, plotted), (
        f"slider {name!r} shows {shown} but the figure was drawn with {plotted}: {text!r}")
    widget.screenshot(path=shot)


# ------------------------------------------------------------------ readout vs caption

NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"


def quantum(text):
    """Half a unit in the last place a printed number shows: '1.78e-1' -> 5e-4, '20' -> 0.5."""
    m = re.fullmatch(r"[-+]?(\d*)\.?(\d*)(?:[eE]([-+]?\d+))?", text.strip())
    if not m:
        raise ValueError(f"not a number: {text!r}")
    decimals, exponent = len(m.group(2)), int(m.group(3) or 0)
    return 0.5 * 10.0 ** (exponent - decimals)


def caption_value(caption, description):
    """The number the caption gives for a control, found by any word of its description.

    'Δx (delta_x)' matches 'Δx = 1.00e+00'; 'lr' matches 'lr = 0.178'.
    """
    for word in re.findall(r"[^\s()]+", description):
        m = re.search(rf"(?<![\w.]){re.escape(word)}\s*=\s*({NUMBER})", caption)
        if m:
            return m.group(1)
    return None


def same_number(readout, caption_text):
    """True when both printed numbers can stand for the same value at their precision."""
    tol = quantum(readout) + quantum(caption_text)
    return abs(float(readout) - float(caption_text)) <= tol * (1 + 1e-9)
