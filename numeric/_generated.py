"""Kernels generated from the verified derivations. Do not edit: run ``python -m numeric.generate``.

Generated from ``derivations.catalog.kernel_specs()`` by numeric/generate.py;
tests/test_generated.py fails when this file differs from what that command writes.
``KERNELS`` maps each kernel's name to (block function, its fast form without the far tails
or None, float buffers, bool buffers, outputs, quiet, xp function or None, scalar function
or None); numeric._codegen runs them.
``PUBLIC`` maps each public kernel without a hand-written function to (argument names,
ranges, docstring); numeric._public makes it a NumPy function.
"""

import math

import numpy

from numeric._erfc import erfc as _f_erfc_nonnegative
from numeric._erfc import erfcx as _f_erfcx_nonnegative
from numeric._erfc import exp_minus_square as _f_exp_minus_square
from numeric._tails import mask as _tail_mask
from numeric._tails import param as _param
from numeric._tails import patch as _tail_patch


# sigmoid(z): e^z/(1 + e^z) where e^z is finite, the stable form (no exponential above 1) above z = 700; proven by stable-forms
def sigmoid_block_tail0(xp, a0):
    x1 = xp.where(a0 < 0.0, -a0, a0)
    x2 = -x1
    x3 = xp.exp(x2)
    x4 = xp.astype(a0 >= 0.0, a0.dtype)
    x5 = xp.where(x4 >= x3, x4, x3)
    x6 = (1.0) + x3
    x7 = x5 / x6
    return x7


def sigmoid_block(a0, out0, f0):
    x1 = _tail_mask(a0, 700.0)
    numpy.exp(a0, out=f0)
    numpy.add((1.0), f0, out=out0)
    numpy.divide(f0, out0, out=out0)
    _tail_patch(x1, out0, sigmoid_block_tail0, a0)


def sigmoid_block_fast(a0, out0, f0):
    numpy.exp(a0, out=f0)
    numpy.add((1.0), f0, out=out0)
    numpy.divide(f0, out0, out=out0)


def sigmoid_xp(xp, a0):
    x1 = xp.where(a0 < 0.0, -a0, a0)
    x2 = -x1
    x3 = xp.exp(x2)
    x4 = xp.astype(a0 >= 0.0, a0.dtype)
    x5 = xp.where(x4 >= x3, x4, x3)
    x6 = (1.0) + x3
    x7 = x5 / x6
    return x7


def sigmoid_scalar_tail0(a0):
    x1 = abs(a0)
    x2 = -x1
    x3 = math.exp(x2)
    x4 = 1.0 if a0 >= 0.0 else 0.0
    x5 = x3 if x3 >= x4 or x3 != x3 else x4
    x6 = (1.0) + x3
    x7 = x5 / x6
    return x7


def sigmoid_scalar(a0):
    x1 = math.exp(a0)
    x2 = (1.0) + x1
    x3 = x1 / x2
    x4 = sigmoid_scalar_tail0(a0) if a0 > 700.0 else x3
    return x4


# sigmoid_derivative(z): sigma(z) sigma(-z) as e^-z/(1 + e^-z)^2, with e^-|z| below z = -350: no cancellation in 1 - sigma, no overflow; proven by stable-forms
def sigmoid_derivative_block_tail0(xp, a0):
    x1 = xp.where(a0 < 0.0, -a0, a0)
    x2 = -x1
    x3 = xp.exp(x2)
    x4 = (1.0) + x3
    x5 = x4 * x4
    x6 = x3 / x5
    return x6


def sigmoid_derivative_block(a0, out0, f0):
    x1 = _tail_mask(a0, -350.0)
    numpy.negative(a0, out=f0)
    numpy.exp(f0, out=f0)
    numpy.add((1.0), f0, out=out0)
    numpy.multiply(out0, out0, out=out0)
    numpy.divide(f0, out0, out=out0)
    _tail_patch(x1, out0, sigmoid_derivative_block_tail0, a0)


def sigmoid_derivative_block_fast(a0, out0, f0):
    numpy.negative(a0, out=f0)
    numpy.exp(f0, out=f0)
    numpy.add((1.0), f0, out=out0)
    numpy.multiply(out0, out0, out=out0)
    numpy.divide(f0, out0, out=out0)


def sigmoid_derivative_xp(xp, a0):
    x1 = xp.where(a0 < 0.0, -a0, a0)
    x2 = -x1
    x3 = xp.exp(x2)
    x4 = (1.0) + x3
    x5 = x4 * x4
    x6 = x3 / x5
    return x6


def sigmoid_derivative_scalar_tail0(a0):
    x1 = abs(a0)
    x2 = -x1
    x3 = math.exp(x2)
    x4 = (1.0) + x3
    x5 = x4 * x4
    x6 = x3 / x5
    return x6


def sigmoid_derivative_scalar(a0):
    x1 = -a0
    x2 = math.exp(x1)
    x3 = (1.0) + x2
    x4 = x3 * x3
    x5 = x2 / x4
    x6 = sigmoid_derivative_scalar_tail0(a0) if a0 < -350.0 else x5
    return x6


# log_sigmoid(z): ln sigma(z) = -ln(1 + e^-z), split at z = 0; log1p keeps tiny terms; proven by stable-forms
def log_sigmoid_block(a0, out0, f0):
    numpy.minimum((0.0), a0, out=f0)
    numpy.absolute(a0, out=out0)
    numpy.negative(out0, out=out0)
    numpy.exp(out0, out=out0)
    numpy.log1p(out0, out=out0)
    numpy.subtract(f0, out0, out=out0)


def log_sigmoid_xp(xp, a0):
    x1 = xp.where((0.0) <= a0, (0.0), a0)
    x2 = xp.where(a0 < 0.0, -a0, a0)
    x3 = -x2
    x4 = xp.exp(x3)
    x5 = xp.log1p(x4)
    x6 = x1 - x5
    return x6


def log_sigmoid_scalar(a0):
    x1 = (0.0) if (0.0) <= a0 or (0.0) != (0.0) else a0
    x2 = abs(a0)
    x3 = -x2
    x4 = math.exp(x3)
    x5 = math.log1p(x4)
    x6 = x1 - x5
    return x6


# softplus(z): ln(1 + e^z) = max(z, 0) + ln(1 + e^-|z|): finite for any z; proven by stable-forms
def softplus_block(a0, out0, f0):
    numpy.maximum((0.0), a0, out=f0)
    numpy.absolute(a0, out=out0)
    numpy.negative(out0, out=out0)
    numpy.exp(out0, out=out0)
    numpy.log1p(out0, out=out0)
    numpy.add(f0, out0, out=out0)


def softplus_xp(xp, a0):
    x1 = xp.where((0.0) > a0, (0.0), a0)
    x2 = xp.where(a0 < 0.0, -a0, a0)
    x3 = -x2
    x4 = xp.exp(x3)
    x5 = xp.log1p(x4)
    x6 = x1 + x5
    return x6


def softplus_scalar(a0):
    x1 = (0.0) if (0.0) >= a0 or (0.0) != (0.0) else a0
    x2 = abs(a0)
    x3 = -x2
    x4 = math.exp(x3)
    x5 = math.log1p(x4)
    x6 = x1 + x5
    return x6


# logit(p): log1p near p = 1/2, where p/(1 - p) is close to 1; proven by stable-forms
def logit_block(a0, out0, f0, f1, b0):
    numpy.subtract((1.0), a0, out=f0)
    numpy.multiply(a0, (2.0), out=f1)
    numpy.subtract(f1, (1.0), out=f1)
    numpy.divide(f1, f0, out=f1)
    numpy.log1p(f1, out=f1)
    numpy.less(a0, (0.25), out=b0)
    numpy.divide(a0, f0, out=f0)
    numpy.log(f0, out=f0)
    x9 = numpy.where(b0, f0, f1)
    out0[...] = x9


def logit_xp(xp, a0):
    x1 = (1.0) - a0
    x2 = a0 * (2.0)
    x3 = x2 - (1.0)
    x4 = x3 / x1
    x5 = xp.log1p(x4)
    x6 = a0 < (0.25)
    x7 = a0 / x1
    x8 = xp.log(x7)
    x9 = xp.where(x6, x8, x5)
    return x9


def logit_scalar(a0):
    x1 = (1.0) - a0
    x2 = a0 * (2.0)
    x3 = x2 - (1.0)
    x4 = x3 / x1
    x5 = math.log1p(x4)
    x6 = a0 < (0.25)
    x7 = a0 / x1
    x8 = math.log(x7)
    x9 = x8 if x6 else x5
    return x9


# gaussian_posterior(x, mu_0, mu_1, s, pi_1): the sigmoid of the log-odds, never the ratio of two densities that underflow; proven by gaussian-posterior
def gaussian_posterior_block_tail0(xp, a0, a1, a2, a3, a4):
    x1 = a1 - a0
    x2 = a0 * (0.5)
    x3 = a4 - x2
    x4 = a1 * (0.5)
    x5 = x3 - x4
    x6 = x1 * x5
    x7 = a3 * a3
    x8 = x6 / x7
    x9 = (1.0) - a2
    x10 = a2 / x9
    x11 = xp.log(x10)
    x12 = x8 + x11
    x13 = xp.where(x12 < 0.0, -x12, x12)
    x14 = -x13
    x15 = xp.exp(x14)
    x16 = xp.astype(x12 >= 0.0, x12.dtype)
    x17 = xp.where(x16 >= x15, x16, x15)
    x18 = (1.0) + x15
    x19 = x17 / x18
    return x19


