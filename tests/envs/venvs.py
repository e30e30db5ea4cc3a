"""Cached virtual environments for the environment-building tests (Colab, Binder).

    venvs = load this file by path (importlib), then
    base = venvs.cached_venv("colab", python, [["--no-deps", "-r", Path("colab-2026-08.txt")]])
    venv = venvs.working_copy(base, tmp_path / "venv")   # what the test may change

A venv is built once per key: a hash of the Python (version and executable), the pip
arguments of every install step and the contents of every file they name. It lives in

    ${NUMDIFF_ENV_CACHE:-${XDG_CACHE_HOME:-~/.cache}/numdiff-notebooks}/venvs/<name>-<key>/

built in a temporary folder beside it and renamed into place when complete, so an interrupted
build never leaves a half-built venv where the next run would take it; two builds racing for
the same key both succeed (the later one discards its copy). A cached venv whose Python has
gone (a pyenv upgrade) is rebuilt; after a build, only the two most recently used venvs of
that name are kept. pip keeps its wheel and HTTP cache in <cache>/pip (unless
PIP_CACHE_DIR is set), so even a rebuild after a pin change downloads only what changed.

A test never changes the cached venv: working_copy() hard-links its files into a new folder
(new files written there, such as numdiff_lib's install, go to that folder only; pip replaces
and removes files, it never rewrites them in place) and points its scripts at the new place.
What the tests check — the repository copy and numdiff_lib's own install — is redone each run.
"""

import hashlib
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import time
from pathlib import Path

FORMAT = 1  # bump to invalidate every cached venv when this file changes what it builds
MARKER = "numdiff-venv.json"
KEEP = 2  # cached venvs kept per name (e.g. before and after a pin change), most recent first
# Variables of the calling environment that would leak into a venv's pip or Python.
LEAKY = ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "PYTHONUSERBASE",
         "PIP_REQUIRE_VIRTUALENV", "PIP_USER", "PIP_TARGET", "PIP_PREFIX", "CONDA_PREFIX",
         "JUPYTER_PATH", "JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR",
         "JUPYTER_PLATFORM_DIRS", "MPLBACKEND", "MPLCONFIGDIR")


# The kernels' environment, as scripts/execute.py sets it (the stored outputs were made so);
# debugpy (ipykernel) warns about frozen modules on every kernel start without the last one.
KERNEL_ENV = {"PYTHONHASHSEED": "0", "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
              "MKL_NUM_THREADS": "1", "SOURCE_DATE_EPOCH": "0",
              "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
# Not part of what Binder or Colab would get from a clean clone.
GENERATED = shutil.ignore_patterns(".git", ".venv", "build", "*.egg-info", "__pycache__",
                                   ".ipynb_checkpoints", ".pytest_cache", "tmp", ".cache",
                                   "node_modules")


def copy_repository(repo, dest):
    """A copy of the repository as a clean clone would have it (what each run installs)."""
    shutil.copytree(repo, dest, ignore=GENERATED)
    return Path(dest)


def normalise(name):
    """A distribution name as pip compares them: ipython_genutils == IPython-genutils."""
    return re.sub(r"[-_.]+", "-", name.strip()).lower()


def pins(path):
    """{normalised name: version} for every `name==version` line of a requirements file."""
    found = {}
    for line in Path(path).read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if "==" in line:
            name, version = line.split("==", 1)
            found[normalise(name.split("[")[0])] = version.strip()
    return found


def cache_root():
    """The folder holding the cached venvs and pip's cache."""
    if os.environ.get("NUMDIFF_ENV_CACHE"):
        return Path(os.environ["NUMDIFF_ENV_CACHE"]).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base).expanduser() / "numdiff-notebooks"


def bin_dir(venv):
    """bin/ (POSIX) or Scripts/ (Windows) of a venv."""
    return Path(venv) / ("Scripts" if os.name == "nt" else "bin")


def venv_python(venv):
    return bin_dir(venv) / ("python.exe" if os.name == "nt" else "python")


