"""Every text numdiff_lib shows, in the learner's language (gettext catalogs; set in lesson 00).

English is the default; `set_language("ko")` switches to the Korean catalog in
`numdiff_lib/locale/ko/LC_MESSAGES/numdiff_lib.po` (compiled to `.mo` by `scripts/messages.sh`).
Messages are looked up when they are shown, not when they are defined, so switching after
`import numdiff_lib` works, and a message declared at import (an exercise's hint) follows too.

Placeholders use str.format names, `{name}`; a translator keeps them and may reorder them.
Standard library only: this module sits below the numerical core.
"""

import gettext
import string
from pathlib import Path

DOMAIN = "numdiff_lib"
LOCALE_DIR = Path(__file__).with_name("locale")
LANGUAGES = ("en", "ko")  # "en" is the source language: no catalog needed

_state = {"language": "en", "catalog": gettext.NullTranslations()}


def set_language(language):
    """Show messages, feedback and figure text in "en" or "ko" (numdiff_lib.start, lesson 00)."""
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(map(repr, LANGUAGES))}, "
                         f"got {language!r}.")
    if language == "en":
        catalog = gettext.NullTranslations()
    else:
        catalog = gettext.translation(DOMAIN, LOCALE_DIR, languages=[language])
    _state.update(language=language, catalog=catalog)


def get_language():
    """The language set by set_language ("en" unless changed) (lessons 00-08)."""
    return _state["language"]


def _(msgid, /, **fields):
    """msgid in the current language, with {name} placeholders filled from fields."""
    text = _state["catalog"].gettext(msgid)
    if not fields:
        return text
    try:
        return text.format(**fields)
    except (KeyError, IndexError, ValueError):  # a translation that broke a placeholder
        return msgid.format(**fields)


def N_(msgid):
    """Mark msgid for translation; it is translated when shown (lessons 00-08)."""
    return msgid


class Msg:
    """A message translated each time it is shown: Msg("{n} steps", n=3) (lessons 00-08)."""

    __slots__ = ("msgid", "fields")

    def __init__(self, msgid, /, **fields):
        self.msgid, self.fields = msgid, fields

    def __str__(self):
        # Fields that are Msg themselves are translated too (str.format calls their __format__).
        return _(self.msgid, **self.fields)

    def __format__(self, spec):
        return format(str(self), spec)

    def __repr__(self):
        return f"Msg({self.msgid!r}, **{self.fields!r})"

    def __eq__(self, other):
        return isinstance(other, Msg) and (self.msgid, self.fields) == (other.msgid, other.fields)

    __hash__ = None


def text(message):
    """A str from a str or a Msg (translated now) (lessons 00-08)."""
    return str(message)


def placeholders(message):
    """The {names} a msgid or translation uses (tests compare them, lessons 00-08)."""
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(message)
            if name is not None}