def gaussian_posterior_block(a0, a1, a2, a3, a4, out0, f0, f1):
    v1 = _param(numpy.subtract, f0, a2, a1)
    v2 = _param(numpy.multiply, out0, a1, (0.5))
    numpy.subtract(a0, v2, out=out0)
    v4 = _param(numpy.multiply, f1, a2, (0.5))
    numpy.subtract(out0, v4, out=out0)
    numpy.multiply(v1, out0, out=out0)
    v7 = _param(numpy.multiply, f0, a3, a3)
    numpy.divide(out0, v7, out=out0)
    v9 = _param(numpy.subtract, f0, (1.0), a4)
    v10 = _param(numpy.divide, f0, a4, v9)
    v11 = _param(numpy.log, f0, v10)
    numpy.add(out0, v11, out=out0)
    numpy.negative(out0, out=out0)
    x14 = _tail_mask(out0, 700.0)
    numpy.exp(out0, out=out0)
    numpy.add((1.0), out0, out=out0)
    numpy.divide((1.0), out0, out=out0)
    _tail_patch(x14, out0, gaussian_posterior_block_tail0, a1, a2, a4, a3, a0)


def gaussian_posterior_block_fast(a0, a1, a2, a3, a4, out0, f0, f1):
    v1 = _param(numpy.subtract, f0, a2, a1)
    v2 = _param(numpy.multiply, out0, a1, (0.5))
    numpy.subtract(a0, v2, out=out0)
    v4 = _param(numpy.multiply, f1, a2, (0.5))
    numpy.subtract(out0, v4, out=out0)
    numpy.multiply(v1, out0, out=out0)
    v7 = _param(numpy.multiply, f0, a3, a3)
    numpy.divide(out0, v7, out=out0)
    v9 = _param(numpy.subtract, f0, (1.0), a4)
    v10 = _param(numpy.divide, f0, a4, v9)
    v11 = _param(numpy.log, f0, v10)
    numpy.add(out0, v11, out=out0)
    numpy.negative(out0, out=out0)
    numpy.exp(out0, out=out0)
    numpy.add((1.0), out0, out=out0)
    numpy.divide((1.0), out0, out=out0)


def gaussian_posterior_xp(xp, a0, a1, a2, a3, a4):
    x1 = a2 - a1
    x2 = a1 * (0.5)
    x3 = a0 - x2
    x4 = a2 * (0.5)
    x5 = x3 - x4
    x6 = x1 * x5
    x7 = a3 * a3
    x8 = x6 / x7
    x9 = (1.0) - a4
    x10 = a4 / x9
    x11 = xp.log(x10)
    x12 = x8 + x11
    x13 = xp.where(x12 < 0.0, -x12, x12)
    x14 = -x13
    x15 = xp.exp(x14)
    x16 = xp.astype(x12 >= 0.0, x12.dtype)
    x17 = xp.where(x16 >= x15, x16, x15)
    x18 = (1.0) + x15
    x19 = x17 / x18
    return x19


def gaussian_posterior_scalar_tail0(a0, a1, a2, a3, a4):
    x1 = a1 - a0
    x2 = a0 * (0.5)
    x3 = a4 - x2
    x4 = a1 * (0.5)
    x5 = x3 - x4
    x6 = x1 * x5
    x7 = a3 * a3
    x8 = x6 / x7
    x9 = (1.0) - a2
    x10 = a2 / x9
    x11 = math.log(x10)
    x12 = x8 + x11
    x13 = abs(x12)
    x14 = -x13
    x15 = math.exp(x14)
    x16 = 1.0 if x12 >= 0.0 else 0.0
    x17 = x15 if x15 >= x16 or x15 != x15 else x16
    x18 = (1.0) + x15
    x19 = x17 / x18
    return x19


def gaussian_posterior_scalar(a0, a1, a2, a3, a4):
    x1 = a2 - a1
    x2 = a1 * (0.5)
    x3 = a0 - x2
    x4 = a2 * (0.5)
    x5 = x3 - x4
    x6 = x1 * x5
    x7 = a3 * a3
    x8 = x6 / x7
    x9 = (1.0) - a4
    x10 = a4 / x9
    x11 = math.log(x10)
    x12 = x8 + x11
    x13 = -x12
    x14 = math.exp(x13)
    x15 = (1.0) + x14
    x16 = (1.0) / x15
    x17 = gaussian_posterior_scalar_tail0(a1, a2, a4, a3, a0) if x13 > 700.0 else x16
    return x17


# gaussian_posterior_unequal_variance(x, mu_0, mu_1, s_0, s_1, pi_1): the sigmoid of the quadratic log-odds, never the ratio of two densities; proven by gaussian-posterior-unequal-variance
def gaussian_posterior_unequal_variance_block_tail0(xp, a0, a1, a2, a3, a4, a5):
    x1 = a3 * a3
    x2 = (1.0) / x1
    x3 = a4 * a4
    x4 = (1.0) / x3
    x5 = x4 * (0.5)
    x6 = a1 * x4
    x7 = a0 * x2
    x8 = x6 - x7
    x9 = a5 * x8
    x10 = a5 * a5
    x11 = x2 * (0.5)
    x12 = x11 - x5
    x13 = x10 * x12
    x14 = x9 + x13
    x15 = a0 * a0
    x16 = x15 * x2
    x17 = x16 * (0.5)
    x18 = x14 + x17
    x19 = (1.0) - a2
    x20 = a2 / x19
    x21 = xp.log(x20)
    x22 = x18 + x21
    x23 = a3 / a4
    x24 = xp.log(x23)
    x25 = x22 + x24
    x26 = a1 * a1
    x27 = x26 * x5
    x28 = x25 - x27
    x29 = xp.where(x28 < 0.0, -x28, x28)
    x30 = -x29
    x31 = xp.exp(x30)
    x32 = xp.astype(x28 >= 0.0, x28.dtype)
    x33 = xp.where(x32 >= x31, x32, x31)
    x34 = (1.0) + x31
    x35 = x33 / x34
    return x35


def gaussian_posterior_unequal_variance_block(a0, a1, a2, a3, a4, a5, out0, f0, f1, f2, f3):
    v1 = _param(numpy.multiply, f0, a3, a3)
    v2 = _param(numpy.divide, f0, (1.0), v1)
    v3 = _param(numpy.multiply, out0, a4, a4)
    v4 = _param(numpy.divide, out0, (1.0), v3)
    v5 = _param(numpy.multiply, f1, v4, (0.5))
    v6 = _param(numpy.multiply, out0, a2, v4)
    v7 = _param(numpy.multiply, f2, a1, v2)
    v8 = _param(numpy.subtract, out0, v6, v7)
    numpy.multiply(a0, v8, out=out0)
    numpy.multiply(a0, a0, out=f2)
    v11 = _param(numpy.multiply, f3, v2, (0.5))
    v12 = _param(numpy.subtract, f3, v11, v5)
    numpy.multiply(f2, v12, out=f3)
    numpy.add(out0, f3, out=out0)
    v15 = _param(numpy.multiply, f3, a1, a1)
    v16 = _param(numpy.multiply, f0, v15, v2)
    v17 = _param(numpy.multiply, f0, v16, (0.5))
    numpy.add(out0, v17, out=out0)
    v19 = _param(numpy.subtract, f0, (1.0), a5)
    v20 = _param(numpy.divide, f0, a5, v19)
    v21 = _param(numpy.log, f0, v20)
    numpy.add(out0, v21, out=out0)
    v23 = _param(numpy.divide, f0, a3, a4)
    v24 = _param(numpy.log, f0, v23)
    numpy.add(out0, v24, out=out0)
    v26 = _param(numpy.multiply, f0, a2, a2)
    v27 = _param(numpy.multiply, f1, v26, v5)
    numpy.subtract(out0, v27, out=out0)
    numpy.negative(out0, out=out0)
    x30 = _tail_mask(out0, 700.0)
    numpy.exp(out0, out=out0)
    numpy.add((1.0), out0, out=out0)
    numpy.divide((1.0), out0, out=out0)
    _tail_patch(x30, out0, gaussian_posterior_unequal_variance_block_tail0, a1, a2, a5, a3, a4, a0)


def gaussian_posterior_unequal_variance_block_fast(a0, a1, a2, a3, a4, a5, out0, f0, f1, f2, f3):
    v1 = _param(numpy.multiply, f0, a3, a3)
    v2 = _param(numpy.divide, f0, (1.0), v1)
    v3 = _param(numpy.multiply, out0, a4, a4)
    v4 = _param(numpy.divide, out0, (1.0), v3)
    v5 = _param(numpy.multiply, f1, v4, (0.5))
    v6 = _param(numpy.multiply, out0, a2, v4)
    v7 = _param(numpy.multiply, f2, a1, v2)
    v8 = _param(numpy.subtract, out0, v6, v7)
    numpy.multiply(a0, v8, out=out0)
    numpy.multiply(a0, a0, out=f2)
    v11 = _param(numpy.multiply, f3, v2, (0.5))
    v12 = _param(numpy.subtract, f3, v11, v5)
    numpy.multiply(f2, v12, out=f3)
    numpy.add(out0, f3, out=out0)
    v15 = _param(numpy.multiply, f3, a1, a1)
    v16 = _param(numpy.multiply, f0, v15, v2)
    v17 = _param(numpy.multiply, f0, v16, (0.5))
    numpy.add(out0, v17, out=out0)
    v19 = _param(numpy.subtract, f0, (1.0), a5)
    v20 = _param(numpy.divide, f0, a5, v19)
    v21 = _param(numpy.log, f0, v20)
    numpy.add(out0, v21, out=out0)
    v23 = _param(numpy.divide, f0, a3, a4)
    v24 = _param(numpy.log, f0, v23)
    numpy.add(out0, v24, out=out0)
    v26 = _param(numpy.multiply, f0, a2, a2)
    v27 = _param(numpy.multiply, f1, v26, v5)
    numpy.subtract(out0, v27, out=out0)
    numpy.negative(out0, out=out0)
    numpy.exp(out0, out=out0)
    numpy.add((1.0), out0, out=out0)
    numpy.divide((1.0), out0, out=out0)


