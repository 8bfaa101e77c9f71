r"""derivations.check never says "equal" for formulas that differ, never hangs, never leaks.

Each false "equal" of issue 12 must come out not equal with a counterexample
that an independent mpmath formula, written out here, confirms; or be refused
with the toolkit's own error. The hang cases must answer or refuse from a
thread (an outer timeout only guards the test run, it asserts nothing on speed).
"""

import concurrent.futures
import contextlib
import os
import subprocess
import sys
import time

import mpmath
import numpy
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sympy import (
    Eq,
    FiniteSet,
    Float,
    Function,
    Heaviside,
    I,
    Interval,
    Lambda,
    Limit,
    Max,
    Min,
    Ne,
    Piecewise,
    Rational,
    S,
    Symbol,
    exp,
    lambdify,
    log,
    oo,
    sqrt,
    symbols,
    tanh,
    zoo,
)

import derivations
from derivations import _timeout, check, sigmoid
from derivations.cli import main
from derivations.errors import DerivationsError
from derivations.verify.sampling import DIGITS, numeric_check

z, x, w, b, y = symbols("z x w b y", real=True)
s = Symbol("s", positive=True)


def mp_sigmoid(u):
    return 1 / (1 + mpmath.exp(-u))


def sigmoid_derivative(u):
    return mp_sigmoid(u) * (1 - mp_sigmoid(u))


def bce_component_0(p):
    return (mp_sigmoid(p["w"] * p["x"] + p["b"]) - p["y"]) * p["x"]


# (candidate, reference, options, mpmath candidate, mpmath reference): the formulas written
# out independently, evaluated at the reported point. None where the point is outside the
# candidate's real domain (the counterexample's candidate value must then be None).
FALSE_ACCEPTS = [
    ("Min(z, 100)", "z", {}, lambda p: min(p["z"], 100), lambda p: p["z"]),
    (
        "sigmoid(z)*(1 - sigmoid(z)) + Max(0, z - 50)",
        "sigmoid-derivative",
        {},
        lambda p: sigmoid_derivative(p["z"]) + max(0, p["z"] - 50),
        lambda p: sigmoid_derivative(p["z"]),
    ),
    (
        "(a - y)*x + Max(0, Abs(x) - 29/10)",
        "bce-gradient",
        {"component": 0},
        lambda p: bce_component_0(p) + max(0, abs(p["x"]) - mpmath.mpf(29) / 10),
        bce_component_0,
    ),
    (Min(s, 20), s, {}, lambda p: min(p["s"], 20), lambda p: p["s"]),
    (
        "sigmoid(z) + exp(-10**6*z**2)",
        "sigmoid(z)",
        {},
        lambda p: mp_sigmoid(p["z"]) + mpmath.exp(-(10**6) * p["z"] ** 2),
        lambda p: mp_sigmoid(p["z"]),
    ),
    (
        "tanh(10**5*z)",
        "sign(z)",
        {},
        lambda p: mpmath.tanh(10**5 * p["z"]),
        lambda p: mpmath.sign(p["z"]),
    ),
    (
        "Min(sqrt(z), 0) + z",
        "z",
        {},
        lambda p: None if p["z"] < 0 else min(mpmath.sqrt(p["z"]), 0) + p["z"],
        lambda p: p["z"],
    ),
    (
        "2*z",
        "z",
        {"domains": {"z": Interval(-1e308, 1e308)}},
        lambda p: 2 * p["z"],
        lambda p: p["z"],
    ),
]


@pytest.mark.parametrize(("candidate", "reference", "options", "mine", "theirs"), FALSE_ACCEPTS)
def test_formulas_that_differ_somewhere_are_not_equal(candidate, reference, options, mine, theirs):
    if isinstance(reference, str) and "-" in reference:
        reference = derivations.get(reference)
    verdict = check.equivalent(candidate, reference, **options)
    assert not verdict.equal and not verdict.proven
    c = verdict.counterexample
    with mpmath.workdps(DIGITS):
        point = {k: mpmath.mpf(v) for k, v in c.point.items()}
        want_candidate, want_reference = mine(point), theirs(point)
        if want_candidate is None:
            assert c.candidate is None
        else:
            assert mpmath.almosteq(c.candidate, want_candidate, rel_eps=1e-40, abs_eps=1e-40)
        assert mpmath.almosteq(c.reference, want_reference, rel_eps=1e-40, abs_eps=1e-40)
        assert want_candidate is None or not mpmath.almosteq(
            want_candidate, want_reference, rel_eps=1e-20
        )
    assert "random points in the domains" in verdict.plan and "on the ladder" in verdict.plan


