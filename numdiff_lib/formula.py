"""Typed formulas -> SymPy expression + NumPy function, safely (taught in 05, "try your own f").

A learner types `3*x*exp(x)`; parse_function turns it into a SymPy expression (for the exact,
symbolic derivative) and a NumPy function (for numerical_derivative and the plots).

Safety, in the order it is checked, all before anything is evaluated:
1. the text is short (MAX_LENGTH characters), printable ASCII, and uses only letters, digits,
   spaces and `+ - * / ^ ( ) . , _` -- so no strings, brackets, comparisons, `:` or `=`;
   a non-ASCII character (fullwidth `ｅ`, math-italic `𝐱`, `−`, `×`, `²`, a zero-width space)
   is refused with the plain character to type instead. We do not NFKC-normalise silently:
   Python's parser would, and `ｅｘｐ` turning into `exp` behind the learner's back hides the typo.
2. parentheses nest at most MAX_NESTING deep; Python's `ast` parses the text (mode="eval"),
   which only builds a tree and runs nothing;
3. a whitelist walk of that tree: int/float literals (at most MAX_DIGITS digits), the named
   variables, the constants pi and e, `+ - * / **`, unary `-`/`+`, and calls by bare name to the
   functions in FUNCTIONS. Everything else (attributes, subscripts, dunder names, lambdas,
   comprehensions, keywords, `if`/`and`/`<`, `:=`, `//`, `%`, factorial, ...) is refused with
   a message that says what to type instead;
4. the SymPy expression is built node by node from that tree (sympy.Symbol, Integer, Float,
   sympy.sin, ...); never eval, exec, sympify or parse_expr on the text. SymPy evaluates
   numbers eagerly (9**9**9 would be computed), so before each power the exponent is checked
   (|exponent| <= MAX_EXPONENT), power towers are at most MAX_POWER_NESTING high, and every
   constant built must stay within floating point range, real and finite (1/0 is refused).
The tree is also bounded: at most MAX_NODES nodes.

`^` is read as a power, as learners (and the seed notes) write x^2: the text is rewritten to
`**` first, so precedence is that of `**`, and the result's `note` says so.
"""

import ast
import math
import string
import unicodedata
from typing import NamedTuple

import numpy as np
import sympy

from .messages import N_, _

MAX_LENGTH = 500          # characters; a lesson's formulas are a few dozen
MAX_NESTING = 20          # depth of parentheses
MAX_NODES = 200           # nodes in the syntax tree
MAX_DIGITS = 20           # digits in an integer literal (write 1e25 for larger numbers)
MAX_EXPONENT = 1000       # |constant exponent|; x**1000 already overflows for |x| > 2
MAX_POWER_NESTING = 3     # '**' stacked in a tower: x**x**x**x is the most
_MAX_BITS = 1100          # numerator/denominator bits of an exact constant (2**1024 ~ 1.8e308)

# Allowed function names -> (SymPy function, smallest and largest number of arguments).
FUNCTIONS = {
    "sin": (sympy.sin, 1, 1), "cos": (sympy.cos, 1, 1), "tan": (sympy.tan, 1, 1),
    "asin": (sympy.asin, 1, 1), "acos": (sympy.acos, 1, 1), "atan": (sympy.atan, 1, 1),
    "arcsin": (sympy.asin, 1, 1), "arccos": (sympy.acos, 1, 1), "arctan": (sympy.atan, 1, 1),
    "sinh": (sympy.sinh, 1, 1), "cosh": (sympy.cosh, 1, 1), "tanh": (sympy.tanh, 1, 1),
    "exp": (sympy.exp, 1, 1), "log": (sympy.log, 1, 2), "ln": (sympy.log, 1, 1),
    "sqrt": (sympy.sqrt, 1, 1), "abs": (sympy.Abs, 1, 1),
}
CONSTANTS = {"pi": sympy.pi, "e": sympy.E}