def gaussian_posterior_unequal_variance_xp(xp, a0, a1, a2, a3, a4, a5):
    x1 = a3 * a3
    x2 = (1.0) / x1
    x3 = a4 * a4
    x4 = (1.0) / x3
    x5 = x4 * (0.5)
    x6 = a2 * x4
    x7 = a1 * x2
    x8 = x6 - x7
    x9 = a0 * x8
    x10 = a0 * a0
    x11 = x2 * (0.5)
    x12 = x11 - x5
    x13 = x10 * x12
    x14 = x9 + x13
    x15 = a1 * a1
    x16 = x15 * x2
    x17 = x16 * (0.5)
    x18 = x14 + x17
    x19 = (1.0) - a5
    x20 = a5 / x19
    x21 = xp.log(x20)
    x22 = x18 + x21
    x23 = a3 / a4
    x24 = xp.log(x23)
    x25 = x22 + x24
    x26 = a2 * a2
    x27 = x26 * x5
    x28 = x25 - x27
    x29 = xp.where(x28 < 0.0, -x28, x28)
    x30 = -x29
    x31 = xp.exp(x30)
    x32 = xp.astype(x28 >= 0.0, x28.dtype)
    x33 = xp.where(x32 >= x31, x32, x31)
    x34 = (1.0) + x31
    x35 = x33 / x34
    return x35


def gaussian_posterior_unequal_variance_scalar_tail0(a0, a1, a2, a3, a4, a5):
    x1 = a3 * a3
    x2 = (1.0) / x1
    x3 = a4 * a4
    x4 = (1.0) / x3
    x5 = x4 * (0.5)
    x6 = a1 * x4
    x7 = a0 * x2
    x8 = x6 - x7
    x9 = a5 * x8
    x10 = a5 * a5
    x11 = x2 * (0.5)
    x12 = x11 - x5
    x13 = x10 * x12
    x14 = x9 + x13
    x15 = a0 * a0
    x16 = x15 * x2
    x17 = x16 * (0.5)
    x18 = x14 + x17
    x19 = (1.0) - a2
    x20 = a2 / x19
    x21 = math.log(x20)
    x22 = x18 + x21
    x23 = a3 / a4
    x24 = math.log(x23)
    x25 = x22 + x24
    x26 = a1 * a1
    x27 = x26 * x5
    x28 = x25 - x27
    x29 = abs(x28)
    x30 = -x29
    x31 = math.exp(x30)
    x32 = 1.0 if x28 >= 0.0 else 0.0
    x33 = x31 if x31 >= x32 or x31 != x31 else x32
    x34 = (1.0) + x31
    x35 = x33 / x34
    return x35


def gaussian_posterior_unequal_variance_scalar(a0, a1, a2, a3, a4, a5):
    x1 = a3 * a3
    x2 = (1.0) / x1
    x3 = a4 * a4
    x4 = (1.0) / x3
    x5 = x4 * (0.5)
    x6 = a2 * x4
    x7 = a1 * x2
    x8 = x6 - x7
    x9 = a0 * x8
    x10 = a0 * a0
    x11 = x2 * (0.5)
    x12 = x11 - x5
    x13 = x10 * x12
    x14 = x9 + x13
    x15 = a1 * a1
    x16 = x15 * x2
    x17 = x16 * (0.5)
    x18 = x14 + x17
    x19 = (1.0) - a5
    x20 = a5 / x19
    x21 = math.log(x20)
    x22 = x18 + x21
    x23 = a3 / a4
    x24 = math.log(x23)
    x25 = x22 + x24
    x26 = a2 * a2
    x27 = x26 * x5
    x28 = x25 - x27
    x29 = -x28
    x30 = math.exp(x29)
    x31 = (1.0) + x30
    x32 = (1.0) / x31
    x33 = gaussian_posterior_unequal_variance_scalar_tail0(a1, a2, a5, a3, a4, a0) if x29 > 700.0 else x32
    return x33


# mse_loss(a, y): halved before squaring; proven by loss-stable-forms
def mse_loss_block(a0, a1, out0, f0):
    numpy.subtract(a0, a1, out=f0)
    numpy.multiply(f0, (0.5), out=out0)
    numpy.multiply(f0, out0, out=out0)


def mse_loss_xp(xp, a0, a1):
    x1 = a0 - a1
    x2 = x1 * (0.5)
    x3 = x1 * x2
    return x3


def mse_loss_scalar(a0, a1):
    x1 = a0 - a1
    x2 = x1 * (0.5)
    x3 = x1 * x2
    return x3


# bce_loss(a, y): 0 ln 0 = 0; log1p(-a) for ln(1 - a); proven by loss-stable-forms
def bce_loss_block(a0, a1, out0, f0, f1, b0):
    v1 = _param(numpy.subtract, f0, (1.0), a1)
    v2 = _param(numpy.negative, out0, a1)
    numpy.log(a0, out=f1)
    numpy.multiply(v2, f1, out=out0)
    numpy.equal(a1, (0.0), out=b0)
    x6 = numpy.where(b0, (0.0), out0)
    numpy.negative(a0, out=out0)
    numpy.log1p(out0, out=out0)
    numpy.multiply(v1, out0, out=out0)
    numpy.negative(out0, out=out0)
    numpy.equal(v1, (0.0), out=b0)
    x12 = numpy.where(b0, (0.0), out0)
    numpy.add(x6, x12, out=out0)


def bce_loss_xp(xp, a0, a1):
    x1 = (1.0) - a1
    x2 = -a1
    x3 = xp.log(a0)
    x4 = x2 * x3
    x5 = a1 == (0.0)
    x6 = xp.where(x5, (0.0), x4)
    x7 = -a0
    x8 = xp.log1p(x7)
    x9 = x1 * x8
    x10 = -x9
    x11 = x1 == (0.0)
    x12 = xp.where(x11, (0.0), x10)
    x13 = x6 + x12
    return x13


def bce_loss_scalar(a0, a1):
    x1 = (1.0) - a1
    x2 = -a1
    x3 = math.log(a0)
    x4 = x2 * x3
    x5 = a1 == (0.0)
    x6 = (0.0) if x5 else x4
    x7 = -a0
    x8 = math.log1p(x7)
    x9 = x1 * x8
    x10 = -x9
    x11 = x1 == (0.0)
    x12 = (0.0) if x11 else x10
    x13 = x6 + x12
    return x13


# bce_with_logits(z, y): three terms that are never negative: nothing cancels, e^-|z| never overflows; proven by loss-stable-forms
def bce_with_logits_block(a0, a1, out0, f0, f1):
    numpy.absolute(a0, out=f0)
    numpy.negative(f0, out=f0)
    numpy.exp(f0, out=f0)
    numpy.log1p(f0, out=f0)
    v5 = _param(numpy.subtract, out0, (1.0), a1)
    numpy.maximum((0.0), a0, out=f1)
    numpy.multiply(v5, f1, out=out0)
    numpy.add(f0, out0, out=out0)
    numpy.negative(a0, out=f0)
    numpy.maximum((0.0), f0, out=f0)
    numpy.multiply(a1, f0, out=f0)
    numpy.add(out0, f0, out=out0)


def bce_with_logits_xp(xp, a0, a1):
    x1 = xp.where(a0 < 0.0, -a0, a0)
    x2 = -x1
    x3 = xp.exp(x2)
    x4 = xp.log1p(x3)
    x5 = (1.0) - a1
    x6 = xp.where((0.0) > a0, (0.0), a0)
    x7 = x5 * x6
    x8 = x4 + x7
    x9 = -a0
    x10 = xp.where((0.0) >= x9, (0.0), x9)
    x11 = a1 * x10
    x12 = x8 + x11
    return x12


def bce_with_logits_scalar(a0, a1):
    x1 = abs(a0)
    x2 = -x1
    x3 = math.exp(x2)
    x4 = math.log1p(x3)
    x5 = (1.0) - a1
    x6 = (0.0) if (0.0) >= a0 or (0.0) != (0.0) else a0
    x7 = x5 * x6
    x8 = x4 + x7
    x9 = -a0
    x10 = (0.0) if (0.0) >= x9 or (0.0) != (0.0) else x9
    x11 = a1 * x10
    x12 = x8 + x11
    return x12


