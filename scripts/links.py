"""Badges, links and set-up cells, generated from the one place that names the repository.

    python scripts/links.py           # rewrite them where they differ
    python scripts/links.py --check   # exit 1 when a lesson or README is out of step

The repository's address lives in pyproject.toml, [project.urls] Repository. From it come:
- the Colab (and, in README, Binder) badges: one per lesson, since Colab opens one notebook at
  a time (00_index's relative links would not work there);
- the first code cell of every lesson, the set-up cell: on Colab it installs numdiff_lib from
  the repository, then numdiff_lib.start() picks the edition's language;
- README's lesson table of links, 00_index's Colab links, the nbgitpuller links for a campus
  JupyterHub and binder/hub-requirements.txt, its user image's requirements.
"""

import argparse
import re
import sys
import tomllib
from pathlib import Path
from urllib.parse import quote

import nbformat

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
EDITIONS = {"": "en", "ko": "ko"}  # subfolder of notebooks/ -> language
BRANCH = "main"
BADGE_START, BADGE_END = "<!-- badges:start -->", "<!-- badges:end -->"
# The set-up cell's first words and its one line on Colab, in each edition's language.
SETUP_MARKS = {"en": "# Set-up (run this cell first)", "ko": "# 설정 (이 셀을 먼저 실행하세요)"}
SETUP_TEXT = {
    "en": (": on Colab it installs numdiff_lib, the course's helper package.",
           "Installing numdiff_lib from {source} ..."),
    "ko": (": Colab에서는 강의의 도우미 패키지 numdiff_lib을 설치합니다.",
           "numdiff_lib 설치 중: {source} ..."),
}


def repository():
    """'owner/name' from pyproject.toml's Repository URL."""
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    url = meta["project"]["urls"]["Repository"]
    match = re.fullmatch(r"https://github\.com/([^/]+/[^/]+?)/?", url)
    if not match:
        sys.exit(f"links: Repository in pyproject.toml must be https://github.com/OWNER/NAME, "
                 f"got {url!r}")
    return match.group(1)


def colab_url(repo, path):
    return f"https://colab.research.google.com/github/{repo}/blob/{BRANCH}/{path}"


def binder_url(repo, path):
    return f"https://mybinder.org/v2/gh/{repo}/{BRANCH}?urlpath=lab/tree/{path}"


def nbgitpuller_url(repo, path, hub="https://YOUR-HUB"):
    """An nbgitpuller link: the hub clones the repository once and opens `path`."""
    name = repo.split("/")[1]
    return (f"{hub}/hub/user-redirect/git-pull?repo={quote(f'https://github.com/{repo}', '')}"
            f"&branch={BRANCH}&urlpath={quote(f'lab/tree/{name}/{path}', '')}")


def colab_badge(repo, path):
    return (f"[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]"
            f"({colab_url(repo, path)})")


def setup_source(repo, language):
    """The set-up cell: the same in every lesson, apart from the language."""
    comment, installing = SETUP_TEXT[language]
    return f'''{SETUP_MARKS[language]}{comment}
%matplotlib inline
import importlib.util
import os
import subprocess
import sys

if importlib.util.find_spec("numdiff_lib") is None and (
        "google.colab" in sys.modules or os.environ.get("NUMDIFF_COLAB")):
    source = os.environ.get("NUMDIFF_SOURCE", "git+https://github.com/{repo}")
    print(f"{installing}")
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps",
                    f"numdiff_lib @ {{source}}"], check=True)
    importlib.invalidate_caches()
import numdiff_lib

numdiff_lib.start("{language}")'''


INDEX_COLAB = {"en": ("Colab", "open in Colab"), "ko": ("Colab", "Colab에서 열기")}
INDEX_ROW = re.compile(r"^\| (\d\d) \| \[([\w.-]+)\]\(([\w.-]+\.ipynb)\) \|")