# Messages: English msgids with {name} fields, translated when raised (numdiff_lib.messages).
# {where} is FormulaError's " (at position N)", or nothing when the position is unknown.
_ALLOWED_CHARS = set(string.ascii_letters + string.digits + " \t+-*/^().,_")
_OPS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}
_BAD_OPS = {
    ast.FloorDiv: N_("'//' (floor division) is not allowed{where}: use / for division."),
    ast.Mod: N_("'%' is not allowed{where}."),
    ast.MatMult: N_("'@' is not allowed{where}: use * for multiplication."),
    ast.BitXor: N_("'^' is not allowed{where}."),
    ast.BitAnd: N_("'&' is not allowed{where}."), ast.BitOr: N_("'|' is not allowed{where}."),
    ast.LShift: N_("'<<' is not allowed{where}."), ast.RShift: N_("'>>' is not allowed{where}."),
}
# What to type instead of common non-ASCII characters (NFKC covers fullwidth and math letters).
_ASCII_FOR = {
    "\u2212": "-", "\u2013": "-", "\u00d7": "*", "\u00b7": "*", "\u22c5": "*", "\u2217": "*",
    "\u00f7": "/", "\u00b2": "**2", "\u00b3": "**3", "\u03c0": "pi", "\u221a": "sqrt( )",
}
_EXAMPLE = "3*x*exp(x)"


class FormulaError(ValueError):
    """A typed formula that parse_function refuses; says what to type instead (lesson 05).

    FormulaError(msgid, position, **fields): msgid is an English message with {name} fields,
    translated into the learner's language when raised. Its {where} field becomes
    " (at position N)", counted from 1 as a learner counts, when position (0-based) is known.
    allowed: a sentence saying what a formula may contain, shown after the message.
    """

    def __init__(self, msgid, /, position=None, *, allowed="", **fields):
        where = _(" (at position {n})", n=position + 1) if position is not None else ""
        message = _(msgid, where=where, **fields)
        super().__init__(" ".join((message, allowed)) if allowed else message)
        self.position = position  # 0-based index in the text as typed, when known
        self.msgid, self.fields = msgid, fields  # which message, with what (for tests and tools)

    def __reduce__(self):
        # pickle and copy keep the finished text: calling __init__ again would re-translate it.
        return _restore_error, (type(self), self.args, self.position, self.msgid, self.fields)


def _restore_error(cls, args, position, msgid, fields):
    err = cls.__new__(cls, *args)
    err.position, err.msgid, err.fields = position, msgid, fields
    return err


class Formula(NamedTuple):
    """A parsed formula: the text, its SymPy expression and a NumPy function (lesson 05).

    func: for one variable func(x) takes a number or an array; for several variables func(v)
    takes an array v of length len(variables) (v[0] is the first variable), as
    numerical_derivative passes it. func_args(*values) takes the variables one by one.
    note: non-empty when the text was read in a way worth saying (e.g. ^ read as **), in the
    language set when the formula was parsed.
    """

    text: str
    expr: object
    variables: tuple
    func: object
    func_args: object
    note: str = ""

    @property
    def symbols(self):
        """The SymPy symbols of the variables, in order (lesson 05)."""
        return tuple(sympy.Symbol(v) for v in self.variables)

    def derivative(self, var=None):
        """The exact partial derivative with respect to var (default: the first) (lesson 05)."""
        return _diff_real(self.expr, sympy.Symbol(var or self.variables[0]))

    def derivative_function(self, var=None):
        """The exact derivative as a NumPy function, called like func (lesson 05)."""
        return _numpy_function(self.derivative(var), self.variables)[0]


def parse_function(text, variables=("x",)):
    """Turn a typed formula such as '3*x*exp(x)' into a Formula, refusing anything else (lesson 05).

    variables: the names the formula may use, e.g. ("x", "y") or "x, y"; with several, func
    takes one array v (v[0] is x), as numerical_derivative passes it.
    Raises FormulaError (a ValueError) with what is not allowed and what to type instead.
    """
    names = _check_variables(variables)
    if not isinstance(text, str):
        raise FormulaError(N_("the formula must be text (a str) such as {example!r}, "
                              "got {kind}."), example=_EXAMPLE, kind=type(text).__name__)
    if len(text) > MAX_LENGTH:
        raise FormulaError(N_("the formula is {length} characters long; at most {limit} are "
                              "accepted. Type a shorter formula."),
                           length=len(text), limit=MAX_LENGTH)
    stripped = text.strip()
    lead = len(text) - len(text.lstrip())
    if not stripped:
        raise FormulaError(N_("the formula is empty: type one, e.g. {example}."),
                           example=_EXAMPLE)
    _check_characters(stripped, lead)
    source, origin = _caret_to_power(stripped, lead)
    note = _("^ was read as ** (power): x^2 means x**2.") if "^" in stripped else ""
    _check_nesting(source, origin)
    tree = _parse(source, origin)
    _check_size(tree)
    expr = _Builder(names, source, origin).build(tree.body)
    func, func_args = _numpy_function(expr, names)
    return Formula(text, expr, names, func, func_args, note)