# bce_residual(z, y): no cancellation: sigma(-z) for 1 - sigma(z), one exponential (e^-z; e^-|z| in the far tail); proven by loss-stable-forms
def bce_residual_block_tail0(xp, a0, a1):
    x1 = xp.where(a1 < 0.0, -a1, a1)
    x2 = -x1
    x3 = xp.exp(x2)
    x4 = xp.astype(a1 >= 0.0, a1.dtype)
    x5 = xp.where(x4 >= x3, x4, x3)
    x6 = x5 - a0
    x7 = a0 * x3
    x8 = x6 - x7
    x9 = (1.0) + x3
    x10 = x8 / x9
    return x10


def bce_residual_block(a0, a1, out0, f0, f1):
    x1 = _tail_mask(a0, -700.0)
    numpy.negative(a0, out=f0)
    numpy.exp(f0, out=f0)
    v4 = _param(numpy.subtract, out0, (1.0), a1)
    numpy.multiply(a1, f0, out=f1)
    numpy.subtract(v4, f1, out=out0)
    numpy.add((1.0), f0, out=f0)
    numpy.divide(out0, f0, out=out0)
    _tail_patch(x1, out0, bce_residual_block_tail0, a1, a0)


def bce_residual_block_fast(a0, a1, out0, f0, f1):
    numpy.negative(a0, out=f0)
    numpy.exp(f0, out=f0)
    v4 = _param(numpy.subtract, out0, (1.0), a1)
    numpy.multiply(a1, f0, out=f1)
    numpy.subtract(v4, f1, out=out0)
    numpy.add((1.0), f0, out=f0)
    numpy.divide(out0, f0, out=out0)


def bce_residual_xp(xp, a0, a1):
    x1 = xp.where(a0 < 0.0, -a0, a0)
    x2 = -x1
    x3 = xp.exp(x2)
    x4 = xp.astype(a0 >= 0.0, a0.dtype)
    x5 = xp.where(x4 >= x3, x4, x3)
    x6 = x5 - a1
    x7 = a1 * x3
    x8 = x6 - x7
    x9 = (1.0) + x3
    x10 = x8 / x9
    return x10


def bce_residual_scalar_tail0(a0, a1):
    x1 = abs(a1)
    x2 = -x1
    x3 = math.exp(x2)
    x4 = 1.0 if a1 >= 0.0 else 0.0
    x5 = x3 if x3 >= x4 or x3 != x3 else x4
    x6 = x5 - a0
    x7 = a0 * x3
    x8 = x6 - x7
    x9 = (1.0) + x3
    x10 = x8 / x9
    return x10


def bce_residual_scalar(a0, a1):
    x1 = -a0
    x2 = math.exp(x1)
    x3 = (1.0) - a1
    x4 = a1 * x2
    x5 = x3 - x4
    x6 = (1.0) + x2
    x7 = x5 / x6
    x8 = bce_residual_scalar_tail0(a1, a0) if a0 < -700.0 else x7
    return x8


# mse_residual(z, y): no cancellation: sigma(-z) for 1 - sigma(z), one exponential (e^-z; e^-|z| in the far tail); proven by loss-stable-forms
def mse_residual_block_tail0(xp, a0, a1):
    x1 = xp.where(a1 < 0.0, -a1, a1)
    x2 = -x1
    x3 = xp.exp(x2)
    x4 = xp.astype(a1 >= 0.0, a1.dtype)
    x5 = xp.where(x4 >= x3, x4, x3)
    x6 = x5 - a0
    x7 = a0 * x3
    x8 = x6 - x7
    x9 = x3 * x8
    x10 = (1.0) + x3
    x11 = x10 * x10
    x12 = x11 * x10
    x13 = x9 / x12
    return x13


def mse_residual_block(a0, a1, out0, f0, f1, f2):
    x1 = _tail_mask(a0, -700.0)
    numpy.negative(a0, out=f0)
    numpy.exp(f0, out=f0)
    numpy.add((1.0), f0, out=out0)
    numpy.divide(f0, out0, out=f0)
    v6 = _param(numpy.subtract, f1, (1.0), a1)
    numpy.divide(v6, out0, out=f1)
    numpy.multiply(a1, f0, out=f2)
    numpy.subtract(f1, f2, out=f2)
    numpy.multiply(f0, f2, out=f2)
    numpy.divide(f2, out0, out=out0)
    _tail_patch(x1, out0, mse_residual_block_tail0, a1, a0)


def mse_residual_block_fast(a0, a1, out0, f0, f1, f2):
    numpy.negative(a0, out=f0)
    numpy.exp(f0, out=f0)
    numpy.add((1.0), f0, out=out0)
    numpy.divide(f0, out0, out=f0)
    v6 = _param(numpy.subtract, f1, (1.0), a1)
    numpy.divide(v6, out0, out=f1)
    numpy.multiply(a1, f0, out=f2)
    numpy.subtract(f1, f2, out=f2)
    numpy.multiply(f0, f2, out=f2)
    numpy.divide(f2, out0, out=out0)


def mse_residual_xp(xp, a0, a1):
    x1 = xp.where(a0 < 0.0, -a0, a0)
    x2 = -x1
    x3 = xp.exp(x2)
    x4 = xp.astype(a0 >= 0.0, a0.dtype)
    x5 = xp.where(x4 >= x3, x4, x3)
    x6 = x5 - a1
    x7 = a1 * x3
    x8 = x6 - x7
    x9 = x3 * x8
    x10 = (1.0) + x3
    x11 = x10 * x10
    x12 = x11 * x10
    x13 = x9 / x12
    return x13


def mse_residual_scalar_tail0(a0, a1):
    x1 = abs(a1)
    x2 = -x1
    x3 = math.exp(x2)
    x4 = 1.0 if a1 >= 0.0 else 0.0
    x5 = x3 if x3 >= x4 or x3 != x3 else x4
    x6 = x5 - a0
    x7 = a0 * x3
    x8 = x6 - x7
    x9 = x3 * x8
    x10 = (1.0) + x3
    x11 = x10 * x10
    x12 = x11 * x10
    x13 = x9 / x12
    return x13


def mse_residual_scalar(a0, a1):
    x1 = -a0
    x2 = math.exp(x1)
    x3 = (1.0) + x2
    x4 = x2 / x3
    x5 = (1.0) - a1
    x6 = x5 / x3
    x7 = a1 * x4
    x8 = x6 - x7
    x9 = x4 * x8
    x10 = x9 / x3
    x11 = mse_residual_scalar_tail0(a1, a0) if a0 < -700.0 else x10
    return x11


# bce_gradient(x, y, w, b): no cancellation: sigma(-z) for 1 - sigma(z), one exponential (e^-z; e^-|z| in the far tail); proven by loss-stable-forms
def bce_gradient_block_tail0(xp, a0, a1, a2, a3):
    x1 = a1 * a2
    x2 = a0 + x1
    x3 = xp.where(x2 < 0.0, -x2, x2)
    x4 = -x3
    x5 = xp.exp(x4)
    x6 = xp.astype(x2 >= 0.0, x2.dtype)
    x7 = xp.where(x6 >= x5, x6, x5)
    x8 = x7 - a3
    x9 = a3 * x5
    x10 = x8 - x9
    x11 = (1.0) + x5
    x12 = x10 / x11
    return x12


def bce_gradient_block(a0, a1, a2, a3, out0, out1, f0):
    v1 = _param(numpy.negative, f0, a3)
    numpy.multiply(a2, a0, out=out1)
    numpy.subtract(v1, out1, out=out1)
    x4 = _tail_mask(out1, 700.0)
    numpy.exp(out1, out=out1)
    v6 = _param(numpy.subtract, out0, (1.0), a1)
    numpy.multiply(a1, out1, out=f0)
    numpy.subtract(v6, f0, out=out0)
    numpy.add((1.0), out1, out=out1)
    numpy.divide(out0, out1, out=out1)
    _tail_patch(x4, out1, bce_gradient_block_tail0, a3, a2, a0, a1)
    numpy.multiply(a0, out1, out=out0)


def bce_gradient_block_fast(a0, a1, a2, a3, out0, out1, f0):
    v1 = _param(numpy.negative, f0, a3)
    numpy.multiply(a2, a0, out=out1)
    numpy.subtract(v1, out1, out=out1)
    numpy.exp(out1, out=out1)
    v6 = _param(numpy.subtract, out0, (1.0), a1)
    numpy.multiply(a1, out1, out=f0)
    numpy.subtract(v6, f0, out=out0)
    numpy.add((1.0), out1, out=out1)
    numpy.divide(out0, out1, out=out1)
    numpy.multiply(a0, out1, out=out0)


def bce_gradient_xp(xp, a0, a1, a2, a3):
    x1 = a2 * a0
    x2 = a3 + x1
    x3 = xp.where(x2 < 0.0, -x2, x2)
    x4 = -x3
    x5 = xp.exp(x4)
    x6 = xp.astype(x2 >= 0.0, x2.dtype)
    x7 = xp.where(x6 >= x5, x6, x5)
    x8 = x7 - a1
    x9 = a1 * x5
    x10 = x8 - x9
    x11 = (1.0) + x5
    x12 = x10 / x11
    x13 = a0 * x12
    return x13, x12


def bce_gradient_scalar_tail0(a0, a1, a2, a3):
    x1 = a1 * a2
    x2 = a0 + x1
    x3 = abs(x2)
    x4 = -x3
    x5 = math.exp(x4)
    x6 = 1.0 if x2 >= 0.0 else 0.0
    x7 = x5 if x5 >= x6 or x5 != x5 else x6
    x8 = x7 - a3
    x9 = a3 * x5
    x10 = x8 - x9
    x11 = (1.0) + x5
    x12 = x10 / x11
    return x12