# Version and the interpreter itself: a venv's Python (this one, in .venv) names its base.
FIND_CODE = ("import sys; print(sys.version_info[0], sys.version_info[1]); "
             "print(getattr(sys, '_base_executable', '') or sys.executable)")


def find_python(version):
    """A Python interpreter of version "3.13" on this machine (not a venv's), or None.

    Looks at this interpreter, pythonX.Y on PATH (a pyenv shim counts only if it runs) and
    pyenv's and uv's installs.
    """
    candidates = [sys.executable, shutil.which(f"python{version}")]
    for root in (os.environ.get("PYENV_ROOT"), Path.home() / ".pyenv",
                 Path.home() / ".local" / "share" / "uv" / "python"):
        if root and Path(root).is_dir():
            for sub in ("versions/*", "cpython-*"):
                candidates += sorted(Path(root).glob(f"{sub}/bin/python{version}"), reverse=True)
    for candidate in candidates:
        if not candidate:
            continue
        try:
            out = subprocess.run([str(candidate), "-c", FIND_CODE], capture_output=True,
                                 text=True, timeout=60)
        except (OSError, subprocess.TimeoutExpired):
            continue
        lines = out.stdout.split("\n")
        if out.returncode == 0 and len(lines) >= 2 and ".".join(lines[0].split()) == version:
            return lines[1].strip()
    return None


def python_identity(python):
    """What makes two interpreters interchangeable for a venv: version, build, executable."""
    code = ("import json, platform, sys; print(json.dumps({'version': sys.version, "
            "'implementation': sys.implementation.cache_tag, 'platform': platform.platform(), "
            "'executable': sys.executable}))")
    out = run([str(python), "-c", code], timeout=60)
    return json.loads(out.stdout)


def clean_env(venv=None, **extra):
    """os.environ without what would leak into a venv; the venv first on PATH when given."""
    env = {k: v for k, v in os.environ.items() if k not in LEAKY}
    if venv is not None:
        env["PATH"] = str(bin_dir(venv)) + os.pathsep + env.get("PATH", "")
        env["VIRTUAL_ENV"] = str(venv)
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    if not env.get("PIP_CACHE_DIR") and not env.get("PIP_NO_CACHE_DIR"):
        env["PIP_CACHE_DIR"] = str(cache_root() / "pip")  # wheels survive venv rebuilds
    env.update(extra)
    return env


def run(argv, timeout=1800, **kw):
    """subprocess.run that fails with the command's output when it fails."""
    proc = subprocess.run([str(a) for a in argv], capture_output=True, text=True,
                          timeout=timeout, **kw)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(str(a) for a in argv)} exited {proc.returncode}:\n"
                           f"{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}")
    return proc


def cache_key(identity, steps):
    """Hash of the interpreter and every install step, with the contents of the files named."""
    h = hashlib.sha256()
    h.update(json.dumps({"format": FORMAT, "python": identity}, sort_keys=True).encode())
    for step in steps:
        for arg in step:
            if isinstance(arg, Path):
                h.update(b"file:" + arg.name.encode() + b"\0" + arg.read_bytes() + b"\0")
            else:
                h.update(b"arg:" + str(arg).encode() + b"\0")
        h.update(b"\n")
    return h.hexdigest()[:16]