# --------------------------------------------------------------------------- text checks


def _check_variables(variables):
    if isinstance(variables, str):
        variables = variables.replace(",", " ").split()
    names = tuple(variables)
    if not names:
        raise ValueError(_("variables must name at least one variable, e.g. ('x',)."))
    for v in names:
        if not isinstance(v, str) or not v.isascii() or not v.isidentifier() or v.startswith("_"):
            raise ValueError(_("variable names must be plain ASCII names such as 'x' or 'x0', "
                               "not starting with '_'; got {name!r}.", name=v))
        if v in FUNCTIONS or v in CONSTANTS:
            raise ValueError(_("{name!r} is a function or constant name; choose another "
                               "variable name.", name=v))
    if len(set(names)) != len(names):
        raise ValueError(_("variables are repeated: {names}.", names=names))
    return names


def _check_characters(text, lead):
    for i, ch in enumerate(text):
        if ch not in _ALLOWED_CHARS:
            msgid, fields = _non_ascii_message(ch) if not ch.isascii() else _bad_char_message(ch)
            raise FormulaError(msgid, lead + i, **fields)


def _non_ascii_message(ch):
    """(msgid, fields) for a non-ASCII character: which one it is and what to type instead."""
    fields = {"char": ch, "name": unicodedata.name(ch, f"U+{ord(ch):04X}")}
    if ch in _ASCII_FOR:
        return (N_("the character {char!r} ({name}){where} is not plain ASCII: type {plain!r} "
                   "instead."), {**fields, "plain": _ASCII_FOR[ch]})
    plain = unicodedata.normalize("NFKC", ch)
    if plain.isascii() and plain.strip():
        return (N_("the character {char!r} ({name}){where} looks like {plain!r} but is a "
                   "different character: type a plain {plain!r} (switch the keyboard to "
                   "half-width/ASCII)."), {**fields, "plain": plain})
    if unicodedata.category(ch) in ("Cf", "Zs", "Zl", "Zp", "Cc"):
        return (N_("the character {char!r} ({name}){where} is an invisible or formatting "
                   "character (or an unusual space): delete it and retype that part."), fields)
    return (N_("the character {char!r} ({name}){where} is not allowed: formulas use plain ASCII "
               "letters, digits and + - * / ** ( )."), fields)


# What to do instead of an ASCII character a formula cannot contain: whole phrases, each
# shown after "the character ... is not allowed:" and translated when shown.
_CHAR_HINTS = {
    "=": N_("type only the right-hand side, e.g. 3*x*exp(x) rather than f(x) = 3*x*exp(x)"),
    "[": N_("use ( ) to group"), "]": N_("use ( ) to group"),
    "{": N_("use ( ) to group"), "}": N_("use ( ) to group"),
    "'": N_("type the formula itself, without quotes"),
    '"': N_("type the formula itself, without quotes"),
    "!": N_("factorials are not supported"),
    ":": N_("no lambdas, slices or :=, just the formula"),
    "<": N_("comparisons are not formulas"), ">": N_("comparisons are not formulas"),
    "%": N_("there is no remainder operator in a formula"),
    "@": N_("use * for multiplication"),
    "\n": N_("type the formula on one line"), "\r": N_("type the formula on one line"),
}
_OTHER_CHAR_HINT = N_("formulas use letters, digits, spaces and + - * / ** ( ) . , only")


def _bad_char_message(ch):
    """(msgid, fields) for an ASCII character a formula cannot contain."""
    hint = _(_CHAR_HINTS.get(ch, _OTHER_CHAR_HINT))
    return N_("the character {char!r} is not allowed{where}: {hint}."), {"char": ch, "hint": hint}