def index_table(source, repo, edition, language):
    """00_index's lesson table with a Colab link per lesson (Colab opens one notebook at a time,
    so the table's relative links lead nowhere there). A text link, not a badge image: the
    offline slide decks load no image from the internet."""
    head, text = INDEX_COLAB[language]
    lines = []
    for line in source.split("\n"):
        cells = line.rstrip().split(" | ")
        has_colab = line.rstrip().endswith(f" {head} |") or "colab.research.google.com" in line
        if line.startswith("| # |"):
            line = (" | ".join(cells[:-1]) + " |" if has_colab else line.rstrip()) + f" {head} |"
        elif line.startswith("|---|") and lines and lines[-1].startswith("| # |"):
            line = "|" + "---|" * (lines[-1].count("|") - 1)
        elif match := INDEX_ROW.match(line):
            rel = (NOTEBOOKS / edition / match.group(3)).relative_to(ROOT).as_posix()
            if has_colab:
                line = " | ".join(cells[:-1]) + " |"
            line = f"{line.rstrip()} [{text}]({colab_url(repo, rel)}) |"
        lines.append(line)
    return "\n".join(lines)


def lesson_paths():
    for edition, language in EDITIONS.items():
        for path in sorted((NOTEBOOKS / edition).glob("*.ipynb")):
            yield path, language


def update_lesson(path, language, repo):
    """The lesson with its badge line and set-up cell made current; True when it changed."""
    nb = nbformat.read(path, as_version=4)
    rel = path.relative_to(ROOT).as_posix()
    changed = False
    first = nb.cells[0]
    # Markers on lines of their own: a line that starts with <!-- is a raw HTML block in
    # Markdown, and a badge on that line would show as text.
    badge = f"{BADGE_START}\n{colab_badge(repo, rel)}\n{BADGE_END}"
    source = first.source
    if BADGE_START in source:
        new = re.sub(re.escape(BADGE_START) + ".*?" + re.escape(BADGE_END), badge, source,
                     flags=re.S)
    else:
        new = f"{badge}\n\n{source}"
    if new != source:
        first.source, changed = new, True
    code = [c for c in nb.cells if c.cell_type == "code"]
    want = setup_source(repo, language)
    if not code or not code[0].source.startswith(tuple(SETUP_MARKS.values())):
        raise SystemExit(f"links: {rel}: the first code cell must be the set-up cell "
                         f"(starting {SETUP_MARKS[language]!r})")
    if code[0].source != want:
        code[0].source, changed = want, True
    if path.stem == "00_index":
        edition = path.parent.relative_to(NOTEBOOKS).as_posix()
        edition = "" if edition == "." else edition
        for cell in nb.cells:
            if cell.cell_type == "markdown" and any(
                    INDEX_ROW.match(line) for line in cell.source.split("\n")):
                table = index_table(cell.source, repo, edition, language)
                if table != cell.source:
                    cell.source, changed = table, True
    if changed:
        nbformat.write(nb, path)
    return changed


def readme_table(repo, edition="", language="en"):
    """The lesson table of README with Colab and Binder links for each lesson."""
    head = {"en": "| lesson | open in Colab | open in Binder |\n|---|---|---|",
            "ko": "| 레슨 | Colab에서 열기 | Binder에서 열기 |\n|---|---|---|"}[language]
    rows = []
    for path in sorted((NOTEBOOKS / edition).glob("*.ipynb")):
        rel = path.relative_to(ROOT).as_posix()
        rows.append(f"| `{path.stem}` | {colab_badge(repo, rel)} | "
                    f"[![Binder](https://mybinder.org/badge_logo.svg)]({binder_url(repo, rel)}) |")
    return "\n".join([head, *rows])


def hub_table(repo, edition=""):
    rows = ["| lesson | nbgitpuller link (replace YOUR-HUB) |", "|---|---|"]
    for path in sorted((NOTEBOOKS / edition).glob("*.ipynb")):
        rel = path.relative_to(ROOT).as_posix()
        rows.append(f"| `{path.stem}` | <{nbgitpuller_url(repo, rel)}> |")
    return "\n".join(rows)


