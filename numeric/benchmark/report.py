"""The benchmark's results as a plain-text table, and the targets they meet or miss."""

from __future__ import annotations

from typing import Any

__all__ = ["targets", "text"]

from numeric.benchmark.cases import BASELINE

_ORDER = (
    *("numeric", "out", "competent", "numpy", "lambdify", "scipy"),
    *("torch", "torch2", "jax", "matvec", "copy", "floor"),
)


def _ratio_cell(row: dict[str, Any] | None) -> str:
    if row is None:
        return ""
    return f"{row['ratio']:.2f} ({row['ratio_low']:.2f}-{row['ratio_high']:.2f})"


def _function_table(name: str, result: dict[str, Any], repeats: int) -> list[str]:
    timing, accuracy = result["timing"], result["accuracy"]
    sizes = list(timing)
    names = [n for n in _ORDER if n in result["labels"]]
    head = f"  {'':<9}" + "".join(f"{s:>20}" for s in sizes)
    lines = [
        f"{name}: numeric's time per element, then numeric ÷ this, median (quartiles) "
        f"over {repeats} rounds; accuracy on the grid",
        head + f"{'max ULP':>10}{'inf':>6}{'nan':>6}{'warn':>6}",
    ]
    for candidate in names:
        cells = []
        for size in sizes:
            row = timing[size].get(candidate)
            if candidate == "numeric" and row is not None:
                cells.append(f"{row['ns_per_element']:.2f} ns/el")
            else:
                cells.append(_ratio_cell(row))
        line = f"  {candidate:<9}" + "".join(f"{c:>20}" for c in cells)
        if candidate in accuracy:
            a = accuracy[candidate]
            line += f"{a['max_ulp']:>10.3g}{a['inf']:>6}{a['nan']:>6}{a['warnings']:>6}"
        lines.append(line)
    for candidate in names[1:]:
        lines.append(f"    {candidate}: {result['labels'][candidate]}")
    points = next(iter(accuracy.values()))["points"] if accuracy else 0
    lines.append(f"    grid: {result['grid']} ({points} values; ULPs against mpmath, 500 digits)")
    return lines


def _ratio(results: dict[str, Any], function: str, size: str, candidate: str) -> float | None:
    row = results["functions"].get(function, {}).get("timing", {}).get(size, {}).get(candidate)
    return None if row is None else row["ratio"]


def _ulp(results: dict[str, Any], function: str, candidate: str = "numeric") -> float | None:
    row = results["functions"].get(function, {}).get("accuracy", {}).get(candidate)
    return None if row is None else row["max_ulp"]


def targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Each target of the issue: what was measured, and whether it is met (None: not measured)."""
    found = []

    def add(target: str, value: str, met: bool | None) -> None:
        found.append({"target": target, "measured": value, "met": met})

    def both(*values: float | None) -> bool:
        return all(v is not None for v in values)

    for function, baseline in BASELINE.items():  # issue 19: the competent one-liners
        bound = 1.0 if function == "bce_with_logits" else 1.2
        # The Gaussian posterior's error is the sigmoid's 4 ULP times the conditioning of
        # t = (mu1 - mu0)(x - m)/s^2 in x (numeric.gaussian): its ULPs are reported only.
        most = float("inf") if function == "gaussian_posterior" else 4
        ratio, ulp = _ratio(results, function, "1e6", baseline), _ulp(results, function)
        label = results["functions"].get(function, {}).get("labels", {}).get(baseline, baseline)
        add(
            f"{function} at 1e6: <= {bound} x {label}" + (", <= 4 ULP" if most == 4 else ""),
            f"{ratio:.2f} x, {ulp:.3g} ULP" if both(ratio, ulp) else "not measured",
            ratio <= bound and ulp <= most if both(ratio, ulp) else None,
        )
    batch = results["functions"].get("bce_mean_gradient", {}).get("timing", {})
    for size, rows in batch.items():
        matvec, two_pass = rows["matvec"]["ratio"], rows["numpy"]["ratio"]
        add(
            f"bce_mean_gradient at {size}: <= 2.0 x one X @ w, and faster than the two-pass NumPy",
            f"{matvec:.2f} x X @ w, {two_pass:.2f} x two-pass",
            matvec <= 2.0 and two_pass < 1.0,
        )
    for function in ("bce_with_logits", "mse_gradient", "bce_gradient"):
        ratio, ulp = _ratio(results, function, "1e6", "lambdify"), _ulp(results, function)
        add(
            f"{function} at 1e6: >= 2 x faster than plain lambdify, <= 4 ULP",
            f"{1 / ratio:.2f} x faster, {ulp:.3g} ULP" if both(ratio, ulp) else "not measured",
            ratio <= 0.5 and ulp <= 4 if both(ratio, ulp) else None,
        )
    sympy = results.get("sympy") or {}
    if "import_numeric" in sympy:
        seconds = sympy["import_numeric"]
        add("import numeric < 1.5 s", f"{seconds:.3f} s", seconds < 1.5)
    if "first_call" in sympy:
        slowest = max(sympy["first_call"].values())
        add("first call of a function (not a target; reported)", f"at most {slowest:.2f} s", None)
    if "check" in sympy:
        wall = sympy["check"]["wall_seconds"]
        add(
            "python -m derivations check < 10 s",
            f"{wall:.1f} s",
            wall < 10 and sympy["check"]["ok"],
        )
    return found


def text(results: dict[str, Any]) -> str:
    """The whole report as text."""
    lines = [
        f"numeric.benchmark, {results['date']}: {results['machine']}",
        f"  {results['versions']}",
        f"  {results['method']}",
        *(f"  note: {n}" for n in results["notes"]),
        "",
    ]
    for name, result in results["functions"].items():
        lines += _function_table(name, result, results["repeats"])
        lines.append("")
    sympy = results.get("sympy")
    if sympy:
        lines.append("SymPy side (each in a fresh process)")
        lines.append(f"  import numeric      {sympy['import_numeric']:.3f} s")
        lines.append(f"  import derivations  {sympy['import_derivations']:.3f} s")
        for function, seconds in sympy.get("first_call", {}).items():
            lines.append(f"  first call of {function:<20} {seconds:.2f} s (compile the kernel)")
        if sympy.get("verify"):
            lines.append(f"  {'derivation':<40}{'verify s':>9}{'proven':>8}{'numeric':>8}")
            for row in sympy["verify"]:
                seconds, proven, numeric = row["seconds"], row["proven"], row["numeric"]
                lines.append(f"  {row['slug']:<40}{seconds:>9.2f}{proven:>8}{numeric:>8}")
            total = sum(r["seconds"] for r in sympy["verify"])
            lines.append(f"  {'sum, one after another':<40}{total:>9.2f}")
        if sympy.get("check"):
            check = sympy["check"]
            lines.append(
                f"  python -m derivations check: {check['wall_seconds']:.1f} s wall, "
                f"process included ({check['summary']})"
            )
        lines.append("")
    lines.append("Targets")
    for t in targets(results):
        verdict = {True: "met", False: "NOT met", None: "-"}[t["met"]]
        lines.append(f"  [{verdict:>7}] {t['target']}: {t['measured']}")
    return "\n".join(lines)
