"""Automatic differentiation (자동 미분) in a few dozen lines each (lesson 08).

Taught in 08_from_numerical_to_automatic_differentiation. Three small classes:

- Value: one number that remembers how it was computed. `backward()` applies the chain rule
  (연쇄법칙) from the output back to every input: reverse mode, the idea behind
  backpropagation (오차역전파법). Written after Karpathy's micrograd.
- Tensor: the same idea for NumPy arrays, fast enough to train the lesson's network.
- Dual: a number a + b·ε with ε² = 0 that carries its derivative along: forward mode, the
  cousin of lesson 01's complex step.

Every operation does two things: compute its result (the forward pass, 순전파), and say how to
pass a gradient from its result back to its inputs (the backward pass, 역전파): the upstream
gradient times the operation's local derivative. NumPy and the standard library only: this
module sits in the core's layer.
"""

import math

import numpy as np

from .messages import _

# --------------------------------------------------------------------------- the graph


def topological_order(root):
    """The graph behind root: every node it depends on, each after its children (lesson 08).

    Works for Value and Tensor alike; backward() walks this list from the end.
    """
    order, seen, stack = [], set(), [(root, False)]
    while stack:  # a loop, not recursion: a long chain (a sum of 5000 terms) stays fine
        node, children_done = stack.pop()
        if children_done:
            order.append(node)
        elif node not in seen:
            seen.add(node)
            stack.append((node, True))
            stack.extend((child, False) for child in node._children)
    return order


# --------------------------------------------------------------------------- Value


class Value:
    """One number that records how it was computed: reverse-mode autodiff (lesson 08).

    a = Value(2.0); b = Value(-3.0); c = a * b + a
    c.backward()   # fills a.grad = ∂c/∂a = b + 1 = -2 and b.grad = ∂c/∂b = a = 2
    """

    def __init__(self, data, children=(), op=""):
        self.data = float(data)
        self.grad = 0.0                  # ∂(output)/∂(this value), filled by backward()
        self._children = tuple(children)  # the Values this one was computed from
        self._op = op                    # which operation made it (for display)
        self._backward = lambda: None    # passes self.grad on to the children

    def __repr__(self):
        return f"Value(data={self.data:.6g}, grad={self.grad:.6g})"

    # -- operations: the result, and the rule that passes its gradient back

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other), "+")

        def _backward():
            self.grad += out.grad        # ∂(a + b)/∂a = 1
            other.grad += out.grad       # ∂(a + b)/∂b = 1
        out._backward = _backward
        return out

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, (self, other), "*")

        def _backward():
            self.grad += other.data * out.grad   # ∂(a·b)/∂a = b
            other.grad += self.data * out.grad   # ∂(a·b)/∂b = a
        out._backward = _backward
        return out

    def __pow__(self, k):
        if not isinstance(k, (int, float)):
            raise TypeError(_("Value ** k takes a plain number k; for a ** b with b a Value, "
                              "write (b * a.log()).exp()."))
        out = Value(self.data ** k, (self,), f"**{k:g}")

        def _backward():
            self.grad += k * self.data ** (k - 1) * out.grad   # ∂(a^k)/∂a = k·a^(k-1)
        out._backward = _backward
        return out

    def exp(self):
        out = Value(math.exp(self.data), (self,), "exp")

        def _backward():
            self.grad += out.data * out.grad   # ∂(e^a)/∂a = e^a
        out._backward = _backward
        return out

    def log(self):
        out = Value(math.log(self.data), (self,), "log")

        def _backward():
            self.grad += out.grad / self.data   # ∂(log a)/∂a = 1/a
        out._backward = _backward
        return out

    def tanh(self):
        t = math.tanh(self.data)
        out = Value(t, (self,), "tanh")

        def _backward():
            self.grad += (1 - t * t) * out.grad   # ∂(tanh a)/∂a = 1 − tanh²a
        out._backward = _backward
        return out

    def relu(self):
        out = Value(max(self.data, 0.0), (self,), "relu")

        def _backward():
            self.grad += (self.data > 0) * out.grad   # 1 for a > 0, else 0 (also at the kink)
        out._backward = _backward
        return out

    # -- the rest is built from the operations above

    def __neg__(self):
        return self * -1

    def __sub__(self, other):
        return self + (-other)

    def __truediv__(self, other):
        return self * other ** -1

    def __radd__(self, other):   # 2 + a
        return self + other

    def __rmul__(self, other):   # 2 * a
        return self * other

    def __rsub__(self, other):   # 2 - a
        return (-self) + other

    def __rtruediv__(self, other):   # 2 / a
        return Value(other) * self ** -1

    # -- the backward pass

    def backward(self):
        """Fill .grad of every Value this one depends on: ∂self/∂v, by the chain rule."""
        order = topological_order(self)
        for node in order:
            node.grad = 0.0   # a second backward() starts afresh instead of adding up
        self.grad = 1.0       # ∂self/∂self
        for node in reversed(order):   # outputs first, so each grad is complete when passed on
            node._backward()


