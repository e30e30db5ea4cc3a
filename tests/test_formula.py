"""parse_function: typed formulas against SymPy references, and hostile input refused safely."""

import ast
import builtins
import contextlib
import gettext
import os
import subprocess
import time

import numpy as np
import pytest
import sympy

import numdiff_lib
from numdiff_lib import messages, numerical_derivative
from numdiff_lib.formula import (
    MAX_LENGTH,
    Formula,
    FormulaError,
    _Builder,
    parse_function,
)

x, y = sympy.symbols("x y")

# --------------------------------------------------------------------------- valid formulas

ONE_VARIABLE = [
    # text, SymPy reference, points where f is defined
    ("3*x*exp(x)", 3 * x * sympy.exp(x), [-1.0, 0.0, 0.5, 2.0]),
    ("sqrt(x)", sympy.sqrt(x), [0.5, 2.0, 9.0]),
    ("log(x)", sympy.log(x), [0.5, 1.0, 2.0]),
    ("ln(x)", sympy.log(x), [0.5, 2.0]),
    ("log(x, 2)", sympy.log(x, 2), [0.5, 8.0]),
    ("pi*x", sympy.pi * x, [-1.0, 2.0]),
    ("2.5e-3*x", sympy.Float("2.5e-3") * x, [1.0, 3.0]),
    ("-x**-2", -x**-2, [0.5, 2.0]),
    ("x**3 - 3*x**2 + x", x**3 - 3 * x**2 + x, [-0.5, 0.0, 2.5]),
    ("x**3 - 1", x**3 - 1, [-1.0, 2.0]),
    ("exp(2*x**3)", sympy.exp(2 * x**3), [-0.5, 0.5]),
    ("e**x", sympy.exp(x), [0.0, 1.0]),
    ("sin(x)*cos(x) + tan(x)", sympy.sin(x) * sympy.cos(x) + sympy.tan(x), [0.3, 1.0]),
    ("asin(x) + acos(x) + atan(x)", sympy.asin(x) + sympy.acos(x) + sympy.atan(x), [0.2, -0.4]),
    ("arctan(x)", sympy.atan(x), [0.5, 3.0]),
    ("sinh(x) + cosh(x) * tanh(x)", sympy.sinh(x) + sympy.cosh(x) * sympy.tanh(x), [0.5, -1.0]),
    ("abs(x)", sympy.Abs(x), [-2.0, 3.0]),
    ("1/3*x", sympy.Rational(1, 3) * x, [1.0, 6.0]),
    ("x**0.5", x**sympy.Float(0.5), [4.0]),
    ("x**x", x**x, [0.5, 2.0]),
    ("(x + 1)**10 / (x**2 + 1)", (x + 1)**10 / (x**2 + 1), [0.5, -2.0]),
    ("0.01*x**4", sympy.Float("0.01") * x**4, [1.0, 3.0]),
    ("  +x  ", x, [1.0]),
    ("5", sympy.Integer(5), [0.0, 7.0]),
]


@pytest.mark.parametrize(("text", "reference", "points"), ONE_VARIABLE)
def test_expression_values_and_derivatives_match_sympy(text, reference, points):
    formula = parse_function(text)
    assert isinstance(formula, Formula)
    assert formula.text == text and formula.variables == ("x",)
    assert formula.expr == reference
    xr = sympy.Symbol("x", real=True)  # so that abs(x)' is sign(x)
    exact_derivative = sympy.diff(reference.subs(x, xr), xr).subs(xr, x)
    assert sympy.simplify(formula.derivative() - exact_derivative) == 0
    for p in points:
        assert formula.func(p) == pytest.approx(float(reference.subs(x, p)), rel=1e-12)
        exact = float(exact_derivative.subs(x, p))
        assert numerical_derivative(formula.func, p) == pytest.approx(exact, rel=1e-6, abs=1e-7)
        assert formula.derivative_function()(p) == pytest.approx(exact, rel=1e-12, abs=1e-12)


def test_several_variables_plug_into_numerical_derivative():
    formula = parse_function("x**2 + 4*x*y + 4*y**2", variables=("x", "y"))
    reference = x**2 + 4 * x * y + 4 * y**2
    assert formula.expr == reference
    assert formula.symbols == (x, y)
    point = np.array([1.5, -0.5])
    assert formula.func(point) == pytest.approx(float(reference.subs({x: 1.5, y: -0.5})))
    assert formula.func_args(1.5, -0.5) == formula.func(point)
    exact = [float(sympy.diff(reference, v).subs({x: 1.5, y: -0.5})) for v in (x, y)]
    np.testing.assert_allclose(numerical_derivative(formula.func, point), exact, rtol=1e-8)
    assert formula.derivative("y") == sympy.diff(reference, y)
    # A batch on a last axis (numerical_derivative's vectorized=True, the plots' grids).
    np.testing.assert_allclose(
        numerical_derivative(formula.func, point, vectorized=True), exact, rtol=1e-8)