def bce_gradient_scalar(a0, a1, a2, a3):
    x1 = -a3
    x2 = a2 * a0
    x3 = x1 - x2
    x4 = math.exp(x3)
    x5 = (1.0) - a1
    x6 = a1 * x4
    x7 = x5 - x6
    x8 = (1.0) + x4
    x9 = x7 / x8
    x10 = bce_gradient_scalar_tail0(a3, a2, a0, a1) if x3 > 700.0 else x9
    x11 = a0 * x10
    return x11, x10


# mse_gradient(x, y, w, b): no cancellation: sigma(-z) for 1 - sigma(z), one exponential (e^-z; e^-|z| in the far tail); proven by loss-stable-forms
def mse_gradient_block_tail0(xp, a0, a1, a2, a3):
    x1 = a1 * a2
    x2 = a0 + x1
    x3 = xp.where(x2 < 0.0, -x2, x2)
    x4 = -x3
    x5 = xp.exp(x4)
    x6 = xp.astype(x2 >= 0.0, x2.dtype)
    x7 = xp.where(x6 >= x5, x6, x5)
    x8 = x7 - a3
    x9 = a3 * x5
    x10 = x8 - x9
    x11 = x5 * x10
    x12 = (1.0) + x5
    x13 = x12 * x12
    x14 = x13 * x12
    x15 = x11 / x14
    return x15


def mse_gradient_block(a0, a1, a2, a3, out0, out1, f0, f1):
    v1 = _param(numpy.negative, f0, a3)
    numpy.multiply(a2, a0, out=out1)
    numpy.subtract(v1, out1, out=out1)
    x4 = _tail_mask(out1, 700.0)
    numpy.exp(out1, out=out1)
    numpy.add((1.0), out1, out=out0)
    numpy.divide(out1, out0, out=out1)
    v8 = _param(numpy.subtract, f0, (1.0), a1)
    numpy.divide(v8, out0, out=f0)
    numpy.multiply(a1, out1, out=f1)
    numpy.subtract(f0, f1, out=f1)
    numpy.multiply(out1, f1, out=out1)
    numpy.divide(out1, out0, out=out1)
    _tail_patch(x4, out1, mse_gradient_block_tail0, a3, a2, a0, a1)
    numpy.multiply(a0, out1, out=out0)


def mse_gradient_block_fast(a0, a1, a2, a3, out0, out1, f0, f1):
    v1 = _param(numpy.negative, f0, a3)
    numpy.multiply(a2, a0, out=out1)
    numpy.subtract(v1, out1, out=out1)
    numpy.exp(out1, out=out1)
    numpy.add((1.0), out1, out=out0)
    numpy.divide(out1, out0, out=out1)
    v8 = _param(numpy.subtract, f0, (1.0), a1)
    numpy.divide(v8, out0, out=f0)
    numpy.multiply(a1, out1, out=f1)
    numpy.subtract(f0, f1, out=f1)
    numpy.multiply(out1, f1, out=out1)
    numpy.divide(out1, out0, out=out1)
    numpy.multiply(a0, out1, out=out0)


def mse_gradient_xp(xp, a0, a1, a2, a3):
    x1 = a2 * a0
    x2 = a3 + x1
    x3 = xp.where(x2 < 0.0, -x2, x2)
    x4 = -x3
    x5 = xp.exp(x4)
    x6 = xp.astype(x2 >= 0.0, x2.dtype)
    x7 = xp.where(x6 >= x5, x6, x5)
    x8 = x7 - a1
    x9 = a1 * x5
    x10 = x8 - x9
    x11 = x5 * x10
    x12 = (1.0) + x5
    x13 = x12 * x12
    x14 = x13 * x12
    x15 = x11 / x14
    x16 = a0 * x15
    return x16, x15


def mse_gradient_scalar_tail0(a0, a1, a2, a3):
    x1 = a1 * a2
    x2 = a0 + x1
    x3 = abs(x2)
    x4 = -x3
    x5 = math.exp(x4)
    x6 = 1.0 if x2 >= 0.0 else 0.0
    x7 = x5 if x5 >= x6 or x5 != x5 else x6
    x8 = x7 - a3
    x9 = a3 * x5
    x10 = x8 - x9
    x11 = x5 * x10
    x12 = (1.0) + x5
    x13 = x12 * x12
    x14 = x13 * x12
    x15 = x11 / x14
    return x15


def mse_gradient_scalar(a0, a1, a2, a3):
    x1 = -a3
    x2 = a2 * a0
    x3 = x1 - x2
    x4 = math.exp(x3)
    x5 = (1.0) + x4
    x6 = x4 / x5
    x7 = (1.0) - a1
    x8 = x7 / x5
    x9 = a1 * x6
    x10 = x8 - x9
    x11 = x6 * x10
    x12 = x11 / x5
    x13 = mse_gradient_scalar_tail0(a3, a2, a0, a1) if x3 > 700.0 else x12
    x14 = a0 * x13
    return x14, x13


# logistic_p(x): the logistic curve's p: the small side computed directly, in t = |x|; proven by squashing-functions
def logistic_p_block_tail0(xp, a0):
    x1 = xp.where(a0 < 0.0, -a0, a0)
    x2 = -x1
    x3 = xp.exp(x2)
    x4 = xp.astype(a0 >= 0.0, a0.dtype)
    x5 = xp.where(x4 >= x3, x4, x3)
    x6 = (1.0) + x3
    x7 = x5 / x6
    return x7


def logistic_p_block(a0, out0, f0):
    numpy.negative(a0, out=f0)
    x2 = _tail_mask(f0, 700.0)
    numpy.exp(f0, out=f0)
    numpy.add((1.0), f0, out=f0)
    numpy.divide((1.0), f0, out=out0)
    _tail_patch(x2, out0, logistic_p_block_tail0, a0)


def logistic_p_block_fast(a0, out0, f0):
    numpy.negative(a0, out=f0)
    numpy.exp(f0, out=f0)
    numpy.add((1.0), f0, out=f0)
    numpy.divide((1.0), f0, out=out0)


def logistic_p_xp(xp, a0):
    x1 = xp.where(a0 < 0.0, -a0, a0)
    x2 = -x1
    x3 = xp.exp(x2)
    x4 = xp.astype(a0 >= 0.0, a0.dtype)
    x5 = xp.where(x4 >= x3, x4, x3)
    x6 = (1.0) + x3
    x7 = x5 / x6
    return x7


def logistic_p_scalar_tail0(a0):
    x1 = abs(a0)
    x2 = -x1
    x3 = math.exp(x2)
    x4 = 1.0 if a0 >= 0.0 else 0.0
    x5 = x3 if x3 >= x4 or x3 != x3 else x4
    x6 = (1.0) + x3
    x7 = x5 / x6
    return x7


def logistic_p_scalar(a0):
    x1 = -a0
    x2 = math.exp(x1)
    x3 = (1.0) + x2
    x4 = (1.0) / x3
    x5 = logistic_p_scalar_tail0(a0) if x1 > 700.0 else x4
    return x5


# logistic_loss(x): the logistic curve's loss: the small side computed directly, in t = |x|; proven by squashing-functions
def logistic_loss_block(a0, out0, f0):
    numpy.absolute(a0, out=f0)
    numpy.negative(f0, out=f0)
    numpy.exp(f0, out=f0)
    numpy.log1p(f0, out=f0)
    numpy.minimum((0.0), a0, out=out0)
    numpy.subtract(f0, out0, out=out0)


def logistic_loss_xp(xp, a0):
    x1 = xp.where(a0 < 0.0, -a0, a0)
    x2 = -x1
    x3 = xp.exp(x2)
    x4 = xp.log1p(x3)
    x5 = xp.where((0.0) <= a0, (0.0), a0)
    x6 = x4 - x5
    return x6


def logistic_loss_scalar(a0):
    x1 = abs(a0)
    x2 = -x1
    x3 = math.exp(x2)
    x4 = math.log1p(x3)
    x5 = (0.0) if (0.0) <= a0 or (0.0) != (0.0) else a0
    x6 = x4 - x5
    return x6


# logistic_slope(x): the logistic curve's slope: the small side computed directly, in t = |x|; proven by squashing-functions
def logistic_slope_block_tail0(xp, a0):
    x1 = -a0
    x2 = xp.where(x1 < 0.0, -x1, x1)
    x3 = -x2
    x4 = xp.exp(x3)
    x5 = xp.astype(x1 >= 0.0, x1.dtype)
    x6 = xp.where(x5 >= x4, x5, x4)
    x7 = (1.0) + x4
    x8 = x6 / x7
    return x8


def logistic_slope_block(a0, out0, f0):
    numpy.negative(a0, out=f0)
    numpy.negative(f0, out=f0)
    x3 = _tail_mask(f0, 700.0)
    numpy.exp(f0, out=f0)
    numpy.add((1.0), f0, out=f0)
    numpy.divide((1.0), f0, out=f0)
    _tail_patch(x3, f0, logistic_slope_block_tail0, a0)
    numpy.negative(f0, out=out0)


def logistic_slope_block_fast(a0, out0, f0):
    numpy.negative(a0, out=f0)
    numpy.negative(f0, out=f0)
    numpy.exp(f0, out=f0)
    numpy.add((1.0), f0, out=f0)
    numpy.divide((1.0), f0, out=f0)
    numpy.negative(f0, out=out0)