def reverse_gradient(f, x):
    """∇f(x) by reverse mode: f runs once on Values, then one backward pass (lesson 08).

    f takes an array of numbers (here an object array of Values) and returns one number; it
    may use +, -, *, /, ** and np.exp, np.log, np.tanh (NumPy calls the Value's method).
    """
    x = np.asarray(x, dtype=float)
    values = np.empty(x.shape, dtype=object)
    flat = values.reshape(-1)
    for i, v in enumerate(x.reshape(-1)):
        flat[i] = Value(v)
    try:
        out = f(values)
    except TypeError as err:  # e.g. math.exp(v) or float(v): code that cannot see a Value
        err.add_note(_("numdiff_lib: f cannot run on Values (reverse mode follows only +, -, "
                       "*, /, ** and the Value methods exp, log, tanh, relu; np.exp calls them, "
                       "math.exp cannot). For a black box, use numerical_derivative."))
        raise
    if not isinstance(out, Value):
        out = np.asarray(out, dtype=object).reshape(())[()]
    if not isinstance(out, Value):
        raise TypeError(_("f returned {value}, not a Value: does f use its argument? "
                          "Functions from math (math.exp) cannot see Values; use np.exp.",
                          value=repr(out)[:200]))
    out.backward()
    return np.array([v.grad for v in flat]).reshape(x.shape)


# --------------------------------------------------------------------------- Dual


class Dual:
    """A number value + deriv·ε with ε² = 0: forward-mode autodiff (lesson 08).

    f(Dual(x, 1)).deriv is f′(x), exact, from one pass: the complex step of lesson 01 with the
    imaginary unit i·h replaced by an ε whose square is exactly 0.
    """

    def __init__(self, value, deriv=0.0):
        self.value, self.deriv = float(value), float(deriv)

    def __repr__(self):
        return f"Dual({self.value:.10g} + {self.deriv:.10g}ε)"

    @staticmethod
    def _lift(other):
        return other if isinstance(other, Dual) else Dual(other)

    def __add__(self, other):
        other = Dual._lift(other)
        return Dual(self.value + other.value, self.deriv + other.deriv)

    def __mul__(self, other):   # (a + a′ε)(b + b′ε) = ab + (a′b + ab′)ε, since ε² = 0
        other = Dual._lift(other)
        return Dual(self.value * other.value, self.deriv * other.value + self.value * other.deriv)

    def __truediv__(self, other):
        other = Dual._lift(other)
        return Dual(self.value / other.value,
                    (self.deriv * other.value - self.value * other.deriv) / other.value ** 2)

    def __pow__(self, k):
        if not isinstance(k, (int, float)):
            raise TypeError(_("Dual ** k takes a plain number k."))
        return Dual(self.value ** k, k * self.value ** (k - 1) * self.deriv)

    def _apply(self, value, slope):   # f(a + a′ε) = f(a) + f′(a)·a′ε
        return Dual(value, slope * self.deriv)

    def exp(self):
        e = math.exp(self.value)
        return self._apply(e, e)

    def log(self):
        return self._apply(math.log(self.value), 1 / self.value)

    def sin(self):
        return self._apply(math.sin(self.value), math.cos(self.value))

    def cos(self):
        return self._apply(math.cos(self.value), -math.sin(self.value))

    def tanh(self):
        t = math.tanh(self.value)
        return self._apply(t, 1 - t * t)

    def __neg__(self):
        return Dual(-self.value, -self.deriv)

    def __sub__(self, other):
        return self + (-Dual._lift(other))

    def __radd__(self, other):
        return self + other

    def __rmul__(self, other):
        return self * other

    def __rsub__(self, other):
        return Dual._lift(other) - self

    def __rtruediv__(self, other):
        return Dual._lift(other) / self


