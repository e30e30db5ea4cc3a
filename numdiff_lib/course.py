"""The one call at the top of every lesson: language, figure style, notes on old IPython (00-08).

    import numdiff_lib
    numdiff_lib.start("en")   # or "ko" in the Korean edition

sets the language of messages, feedback and figure text; makes figures the same on every
machine (size, dpi, fonts, colour-blind-safe colours; a bundled Korean font for "ko"); and on
IPython older than 8.14 (Colab's 7.34) prints the notes numdiff_lib adds to an exception
("raised while evaluating f at x = ..."), which that IPython would not show.
"""

import sys

from . import messages


def start(language="en"):
    """Set up a lesson: language ("en" or "ko"), figure style, exception notes (lessons 00-08)."""
    messages.set_language(language)
    if "matplotlib" in sys.modules or _importable("matplotlib"):
        from . import plots

        plots.use_style(language)
    _show_notes_on_old_ipython()


def _importable(name):
    import importlib.util

    return importlib.util.find_spec(name) is not None


def _show_notes_on_old_ipython():
    """Before IPython 8.14, tracebacks leave out exception notes: print them after it."""
    shell = _ipython()
    if shell is None or getattr(shell, "_numdiff_notes", False):
        return
    import IPython

    if tuple(int(p) for p in IPython.__version__.split(".")[:2] if p.isdigit()) >= (8, 14):
        return

    def show_with_notes(self, etype, value, tb, tb_offset=None):
        self.showtraceback((etype, value, tb), tb_offset=tb_offset)
        for note in getattr(value, "__notes__", ()):
            print(note, file=sys.stderr)
        return None

    shell.set_custom_exc((Exception,), show_with_notes)
    shell._numdiff_notes = True


def _ipython():
    ipython = sys.modules.get("IPython")
    if ipython is None:
        return None
    try:
        return ipython.get_ipython()
    except Exception:  # noqa: BLE001 — no shell (plain Python): nothing to set up
        return None
