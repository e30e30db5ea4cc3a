"""Every exercise of every lesson, judged by its own declaration (numdiff_lib.exercises).

- each solution is code: run it in the names the notebook defines, then through its own check;
- each declared mistake is refused with its own message, and lies far enough from the answer
  that a rounded right answer can never be taken for it;
- garbage answers of every kind end as feedback, never as a traceback or a hang.
The lesson-specific wrong answers (the ones a learner plausibly gives) are in
test_exercises_lessonNN.py.
"""

import copy
import importlib
import math
import pkgutil
import time

import numpy as np
import pytest

import numdiff_lib.exercises as ex
from numdiff_lib import guard
from numdiff_lib.messages import Msg, set_language

LESSON_MODULES = sorted(m.name for m in pkgutil.iter_modules(ex.__path__)
                        if m.name.startswith("lesson"))


def lesson(name):
    return importlib.import_module(f"numdiff_lib.exercises.{name}")


def all_exercises():
    for name in LESSON_MODULES:
        try:
            module = lesson(name)
            declared = module.EXERCISES
        except Exception as err:  # noqa: BLE001 — reported by the test below, not at collection
            yield pytest.param(name, err, id=f"{name}-does-not-load")
            continue
        for number, exercise in enumerate(declared, 1):
            yield pytest.param(module, exercise, id=f"{name}-q{number}-{exercise.var}")


def loaded(module, exercise):
    if isinstance(exercise, Exception):
        pytest.fail(f"numdiff_lib.exercises.{module} does not load or declare EXERCISES: "
                    f"{exercise!r}")


def msgid(feedback):
    message = feedback._message
    return message.msgid if isinstance(message, Msg) else message


@pytest.mark.parametrize("name", LESSON_MODULES)
def test_every_lesson_module_declares_its_exercises_and_bind(name):
    module = lesson(name)
    assert module.EXERCISES, f"{name}.EXERCISES is empty"
    assert callable(module.bind), f"{name} has no bind(namespace)"
    bound = module.bind({})
    bound = bound if isinstance(bound, tuple) else (bound,)
    assert len(bound) == len(module.EXERCISES)
    assert isinstance(module.SOLUTION_SETUP, str)


def test_every_lesson_has_an_exercise_module():
    assert LESSON_MODULES == [f"lesson{n:02d}" for n in range(9)], LESSON_MODULES


def run_solution(module, exercise):
    namespace = {}
    exec(module.SOLUTION_SETUP, namespace)  # noqa: S102 — our own declared code
    exec(exercise.solution_code, namespace)  # noqa: S102
    return exercise.bind(namespace).check()


@pytest.mark.parametrize("language", ["en", "ko"])
@pytest.mark.parametrize(("module", "exercise"), list(all_exercises()))
def test_solution_passes_its_own_check(module, exercise, language):
    loaded(module, exercise)
    if language == "ko" and not ex_has_korean():
        pytest.skip("the Korean catalog is not built yet")
    set_language(language)
    try:
        assert exercise.solution_code.strip(), f"{exercise.var}: no solution code"
        feedback = run_solution(module, exercise)
        assert feedback.correct, f"{exercise.var}: its solution gets {feedback!r}"
    finally:
        set_language("en")


def ex_has_korean():
    from numdiff_lib.messages import LOCALE_DIR

    return (LOCALE_DIR / "ko" / "LC_MESSAGES" / "numdiff_lib.mo").exists()


@pytest.mark.parametrize(("module", "exercise"), list(all_exercises()))
def test_each_declared_mistake_gets_its_own_message(module, exercise):
    loaded(module, exercise)
    mistakes = [m for m in getattr(exercise, "mistakes", ()) if not callable(m.value)]
    if not isinstance(exercise, (ex.NumberExercise, ex.ArrayExercise)):
        pytest.skip("value mistakes of expressions are tested in their lesson's tests")
    for m in mistakes:
        feedback = exercise.check(m.value)
        assert not feedback.correct, f"{exercise.var}: mistake {m.value!r} is accepted"
        assert msgid(feedback) == m.message, (
            f"{exercise.var}: {m.value!r} should get {m.message[:60]!r}, got {feedback!r}")


@pytest.mark.parametrize(("module", "exercise"), list(all_exercises()))
def test_mistakes_lie_outside_the_near_miss_band(module, exercise):
    loaded(module, exercise)
    if not isinstance(exercise, (ex.NumberExercise, ex.ArrayExercise)):
        pytest.skip("only numbers and arrays have a tolerance band")
    tol = exercise.tolerance
    for m in exercise.mistakes:
        if callable(m.value):
            continue
        assert not tol.close(m.value, exercise.expected, ex.NEAR), (
            f"{exercise.var}: mistake {m.value!r} is within the near-miss band of the answer "
            f"{exercise.expected!r}: a rounded answer could be read as that mistake")