def forward_derivative(f, x):
    """f′(x) of a one-variable f by forward mode: one pass with Dual(x, 1) (lesson 08)."""
    out = f(Dual(x, 1.0))
    return out.deriv if isinstance(out, Dual) else 0.0   # f did not depend on x


def forward_gradient(f, x):
    """∇f(x) by forward mode: one pass per input, seeding deriv = 1 on x_i alone (lesson 08).

    n inputs cost n passes, where reverse mode (reverse_gradient) needs one backward pass.
    """
    x = np.asarray(x, dtype=float)
    grad = np.empty(x.size)
    for i in range(x.size):
        duals = np.array([Dual(v, 1.0 if j == i else 0.0)
                          for j, v in enumerate(x.reshape(-1))], dtype=object)
        out = f(duals.reshape(x.shape))
        out = np.asarray(out, dtype=object).reshape(())[()]
        grad[i] = out.deriv if isinstance(out, Dual) else 0.0
    return grad.reshape(x.shape)


# --------------------------------------------------------------------------- Tensor


def _unbroadcast(grad, shape):
    """Sum grad down to shape: an input that NumPy broadcast got used once per copy."""
    while grad.ndim > len(shape):
        grad = grad.sum(axis=0)
    for axis, size in enumerate(shape):
        if size == 1 and grad.shape[axis] != 1:
            grad = grad.sum(axis=axis, keepdims=True)
    return grad