def _caret_to_power(text, lead):
    """Rewrite ^ as **, keeping for each character of the new text its position in the old."""
    out, origin = [], []
    for i, ch in enumerate(text):
        if ch == "^":
            out.append("**")
            origin += [lead + i, lead + i]
        else:
            out.append(ch)
            origin.append(lead + i)
    return "".join(out), origin


def _pos(origin, col):
    if col is None or not origin:
        return None
    return origin[min(max(col, 0), len(origin) - 1)]


def _check_nesting(source, origin):
    depth = 0
    for i, ch in enumerate(source):
        depth += (ch == "(") - (ch == ")")
        if depth > MAX_NESTING:
            raise FormulaError(N_("parentheses are nested more than {limit} deep{where}; "
                                  "simplify the formula."), _pos(origin, i), limit=MAX_NESTING)


def _parse(source, origin):
    try:
        return ast.parse(source, mode="eval")  # builds a syntax tree; evaluates nothing
    except SyntaxError as err:
        col = (err.offset or 1) - 1 if err.lineno in (None, 1) else None
        msgid, fields = _syntax_message(source, err)
        raise FormulaError(msgid, _pos(origin, col), **fields) from None
    except (ValueError, RecursionError, MemoryError) as err:
        raise FormulaError(N_("this formula cannot be read ({error}); type a shorter, simpler "
                              "formula."), error=type(err).__name__) from None


def _syntax_message(source, err):
    """(msgid, fields) for a SyntaxError: what is wrong, in the learner's terms."""
    msg = err.msg or "invalid syntax"  # Python's own words, quoted as they are
    if "decimal literal" in msg:
        return (N_("a number is followed directly by a letter{where}: put * between them, "
                   "e.g. 3*x rather than 3x."), {})
    if source.count("(") != source.count(")"):
        return (N_("the parentheses do not match{where}: {opened} '(' but {closed} ')'."),
                {"opened": source.count("("), "closed": source.count(")")})
    if "digits" in msg:
        return (N_("a number has too many digits{where}: use at most {limit}, or write e.g. "
                   "1e25."), {"limit": MAX_DIGITS})
    return (N_("this is not a formula Python can read{where}: {error}; check for a missing "
               "operator or operand, e.g. 3*x + 1."), {"error": msg})


def _check_size(tree):
    count = sum(1 for _node in ast.walk(tree))
    if count > MAX_NODES:
        raise FormulaError(N_("the formula is too large ({count} parts, at most {limit}); type "
                              "a shorter formula."), count=count, limit=MAX_NODES)


# --------------------------------------------------------------------------- tree -> SymPy

# Syntax a formula cannot contain, with what to type instead (see _Builder.refusal).
_REFUSALS = {
    ast.Attribute: N_("attribute access (a dot after a name, like x.real) is not "
                      "allowed{where}."),
    ast.Subscript: N_("indexing with [ ] is not allowed{where}."),
    ast.Tuple: N_("a comma outside a function call makes a list of values{where}: type one "
                  "formula (for several variables, use variables=('x', 'y'))."),
    ast.Starred: N_("'*' before a value (unpacking) is not allowed{where}."),
    ast.IfExp: N_("'if ... else' is not allowed{where}."),
    ast.BoolOp: N_("'and' / 'or' are not allowed{where}."),
    ast.Compare: N_("comparisons (<, ==, in, is) are not allowed{where}."),
    ast.Lambda: N_("lambda is not allowed{where}."),
    ast.NamedExpr: N_("':=' is not allowed{where}."),
}
_TOO_LARGE = N_("{part} is too large for floating point (over about 1e308){where}.")