def logistic_slope_xp(xp, a0):
    x1 = -a0
    x2 = xp.where(x1 < 0.0, -x1, x1)
    x3 = -x2
    x4 = xp.exp(x3)
    x5 = xp.astype(x1 >= 0.0, x1.dtype)
    x6 = xp.where(x5 >= x4, x5, x4)
    x7 = (1.0) + x4
    x8 = x6 / x7
    x9 = -x8
    return x9


def logistic_slope_scalar_tail0(a0):
    x1 = -a0
    x2 = abs(x1)
    x3 = -x2
    x4 = math.exp(x3)
    x5 = 1.0 if x1 >= 0.0 else 0.0
    x6 = x4 if x4 >= x5 or x4 != x4 else x5
    x7 = (1.0) + x4
    x8 = x6 / x7
    return x8


def logistic_slope_scalar(a0):
    x1 = -a0
    x2 = -x1
    x3 = math.exp(x2)
    x4 = (1.0) + x3
    x5 = (1.0) / x4
    x6 = logistic_slope_scalar_tail0(a0) if x2 > 700.0 else x5
    x7 = -x6
    return x7


# tanh_p(x): the tanh curve's p: the small side computed directly, in t = |x|; proven by squashing-functions
def tanh_p_block_tail0(xp, a0):
    x1 = a0 * (2.0)
    x2 = xp.where(x1 < 0.0, -x1, x1)
    x3 = -x2
    x4 = xp.exp(x3)
    x5 = xp.astype(x1 >= 0.0, x1.dtype)
    x6 = xp.where(x5 >= x4, x5, x4)
    x7 = (1.0) + x4
    x8 = x6 / x7
    return x8


def tanh_p_block(a0, out0, f0):
    numpy.multiply(a0, (2.0), out=f0)
    numpy.negative(f0, out=f0)
    x3 = _tail_mask(f0, 700.0)
    numpy.exp(f0, out=f0)
    numpy.add((1.0), f0, out=f0)
    numpy.divide((1.0), f0, out=out0)
    _tail_patch(x3, out0, tanh_p_block_tail0, a0)


def tanh_p_block_fast(a0, out0, f0):
    numpy.multiply(a0, (2.0), out=f0)
    numpy.negative(f0, out=f0)
    numpy.exp(f0, out=f0)
    numpy.add((1.0), f0, out=f0)
    numpy.divide((1.0), f0, out=out0)


def tanh_p_xp(xp, a0):
    x1 = a0 * (2.0)
    x2 = xp.where(x1 < 0.0, -x1, x1)
    x3 = -x2
    x4 = xp.exp(x3)
    x5 = xp.astype(x1 >= 0.0, x1.dtype)
    x6 = xp.where(x5 >= x4, x5, x4)
    x7 = (1.0) + x4
    x8 = x6 / x7
    return x8


def tanh_p_scalar_tail0(a0):
    x1 = a0 * (2.0)
    x2 = abs(x1)
    x3 = -x2
    x4 = math.exp(x3)
    x5 = 1.0 if x1 >= 0.0 else 0.0
    x6 = x4 if x4 >= x5 or x4 != x4 else x5
    x7 = (1.0) + x4
    x8 = x6 / x7
    return x8


def tanh_p_scalar(a0):
    x1 = a0 * (2.0)
    x2 = -x1
    x3 = math.exp(x2)
    x4 = (1.0) + x3
    x5 = (1.0) / x4
    x6 = tanh_p_scalar_tail0(a0) if x2 > 700.0 else x5
    return x6


# tanh_loss(x): the tanh curve's loss: the small side computed directly, in t = |x|; proven by squashing-functions
def tanh_loss_block(a0, out0, f0):
    numpy.absolute(a0, out=f0)
    numpy.multiply(f0, (-2.0), out=f0)
    numpy.exp(f0, out=f0)
    numpy.log1p(f0, out=f0)
    numpy.multiply(a0, (2.0), out=out0)
    numpy.minimum((0.0), out0, out=out0)
    numpy.subtract(f0, out0, out=out0)


def tanh_loss_xp(xp, a0):
    x1 = xp.where(a0 < 0.0, -a0, a0)
    x2 = x1 * (-2.0)
    x3 = xp.exp(x2)
    x4 = xp.log1p(x3)
    x5 = a0 * (2.0)
    x6 = xp.where((0.0) <= x5, (0.0), x5)
    x7 = x4 - x6
    return x7


def tanh_loss_scalar(a0):
    x1 = abs(a0)
    x2 = x1 * (-2.0)
    x3 = math.exp(x2)
    x4 = math.log1p(x3)
    x5 = a0 * (2.0)
    x6 = (0.0) if (0.0) <= x5 or (0.0) != (0.0) else x5
    x7 = x4 - x6
    return x7


# tanh_slope(x): the tanh curve's slope: the small side computed directly, in t = |x|; proven by squashing-functions
def tanh_slope_block_tail0(xp, a0):
    x1 = a0 * (-2.0)
    x2 = xp.where(x1 < 0.0, -x1, x1)
    x3 = -x2
    x4 = xp.exp(x3)
    x5 = xp.astype(x1 >= 0.0, x1.dtype)
    x6 = xp.where(x5 >= x4, x5, x4)
    x7 = (1.0) + x4
    x8 = x6 / x7
    return x8


def tanh_slope_block(a0, out0, f0):
    numpy.multiply(a0, (-2.0), out=f0)
    numpy.negative(f0, out=f0)
    x3 = _tail_mask(f0, 700.0)
    numpy.exp(f0, out=f0)
    numpy.add((1.0), f0, out=f0)
    numpy.divide((1.0), f0, out=f0)
    _tail_patch(x3, f0, tanh_slope_block_tail0, a0)
    numpy.multiply(f0, (-2.0), out=out0)


def tanh_slope_block_fast(a0, out0, f0):
    numpy.multiply(a0, (-2.0), out=f0)
    numpy.negative(f0, out=f0)
    numpy.exp(f0, out=f0)
    numpy.add((1.0), f0, out=f0)
    numpy.divide((1.0), f0, out=f0)
    numpy.multiply(f0, (-2.0), out=out0)


def tanh_slope_xp(xp, a0):
    x1 = a0 * (-2.0)
    x2 = xp.where(x1 < 0.0, -x1, x1)
    x3 = -x2
    x4 = xp.exp(x3)
    x5 = xp.astype(x1 >= 0.0, x1.dtype)
    x6 = xp.where(x5 >= x4, x5, x4)
    x7 = x6 * (-2.0)
    x8 = (1.0) + x4
    x9 = x7 / x8
    return x9


def tanh_slope_scalar_tail0(a0):
    x1 = a0 * (-2.0)
    x2 = abs(x1)
    x3 = -x2
    x4 = math.exp(x3)
    x5 = 1.0 if x1 >= 0.0 else 0.0
    x6 = x4 if x4 >= x5 or x4 != x4 else x5
    x7 = (1.0) + x4
    x8 = x6 / x7
    return x8


def tanh_slope_scalar(a0):
    x1 = a0 * (-2.0)
    x2 = -x1
    x3 = math.exp(x2)
    x4 = (1.0) + x3
    x5 = (1.0) / x4
    x6 = tanh_slope_scalar_tail0(a0) if x2 > 700.0 else x5
    x7 = x6 * (-2.0)
    return x7


# arctan_p(x): the arctan curve's p: the small side computed directly, in t = |x|; proven by squashing-tails
def arctan_p_block(a0, out0, f0, f1, b0):
    numpy.absolute(a0, out=f0)
    x2 = (numpy.arctan(f0**(-1.0)))
    numpy.divide(x2, (3.141592653589793), out=f0)
    numpy.subtract((1.0), f0, out=f1)
    numpy.less(a0, (0.0), out=b0)
    x6 = numpy.where(b0, f0, f1)
    out0[...] = x6


# arctan_loss(x): the arctan curve's loss: the small side computed directly, in t = |x|; proven by squashing-tails
def arctan_loss_block(a0, out0, f0, f1, f2, b0):
    numpy.absolute(a0, out=f0)
    x2 = (numpy.arctan(f0**(-1.0)))
    numpy.divide(x2, (3.141592653589793), out=f0)
    numpy.negative(f0, out=f0)
    numpy.log1p(f0, out=f0)
    numpy.negative(f0, out=f0)
    numpy.less(a0, (0.0), out=b0)
    v8 = _param(numpy.log, f1, (3.141592653589793))
    numpy.log(x2, out=f2)
    numpy.subtract(v8, f2, out=f2)
    x11 = numpy.where(b0, f2, f0)
    out0[...] = x11


# arctan_slope(x): the arctan curve's slope: the small side computed directly, in t = |x|; proven by squashing-tails
def arctan_slope_block(a0, out0, f0, f1, f2, b0):
    x1 = numpy.hypot((1.0), a0)
    numpy.divide((1.0), x1, out=f0)
    numpy.absolute(a0, out=f1)
    x4 = (numpy.arctan(f1**(-1.0)))
    v5 = _param(numpy.divide, f1, (1.0), (3.141592653589793))
    numpy.multiply(f0, f0, out=f2)
    numpy.multiply(f2, v5, out=f2)
    numpy.multiply(x4, v5, out=f1)
    numpy.subtract((1.0), f1, out=f1)
    numpy.divide(f2, f1, out=f1)
    numpy.negative(f1, out=f1)
    numpy.less(a0, (0.0), out=b0)
    numpy.divide(f0, x4, out=f2)
    numpy.multiply(f0, f2, out=f2)
    numpy.negative(f2, out=f2)
    x16 = numpy.where(b0, f2, f1)
    out0[...] = x16