class Tensor:
    """A NumPy array that records how it was computed: reverse mode for arrays (lesson 08).

    The same design as Value, one node per array operation instead of per number, so a
    network's forward pass makes a handful of nodes and backward() costs about as much as it.
    .grad is 0 until backward() fills it with an array of .data's shape.
    """

    def __init__(self, data, children=(), op=""):
        # An input gets a private float64 copy (training never changes the caller's array);
        # an operation's result is a fresh array already.
        self.data = data if children else np.array(data, dtype=float)
        self.grad = 0.0   # backward() adds the gradient: then an array of data's shape
        self._children = tuple(children)
        self._op = op
        self._backward = lambda: None

    @property
    def shape(self):
        return self.data.shape

    def __repr__(self):
        return f"Tensor(shape={self.data.shape}, op={self._op!r})"

    @staticmethod
    def _lift(other):
        return other if isinstance(other, Tensor) else Tensor(other)

    def __add__(self, other):   # broadcasting: a bias of shape (H,) added to every row
        other = Tensor._lift(other)
        out = Tensor(self.data + other.data, (self, other), "+")

        def _backward():
            self.grad += _unbroadcast(out.grad, self.data.shape)
            other.grad += _unbroadcast(out.grad, other.data.shape)
        out._backward = _backward
        return out

    def __mul__(self, other):   # element by element
        other = Tensor._lift(other)
        out = Tensor(self.data * other.data, (self, other), "*")

        def _backward():
            self.grad += _unbroadcast(other.data * out.grad, self.data.shape)
            other.grad += _unbroadcast(self.data * out.grad, other.data.shape)
        out._backward = _backward
        return out

    def __matmul__(self, other):   # (N, D) @ (D, H): one layer for a whole batch
        other = Tensor._lift(other)
        out = Tensor(self.data @ other.data, (self, other), "@")

        def _backward():
            self.grad += out.grad @ other.data.T    # ∂L/∂A = ∂L/∂(AB) · Bᵀ
            other.grad += self.data.T @ out.grad    # ∂L/∂B = Aᵀ · ∂L/∂(AB)
        out._backward = _backward
        return out

    def __pow__(self, k):
        if not isinstance(k, (int, float)):
            raise TypeError(_("Tensor ** k takes a plain number k."))
        out = Tensor(self.data ** k, (self,), f"**{k:g}")

        def _backward():
            self.grad += k * self.data ** (k - 1) * out.grad
        out._backward = _backward
        return out

    def tanh(self):
        t = np.tanh(self.data)
        out = Tensor(t, (self,), "tanh")

        def _backward():
            self.grad += (1 - t * t) * out.grad
        out._backward = _backward
        return out

    def relu(self):
        out = Tensor(np.maximum(self.data, 0.0), (self,), "relu")

        def _backward():
            self.grad += (self.data > 0) * out.grad
        out._backward = _backward
        return out

    def exp(self):
        out = Tensor(np.exp(self.data), (self,), "exp")

        def _backward():
            self.grad += out.data * out.grad
        out._backward = _backward
        return out

    def log(self):
        out = Tensor(np.log(self.data), (self,), "log")

        def _backward():
            self.grad += out.grad / self.data
        out._backward = _backward
        return out

    def sum(self):
        out = Tensor(np.array(self.data.sum()), (self,), "sum")

        def _backward():
            self.grad += np.broadcast_to(out.grad, self.data.shape)   # each element: slope 1
        out._backward = _backward
        return out

    def mean(self):
        return self.sum() * (1.0 / self.data.size)

    def __neg__(self):
        return self * -1.0

    def __sub__(self, other):
        return self + (-Tensor._lift(other))

    def __truediv__(self, other):
        if isinstance(other, Tensor):
            return self * other ** -1
        return self * (1.0 / other)

    def __radd__(self, other):
        return self + other

    def __rmul__(self, other):
        return self * other

    def __rsub__(self, other):
        return Tensor._lift(other) - self

    def __rtruediv__(self, other):   # 1 / t
        return Tensor._lift(other) * self ** -1

    def backward(self):
        """Fill .grad of every Tensor this one (a single number, the loss) depends on."""
        if self.data.size != 1:
            raise ValueError(_("backward() starts from one number, the loss; this Tensor has "
                               "shape {shape}: reduce it first, e.g. .sum() or .mean().",
                               shape=self.data.shape))
        order = topological_order(self)
        for node in order:
            node.grad = 0.0   # += turns it into an array when the first gradient arrives
        self.grad = np.ones(self.data.shape)
        for node in reversed(order):
            node._backward()


def cross_entropy(logits, labels):
    """Mean softmax cross-entropy (교차 엔트로피 오차) of a batch, as one Tensor op (lesson 08).

    logits: Tensor (N, K) of scores; labels: N class indices. One fused operation, as in DLFS's
    SoftmaxWithLoss: its backward rule is simply (softmax − one_hot) / N.
    """
    labels = np.asarray(labels)
    z = logits.data - logits.data.max(axis=1, keepdims=True)   # avoids overflow in exp
    log_probs = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    rows = np.arange(len(labels))
    out = Tensor(np.array(-log_probs[rows, labels].mean()), (logits,), "cross_entropy")

    def _backward():
        dlogits = np.exp(log_probs)   # the softmax probabilities
        dlogits[rows, labels] -= 1
        logits.grad += dlogits * (out.grad / len(labels))
    out._backward = _backward
    return out


# --------------------------------------------------------------------------- the lesson's data


def spiral_data(points_per_class=100, classes=3, noise=0.2, seed=0):
    """A 2-D spiral data set, CS231n's, from a seeded generator: X (N, 2), labels y (lesson 08).

    Each class is one arm of a spiral; no straight line separates them, so the network needs
    its hidden layer.
    """
    rng = np.random.default_rng(seed)
    n = points_per_class
    X = np.empty((n * classes, 2))
    y = np.repeat(np.arange(classes), n)
    for k in range(classes):
        r = np.linspace(0.0, 1.0, n)                               # radius
        t = np.linspace(4.0 * k, 4.0 * (k + 1), n) + noise * rng.standard_normal(n)  # angle
        X[k * n:(k + 1) * n] = np.column_stack([r * np.sin(t), r * np.cos(t)])
    return X, y
