"""The toolkit's SymPy functions: the logistic sigmoid, its inverse the logit, and erfcx."""

from __future__ import annotations

from sympy import (
    Abs,
    Expr,
    Function,
    Heaviside,
    Max,
    S,
    erfc,
    exp,
    log,
    pi,
    sqrt,
    tanh,
)
from sympy.core.function import ArgumentIndexError

__all__ = ["erfcx", "logit", "sigmoid", "stable_sigmoid"]


def stable_sigmoid(z: Expr) -> Expr:
    """The sigmoid written so that no exponential can overflow.

    With e = exp(-|z|) <= 1, sigma(z) is 1/(1 + e) for z >= 0 and e/(1 + e)
    for z < 0; ``Max(e, Heaviside(z, 1))`` picks the numerator without a
    branch. The identity is verified in the ``stable-forms`` derivation.

    >>> from sympy import Symbol
    >>> stable_sigmoid(Symbol("z"))
    Max(exp(-Abs(z)), Heaviside(z, 1))/(1 + exp(-Abs(z)))
    """
    e = exp(-Abs(z))
    return Max(e, Heaviside(z, 1)) / (1 + e)


class sigmoid(Function):
    r"""The logistic sigmoid, sigma(z) = 1/(1 + e^-z).

    >>> from sympy import Symbol, diff, exp, oo, limit
    >>> z = Symbol("z", real=True)
    >>> sigmoid(0), limit(sigmoid(z), z, oo), limit(sigmoid(z), z, -oo)
    (1/2, 1, 0)
    >>> diff(sigmoid(z), z)
    (1 - sigmoid(z))*sigmoid(z)
    >>> sigmoid(z).rewrite(exp)
    1/(1 + exp(-z))
    >>> sigmoid(2).evalf(20)
    0.88079707797788244406
    """

    nargs = 1

    @classmethod
    def eval(cls, arg):
        if arg.is_zero:
            return S.Half
        if arg is S.Infinity:
            return S.One
        if arg is S.NegativeInfinity:
            return S.Zero
        if isinstance(arg, logit):
            return arg.args[0]
        return None

    def fdiff(self, argindex=1):
        if argindex != 1:
            raise ArgumentIndexError(self, argindex)
        return self * (1 - self)

    def inverse(self, argindex=1):
        return logit

    def _eval_rewrite_as_exp(self, arg, **kwargs):
        return 1 / (1 + exp(-arg))

    def _eval_rewrite_as_tanh(self, arg, **kwargs):
        return (1 + tanh(arg / 2)) / 2

    def _eval_is_extended_real(self):
        return self.args[0].is_extended_real

    def _eval_is_finite(self):
        if self.args[0].is_extended_real:
            return True
        return None

    def _eval_is_positive(self):
        if self.args[0].is_real:
            return True
        return None

    def _eval_is_nonnegative(self):
        if self.args[0].is_extended_real:
            return True
        return None

    def _eval_evalf(self, prec):
        return self.rewrite(exp)._eval_evalf(prec)

    def _eval_nseries(self, x, n, logx, cdir=0):
        return self.rewrite(exp)._eval_nseries(x, n, logx, cdir)

    def _eval_as_leading_term(self, x, logx, cdir):
        return self.rewrite(exp)._eval_as_leading_term(x, logx, cdir)

    def _latex(self, printer, exp=None):
        arg = printer._print(self.args[0])
        power = "" if exp is None else f"^{{{exp}}}"
        return rf"\sigma{power}\left({arg}\right)"

    def _numpycode(self, printer):
        # A plain lambdify of sigmoid(z) must not overflow: print the stable form. Both forms
        # are quotients, printed as a/b: parenthesized, so that y/sigmoid(z) stays y/(a/b).
        return f"({printer._print(stable_sigmoid(self.args[0]))})"

    def _mpmathcode(self, printer):
        return f"({printer._print(self.rewrite(exp))})"


class logit(Function):
    r"""The logit, the inverse of the sigmoid: logit(p) = ln(p/(1 - p)), the log-odds.

    >>> from sympy import Symbol, log, simplify
    >>> p = Symbol("p", positive=True)
    >>> logit(p).rewrite(log)
    log(p/(1 - p))
    >>> logit(sigmoid(p))
    p
    >>> logit(S.Half)
    0
    """

    nargs = 1

    @classmethod
    def eval(cls, arg):
        if arg == S.Half:
            return S.Zero
        if arg.is_zero:
            return S.NegativeInfinity
        if arg == S.One:
            return S.Infinity
        if isinstance(arg, sigmoid):
            return arg.args[0]
        return None

    def fdiff(self, argindex=1):
        if argindex != 1:
            raise ArgumentIndexError(self, argindex)
        p = self.args[0]
        return 1 / (p * (1 - p))

    def inverse(self, argindex=1):
        return sigmoid

    def _eval_rewrite_as_log(self, arg, **kwargs):
        return log(arg / (1 - arg))

    def _eval_evalf(self, prec):
        return self.rewrite(log)._eval_evalf(prec)

    def _eval_is_extended_real(self):
        p = self.args[0]
        if p.is_extended_real and (p > 0) == S.true and (p < 1) == S.true:
            return True
        return None

    def _latex(self, printer, exp=None):
        arg = printer._print(self.args[0])
        power = "" if exp is None else f"^{{{exp}}}"
        return rf"\operatorname{{logit}}{power}\left({arg}\right)"

    def _numpycode(self, printer):
        return printer._print(self.rewrite(log))

    def _mpmathcode(self, printer):
        return printer._print(self.rewrite(log))


class erfcx(Function):
    r"""The scaled complementary error function, erfcx(u) = e^{u^2} erfc(u).

    It tends to 0 like 1/(u sqrt(pi)) where erfc(u) underflows, so ln erfc(u) =
    ln erfcx(u) - u^2 stays finite. SymPy has no such function: ``doit`` writes
    out the definition, which is what the verifier sees.

    >>> from sympy import Rational, Symbol
    >>> u = Symbol("u", positive=True)
    >>> erfcx(u).doit()
    exp(u**2)*erfc(u)
    >>> erfcx(0), erfcx(Rational(1, 2)).evalf(15)
    (1, 0.615690344192926)
    """

    nargs = 1

    @classmethod
    def eval(cls, arg):
        if arg.is_zero:
            return S.One
        if arg is S.Infinity:
            return S.Zero
        return None

    def fdiff(self, argindex=1):
        if argindex != 1:
            raise ArgumentIndexError(self, argindex)
        return 2 * self.args[0] * self - 2 / sqrt(pi)

    def doit(self, **hints):
        u = self.args[0].doit(**hints) if hints.get("deep", True) else self.args[0]
        return exp(u**2) * erfc(u)

    def _eval_rewrite_as_erfc(self, arg, **kwargs):
        return exp(arg**2) * erfc(arg)

    def _eval_evalf(self, prec):
        return self.doit()._eval_evalf(prec)

    def _eval_is_positive(self):
        return True if self.args[0].is_extended_real else None

    def _latex(self, printer, exp=None):
        power = "" if exp is None else f"^{{{exp}}}"
        return rf"\operatorname{{erfcx}}{power}\left({printer._print(self.args[0])}\right)"