def test_second_partials_of_exp_x2_2y2():
    formula = parse_function("exp(x**2 + 2*y**2)", "x, y")
    assert formula.variables == ("x", "y")
    second = sympy.diff(formula.expr, x, y)
    assert sympy.simplify(second - 8 * x * y * sympy.exp(x**2 + 2 * y**2)) == 0


def test_caret_is_read_as_power_with_its_precedence_and_a_note():
    assert parse_function("x^2 + 1").expr == x**2 + 1
    assert parse_function("2*x^2").expr == 2 * x**2        # not (2*x)**2, as ^ would bind
    assert parse_function("-x^2").expr == -x**2
    assert parse_function("x^-2").expr == x**-2
    assert "**" in parse_function("x^2").note
    assert parse_function("x**2").note == ""


def test_func_takes_arrays_ints_and_complex_and_never_changes_the_input():
    f = parse_function("x**-2 + sqrt(x)").func
    arr = np.array([1, 4])  # ints: NumPy would refuse x**-2 on integers
    np.testing.assert_allclose(f(arr), [2.0, 2.0625])
    assert arr.dtype.kind == "i" and list(arr) == [1, 4]
    assert f(4) == pytest.approx(2.0625)
    # The complex step needs f to carry the imaginary part through.
    assert numerical_derivative(f, 4.0, method="complex_step") == pytest.approx(
        -2 / 64 + 1 / 4, rel=1e-12)
    # Constant formulas still answer with the input's shape.
    assert parse_function("5").func(np.zeros((2, 3))).shape == (2, 3)


def test_outside_the_domain_gives_nan_not_a_complex_number_or_an_exception():
    with np.errstate(all="ignore"):
        assert np.isnan(parse_function("x**(1/3)").func(-8.0))
        assert np.isnan(parse_function("log(x)").func(-1.0))
        assert np.isinf(parse_function("1/x").func(0.0))


def test_several_variables_need_an_array_of_that_length():
    f = parse_function("x*y", ("x", "y")).func
    with pytest.raises(ValueError, match="2 numbers"):
        f(1.0)
    with pytest.raises(ValueError, match="2 numbers"):
        f(np.array([1.0, 2.0, 3.0]))


@pytest.mark.parametrize("variables", [(), ("exp",), ("e",), ("__x",), ("x", "x"), ("ｘ",),
                                       ("x y z!",), (1,)])
def test_bad_variable_names_are_refused(variables):
    with pytest.raises(ValueError):
        parse_function("1", variables)


def test_shared_sympy_symbols():
    # Plain Symbols: the expression works with sympy.Symbol('x') built elsewhere (exercises).
    assert parse_function("x**2").expr.diff(sympy.Symbol("x")) == 2 * x
    # abs differentiates as for real x, not into re()/im() terms.
    assert parse_function("abs(x)").derivative() == sympy.sign(x)


# --------------------------------------------------------------------------- helpful refusals


@pytest.mark.parametrize(("text", "words", "position"), [
    ("3x", ["3*x"], 0),
    ("x + y", ["unknown name 'y'", "variable x"], 4),
    ("xy", ["unknown name"], 0),
    ("ex", ["e*x"], 0),
    ("x.real", ["attribute"], 0),
    ("f(x) = x**2", ["right-hand side"], 5),
    ("x−1", ["'-'"], 1),
    ("x²", ["'**2'"], 1),
    ("ｅｘｐ(x)", ["plain 'e'", "FULLWIDTH"], 0),
    ("x\u200b+ 1", ["invisible"], 1),
    ("exp", ["exp(x)"], 0),
    ("factorial(5)", ["'factorial' is not allowed", "sqrt"], 0),
    ("sin(x", ["parentheses"], None),
    ("9**9**9", ["exponent", "1000"], 0),
    ("x // 2", ["use / for division"], 0),
    ("  x^2 + [1]", ["( )"], 8),
    ("  x^2 + y", ["unknown name 'y'"], 8),  # positions count the ^ as typed, not as **
    ("x^^2", ["not a formula"], None),
    ("sqrt(-1)", ["not a real number"], 0),
    ("1/0", ["division by zero"], 0),
    ("log(0)", ["undefined"], 0),
    ("exp(1000)", ["too large"], 0),
    ("", ["empty"], None),
])
def test_refusals_say_what_to_type_instead(text, words, position):
    with pytest.raises(FormulaError) as info:
        parse_function(text)
    for word in words:
        assert word in str(info.value)
    assert "{" not in str(info.value), "a {placeholder} was left unfilled"
    if position is not None:
        assert info.value.position == position
        assert f"position {position + 1}" in str(info.value)


