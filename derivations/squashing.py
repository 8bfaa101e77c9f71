"""Why the sigmoid: the slope of the loss -ln p(z) far on the wrong side, for seven S-curves.

Each curve is squashed into (0, 1) as p(z), where z is a unit's weighted input; for a target
of 1 the loss is L = -ln p(z).
``loss_slope_limits()`` gives the limit of dL/dz as z -> -oo, the prediction ever more
confidently wrong. The logistic sigmoid and the Gudermannian keep a constant slope of -1,
tanh one of -2: a badly wrong unit still learns at a steady rate. arctan, the algebraic
curve z/sqrt(1 + z^2) and softsign lose it (the slope fades like 1/|z|): the worse the
prediction, the slower it learns. erf goes the other way: its slope grows like 2z without
bound, so a single badly wrong example can dominate a whole batch. Each value is verified
by the ``squashing-slope-limits`` derivation (SymPy's limit, and the slope evaluated at
z = -1e30 with 50 digits); ``CURVES`` holds each curve's forms.

>>> from derivations.squashing import CURVES, loss_slope_limits
>>> limits = loss_slope_limits()
>>> sorted(name for name, value in limits.items() if value == 0)
['algebraic', 'arctan', 'softsign']
>>> limits["erf"], CURVES["erf"].p
(-oo, erf(z)/2 + 1/2)
"""

from derivations.topics.curves import CURVES, Curve, Tail, loss_slope_limits

__all__ = ["CURVES", "Curve", "Tail", "loss_slope_limits"]