class _Builder:
    """Builds the SymPy expression from a whitelisted syntax tree, one node at a time."""

    def __init__(self, names, source, origin):
        self.names = names
        self.source = source
        self.origin = origin
        self.symbols = {n: sympy.Symbol(n) for n in names}

    def fail(self, msgid, node=None, allowed=False, **fields):
        """Raise FormulaError(msgid, **fields) at node; allowed=True adds what may be typed."""
        col = getattr(node, "col_offset", None)
        raise FormulaError(msgid, _pos(self.origin, col),
                           allowed=self.allowed() if allowed else "", **fields)

    def typed(self, node, width=40):
        """The part of the formula that node came from, as typed (with ^ already as **)."""
        s = ast.get_source_segment(self.source, node) or ""
        return s if len(s) <= width else s[:width - 3] + "..."

    def allowed(self):
        """A sentence listing what a formula may contain, in the learner's language."""
        if len(self.names) > 1:
            msgid = N_("Allowed: numbers, the variables {variables}, the constants pi and e, "
                       "+ - * / ** and the functions {functions}.")
        else:
            msgid = N_("Allowed: numbers, the variable {variables}, the constants pi and e, "
                       "+ - * / ** and the functions {functions}.")
        return _(msgid, variables=", ".join(self.names), functions=", ".join(sorted(FUNCTIONS)))

    def build(self, node, powers=0):
        """powers: how many power exponents this node sits inside (to bound towers)."""
        if isinstance(node, ast.Constant):
            expr = self.number(node)
        elif isinstance(node, ast.Name):
            expr = self.name(node)
        elif isinstance(node, ast.UnaryOp):
            if not isinstance(node.op, (ast.USub, ast.UAdd)):
                operator = "'not'" if isinstance(node.op, ast.Not) else "'~'"
                self.fail(N_("{operator} is not allowed{where}."), node, True, operator=operator)
            operand = self.build(node.operand, powers)
            expr = -operand if isinstance(node.op, ast.USub) else operand
        elif isinstance(node, ast.BinOp):
            expr = self.binop(node, powers)
        elif isinstance(node, ast.Call):
            expr = self.call(node, powers)
        else:
            self.refuse(node)
        return self.check_constant(expr, node)

    def refuse(self, node):
        """Refuse syntax that is not a formula, saying what it is."""
        for kind, msgid in _REFUSALS.items():
            if isinstance(node, kind):
                self.fail(msgid, node, True)
        self.fail(N_("{kind} is not allowed in a formula{where}."), node, True,
                  kind=type(node).__name__)

    def number(self, node):
        value = node.value
        typed = self.typed(node).lower()
        if typed[:2] in ("0x", "0o", "0b"):
            self.fail(N_("{part} is a hexadecimal, octal or binary literal{where}; write the "
                         "number in decimal, e.g. {value!r}."), node, part=self.typed(node),
                      value=value)
        if type(value) is int:  # noqa: E721 — bool is an int subclass and is refused
            if abs(value) >= 10**MAX_DIGITS:
                self.fail(N_("the number has more than {limit} digits{where}: write a large "
                             "number as e.g. 1e25."), node, limit=MAX_DIGITS)
            return sympy.Integer(value)
        if type(value) is float:  # noqa: E721
            if not math.isfinite(value):
                self.fail(N_("the number is too large for floating point (over about "
                             "1e308){where}."), node)
            return sympy.Float(value)
        if type(value) is complex:  # noqa: E721
            self.fail(N_("complex numbers (like 1j) are not allowed{where}: j is not a variable "
                         "here."), node)
        if isinstance(value, (str, bytes)):
            self.fail(N_("text strings are not allowed{where}: type the formula itself."), node)
        self.fail(N_("{value!r} is not allowed{where}."), node, True, value=value)

    def name(self, node):
        name = node.id
        if name in self.symbols:
            return self.symbols[name]
        if name in CONSTANTS:
            return CONSTANTS[name]
        if name in FUNCTIONS:
            self.fail(N_("{name} is a function{where}: call it with parentheses, e.g. "
                         "{name}(x)."), node, name=name)
        if name.startswith("_"):
            self.fail(N_("names starting with '_' (like {name}) are not allowed{where}."), node,
                      True, name=name)
        product = self.split_hint(name)
        if product:
            self.fail(N_("unknown name {name!r}{where}: did you mean {product}? Multiplication "
                         "needs *."), node, True, name=name, product=product)
        self.fail(N_("unknown name {name!r}{where}."), node, True, name=name)

    def split_hint(self, name):
        """'x*y' for xy with variables x, y (or e*x for ex, pi*x for pix), else ''."""
        known = sorted(set(self.names) | set(CONSTANTS), key=len, reverse=True)
        parts, rest = [], name
        while rest:
            head = next((k for k in known if rest.startswith(k)), None)
            if head is None:
                return ""
            parts.append(head)
            rest = rest[len(head):]
        return "*".join(parts) if len(parts) >= 2 else ""

    def binop(self, node, powers):
        if type(node.op) in _BAD_OPS:
            self.fail(_BAD_OPS[type(node.op)], node, True)
        if isinstance(node.op, ast.Pow):
            return self.power(node, powers)
        left = self.build(node.left, powers)
        right = self.build(node.right, powers)
        if isinstance(node.op, ast.Add):
            return left + right
        if isinstance(node.op, ast.Sub):
            return left - right
        if isinstance(node.op, ast.Mult):
            return self.check_combined_powers(left * right, node)
        if isinstance(node.op, ast.Div):
            if right == 0:
                self.fail(N_("division by zero{where}."), node)
            return self.check_combined_powers(left / right, node)
        self.fail(N_("this operator is not allowed{where}."), node, True)

    def power(self, node, powers):
        if powers + 1 > MAX_POWER_NESTING:
            self.fail(N_("more than {limit} powers are stacked{where}, as in x**x**x**x**x; use "
                         "fewer levels."), node, limit=MAX_POWER_NESTING)
        base = self.build(node.left, powers)
        exponent = self.build(node.right, powers + 1)
        if exponent.is_number:
            # Checked before SymPy sees the power: it would evaluate 9**(9**9) digit by digit.
            value = _real_value(exponent)
            if value is None or abs(value) > MAX_EXPONENT:
                typed, shown = self.typed(node.right), _short(exponent)
                if shown == typed:
                    self.fail(N_("the exponent {exponent} is too large{where}: exponents are "
                                 "limited to ±{limit}."), node, exponent=typed,
                              limit=MAX_EXPONENT)
                self.fail(N_("the exponent {exponent} (= {value}) is too large{where}: exponents "
                             "are limited to ±{limit}."), node, exponent=typed, value=shown,
                          limit=MAX_EXPONENT)
            if base.is_number:
                self.check_power_size(base, value, node)
            else:
                self.check_symbolic_power(base, value, node)
            if base == 0 and value < 0:
                self.fail(N_("0 to a negative power is a division by zero{where}."), node)
        result = base**exponent
        # (x**600)**600 becomes x**360000: the exponent bound holds for the result too.
        if isinstance(result, sympy.Pow) and result.exp.is_number and not base.is_number:
            value = _real_value(result.exp)
            if value is not None and abs(value) > MAX_EXPONENT:
                self.fail(N_("{part} is {power}, too large a power{where}: exponents are "
                             "limited to ±{limit}."), node, part=self.typed(node),
                          power=_short(result), limit=MAX_EXPONENT)
        return result

    def check_combined_powers(self, result, node):
        """x**1000*x**1000 becomes x**2000: the exponent bound holds after combining too."""
        factors = result.args if isinstance(result, sympy.Mul) else (result,)
        for factor in factors:
            if isinstance(factor, sympy.Pow) and factor.exp.is_number \
                    and not factor.base.is_number:
                value = _real_value(factor.exp)
                if value is not None and abs(value) > MAX_EXPONENT:
                    self.fail(N_("{part} is {power}, too large a power{where}: exponents are "
                                 "limited to ±{limit}."), node, part=self.typed(node),
                              power=_short(factor), limit=MAX_EXPONENT)
        return result

    def check_symbolic_power(self, base, exponent, node):
        """Refuse (c*x**k*...)**e before SymPy computes it: it would raise the coefficient c to
        the power e digit by digit and multiply every exponent k by e."""
        coeff, rest = base.as_coeff_Mul()
        c = _real_value(coeff)
        if c not in (None, 0.0) and abs(exponent * math.log10(abs(c))) > 308:
            self.fail(N_("{part} would raise the constant {constant} to the power "
                         "{exponent:g}{where}, beyond floating point (about 1e±308); write a "
                         "smaller formula."), node, part=self.typed(node), constant=_short(coeff),
                      exponent=exponent)
        powers = [rest] if not isinstance(rest, sympy.Mul) else list(rest.args)
        for factor in powers:
            k = _real_value(factor.exp) if isinstance(factor, sympy.Pow) and \
                factor.exp.is_number else 1.0
            if k is not None and abs(k * exponent) > MAX_EXPONENT:
                self.fail(N_("{part} would be a power of {power:g}{where}: exponents are "
                             "limited to ±{limit}."), node, part=self.typed(node),
                          power=abs(k * exponent), limit=MAX_EXPONENT)

    def check_power_size(self, base, exponent, node):
        b = _real_value(base)
        if b is None or b == 0:
            return
        if exponent * math.log10(abs(b)) > 308:
            self.fail(_TOO_LARGE, node, part=self.typed(node))

    def call(self, node, powers):
        func = node.func
        if not isinstance(func, ast.Name):
            self.fail(N_("this call is not allowed{where}: only the allowed functions can be "
                         "called, by name, e.g. exp(x)."), node, True)
        name = func.id
        if name not in FUNCTIONS:
            if name in self.symbols or name in CONSTANTS:
                self.fail(N_("{name} is not a function{where}: write {name}*(...) to "
                             "multiply."), node, name=name)
            self.fail(N_("the function {name!r} is not allowed{where}."), node, True, name=name)
        if node.keywords:
            self.fail(N_("keyword arguments (name=value) are not allowed in {name}( ){where}."),
                      node, name=name)
        if any(isinstance(a, ast.Starred) for a in node.args):
            self.fail(N_("'*' before an argument (unpacking) is not allowed in "
                         "{name}( ){where}."), node, name=name)
        sympy_func, lo, hi = FUNCTIONS[name]
        if not lo <= len(node.args) <= hi:
            if hi == 1:
                self.fail(N_("{name} takes one argument, got {count}{where}."), node, name=name,
                          count=len(node.args))
            self.fail(N_("{name} takes {low} or {high} arguments (log(x) or log(x, 2)), got "
                         "{count}{where}."), node, name=name, low=lo, high=hi,
                      count=len(node.args))
        args = [self.build(a, powers) for a in node.args]
        if name == "log" and len(args) == 2 and args[1].is_number:
            b = _real_value(args[1])
            if b is None or b <= 0 or b == 1:
                self.fail(N_("the base of a logarithm must be a positive number other than "
                             "1{where}."), node)
        return sympy_func(*args)

    def check_constant(self, expr, node):
        """Every constant must be a finite real number within floating point range."""
        if expr.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
            self.fail(N_("{part} is undefined{where}: a division by zero or an infinite "
                         "value."), node, part=self.typed(node))
        if not expr.is_number:
            for number in expr.atoms(sympy.Number):
                self.check_number_range(number, node)
            return expr
        if isinstance(expr, sympy.Rational):  # Integer too: exact, so bound its size
            if max(int(expr.p).bit_length(), int(expr.q).bit_length()) > _MAX_BITS:
                self.fail(N_("{part} is too large or too small for floating point (beyond "
                             "about 1e±308){where}."), node, part=self.typed(node))
            return expr
        magnitude = _log10_magnitude(expr)
        if magnitude is not None and magnitude < -307:
            self.fail(N_("{part} is too small for floating point (below about 1e-308){where}: "
                         "it would be 0."), node, part=self.typed(node))
        value = _complex_value(expr)
        if value is None or not math.isfinite(abs(value)):
            self.fail(_TOO_LARGE, node, part=self.typed(node))
        if abs(value.imag) > 1e-12 * max(1.0, abs(value.real)):
            self.fail(N_("{part} is not a real number{where}: sqrt, log, asin or acos outside "
                         "their real domain, or a fractional power of a negative number."),
                      node, part=self.typed(node))
        return expr

    def check_number_range(self, number, node):
        """One numeric constant inside a formula: within floating point, exactly or not."""
        if isinstance(number, sympy.Rational):
            if max(int(number.p).bit_length(), int(number.q).bit_length()) > _MAX_BITS:
                self.fail(N_("{part} contains a constant beyond floating point (about "
                             "1e±308){where}."), node, part=self.typed(node))
            return
        magnitude = _log10_magnitude(number)
        if magnitude is not None and not -307 <= magnitude <= 308:
            self.fail(N_("{part} contains a constant beyond floating point (about "
                         "1e{magnitude:+.0f}){where}; keep numbers between 1e-307 and 1e308."),
                      node, part=self.typed(node), magnitude=magnitude)



