"""numeric.benchmark runs on tiny sizes and reports what it measured; its timings are not tested."""

import json

import numpy as np
import pytest

from numeric.benchmark import cases, cli, measure, report, rivals


def _tiny(**options):
    settings = dict(sizes=[300], batch_shape=(40, 3), repeats=2, subprocess=False, sympy=False)
    return cli.run(**{**settings, **options})


def test_every_function_runs_and_reports_speed_and_accuracy():
    results = _tiny()
    assert list(results["functions"]) == list(cases.CASES)
    for name, result in results["functions"].items():
        timing = next(iter(result["timing"].values()))
        assert {"numeric", "numpy", "copy"} <= set(timing), name
        for row in timing.values():
            assert row["seconds"] > 0 and row["ratio_low"] <= row["ratio"] <= row["ratio_high"]
        assert timing["numeric"]["ratio"] == 1.0  # numeric against itself, round by round
        assert "copy" not in result["accuracy"]  # a copy computes nothing to compare
    assert {t["target"].split(":")[0] for t in results["targets"]} >= {"sigmoid at 1e6"}


def test_accuracy_of_the_toolkit_against_the_naive_forms():
    # The grid reaches |z| = 1000: the naive sigmoid overflows (and warns) below -709, and
    # sigma(z) - 1 rounds to 0 for z > 37; the toolkit stays within the 4 ULP.
    for function in ("sigmoid", "bce_with_logits", "bce_gradient", "log_sigmoid"):
        rows = measure.accuracy(function)
        assert rows["numeric"]["max_ulp"] <= 4, function
        assert rows["numeric"]["inf"] == rows["numeric"]["nan"] == rows["numeric"]["warnings"] == 0
        assert rows["numpy"]["max_ulp"] > 1e6 or rows["numpy"]["nan"] > 0, function
    assert measure.accuracy("sigmoid")["numpy"]["warnings"] > 0  # overflow in exp


def test_ulp_error_counts_nan_and_wrong_infinities_as_infinite():
    got = np.array([1.0, np.nextafter(1.0, 2.0), np.nan, np.inf, np.inf, 0.0])
    want = np.array([1.0, 1.0, 0.5, np.inf, 1.0, 5e-324])
    np.testing.assert_array_equal(measure.ulp_error(got, want), [0, 1, np.inf, 0, np.inf, 1])


def test_missing_optional_libraries_are_skipped_with_a_note(monkeypatch):
    real = cases.optional_module

    def without(name):
        return None if name.split(".")[0] in ("scipy", "torch") else real(name)

    monkeypatch.setattr(cases, "optional_module", without)
    monkeypatch.setattr(rivals, "optional_module", without)
    monkeypatch.setattr(cli, "optional_module", without)
    results = _tiny(functions=["sigmoid"])
    assert set(results["functions"]["sigmoid"]["timing"]["300"]) == {
        "numeric",
        "out",
        "numpy",
        "lambdify",
        "copy",
        "floor",
    }
    assert any("SciPy is not installed" in n for n in results["notes"])
    assert any("PyTorch is not installed" in n for n in results["notes"])


def test_a_case_in_a_fresh_process_with_steady_malloc():
    rows = measure.time_case_in_subprocess("sigmoid", 200, repeats=2)
    assert rows["numeric"]["ratio"] == 1.0 and rows["copy"]["seconds"] > 0


def test_text_and_targets_from_results():
    results = _tiny(functions=["sigmoid", "bce_mean_gradient"], sizes=[1000])
    text = report.text(results)
    assert "sigmoid: numeric's time per element" in text
    assert "memory floor" in text and "MALLOC" not in text  # in-process: no malloc settings
    verdicts = {t["target"]: t["met"] for t in report.targets(results)}
    assert verdicts["sigmoid at 1e6: <= 1.2 x 1/(1+np.exp(-z)), <= 4 ULP"] is None  # not at 1e6
    batch = [t for t in verdicts if t.startswith("bce_mean_gradient at")]
    assert len(batch) == 1 and verdicts[batch[0]] in (True, False)  # measured, either way


def test_command_line_json_and_sympy_side(capsys):
    code = cli.main(
        [
            "--functions",
            "sigmoid",
            "--sizes",
            "100",
            "--repeats",
            "2",
            "--in-process",
            "--derivations",
            "sigmoid-two-forms",
            "--json",
        ]
    )
    assert code == 0
    results = json.loads(capsys.readouterr().out)
    sympy = results["sympy"]
    assert sympy["import_numeric"] > 0 and sympy["first_call"]["sigmoid"] > 0
    assert [row["slug"] for row in sympy["verify"]] == ["sigmoid-two-forms"]
    assert sympy["check"]["ok"] and "1 derivations, all verified" in sympy["check"]["summary"]


def test_bad_options_are_refused(capsys):
    with pytest.raises(SystemExit):
        cli.main(["--functions", "tanh"])
    assert "unknown function(s) tanh" in capsys.readouterr().err
    with pytest.raises(ValueError, match="positive"):
        cli.run(functions=["sigmoid"], sizes=[0], sympy=False, subprocess=False)


def test_the_fixed_cost_table_compares_each_function_with_its_hand_written_form(capsys):
    # Structure only: the numbers are timings. The hand-written forms compute the same values.
    import numeric
    from numeric.benchmark import fixed_cost

    z = np.linspace(-5, 5, 11)
    for name, (hand, _, arity) in fixed_cost.HAND_WRITTEN.items():
        args = (z, np.full(11, 0.25))[:arity]
        # s*(1 - s) cancels in 1 - s: about e^|z| eps = 3.3e-14 relative at |z| = 5.
        np.testing.assert_allclose(hand(*args), getattr(numeric, name)(*args), rtol=1e-13)
    rows = fixed_cost.measure(rounds=1, number=2)
    assert [(r["input"], r["function"]) for r in rows[:4]] == [
        ("float", name) for name in fixed_cost.HAND_WRITTEN
    ]
    assert all(r["ratio"] == r["numeric_s"] / r["hand_s"] for r in rows)
    assert {r["input"]: r["target"] for r in rows} == {"float": 3.0, "10": None, "1e3": 1.5}
    assert cli.main(["--fixed-cost", "--repeats", "1"]) == 0
    assert "bce_with_logits" in capsys.readouterr().out


def test_the_report_names_the_simd_targets(monkeypatch):
    assert cli.simd().startswith("NumPy SIMD: baseline ")
    monkeypatch.setenv("NPY_DISABLE_CPU_FEATURES", cli.AVX2["NPY_DISABLE_CPU_FEATURES"])
    text = cli.simd()
    assert (
        text.endswith("(disabled: X86_V4 AVX512_ICL)")
        and "AVX512_ICL" not in text.split(";")[1].split("(")[0]
    )


def test_every_benchmarked_function_has_a_first_call():
    # The full run times the first call of each function in a fresh process: a function
    # without one there ended a long run with a KeyError after all its timings.
    from numeric.benchmark.cli import CASES
    from numeric.benchmark.sympy_side import FIRST_CALLS

    assert set(CASES) <= set(FIRST_CALLS)