class Unprintable:
    def __str__(self):
        raise RuntimeError("no")

    __repr__ = __str__


class BadFloat(float):
    def __float__(self):
        raise ValueError("no float for you")


def endless(*_args):
    while True:
        pass


def exits(*_args):
    raise SystemExit(1)


def shouts(*_args):
    for _ in range(10**6):
        print("x" * 1000)


GARBAGE = [
    None, ..., "", "1.5", "x**2", b"1", True, 0, -1, 1e308, -1e308, math.inf, math.nan,
    10**400, [], [1, 2], [[1, 2], [3]], {}, {"a": 1}, (1, 2, 3), set(), object(), Unprintable(),
    BadFloat(1.0), np.array([]), np.zeros((3000, 3000)), np.array(["a"]), np.array([np.nan]),
    np.ma.masked_array([1.0, 2.0], mask=[True, False]), lambda *a: None, endless, exits, shouts,
    "x" * 10_000_000, complex(1, 2), np.float32(1.5), np.int64(2), type, print,
]


@pytest.mark.slow  # waits out a time limit on purpose
@pytest.mark.parametrize(("module", "exercise"), list(all_exercises()))
def test_garbage_answers_end_as_feedback(module, exercise, capsys):
    loaded(module, exercise)
    # The limit's value is not what is tested here: a short one keeps the endless loop quick.
    exercise = copy.copy(exercise)
    exercise.seconds = 1.0
    for answer in GARBAGE:
        start = time.monotonic()
        feedback = exercise.check(answer)
        took = time.monotonic() - start
        assert isinstance(feedback, ex.Feedback), f"{exercise.var}: {type(answer)} -> {feedback!r}"
        text = repr(feedback)
        assert len(text) < 3000, f"{exercise.var}: {len(text)} characters of feedback"
        # Generous: a guard against hangs, not a timing goal (the check's own limit is 10 s).
        assert took < exercise.seconds + 15, f"{exercise.var}: {guard.safe_repr(answer, 40)} " \
                                             f"took {took:.0f} s"
        assert feedback._repr_html_()
    assert len(capsys.readouterr().out) < 10_000, "a learner's prints leaked out of the check"


def test_feedback_is_translated_when_shown():
    q1 = lesson("lesson00").q1
    feedback = q1.check(7.3)
    set_language("en")
    english = repr(feedback)
    if not ex_has_korean():
        pytest.skip("the Korean catalog is not built yet")
    set_language("ko")
    try:
        assert repr(feedback) != english, "the same Feedback should read in Korean after switching"
    finally:
        set_language("en")


def test_hints_are_graded():
    q2 = lesson("lesson00").bind({})[1]
    first, second = q2.hint(), q2.hint()
    assert repr(first) != repr(second)
    assert repr(q2.hint(1)) == repr(first)


def test_unbound_exercise_says_how_to_bind():
    feedback = lesson("lesson00").q1.check()
    assert feedback.kind == "unanswered" and "bind" in repr(feedback)


def test_guard_stops_loops_sleeps_prints_and_exits():
    for func in (endless, lambda: time.sleep(60), shouts):
        start = time.monotonic()
        outcome = guard.run(func, seconds=0.3)
        assert outcome.timed_out and time.monotonic() - start < 5
    outcome = guard.run(exits)
    assert isinstance(outcome.error, SystemExit)
    assert guard.safe_text(Unprintable()).startswith("<Unprintable")


def test_guard_stops_loops_outside_the_main_thread():
    import threading

    result = []
    thread = threading.Thread(target=lambda: result.append(guard.run(endless, seconds=0.3)))
    thread.start()
    thread.join(10)
    assert result and result[0].timed_out


def test_worker_abandons_a_runaway_call_and_recovers():
    worker = guard.Worker()
    try:
        assert worker.call("math", "sqrt", 4.0) == 2.0
        with pytest.raises(guard.WorkerError) as info:
            worker.call("time", "sleep", 60, seconds=0.5)
        assert info.value.reason == "timeout"
        assert worker.call("math", "sqrt", 9.0) == 3.0
        with pytest.raises(guard.WorkerError) as info:
            worker.call("numpy", "ones", (10**6, 10**4))  # 80 GB: over the memory limit
        assert info.value.reason in ("memory", "error")
        assert worker.call("math", "sqrt", 16.0) == 4.0
    finally:
        worker.stop()