HUB_REQUIREMENTS = ROOT / "binder" / "hub-requirements.txt"


def hub_requirements(repo):
    """binder/requirements.txt for a campus hub's user image: numdiff_lib from the repository
    (an image is built outside a checkout, where `-e .` has nothing to install)."""
    pins = [line for line in (ROOT / "binder" / "requirements.txt").read_text(
        encoding="utf-8").splitlines() if line and not line.startswith("#") and line != "-e ."]
    return "\n".join([
        "# For a campus JupyterHub's user image: hand this file to the hub's administrator.",
        "# Generated by scripts/links.py from binder/requirements.txt (the same pins, on top of",
        "# the hub's own Jupyter stack) and pyproject.toml's Repository. numdiff_lib comes from",
        f"# the repository's {BRANCH} branch: rebuild the image when the course updates it, so",
        "# that the library matches the lessons nbgitpuller brings.",
        *pins,
        f"numdiff_lib @ git+https://github.com/{repo}@{BRANCH}",
    ]) + "\n"


BLOCKS = {
    # README file -> {marker name: function(repo) -> text}
    "README.md": {
        "lesson-links": lambda repo: readme_table(repo),
        "hub-links": lambda repo: hub_table(repo),
        "repo": lambda repo: f"`{repo}`",
    },
    "README.ko.md": {
        "lesson-links": lambda repo: readme_table(repo, "ko", "ko"),
        "hub-links": lambda repo: hub_table(repo, "ko"),
        "repo": lambda repo: f"`{repo}`",
    },
}


def update_readme(name, repo):
    path = ROOT / name
    if not path.exists():
        return False
    text = path.read_text(encoding="utf-8")
    new = text
    for marker, make in BLOCKS[name].items():
        start, end = f"<!-- {marker}:start -->", f"<!-- {marker}:end -->"
        pattern = re.escape(start) + ".*?" + re.escape(end)
        # Inline markers (on one line) stay inline; block markers get the text on its own lines.
        def fill(match, make=make, start=start, end=end):
            inline = "\n" not in match.group(0)
            body = make(repo)
            return f"{start}{body}{end}" if inline else f"{start}\n{body}\n{end}"
        new = re.sub(pattern, fill, new, flags=re.S)
    if new != text:
        path.write_text(new, encoding="utf-8")
        return True
    return False


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if stale")
    args = parser.parse_args(argv)
    repo = repository()
    stale = []
    for path, language in lesson_paths():
        if args.check:
            before = path.read_bytes()
            if update_lesson(path, language, repo):
                path.write_bytes(before)
                stale.append(path.relative_to(ROOT).as_posix())
        elif update_lesson(path, language, repo):
            print(f"updated  {path.relative_to(ROOT)}")
    for name in BLOCKS:
        path = ROOT / name
        if not path.exists():
            continue
        before = path.read_bytes()
        if update_readme(name, repo):
            if args.check:
                path.write_bytes(before)
                stale.append(name)
            else:
                print(f"updated  {name}")
    want = hub_requirements(repo)
    if not HUB_REQUIREMENTS.exists() or HUB_REQUIREMENTS.read_text(encoding="utf-8") != want:
        if args.check:
            stale.append(HUB_REQUIREMENTS.relative_to(ROOT).as_posix())
        else:
            HUB_REQUIREMENTS.write_text(want, encoding="utf-8")
            print(f"updated  {HUB_REQUIREMENTS.relative_to(ROOT)}")
    if args.check and stale:
        sys.exit("links: out of step with pyproject.toml's Repository: " + ", ".join(stale)
                 + ". Run python scripts/links.py (then scripts/execute.sh for the lessons).")


if __name__ == "__main__":
    main()
