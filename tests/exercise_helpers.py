"""Helpers shared by the lessons' exercise tests (imported by name: tests/ is on sys.path)."""


def msgid(feedback):
    """The English message id of a Feedback (translated text differs by language)."""
    return feedback.msgid


def declared(exercise, fragment):
    """The msgid of the exercise's declared mistake whose message contains fragment."""
    found = {m.message for m in exercise.mistakes if fragment in m.message}
    assert len(found) == 1, f"{fragment!r} matches {len(found)} declared messages"
    return found.pop()


def refused_with(exercise, answer, expected, kind="incorrect"):
    """Check answer, assert it is refused (kind) with the message expected; the Feedback."""
    feedback = exercise.check(answer)
    assert feedback.kind == kind, f"{answer!r} got {feedback!r}"
    assert msgid(feedback) == expected, f"{answer!r} got {feedback!r}"
    return feedback