def test_formula_error_is_a_value_error():
    assert issubclass(FormulaError, ValueError)
    with pytest.raises(FormulaError, match="text"):
        parse_function(3)


def test_formula_error_keeps_its_message_id_and_survives_pickling():
    import pickle

    with pytest.raises(FormulaError) as info:
        parse_function("x + {1}")  # a brace in the message must not be read as a placeholder
    err = info.value
    assert err.msgid == "the character {char!r} is not allowed{where}: {hint}."
    assert err.fields["char"] == "{" and err.position == 4
    copy = pickle.loads(pickle.dumps(err))
    assert (type(copy), str(copy), copy.position, copy.msgid) == (
        FormulaError, str(err), 4, err.msgid)


# --------------------------------------------------------------------------- translation


def _refusal(text):
    with pytest.raises(FormulaError) as info:
        parse_function(text)
    return info.value


class _MarkingCatalog(gettext.NullTranslations):
    """A stand-in catalog that 'translates' every message by bracketing it: «...»."""

    def gettext(self, message):
        return f"«{message}»"


@pytest.mark.parametrize(("text", "pieces"), [
    ("x + y", ["«unknown name 'y'« (at position 5)».»",
               "«Allowed: numbers, the variable x,"]),
    ("x + [1]", ["«use ( ) to group»", "« (at position 5)»"]),
    ("", ["«the formula is empty"]),
    ("x^2 + 3x", ["« (at position 7)»"]),
])
def test_every_piece_of_a_refusal_goes_through_the_catalog(text, pieces, monkeypatch):
    # The message, its position and the "Allowed: ..." sentence are each looked up in the
    # learner's language when the error is raised: nothing is glued on in English.
    monkeypatch.setitem(messages._state, "catalog", _MarkingCatalog())
    message = str(_refusal(text))
    assert message.startswith("«") and message.endswith("»")
    for piece in pieces:
        assert piece in message, message
    note = parse_function("x^2").note
    assert note == "«^ was read as ** (power): x^2 means x**2.»"


def test_refusals_are_korean_after_set_language_ko():
    english = _refusal("x + y")
    assert english.position == 4
    numdiff_lib.set_language("ko")
    try:
        needed = (english.msgid, " (at position {n})", "Allowed: numbers, the variable "
                  "{variables}, the constants pi and e, + - * / ** and the functions {functions}.")
        untranslated = [m for m in needed if messages._(m) == m]
        if untranslated:
            pytest.skip(f"the Korean catalog lacks formula messages yet: {untranslated[0]!r}")
        korean = _refusal("x + y")
    finally:
        numdiff_lib.set_language("en")
    assert korean.position == 4 and korean.msgid == english.msgid
    assert str(korean) != str(english)
    assert "unknown name" not in str(korean) and "Allowed" not in str(korean)
    assert "'y'" in str(korean) and "5" in str(korean)  # the name and the position are kept
    assert str(_refusal("x + y")) == str(english)  # and back to English


# --------------------------------------------------------------------------- hostile input