@pytest.mark.parametrize("candidate", ["log(z, 0)", r"\log_{0} z", "log(z, 1)", "log(z, -2)"])
def test_a_logarithm_to_an_impossible_base_is_refused(candidate):
    with pytest.raises(check.ParseError, match="logarithm to the base"):
        check.equivalent(candidate, "z")


def test_exact_decimals_that_differ_from_the_fraction_are_not_equal():
    # 0.333...3 (34 threes) - 1/3 = -1/(3*10**34): a relative difference of 1e-34, below the
    # numeric tolerance; the exact difference is a nonzero constant, so it is not equal.
    third = "0." + "3" * 34
    verdict = check.equivalent(third, "1/3")
    assert not verdict.equal
    assert "nonzero constant -1/" + "3" + "0" * 34 in verdict.method
    with mpmath.workdps(DIGITS):
        c = verdict.counterexample
        assert c.candidate == mpmath.mpf(third) and c.reference == mpmath.mpf(1) / 3
    assert not check.equivalent(Float(third, 40), Rational(1, 3)).equal
    assert check.equivalent("0." + "5" * 34 + "*z", "5555555555555555555555555555555555*z/10**34")


# --------------------------------------------------------------------------- property


IDENTITIES = [
    (sigmoid(z), exp(z) / (1 + exp(z))),
    (sigmoid(z) * (1 - sigmoid(z)), exp(-z) / (1 + exp(-z)) ** 2),
    (tanh(z), 2 * sigmoid(2 * z) - 1),
]


def _perturbation(kind: int, k: int, centre: Rational):
    edge = Rational(10) ** k
    return [
        Max(0, z - edge),
        Min(0, z + edge),
        Piecewise((1, z > edge), (0, True)),
        exp(-(((z - centre) * 10**k) ** 2)),  # a bump of width 10**-k at the centre
    ][kind]


@settings(max_examples=30, deadline=None, derandomize=True)
@given(
    identity=st.sampled_from(IDENTITIES),
    kind=st.integers(0, 3),
    k=st.integers(0, 6),
    centre=st.fractions(-5, 5, max_denominator=1000).map(
        lambda f: Rational(f.numerator, f.denominator)
    ),
)
def test_perturbed_identities_are_caught(identity, kind, k, centre):
    left, right = identity
    assert check.equivalent(left, right).equal  # the identity itself holds
    bump = _perturbation(kind, k, centre)
    verdict = check.equivalent(left + bump, right)
    assert not verdict.equal
    c = verdict.counterexample
    with mpmath.workdps(DIGITS):
        at = mpmath.mpf(c.point["z"])
        size = bump.subs(z, Rational(str(at))).evalf(60)
        assert abs(size) > 1e-30  # the point is one where the perturbation is really there


# --------------------------------------------------------------------------- limits


def _numeric(relation, lhs, rhs):
    with mpmath.workdps(DIGITS):
        holds, _, _ = numeric_check(
            relation,
            lhs,
            rhs,
            definitions={},
            substitutions={},
            constraints=(),
            domains={},
            points=30,
            seed="test",
        )
    return holds


@pytest.mark.parametrize(
    ("lhs", "relation", "rhs", "holds"),
    [
        (Limit(-Rational(10**11) - 1 / x, x, oo), "=", -oo, False),  # it tends to -1e11
        (oo, "<=", 5, False),
        (-oo, "<=", 5, True),
        (Limit(1 / log(x), x, oo), "=", 0, True),  # true, converging slowly
        (Limit(1 / log(x), x, oo), "=", Rational(1, 1000), False),
        (Limit(log(x), x, oo), "=", oo, True),
        (Limit(sigmoid(x), x, oo), "=", 1, True),
        (Limit(x * (sqrt(1 + 1 / x) - 1), x, oo), "=", Rational(1, 2), True),
        (Limit(1 / x, x, 0, "-"), "=", -oo, True),
        (zoo * z, "=", z, False),  # complex infinity is no number: no KeyError
    ],
)
def test_limits_and_infinities_are_judged_by_their_trend(lhs, relation, rhs, holds):
    assert _numeric(relation, lhs, rhs) is holds