def cached_venv(name, python, steps, *, log=None):
    """The cached venv for (python, steps), built now when missing or invalid.

    steps: a list of `pip install` argument lists, run in order in the new venv; a Path among
    the arguments is a file whose contents belong to the key (e.g. ["-r", Path("pins.txt")]).
    """
    identity = python_identity(python)
    key = cache_key(identity, steps)
    home = cache_root() / "venvs"
    final = home / f"{name}-{key}"
    if is_valid(final, key):
        _say(log, f"{name}: reusing the cached venv {final}")
        os.utime(final / MARKER)  # last use, for _prune
        return final
    home.mkdir(parents=True, exist_ok=True)
    if final.exists():  # a venv whose Python went away, or a foreign folder: set it aside
        _remove(final, home)
    build = home / f".build-{name}-{key}-{os.getpid()}-{secrets.token_hex(4)}"
    started = time.monotonic()
    _say(log, f"{name}: building a venv with {identity['executable']} in {build}")
    try:
        run([python, "-m", "venv", build], timeout=300, env=clean_env())
        py = venv_python(build)
        env = clean_env(build)
        for step in steps:
            run([py, "-m", "pip", "install", "-q", *step], env=env, timeout=3600)
        _relocate(build, final)
        (build / MARKER).write_text(json.dumps({
            "key": key, "python": identity, "steps": [[str(a) for a in s] for s in steps],
            "built": time.strftime("%Y-%m-%d %H:%M:%S"),
            "seconds": round(time.monotonic() - started)}, indent=1))
        try:
            os.rename(build, final)  # atomic: the venv appears complete or not at all
        except OSError:
            if not is_valid(final, key):  # not another build's finished venv: a real failure
                raise
            _say(log, f"{name}: another run built {final} first; using that one")
    finally:
        if build.exists():
            shutil.rmtree(build, ignore_errors=True)
    _say(log, f"{name}: built {final} in {time.monotonic() - started:.0f} s")
    _prune(home, name)
    return final


def is_valid(venv, key):
    """A finished venv for this key whose interpreter still starts."""
    try:
        marker = json.loads((Path(venv) / MARKER).read_text())
    except (OSError, ValueError):
        return False
    if marker.get("key") != key:
        return False
    try:
        return subprocess.run([str(venv_python(venv)), "-c", "import pip"],
                              capture_output=True, timeout=60).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def working_copy(venv, dest):
    """A copy of the cached venv at dest that a test may install into (hard links, fast).

    Falls back to copying the files when dest is on another file system.
    """
    dest = Path(dest)
    try:
        shutil.copytree(venv, dest, symlinks=True, copy_function=os.link)
    except (OSError, shutil.Error):
        shutil.rmtree(dest, ignore_errors=True)
        shutil.copytree(venv, dest, symlinks=True)
    (dest / MARKER).unlink(missing_ok=True)  # a working copy is never mistaken for the cache
    _relocate(dest, dest, old=venv)
    return dest


def _relocate(venv, target, old=None):
    """Point the scripts and pyvenv.cfg of venv (built at `old`, default venv) at target.

    Files are replaced, never edited in place: in a working copy they are hard links shared
    with the cached venv.
    """
    old = str(old or venv).encode()
    new = str(target).encode()
    if old == new:
        return
    files = [p for p in bin_dir(venv).iterdir() if p.is_file() and not p.is_symlink()]
    for path in [*files, Path(venv) / "pyvenv.cfg"]:
        data = path.read_bytes()
        if old not in data:
            continue
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
        tmp.write_bytes(data.replace(old, new))
        shutil.copymode(path, tmp)
        os.replace(tmp, path)


def _prune(home, name):
    """Keep the KEEP most recently used venvs of this name; drop builds abandoned a day ago."""
    def last_use(path):
        try:
            return (path / MARKER).stat().st_mtime
        except OSError:
            return 0.0
    mine = sorted((p for p in home.glob(f"{name}-*") if p.is_dir()), key=last_use, reverse=True)
    for old in mine[KEEP:]:
        _remove(old, home)
    for leftover in [*home.glob(".build-*"), *home.glob(".trash-*")]:
        try:
            if time.time() - leftover.stat().st_mtime > 86400:
                shutil.rmtree(leftover, ignore_errors=True)
        except OSError:
            pass


def _remove(path, home):
    trash = home / f".trash-{path.name}-{secrets.token_hex(4)}"
    try:
        os.rename(path, trash)
    except OSError:
        return
    shutil.rmtree(trash, ignore_errors=True)


def _say(log, text):
    if log is not None:
        log(text)
    else:
        print(text, file=sys.stderr)