HOSTILE = [
    # code execution
    "__import__('os').system('x')",
    "().__class__.__bases__[0].__subclasses__()",
    "x.__class__.__mro__",
    "__builtins__",
    "__import__",
    "exec('1')", "eval('1')", "exec", "eval(x)", "compile(x)", "getattr(x, x)",
    "open('/etc/passwd')",
    "lambda: 1", "(lambda x: x)(1)",
    "[x for x in ()]", "(x for x in (1, 2))", "{x: 1}", "{1, 2}",
    "x.real", "x[0]", "x(1)", "sin.__call__(x)", "(1).__class__",
    "'a'", "b'x'", 'f"{x}"', "r'x'",
    "globals()", "vars()", "locals()", "breakpoint()", "input()", "print(x)",
    "import os", "from os import system",
    # resource exhaustion
    "9**9**9", "2**10**10", "(x**999999)", "x**(10**300)", "10**10**10**10",
    "factorial(10**9)", "gamma(10**9)", "x!", "(10**9)!",
    "1" + "0" * 10000, "x" * 100_000, "(" * 1000 + "x" + ")" * 1000,
    "(" * 25 + "x" + ")" * 25, "sin(" * 30 + "x" + ")" * 30,
    "+".join(["x"] * 300), "+".join(["x"] * 240), "(x**600)**600", "((2**1000)**1000)**1000",
    "(2**-1000)**1000",
    "e**e**e**e", "exp(exp(exp(10)))", "x**x**x**x**x", "1e400*x", "10**300*10**300",
    # unicode tricks
    "ｘ", "𝐱", "𝑥**2", "x\u200b+1", "ｅｘｐ(x)", "x\u00a0+ 1", "\ufeffx", "ℯ**x", "x⁰",
    "ﬁ", "x\u202e+1",
    # not formulas
    "x if x else x", "x and y", "x or 1", "not x", "x < 1", "x == 1", "x in x", "x is x",
    "x := 1", "*x, x", "x, y", "(x, 1)", "x; 1", "x\n1", "x # comment", "\\x", "$x",
    "x @ x", "x | 1", "x & 1", "~x", "x << 1", "x % 2", "x // 2", "1j*x", "True", "None", "...",
    "yield x", "await x", "sin(x=1)", "exp(*x)", "log(**x)", "x +", "(x", "x)", "",
    " ", "\t\n", "3x", "y",
]


class _Sentinel:
    """Records every call that would mean the text ran: imports of dangerous modules, eval,
    exec, compiling to code (ast.parse compiles to a tree only), open, os.system, subprocess."""

    DANGEROUS = {"os", "subprocess", "sys", "shutil", "socket", "pty", "ctypes", "importlib",
                 "pickle", "pathlib", "builtins", "code", "runpy", "webbrowser", "urllib"}

    def __init__(self, monkeypatch):
        self.calls = []
        self.monkeypatch = monkeypatch

    def record(self, name, real, keep=lambda *a, **k: True):
        def wrapper(*args, **kwargs):
            if keep(*args, **kwargs):
                self.calls.append((name, args[:1]))
            return real(*args, **kwargs)
        return wrapper

    @contextlib.contextmanager
    def watching(self):
        mp = self.monkeypatch
        real_import = builtins.__import__
        with mp.context() as m:
            m.setattr(builtins, "__import__", self.record(
                "import", real_import,
                lambda name, *a, **k: name.split(".")[0] in self.DANGEROUS))
            m.setattr(builtins, "eval", self.record("eval", builtins.eval))
            m.setattr(builtins, "exec", self.record("exec", builtins.exec))
            m.setattr(builtins, "open", self.record("open", builtins.open))
            m.setattr(builtins, "compile", self.record(
                "compile", builtins.compile,
                lambda *a, **k: not (k.get("flags", a[3] if len(a) > 3 else 0)
                                     & ast.PyCF_ONLY_AST)))
            m.setattr(os, "system", self.record("os.system", os.system))
            m.setattr(os, "popen", self.record("os.popen", os.popen))
            m.setattr(subprocess, "Popen", self.record("Popen", subprocess.Popen))
            yield self


def test_the_sentinel_sees_code_that_runs(monkeypatch):
    # An honest sentinel: it must notice eval, exec, a compile to code and a dangerous import.
    with _Sentinel(monkeypatch).watching() as sentinel:
        builtins.eval("1 + 1")
        builtins.exec("pass")
        builtins.compile("1", "<s>", "eval")
        __import__("os")
    assert [name for name, _ in sentinel.calls] == ["eval", "exec", "compile", "import"]


@pytest.mark.parametrize("text", HOSTILE, ids=[repr(h[:30]) for h in HOSTILE])
def test_hostile_input_is_refused_quickly_and_nothing_runs(text, monkeypatch):
    start = time.perf_counter()
    with _Sentinel(monkeypatch).watching() as sentinel:
        with pytest.raises(FormulaError) as info:
            parse_function(text)
    elapsed = time.perf_counter() - start
    assert sentinel.calls == []
    assert elapsed < 2.0, f"took {elapsed:.2f} s: a hang guard, not a speed goal"
    message = str(info.value)
    assert len(message) < 600  # never echoes a 100k-character input back
    assert "Traceback" not in message