# algebraic_p(x): the algebraic curve's p: the small side computed directly, in t = |x|; proven by squashing-tails
def algebraic_p_block(a0, out0, f0, f1, b0):
    x1 = numpy.hypot((1.0), a0)
    numpy.divide((0.5), x1, out=f0)
    numpy.absolute(a0, out=f1)
    numpy.add(f1, x1, out=f1)
    numpy.divide((1.0), f1, out=f1)
    numpy.multiply(f0, f1, out=f1)
    numpy.subtract((1.0), f1, out=f0)
    numpy.less(a0, (0.0), out=b0)
    x9 = numpy.where(b0, f1, f0)
    out0[...] = x9


# algebraic_loss(x): the algebraic curve's loss: the small side computed directly, in t = |x|; proven by squashing-tails
def algebraic_loss_block(a0, out0, f0, f1, f2, b0):
    numpy.absolute(a0, out=f0)
    x2 = numpy.hypot((1.0), a0)
    numpy.divide((0.5), x2, out=f1)
    numpy.add(f0, x2, out=f2)
    numpy.divide((1.0), f2, out=f2)
    numpy.multiply(f1, f2, out=f2)
    numpy.negative(f2, out=f2)
    numpy.log1p(f2, out=f2)
    numpy.negative(f2, out=f2)
    numpy.less(a0, (0.0), out=b0)
    numpy.arcsinh(f0, out=f0)
    v12 = _param(numpy.log, f1, (2.0))
    numpy.add(f0, v12, out=f1)
    numpy.log(x2, out=f0)
    numpy.add(f1, f0, out=f0)
    x16 = numpy.where(b0, f0, f2)
    out0[...] = x16


# algebraic_slope(x): the algebraic curve's slope: the small side computed directly, in t = |x|; proven by squashing-tails
def algebraic_slope_block(a0, out0, f0, f1, f2, f3, f4, b0):
    x1 = numpy.hypot((1.0), a0)
    numpy.divide((1.0), x1, out=f0)
    numpy.absolute(a0, out=f1)
    numpy.multiply(f0, f0, out=f2)
    numpy.multiply(f2, f0, out=f2)
    numpy.multiply(f2, (-0.5), out=f2)
    numpy.multiply(f0, (0.5), out=f3)
    numpy.add(x1, f1, out=f4)
    numpy.divide((1.0), f4, out=f4)
    numpy.multiply(f3, f4, out=f4)
    numpy.subtract((1.0), f4, out=f4)
    numpy.divide(f2, f4, out=f4)
    numpy.less(a0, (0.0), out=b0)
    numpy.multiply(f0, f1, out=f1)
    numpy.add((1.0), f1, out=f1)
    numpy.multiply(f1, f0, out=f0)
    numpy.negative(f0, out=f0)
    x18 = numpy.where(b0, f0, f4)
    out0[...] = x18


# erf_p(x): the erf curve's p: the small side computed directly, in t = |x|; proven by squashing-tails
def erf_p_block(a0, out0, f0, f1, b0):
    numpy.absolute(a0, out=f0)
    x2 = _f_erfc_nonnegative(f0)
    numpy.multiply(x2, (0.5), out=f0)
    numpy.subtract((1.0), f0, out=f1)
    numpy.less(a0, (0.0), out=b0)
    x6 = numpy.where(b0, f0, f1)
    out0[...] = x6


# erf_loss(x): the erf curve's loss: the small side computed directly, in t = |x|; proven by squashing-tails
def erf_loss_block(a0, out0, f0, f1, f2, f3, b0):
    numpy.absolute(a0, out=f0)
    x2 = _f_erfc_nonnegative(f0)
    numpy.multiply(x2, (-0.5), out=f1)
    numpy.log1p(f1, out=f1)
    numpy.negative(f1, out=f1)
    numpy.less(a0, (0.0), out=b0)
    numpy.multiply(a0, a0, out=f2)
    v8 = _param(numpy.log, f3, (2.0))
    numpy.add(f2, v8, out=f3)
    x10 = _f_erfcx_nonnegative(f0)
    numpy.log(x10, out=f0)
    numpy.subtract(f3, f0, out=f0)
    x13 = numpy.where(b0, f0, f1)
    out0[...] = x13


# erf_slope(x): the erf curve's slope: the small side computed directly, in t = |x|; proven by squashing-tails
def erf_slope_block(a0, out0, f0, f1, f2, f3, b0):
    v1 = _param(numpy.sqrt, f0, (3.141592653589793))
    v2 = _param(numpy.divide, f0, (1.0), v1)
    numpy.absolute(a0, out=f1)
    x4 = _f_exp_minus_square(a0)
    numpy.multiply(v2, x4, out=f2)
    x6 = _f_erfc_nonnegative(f1)
    numpy.multiply(x6, (0.5), out=f3)
    numpy.subtract((1.0), f3, out=f3)
    numpy.divide(f2, f3, out=f3)
    numpy.negative(f3, out=f3)
    numpy.less(a0, (0.0), out=b0)
    v12 = _param(numpy.multiply, f0, v2, (-2.0))
    x13 = _f_erfcx_nonnegative(f1)
    numpy.divide(v12, x13, out=f0)
    x15 = numpy.where(b0, f0, f3)
    out0[...] = x15


# softsign_p(x): the softsign curve's p: the small side computed directly, in t = |x|; proven by squashing-tails
def softsign_p_block(a0, out0, f0, f1, b0):
    numpy.absolute(a0, out=f0)
    numpy.add((1.0), f0, out=f0)
    numpy.divide((1.0), f0, out=f0)
    numpy.multiply(f0, (0.5), out=f0)
    numpy.subtract((1.0), f0, out=f1)
    numpy.less(a0, (0.0), out=b0)
    x7 = numpy.where(b0, f0, f1)
    out0[...] = x7


def softsign_p_xp(xp, a0):
    x1 = xp.where(a0 < 0.0, -a0, a0)
    x2 = (1.0) + x1
    x3 = (1.0) / x2
    x4 = x3 * (0.5)
    x5 = (1.0) - x4
    x6 = a0 < (0.0)
    x7 = xp.where(x6, x4, x5)
    return x7


def softsign_p_scalar(a0):
    x1 = abs(a0)
    x2 = (1.0) + x1
    x3 = (1.0) / x2
    x4 = x3 * (0.5)
    x5 = (1.0) - x4
    x6 = a0 < (0.0)
    x7 = x4 if x6 else x5
    return x7


# softsign_loss(x): the softsign curve's loss: the small side computed directly, in t = |x|; proven by squashing-tails
def softsign_loss_block(a0, out0, f0, f1, f2, b0):
    numpy.absolute(a0, out=f0)
    numpy.add((1.0), f0, out=f1)
    numpy.divide((1.0), f1, out=f1)
    numpy.multiply(f1, (-0.5), out=f1)
    numpy.log1p(f1, out=f1)
    numpy.negative(f1, out=f1)
    numpy.less(a0, (0.0), out=b0)
    v8 = _param(numpy.log, f2, (2.0))
    numpy.log1p(f0, out=f0)
    numpy.add(v8, f0, out=f0)
    x11 = numpy.where(b0, f0, f1)
    out0[...] = x11


def softsign_loss_xp(xp, a0):
    x1 = xp.where(a0 < 0.0, -a0, a0)
    x2 = (1.0) + x1
    x3 = (1.0) / x2
    x4 = x3 * (-0.5)
    x5 = xp.log1p(x4)
    x6 = -x5
    x7 = a0 < (0.0)
    x8 = xp.log1p(x1)
    x9 = (0.6931471805599453) + x8
    x10 = xp.where(x7, x9, x6)
    return x10


def softsign_loss_scalar(a0):
    x1 = abs(a0)
    x2 = (1.0) + x1
    x3 = (1.0) / x2
    x4 = x3 * (-0.5)
    x5 = math.log1p(x4)
    x6 = -x5
    x7 = a0 < (0.0)
    x8 = math.log1p(x1)
    x9 = (0.6931471805599453) + x8
    x10 = x9 if x7 else x6
    return x10


# softsign_slope(x): the softsign curve's slope: the small side computed directly, in t = |x|; proven by squashing-tails
def softsign_slope_block(a0, out0, f0, f1, f2, b0):
    numpy.absolute(a0, out=f0)
    numpy.add((1.0), f0, out=f0)
    numpy.divide((1.0), f0, out=f0)
    numpy.multiply(f0, f0, out=f1)
    numpy.multiply(f1, (-0.5), out=f1)
    numpy.multiply(f0, (0.5), out=f2)
    numpy.subtract((1.0), f2, out=f2)
    numpy.divide(f1, f2, out=f2)
    numpy.less(a0, (0.0), out=b0)
    numpy.negative(f0, out=f0)
    x11 = numpy.where(b0, f0, f2)
    out0[...] = x11