# --------------------------------------------------------------------------- hangs


def _eight_exps():
    text = "z"
    for _ in range(8):
        text = f"exp({text})"
    return text


HANGS = [
    (check.parse, ("exp(10**100*log(10))", "z"), check.ParseError),
    (check.parse, ("exp(10**8*log(10))", "z"), check.ParseError),
    (check.parse, (r"e^{10^{100} \ln 10}", "z"), check.ParseError),
    (check.equivalent, ("sin(exp(10**6*z))", "z"), check.Undecided),
    (check.equivalent, (_eight_exps(), "z"), check.Undecided),
    (check.equivalent, ("(((z+1)**100)**100)", "z"), check.ParseError),
    (check.equivalent, ("exp(exp(exp(1000)))", "z"), check.Undecided),
]


@pytest.mark.parametrize(("function", "args", "error"), HANGS)
def test_what_could_hang_is_refused_from_a_thread(function, args, error):
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        future = pool.submit(function, *args)
        with pytest.raises(error) as caught:
            future.result(timeout=120)  # only guards the test run
    assert isinstance(caught.value, DerivationsError)


def test_a_stopped_worker_is_replaced_and_the_next_check_works():
    with pytest.raises(check.Undecided, match="time limit of 1 s"):
        check.equivalent("sin(exp(10**6*z))", "z", time_limit=1)
    assert _timeout._WORKER.process is None  # killed and forgotten
    assert check.equivalent("(1 + tanh(z/2))/2", "sigmoid(z)").proven