def test_hostile_text_that_would_write_a_file_does_not(tmp_path):
    target = tmp_path / "pwned"
    attempts = [
        f"open('{target}', 'w')",
        f"__import__('os').system('touch {target}')",
        f"__import__('pathlib').Path('{target}').touch()",
        f"exec(\"open('{target}', 'w')\")",
    ]
    for text in attempts:
        with pytest.raises(FormulaError):
            parse_function(text)
    assert not target.exists()


@pytest.mark.parametrize("source", [
    "x[0]", "'a'", "b'x'", "x < 1", "[x for x in ()]", "f'{x}'", "lambda: 1", "{1: 2}",
    "x.real", "__import__('os')", "x if x else 1", "(y := 1)", "x ^ 2", "x % 2", "[1][0]",
])
def test_the_tree_walk_refuses_by_itself(source):
    # Defence in depth: even text that slipped past the character filter is refused by the
    # whitelist walk of the syntax tree.
    tree = ast.parse(source, mode="eval")
    with pytest.raises(FormulaError):
        _Builder(("x",), source, list(range(len(source)))).build(tree.body)


def test_length_limit_is_stated():
    with pytest.raises(FormulaError, match=str(MAX_LENGTH)):
        parse_function("x+" * MAX_LENGTH + "x")


# --------------------------------------------------------------------------- runaway formulas
# Issue 12's reproductions, each run in a subprocess with a CPU-time and memory ceiling (set
# after the imports, relative to what the process already holds): a formula that makes SymPy
# compute for minutes or gigabytes kills the subprocess instead of the test run.

RUNAWAY = [
    "(((3*x)**1000)**1000)**1000", "(((3*x)**100)**100)**100",
    "((((2*x)**1000)**1000)**1000)**1000", "((x*sin(x))**1000)**1000", "1e300*x*1e300",
    "((2*x)**1000)**1000", "(x*10**19)**1000", "((x/3)**1000)**1000", "0x1F*x", "0o17*x",
    "0b101*x", "exp(-10**19)*x", "x*1e-320", "(2*x)**2000", "(x**500*sin(x))**3",
    "x**1000*x**1000", "x**1000/x**-1000",  # combined exponents are bounded too
]

_RUNNER = r"""
import json, resource, sys, time
from numdiff_lib.formula import FormulaError, parse_function
with open("/proc/self/statm") as f:
    used = int(f.read().split()[0]) * resource.getpagesize()
limit = used + 1024 * 2**20  # 1 GB more than after the imports
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
resource.setrlimit(resource.RLIMIT_CPU, (60, 60))
for text in json.loads(sys.argv[1]):
    start = time.process_time()
    try:
        formula = parse_function(text)
        outcome = "accepted: " + str(formula.expr)[:80] + " / " + str(formula.derivative())[:40]
    except FormulaError as err:
        outcome = "refused: " + str(err)
    print(json.dumps([text, outcome, time.process_time() - start]), flush=True)
"""


def _run_capped(texts):
    """parse_function on each text in one subprocess under CPU and memory ceilings."""
    import json
    import sys

    run = subprocess.run([sys.executable, "-c", _RUNNER, json.dumps(texts)],
                         capture_output=True, text=True, timeout=300)
    results = {text: (outcome, seconds) for text, outcome, seconds in
               (json.loads(line) for line in run.stdout.splitlines())}
    missing = [t for t in texts if t not in results]
    assert not missing, (f"the subprocess died (rc {run.returncode}) at {missing[0]!r}: "
                         f"{run.stderr[-500:]}")
    return results


CAPPED = pytest.mark.skipif(os.name != "posix" or not os.path.exists("/proc/self/statm"),
                            reason="the ceilings use Linux's /proc and RLIMIT_AS")


@CAPPED
@pytest.mark.parametrize(("name", "texts"), [("runaway", RUNAWAY), ("hostile", HOSTILE)])
def test_formulas_are_refused_within_a_time_and_memory_ceiling(name, texts):
    # Every hostile formula once more, in a subprocess: a runaway one would hit the ceiling
    # there (a few seconds of CPU, 1 GB over the imports) instead of freezing the test run.
    for text, (outcome, seconds) in _run_capped(texts).items():
        assert outcome.startswith("refused: "), f"{text!r} was {outcome}"
        assert seconds < 3.0, f"{text!r} took {seconds:.1f} s of CPU: a hang guard"
        assert "Traceback" not in outcome and len(outcome) < 600