def _log10_magnitude(expr):
    """log10 |expr| for a number, without converting it to a float (None when 0 or unknown)."""
    try:
        value = sympy.Abs(expr).evalf(20)
        if value == 0 or not value.is_finite:
            return None
        return float(sympy.log(value, 10).evalf(15))
    except (TypeError, ValueError, OverflowError, AttributeError):
        return None


def _complex_value(expr):
    try:
        return complex(expr.evalf(30))
    except (TypeError, ValueError, OverflowError):
        return None


def _real_value(expr):
    value = _complex_value(expr)
    if value is None or value.imag != 0 or not math.isfinite(value.real):
        return None
    return value.real


def _short(expr, width=40):
    s = str(expr)
    return s if len(s) <= width else s[:width - 3] + "..."


# --------------------------------------------------------------------------- SymPy -> NumPy


def _diff_real(expr, symbol):
    """d expr / d symbol, treating the variables as real (so abs(x)' is sign(x), not a mess)."""
    real = {s: sympy.Symbol(s.name, real=True) for s in expr.free_symbols | {symbol}}
    back = {r: s for s, r in real.items()}
    return sympy.diff(expr.xreplace(real), real[symbol]).xreplace(back)


def _as_input(v):
    """Numbers as NumPy floats (ints would break x**-2); complex kept for the complex step.

    NumPy scalars, not Python floats: with those, 1/x at 0 is inf (not ZeroDivisionError) and
    (-8)**(1/3) is nan (not a complex number), as for arrays.
    """
    if isinstance(v, float):
        return np.float64(v)
    if isinstance(v, complex):
        return np.complex128(v)
    arr = np.asarray(v)
    if arr.dtype.kind in "biu":
        arr = arr.astype(np.float64)
    elif arr.dtype.kind not in "fc":
        raise TypeError(_("the formula takes numbers or arrays of numbers, got {value!r}.",
                          value=v))
    return arr if arr.ndim else arr[()]


