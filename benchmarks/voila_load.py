"""How many viewers one laptop serves in the instructor demo (Voilà, scripts/demo.sh).

    python benchmarks/voila_load.py [--viewers 12] [--lesson 04_gradient_descent.ipynb]

Starts Voilà with the demo's voila.json on 127.0.0.1 and opens viewers one by one (a browser
tab each, as students on the same machine or on the classroom network would). After each new
viewer it records the memory of Voilà and all its kernels (RSS from /proc, Linux), the time to
the first figure, and the time until every open viewer's figure has followed one slider press
made in all viewers at once (the worst case: everybody moves a slider together). Closes the
tabs and checks that culling returns the memory. Writes benchmarks/results/voila_load.md.
"""

import argparse
import importlib.util
import os
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _load_browser_helpers():
    path = ROOT / "tests" / "browser" / "numdiff_browser.py"
    spec = importlib.util.spec_from_file_location("numdiff_browser", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


nb = _load_browser_helpers()


def descendants(pid):
    """pid and every process below it (Linux /proc)."""
    children = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                children.setdefault(int(fields[1]), []).append(int(entry.name))
            except (OSError, IndexError, ValueError):
                continue
    found, stack = [], [pid]
    while stack:
        p = stack.pop()
        found.append(p)
        stack.extend(children.get(p, []))
    return found


def tree_rss_mb(pid):
    """Resident memory of pid and all its descendants, in MB (Linux /proc)."""
    total = 0
    for p in descendants(pid):
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def count_kernels(server):
    """Kernel processes under Voilà (its kernel API is closed while kernels are preheated)."""
    count = 0
    for pid in descendants(server.proc.pid):
        try:
            if b"ipykernel" in Path(f"/proc/{pid}/cmdline").read_bytes():
                count += 1
        except OSError:
            continue
    return count


def open_viewer(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    start = time.monotonic()
    page.goto(server.url("/"))
    page.wait_for_selector(".numdiff-widget img.widget-image", timeout=180_000)
    return context, page, time.monotonic() - start


def move_all(pages):
    """Press ArrowRight on the first slider of every page at once; seconds until all follow."""
    imgs, befores = [], []
    for page in pages:
        img = page.locator(".numdiff-widget img.widget-image").first
        imgs.append(img)
        befores.append(img.get_attribute("src"))
    start = time.monotonic()
    for page in pages:
        handle = page.locator(".numdiff-widget .noUi-handle").first
        handle.focus()
        page.keyboard.press("ArrowRight" if nb.key_for(
            page.locator(".numdiff-widget .widget-slider").first) == "ArrowRight" else "ArrowLeft")
    for img, before in zip(imgs, befores, strict=True):
        nb.wait_src_change(img, before, timeout=120)
    return time.monotonic() - start


def main():
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--viewers", type=int, default=12)
    parser.add_argument("--lesson", default="04_gradient_descent.ipynb")
    args = parser.parse_args()
    tmp = Path(os.environ.get("TMPDIR", "/tmp")) / f"voila-load-{os.getpid()}"
    copy = nb.copy_notebooks(tmp / "notebooks")
    server = nb.start_voila(copy / args.lesson, tmp)
    rows = []
    try:
        base = tree_rss_mb(server.proc.pid)
        with sync_playwright() as p:
            browser = nb.launch(p)
            viewers = []
            for n in range(1, args.viewers + 1):
                context, page, first = open_viewer(browser, server)
                viewers.append((context, page))
                time.sleep(2)  # let the preheated replacement kernel start
                together = move_all([pg for _, pg in viewers])
                rows.append((n, first, together, tree_rss_mb(server.proc.pid),
                             count_kernels(server)))
                print(f"{n:3d} viewers: first figure {first:5.1f} s, all follow a slider in "
                      f"{together:5.2f} s, memory {rows[-1][3]:7.0f} MB, "
                      f"{rows[-1][4]} kernels", flush=True)
            for context, _ in viewers:
                context.close()
            browser.close()
        cfg = nb.voila_config()["MappingKernelManager"]
        wait = cfg["cull_idle_timeout"] + 2 * cfg["cull_interval"] + 10
        print(f"closed every tab; waiting {wait} s for culling", flush=True)
        time.sleep(wait)
        after = (tree_rss_mb(server.proc.pid), count_kernels(server))
    finally:
        server.stop()  # Voilà shuts its kernels down when it stops
    per_viewer = statistics.median(b[3] - a[3] for a, b in zip(rows, rows[1:], strict=False))
    lines = [
        "# Voilà demo under load (benchmarks/voila_load.py)", "",
        f"Lesson {args.lesson}, voila.json as shipped (one preheated kernel, culling of closed "
        "pages), every viewer a Chromium tab on this machine (2 cores).", "",
        f"Voilà alone: {base:.0f} MB. Each further viewer adds about **{per_viewer:.0f} MB** "
        "(its kernel).", "",
        "| viewers | first figure (s) | all figures follow one slider press made in every "
        "tab at once (s) | memory, Voilà + kernels (MB) | kernels |",
        "|---|---|---|---|---|",
        *(f"| {n} | {first:.1f} | {together:.2f} | {mem:.0f} | {k} |"
          for n, first, together, mem, k in rows),
        "", f"After closing every tab and waiting {wait} s: {after[0]:.0f} MB, "
        f"{after[1]} kernel(s) (the preheated one).",
    ]
    out = ROOT / "benchmarks" / "results" / "voila_load.md"
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