def softsign_slope_xp(xp, a0):
    x1 = xp.where(a0 < 0.0, -a0, a0)
    x2 = (1.0) + x1
    x3 = (1.0) / x2
    x4 = x3 * x3
    x5 = x4 * (-0.5)
    x6 = x3 * (0.5)
    x7 = (1.0) - x6
    x8 = x5 / x7
    x9 = a0 < (0.0)
    x10 = -x3
    x11 = xp.where(x9, x10, x8)
    return x11


def softsign_slope_scalar(a0):
    x1 = abs(a0)
    x2 = (1.0) + x1
    x3 = (1.0) / x2
    x4 = x3 * x3
    x5 = x4 * (-0.5)
    x6 = x3 * (0.5)
    x7 = (1.0) - x6
    x8 = x5 / x7
    x9 = a0 < (0.0)
    x10 = -x3
    x11 = x10 if x9 else x8
    return x11


# gudermannian_p(x): the Gudermannian curve's p: the small side computed directly, in t = |x|; proven by squashing-tails
def gudermannian_p_block(a0, out0, f0, f1, b0):
    numpy.absolute(a0, out=f0)
    numpy.negative(f0, out=f0)
    numpy.exp(f0, out=f0)
    numpy.arctan(f0, out=f0)
    numpy.multiply(f0, (2.0), out=f0)
    numpy.divide(f0, (3.141592653589793), out=f0)
    numpy.subtract((1.0), f0, out=f1)
    numpy.less(a0, (0.0), out=b0)
    x9 = numpy.where(b0, f0, f1)
    out0[...] = x9


def gudermannian_p_xp(xp, a0):
    x1 = xp.where(a0 < 0.0, -a0, a0)
    x2 = -x1
    x3 = xp.exp(x2)
    x4 = xp.atan(x3)
    x5 = x4 * (2.0)
    x6 = x5 / (3.141592653589793)
    x7 = (1.0) - x6
    x8 = a0 < (0.0)
    x9 = xp.where(x8, x6, x7)
    return x9


def gudermannian_p_scalar(a0):
    x1 = abs(a0)
    x2 = -x1
    x3 = math.exp(x2)
    x4 = math.atan(x3)
    x5 = x4 * (2.0)
    x6 = x5 / (3.141592653589793)
    x7 = (1.0) - x6
    x8 = a0 < (0.0)
    x9 = x6 if x8 else x7
    return x9


# gudermannian_loss(x): the Gudermannian curve's loss: the small side computed directly, in t = |x|; proven by squashing-tails
def gudermannian_loss_block(a0, out0, f0, f1, f2, f3, b0):
    numpy.absolute(a0, out=f0)
    numpy.negative(f0, out=f1)
    numpy.exp(f1, out=f1)
    numpy.arctan(f1, out=f1)
    numpy.multiply(f1, (-2.0), out=f2)
    numpy.divide(f2, (3.141592653589793), out=f2)
    numpy.log1p(f2, out=f2)
    numpy.negative(f2, out=f2)
    numpy.less(a0, (0.0), out=b0)
    numpy.multiply(f0, (-2.0), out=f3)
    numpy.exp(f3, out=f3)
    numpy.log1p(f3, out=f3)
    numpy.multiply(f3, (0.5), out=f3)
    numpy.add(f3, f0, out=f0)
    v15 = _param(numpy.multiply, f3, (3.141592653589793), (0.5))
    v16 = _param(numpy.log, f3, v15)
    numpy.add(f0, v16, out=f3)
    x18 = numpy.sinc(f1/numpy.pi)
    numpy.log(x18, out=f1)
    numpy.add(f3, f1, out=f1)
    x21 = numpy.where(b0, f1, f2)
    out0[...] = x21


# gudermannian_slope(x): the Gudermannian curve's slope: the small side computed directly, in t = |x|; proven by squashing-tails
def gudermannian_slope_block(a0, out0, f0, f1, f2, f3, b0):
    numpy.absolute(a0, out=f0)
    numpy.negative(f0, out=f1)
    numpy.exp(f1, out=f1)
    numpy.arctan(f1, out=f2)
    numpy.multiply(f0, (-2.0), out=f0)
    numpy.exp(f0, out=f0)
    numpy.add((1.0), f0, out=f0)
    v8 = _param(numpy.divide, f3, (2.0), (3.141592653589793))
    numpy.multiply(f1, v8, out=f1)
    numpy.multiply(f2, v8, out=f3)
    numpy.subtract((1.0), f3, out=f3)
    numpy.divide(f1, f3, out=f3)
    numpy.divide(f3, f0, out=f3)
    numpy.negative(f3, out=f3)
    numpy.less(a0, (0.0), out=b0)
    x16 = numpy.sinc(f2/numpy.pi)
    numpy.sqrt(f0, out=f0)
    numpy.divide(x16, f0, out=f0)
    numpy.negative(f0, out=f0)
    x20 = numpy.where(b0, f0, f3)
    out0[...] = x20


KERNELS = {
    "sigmoid": (sigmoid_block, sigmoid_block_fast, 1, 0, 1, True, sigmoid_xp, sigmoid_scalar),
    "sigmoid_derivative": (sigmoid_derivative_block, sigmoid_derivative_block_fast, 1, 0, 1, True, sigmoid_derivative_xp, sigmoid_derivative_scalar),
    "log_sigmoid": (log_sigmoid_block, None, 1, 0, 1, False, log_sigmoid_xp, log_sigmoid_scalar),
    "softplus": (softplus_block, None, 1, 0, 1, False, softplus_xp, softplus_scalar),
    "logit": (logit_block, None, 2, 1, 1, True, logit_xp, logit_scalar),
    "gaussian_posterior": (gaussian_posterior_block, gaussian_posterior_block_fast, 2, 0, 1, True, gaussian_posterior_xp, gaussian_posterior_scalar),
    "gaussian_posterior_unequal_variance": (gaussian_posterior_unequal_variance_block, gaussian_posterior_unequal_variance_block_fast, 4, 0, 1, True, gaussian_posterior_unequal_variance_xp, gaussian_posterior_unequal_variance_scalar),
    "mse_loss": (mse_loss_block, None, 1, 0, 1, False, mse_loss_xp, mse_loss_scalar),
    "bce_loss": (bce_loss_block, None, 2, 1, 1, True, bce_loss_xp, bce_loss_scalar),
    "bce_with_logits": (bce_with_logits_block, None, 2, 0, 1, False, bce_with_logits_xp, bce_with_logits_scalar),
    "bce_residual": (bce_residual_block, bce_residual_block_fast, 2, 0, 1, True, bce_residual_xp, bce_residual_scalar),
    "mse_residual": (mse_residual_block, mse_residual_block_fast, 3, 0, 1, True, mse_residual_xp, mse_residual_scalar),
    "bce_gradient": (bce_gradient_block, bce_gradient_block_fast, 1, 0, 2, True, bce_gradient_xp, bce_gradient_scalar),
    "mse_gradient": (mse_gradient_block, mse_gradient_block_fast, 2, 0, 2, True, mse_gradient_xp, mse_gradient_scalar),
    "logistic_p": (logistic_p_block, logistic_p_block_fast, 1, 0, 1, True, logistic_p_xp, logistic_p_scalar),
    "logistic_loss": (logistic_loss_block, None, 1, 0, 1, False, logistic_loss_xp, logistic_loss_scalar),
    "logistic_slope": (logistic_slope_block, logistic_slope_block_fast, 1, 0, 1, True, logistic_slope_xp, logistic_slope_scalar),
    "tanh_p": (tanh_p_block, tanh_p_block_fast, 1, 0, 1, True, tanh_p_xp, tanh_p_scalar),
    "tanh_loss": (tanh_loss_block, None, 1, 0, 1, False, tanh_loss_xp, tanh_loss_scalar),
    "tanh_slope": (tanh_slope_block, tanh_slope_block_fast, 1, 0, 1, True, tanh_slope_xp, tanh_slope_scalar),
    "arctan_p": (arctan_p_block, None, 2, 1, 1, True, None, None),
    "arctan_loss": (arctan_loss_block, None, 3, 1, 1, True, None, None),
    "arctan_slope": (arctan_slope_block, None, 3, 1, 1, True, None, None),
    "algebraic_p": (algebraic_p_block, None, 2, 1, 1, True, None, None),
    "algebraic_loss": (algebraic_loss_block, None, 3, 1, 1, True, None, None),
    "algebraic_slope": (algebraic_slope_block, None, 5, 1, 1, True, None, None),
    "erf_p": (erf_p_block, None, 2, 1, 1, True, None, None),
    "erf_loss": (erf_loss_block, None, 4, 1, 1, True, None, None),
    "erf_slope": (erf_slope_block, None, 4, 1, 1, True, None, None),
    "softsign_p": (softsign_p_block, None, 2, 1, 1, True, softsign_p_xp, softsign_p_scalar),
    "softsign_loss": (softsign_loss_block, None, 3, 1, 1, True, softsign_loss_xp, softsign_loss_scalar),
    "softsign_slope": (softsign_slope_block, None, 3, 1, 1, True, softsign_slope_xp, softsign_slope_scalar),
    "gudermannian_p": (gudermannian_p_block, None, 2, 1, 1, True, gudermannian_p_xp, gudermannian_p_scalar),
    "gudermannian_loss": (gudermannian_loss_block, None, 4, 1, 1, True, None, None),
    "gudermannian_slope": (gudermannian_slope_block, None, 4, 1, 1, True, None, None),
}


PUBLIC = {
}