def _shaped(y, shape):
    """A constant formula (e.g. '5') returns one value: spread it to the input's shape."""
    if np.shape(y) == shape and not isinstance(y, int):
        return y
    out = np.full(shape, y, dtype=np.result_type(y, np.float64))
    return out if shape else out[()]


def _numpy_function(expr, names):
    """(func, func_args) for expr: func(x) or func(v) with v[i] the i-th variable."""
    symbols = [sympy.Symbol(n) for n in names]
    # Exact numbers beyond 2**53 would reach NumPy as Python ints it cannot take (cos(10**300)).
    big = {a: sympy.Float(a) for a in expr.atoms(sympy.Rational) if max(abs(a.p), a.q) > 2**53}
    expr = expr.xreplace(big) if big else expr
    # lambdify prints expr (built only from whitelisted nodes) as NumPy code; not the typed text.
    raw = sympy.lambdify(symbols, expr, modules="numpy")

    def func_args(*values):
        values = [_as_input(v) for v in values]
        shape = np.broadcast_shapes(*(np.shape(v) for v in values))
        return _shaped(raw(*values), shape)

    if len(names) == 1:
        def func(x):
            x = _as_input(x)
            return _shaped(raw(x), np.shape(x))
    else:
        def func(v):
            v = _as_input(v)
            if np.ndim(v) == 0 or len(v) != len(names):
                raise ValueError(_(
                    "this formula has {count} variables ({names}): call it with an array of "
                    "{count} numbers, e.g. f(np.array([1.0, 2.0])), got {value!r}.",
                    count=len(names), names=", ".join(names), value=v))
            return _shaped(raw(*v), np.shape(v[0]))

    func.__doc__ = f"f({', '.join(names)}) = {expr}"  # code, not a message: not translated
    func_args.__doc__ = func.__doc__
    return func, func_args