def test_no_worker_outlives_the_interpreter():
    code = (
        "from derivations import check, _timeout\n"
        "check.equivalent('z', 'z')\n"
        "print(_timeout._WORKER.process.pid, flush=True)\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    pid = int(done.stdout.split()[-1])
    for _ in range(100):  # the interpreter has exited; its worker goes with it
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    else:
        pytest.fail(f"the worker {pid} outlived the interpreter")


# --------------------------------------------------------------------------- raw exceptions


@pytest.mark.parametrize(
    ("candidate", "message"),
    [
        (Function("f")(z), "a function SymPy knows nothing about"),
        (zoo, "infinite or undefined"),
        (Lambda(z, z), "Lambda"),
        ((z + 1) ** 10000, "exponent 10000"),
    ],
)
def test_sympy_objects_the_checker_cannot_evaluate_are_refused(candidate, message):
    with pytest.raises(check.ParseError, match=message):
        check.equivalent(candidate, "z")


def test_numpy_numbers_are_read_as_the_decimals_they_print_as():
    assert check.equivalent(numpy.float64(0.5), "1/2").proven
    assert not check.equivalent(numpy.float64(0.5), "1/3").equal


@pytest.mark.parametrize("limit", [float("nan"), float("inf"), 0, -1.0, "8"])
def test_a_bad_time_limit_is_the_toolkits_error(limit):
    with pytest.raises(check.CheckError, match="time_limit must be"):
        check.equivalent("z", "z", time_limit=limit)
    assert issubclass(check.CheckError, DerivationsError)


@pytest.mark.parametrize(
    ("argv", "status", "message"),
    [
        (["exp(10**100*log(10))"], 2, "cannot read the formula: exp("),
        ([r"e^{10^{100} \ln 10}"], 2, "cannot read the formula: exp("),
        (["log(z, 0)"], 2, "logarithm to the base 0 is undefined"),
        (["exp(exp(exp(1000)))"], 3, "undecided: no verdict: a value overflowed"),
        (["sin(exp(10**6*z))", "--time-limit", "1"], 3, "undecided: no verdict: the check"),
    ],
)
def test_the_cli_exit_status_says_what_happened(capsys, argv, status, message):
    assert main(["verify", *argv[:1], "--against", "sigmoid-derivative", *argv[1:]]) == status
    captured = capsys.readouterr()
    assert message in captured.err and "Traceback" not in captured.err
    assert len(captured.err.strip().splitlines()) == 1


def test_the_cli_says_not_equal_for_a_difference_beyond_the_old_samples(capsys):
    argv = ["verify", "sigmoid(z)*(1 - sigmoid(z)) + Max(0, z - 50)"]
    assert main([*argv, "--against", "sigmoid-derivative"]) == 1
    assert capsys.readouterr().out.splitlines()[-1].startswith("NOT equal: at z = ")


def test_a_reference_the_worker_cannot_unpickle_is_checked_in_a_fork_of_its_own():
    # batch-gradients' result is a MatMul that pickles but does not unpickle; the check runs
    # in a forked process that inherits it. dC/dw_1 = ((a_1 - y_1) x_11 + (a_2 - y_2) x_21)/2.
    d = derivations.get("batch-gradients")
    mean = "(a_1 - y_1)*x_11/2 + (a_2 - y_2)*x_21/2"
    assert check.equivalent(mean, d, component=0).equal
    assert not check.equivalent(mean.replace("/2", ""), d, component=0).equal


# --------------------------------------------------------------------------- second round (F1, F5)


class _Interrupted(BaseException):  # as KeyboardInterrupt: no "except Exception" takes it
    pass


# An alarm that lands in a fork hook (logging's) is ignored by Python, which reports it.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.parametrize("delay", [0.3, 0.05, 0.005, 0.0005])
def test_a_check_left_by_an_exception_leaves_no_answer_for_the_next_call(delay):
    # A SIGALRM handler that raises interrupts the call (while the worker starts, while the
    # request is sent, or while the answer is awaited); the worker's late answer ("equal" for
    # the interrupted call) or a half-sent request must never reach the next call.
    import signal

    def _raise(signum, frame):
        raise _Interrupted

    previous = signal.signal(signal.SIGALRM, _raise)
    try:
        if delay < 0.1:
            _timeout._WORKER.stop()  # interrupted while the worker starts, or while sending
        signal.setitimer(signal.ITIMER_REAL, delay)
        # (Python itself ignores an exception raised in a fork hook: the call may then end.)
        with contextlib.suppress(_Interrupted):
            check.equivalent("tanh(10**12*(z-3))", "sign(z-3)", time_limit=60)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert not check.equivalent("z", "2*z").equal
    assert check.equivalent("z + z", "2*z").equal


def test_answers_to_other_requests_are_dropped():
    # The request id: an answer tagged for an abandoned request is skipped.
    import multiprocessing

    ours, theirs = multiprocessing.Pipe()
    theirs.send((1, ("ok", "stale")))
    theirs.send((2, ("ok", "fresh")))
    assert _timeout._wait(ours, None, 5, 2) == ("ok", "fresh")


@pytest.mark.parametrize("limit", [1e300, 1e10, 10**400, 2e6])
def test_a_huge_time_limit_is_refused_naming_it(limit):
    with pytest.raises(check.CheckError, match="time_limit must be"):
        check.equivalent("z", "z", time_limit=limit)
    assert not check.equivalent("z", "2*z").equal  # and nothing is left behind


def test_the_cli_refuses_a_huge_time_limit_in_one_line(capsys):
    argv = ["verify", "z", "--against", "sigmoid-derivative", "--time-limit", "1e10"]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "time_limit" in err and len(err.strip().splitlines()) == 1


def _check_in_a_pool_worker(candidate):
    try:
        return check.equivalent(candidate, "z", time_limit=2).equal
    except check.Undecided as error:
        return str(error)


def test_the_time_limit_holds_in_a_pool_worker():
    # A multiprocessing.Pool worker is daemonic and may not start the worker process: the
    # SIGALRM guard holds there (pool tasks run in the worker's main thread).
    import multiprocessing

    with multiprocessing.get_context("fork").Pool(1) as pool:
        hard = pool.apply_async(_check_in_a_pool_worker, ("sin(exp(10**6*z))",))
        assert "longer than the time limit of 2 s" in hard.get(120)  # 120: guards the run
        assert pool.apply_async(_check_in_a_pool_worker, ("2*z",)).get(120) is False


def test_a_limited_call_in_a_thread_of_a_daemonic_process_is_refused(monkeypatch):
    monkeypatch.setattr(_timeout.multiprocessing.current_process(), "daemon", True, raising=False)
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        future = pool.submit(check.equivalent, "z", "z", time_limit=5)
        with pytest.raises(check.Undecided, match="no time limit can be enforced"):
            future.result(timeout=120)


# --------------------------------------------------------------------------- F2: exact disproofs

_D8 = "+".join(f"Abs(z - {k})" for k in range(1, 9))
_POSITIVE = {"symbols": [s]}
# (candidate, reference, options): each differs somewhere, beyond the magnitudes, in a bump or
# step narrower than the samples, past eight breakpoints, by a tiny exact amount, or at one point.
UNEQUAL = [
    ("Min(z**3, 10**12)", "z**3", {}),
    ("z + Max(0, z**3 - 10**12)", "z", {}),
    ("z + Max(0, z**4 - 10**20)", "z", {}),
    ("z + sign(z**3 - 10**12) + 1", "z", {}),
    (z + Heaviside(z**3 - 10**12), z, {}),
    (Piecewise((z, z**3 < 10**15), (0, True)), z, {}),
    (Piecewise((z, exp(z) < 10**500), (0, True)), z, {}),
    ("Min(log(s), 20)", "log(s)", _POSITIVE),
    ("Min(sqrt(s), 100)", "sqrt(s)", _POSITIVE),
    ("s + Max(0, log(s) - 30)", "s", _POSITIVE),
    ("s + Max(0, 1/s - 10**10)", "s", _POSITIVE),
    (Piecewise((s, log(s) < 20), (0, True)), s, {}),
    ("sigmoid(z) + 1/cosh(10**6*(z - 3))", "sigmoid(z)", {}),
    ("sigmoid(z) + exp(-10**24*(z-3)**4)", "sigmoid(z)", {}),
    ("sigmoid(z) + exp(-10**6*(z**2-9)**2)", "sigmoid(z)", {}),
    ("sigmoid(z) + exp(-10**12*(z-pi)**2)", "sigmoid(z)", {}),
    ("sigmoid(z) + exp(-10**12*(z-E)**2)", "sigmoid(z)", {}),
    ("z + Max(0, sin(z) - 999999/1000000)", "z", {}),
    ("tanh(10**12*z)", "sign(z)", {}),
    ("tanh(10**12*(z-3))", "sign(z-3)", {}),
    ("erf(10**12*z)", "sign(z)", {}),
    (_D8 + " + Max(0, -z - 10**5)", _D8, {}),
    ("z*0.3333333333333333333333333333333333", "z/3", {}),
    ("2*z/10**45", "z/10**45", {}),
    ("z*exp(-100)", "2*z*exp(-100)", {}),
    ("z*(1 + exp(-200))", "z", {}),
    ("z + 10**(-60)*z**2", "z", {}),
    ("z", "2*z", {"domains": {z: Interval(0, Rational(1, 10**41))}}),
]
# A difference at a single point: the exact point is named in the verdict.
AT_ONE_POINT = [
    Piecewise((z + 1, Eq(z, Rational(7, 3))), (z, True)),
    Piecewise((z, Ne(z, Rational(7, 3))), (z + 1, True)),
]


def _mp(formula, names):
    """The formula as an mpmath function (SymPy's lambdify printer, no SymPy evaluation)."""
    expr = check.parse(formula, names) if isinstance(formula, str) else formula
    symbols_ = sorted(expr.free_symbols, key=str)
    return lambdify(symbols_, expr, modules="mpmath"), [str(t) for t in symbols_]


@pytest.mark.parametrize(("candidate", "reference", "options"), UNEQUAL)
def test_a_difference_anywhere_is_not_equal(candidate, reference, options):
    verdict = check.equivalent(candidate, reference, **options, time_limit=60)
    assert not verdict.equal
    c = verdict.counterexample
    assert c is not None
    # Confirm independently: both formulas in mpmath at the reported point, at 300 and 600
    # digits; the difference is the same (to 20 digits) at both precisions, and nonzero.
    names = list(options.get("symbols", [])) or "z"
    differences = []
    for digits in (300, 600):
        with mpmath.workdps(digits):
            values = []
            for formula in (verdict.candidate, verdict.reference):
                f, order = _mp(formula, names)
                values.append(f(*(mpmath.mpf(c.point[n]) for n in order)))
            differences.append(values[0] - values[1])
    assert differences[0] != 0
    assert mpmath.almosteq(differences[0], differences[1], rel_eps=mpmath.mpf(10) ** -20)


@pytest.mark.parametrize("candidate", AT_ONE_POINT)
def test_a_difference_at_one_exact_point_is_not_equal(candidate):
    verdict = check.equivalent(candidate, z)
    assert not verdict.equal
    assert "z = 7/3" in verdict.method
    assert candidate.subs(z, Rational(7, 3)) - Rational(7, 3) != 0  # SymPy, exactly


# --------------------------------------------------------------------------- F5: domains


@pytest.mark.parametrize(
    ("candidate", "reference", "domain", "equal"),
    [
        ("Abs(z)", "z", Interval(0, oo), True),  # |z| = z for z >= 0
        ("Abs(z)", "-z", Interval(-oo, 0), True),  # |z| = -z for z <= 0
        ("Abs(z)", "z", Interval(-oo, 0), False),  # |-1| = 1 != -1
        ("Min(z, 10**7)", "z", Interval(0, oo), False),  # differs for z > 10**7
        ("Max(z, -10**8)", "z", S.Reals, False),  # differs for z < -10**8
        ("z*(z + 1)", "z**2 + z", S.Reals, True),
    ],
)
def test_unbounded_domains_are_sampled(candidate, reference, domain, equal):
    assert check.equivalent(candidate, reference, domains={z: domain}).equal is equal


def test_domains_that_are_not_a_mapping_are_a_type_error():
    with pytest.raises(TypeError, match="domains must be a mapping"):
        check.equivalent("z", "z", domains=[(z, Interval(0, 1))])


@pytest.mark.parametrize("domain", [Interval(Symbol("a"), 1), FiniteSet(I), "0..1"])
def test_a_domain_that_cannot_be_sampled_is_refused_naming_domains(domain):
    with pytest.raises(check.CheckError, match=r"domains\[.z.\] must be an Interval"):
        check.equivalent("z", "z", domains={"z": domain})


# --------------------------------------------------------------------------- F3: limits

_xp = Symbol("x", positive=True)


@pytest.mark.parametrize(
    ("lhs", "rhs", "holds"),
    [
        (Limit(_xp / 10**300, _xp, oo), 0, False),  # the limit is oo (SymPy evaluates it)
        (Limit(_xp / 10**300, _xp, oo), oo, True),
        (Limit(-(10**11) - 1 / _xp, _xp, oo), -oo, False),  # the limit is -10**11
        (Limit(1 / log(log(_xp)), _xp, oo), 0, True),  # true, converges very slowly
        (Limit(1 / log(log(_xp)), _xp, oo), Rational(1, 10**6), False),
    ],
)
def test_a_limit_sympy_evaluates_decides_the_claim(lhs, rhs, holds):
    d = derivations.Derivation("t", "t", [derivations.step(lhs, rhs, "w")])
    if holds:
        d.verify()
    else:
        with pytest.raises(derivations.DerivationError, match="does not hold"):
            d.verify()


def test_a_proven_limit_fails_only_where_the_numbers_contradict_it():
    from derivations.verify.compare import limit_contradicts

    # 1/log(log(x)) at x = 10**(2**j), j = 1..7: slowly toward 0, never there.
    slow = [1 / mpmath.log(mpmath.log(mpmath.mpf(10) ** 2**j)) for j in range(1, 8)]
    zeros = [mpmath.mpf(0)] * 7
    assert not limit_contradicts("=", slow, zeros)
    settled = [mpmath.mpf(1) + mpmath.mpf(10) ** -j for j in range(1, 8)]  # settles at 1
    assert limit_contradicts("=", settled, zeros)
    away = [mpmath.mpf(j) for j in range(1, 8)]  # moves away
    assert limit_contradicts("=", away, zeros)


def test_a_point_whose_values_change_with_more_digits_is_not_a_difference():
    # cosh(1000)**2 - sinh(1000)**2 = 1 exactly; at 600 digits the cancellation (of two
    # numbers near 1e868) leaves noise: that point is reported as not evaluable, not as a
    # difference.
    from sympy import cosh, sinh

    verdict = check.equivalent(cosh(z) ** 2 - sinh(z) ** 2 + z, 1 + z)
    assert verdict.equal
    assert "not evaluable (the values changed with more digits)" in verdict.plan
