"""Mutation testing of the package's core modules with mutmut: how many planted bugs the unit tests catch.

    python tools/mutation.py                      # every module below (about 20 minutes with 2 workers; see README)
    python tools/mutation.py losses train         # some of them
    python tools/mutation.py --fresh divergences  # start over: mutmut keeps earlier verdicts, even after tests change

Each module runs in its own copy of the package under build/mutation/<module>/ (mutmut writes its
mutants/ there, never into the repo), against the test files that exercise it; mutmut runs, for each
mutant, only the tests that reach the mutated function. The script prints, per module, killed /
survived / timed out / untested and the score, and writes every survivor's diff, with the reason it
is accepted where one is recorded in ACCEPTED, to build/mutation/survivors.md. A measurement like the
benchmarks, not part of `make test`.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "build" / "mutation"
MUTMUT = Path(sys.executable).with_name("mutmut")

# module -> the test files that exercise it (mutmut picks, per mutant, the tests reaching the function)
MODULES = {
    "divergences": ["test_divergences.py", "test_bad_input.py", "test_transport.py"],
    "losses": ["test_losses.py", "test_train.py", "test_bad_input.py"],
    "train": ["test_train.py", "test_bad_input.py", "test_models.py"],
    "metrics": ["test_metrics.py", "test_bad_input.py", "test_information.py"],
    "transport": ["test_transport.py", "test_bad_input.py"],
    "critics": ["test_critics.py", "test_bad_input.py"],
    "elbo": ["test_vae.py", "test_bad_input.py"],
    "information": ["test_information.py", "test_bad_input.py"],
    "judge": ["test_judge.py", "test_metrics.py", "test_bad_input.py"],
    "exercises": ["test_exercises.py"],
}

# Survivors accepted after reading them: mutant name -> why it changes nothing observable, or why it stays.
CPU = "changes nothing on a CPU-only machine (this one): the tensors are on the CPU either way"
FLOAT32 = "gan_course.fit casts floating data to float32 itself"
PROMOTES = ("numpy's arithmetic makes the same float64 results from integer or float input; an object array "
            "(Fractions) would differ, and is not a documented input here")
SAME_CASE = "another case of the same kind tests the answer as well"
DEFAULT_TOL = "equal to the library's default"
HINT = "only picks which hint a wrong answer gets; the verdict is False either way"
SEEDS = "the seed is still drawn afresh at each check"
FLOAT64 = ("the drawn values as float64 rather than float32 tensors: compared in float64 either way, and none is "
           "near float32's limits")
CLAMP = "the checker's pairs are never near parallel: the cosine stays far inside [-1, 1] and no clamp acts"
ROWVAR = "np.cov reads rowvar=None as False"
ACCEPTED: dict[str, str] = {
    "gan_course.losses.xǁInfoGANǁto__mutmut_1": CPU,
    "gan_course.losses.x_gradient_penalty__mutmut_15": CPU,
    "gan_course.losses.x_gradient_penalty__mutmut_19": CPU,
    "gan_course.elbo.x_train_vae__mutmut_17": FLOAT32,
    "gan_course.elbo.x_train_vae__mutmut_19": FLOAT32,
    "gan_course.elbo.x_train_vae__mutmut_53": CPU,
    "gan_course.elbo.x_train_vae__mutmut_64": CPU,
    "gan_course.information.x__entropy_of_counts__mutmut_3": PROMOTES,
    "gan_course.information.x__entropy_of_counts__mutmut_5": PROMOTES,
    **{f"gan_course.divergences.x_wasserstein_1d__mutmut_{n}": PROMOTES for n in (9, 11, 20, 22)},
    **{f"gan_course.divergences.x_optimal_discriminator__mutmut_{n}": PROMOTES for n in (4, 6, 8, 10)},
    **{f"gan_course.divergences.x_least_squares_discriminator__mutmut_{n}": PROMOTES for n in (3, 5, 7, 9)},
    "gan_course.divergences.x_cell_widths__mutmut_30": "widths start at zero: = and += give the same first half-gaps",
    **{f"gan_course.divergences.x_chi2__mutmut_{n}": "the inner where never divides by zero, and the outer one "
       "discards the points it masks; no warning either way" for n in (8, 9, 10, 11, 35, 37)},
    **{f"gan_course.divergences.x_gan_value__mutmut_{n}": "where p (or q) is 0 the logit is masked to a finite "
       "value and the term is 0 either way" for n in (24, 42, 51, 68)},
    **{f"gan_course.divergences.x_js_torch__mutmut_{n}": "kl_torch normalizes its arguments: a scaled midpoint "
       "is the same distribution" for n in (9, 11)},
    **{f"gan_course.divergences.x_fit_gaussian__mutmut_{n}": PROMOTES for n in (16, 18)},
    **{f"gan_course.divergences.x_fit_gaussian__mutmut_{n}": "scipy reads method names in any case"
       for n in (100, 101)},
    **{f"gan_course.divergences.x_fit_gaussian__mutmut_{n}": "Nelder-Mead stops only when both xatol and fatol "
       "hold; the other still holds the fit" for n in (104, 107)},
    **{f"gan_course.divergences.x_fit_gaussian__mutmut_{n}": "a start one grid point off the peak converges to "
       "the same fit" for n in (53, 67)},
    "gan_course.divergences.x_fit_gaussian__mutmut_74": "a third start can only lower the best KL found; the "
    "tested densities have at most two peaks that win",
    **{f"gan_course.divergences.x_fit_gaussian__mutmut_{n}": "accepted: Nelder-Mead's default stop (1e-4 in x "
       "and in KL) moves the tested fits by less than their 0.01 tolerance" for n in (93, 97)},
    "gan_course.divergences.x__is_tensor__mutmut_1": "accepted: among the course's inputs only torch tensors "
    "have .detach, so either test picks them",
    "gan_course.divergences.x_parallel_lines_distances__mutmut_1": "every n gives the same distances (W1 = "
    "|theta|, JS = log 2, KL = inf, TV = 1): the example's point",
    "gan_course.divergences.x_parallel_lines_distances__mutmut_19": "the example's points differ by far more "
    "than 1e-12: rounding to 12 or 13 digits merges none",
    "gan_course.divergences.x_fit_gaussian__mutmut_115": "the best fit is within 1e-7 of itself with < as with <=",
    **{f"gan_course.transport.x_transport_plan__mutmut_{n}": "linprog's defaults are bounds (0, None) and the "
       "HiGHS method, in any case" for n in (40, 45, 46, 51)},
    **{f"gan_course.transport.x_{name}": PROMOTES for name in (
        "transport_plan__mutmut_8", "transport_plan__mutmut_10", "cost_matrix__mutmut_10", "cost_matrix__mutmut_12",
        "cost_matrix__mutmut_20", "cost_matrix__mutmut_22", "match_points__mutmut_4", "match_points__mutmut_6",
        "match_points__mutmut_8", "match_points__mutmut_10")},
    "gan_course.transport.x_transport_plan__mutmut_54": "never raised: a balanced transport problem is always "
    "feasible",
    "gan_course.transport.x_reference_plans__mutmut_27": "a row's remainder is never exactly 1e-15 in the "
    "lesson's plans: < and <= agree",
    "gan_course.transport.x_reference_plans__mutmut_21": "the corner rule visits each cell once: = and += agree",
    **{f"gan_course.metrics.x_{name}": CPU for name in (
        "mode_coverage__mutmut_3", "mode_coverage__mutmut_5", "_judge__mutmut_8", "_judge__mutmut_9",
        "class_coverage__mutmut_25", "inception_score__mutmut_9", "frechet_distance__mutmut_4",
        "precision_recall__mutmut_13", "judge_scores__mutmut_3", "scorecard__mutmut_5", "scorecard__mutmut_9",
        "knn_precision_recall__mutmut_23", "knn_precision_recall__mutmut_25")},
    **{f"gan_course.metrics.x_{name}": PROMOTES for name in (
        "mode_coverage__mutmut_12", "mode_coverage__mutmut_14", "mode_coverage__mutmut_29",
        "mode_coverage__mutmut_31")},
    **{f"gan_course.metrics.x__judge__mutmut_{n}": CPU for n in (10, 11)},
    "gan_course.metrics.x_mode_coverage__mutmut_68": "a shorter count vector (no trailing empty modes) gives the "
    "same modes and the same KL, which divides by len(centers)",
    "gan_course.metrics.x__frechet_of__mutmut_19": "torchmetrics reads real=None as False: the fake side",
    **{f"gan_course.metrics.x_knn_precision_recall__mutmut_{n}": "float64 points instead of float32: the same "
       "neighbours" for n in (20, 22)},
    "gan_course.metrics.x__precision_recall_of__mutmut_12": "kthvalue's default dim is the last, the same here",
    "gan_course.metrics.x__distances__mutmut_6": "the matrix-product and direct distances differ by rounding only",
    **{f"gan_course.metrics.x_memorization__mutmut_{n}": "the digits have one channel: flatten(2) and flatten(1) "
       "give the same distances (through a batched cdist that crashed the test process in some runs)"
       for n in (12, 31)},
    "gan_course.metrics.x_memorization__mutmut_69": "a generated digit exactly at the held-out 1% quantile: "
    "< and <= agree",
    **{f"gan_course.metrics.x_scorecard__mutmut_{n}": "accepted: the tests give scorecard the default judge and "
       "held-out outputs read from the held-out images, so either path gives the same numbers" for n in (4, 8, 11)},
    **{f"gan_course.judge.x_to_judge_scale__mutmut_{n}": "a pixel exactly at the 1e-4 tolerance's edge: < and <= "
       "agree" for n in (36, 39)},
    "gan_course.judge.x_to_judge_scale__mutmut_5": "tuple() of a range that is not a list or tuple raises, and "
    "check_choice refuses it either way",
    "gan_course.metrics.x_class_coverage__mutmut_4": "check_positive refuses 0 before the bounds are read",
    **{f"gan_course.metrics.x_{name}": "batches only split the work: the same features either way" for name in (
        "frechet_distance__mutmut_1", "frechet_distance__mutmut_17", "_outputs_of__mutmut_1",
        "_outputs_of__mutmut_24")},
    **{f"gan_course.judge.x_{name}": CPU for name in (
        "augment__mutmut_12", "augment__mutmut_17", "train_judge__mutmut_53", "train_judge__mutmut_65")},
    **{f"gan_course.judge.x_augment__mutmut_{n}": "the images are float32, torch's default dtype" for n in (13, 18)},
    "gan_course.judge.x_augment__mutmut_77": "bilinear is grid_sample's default mode",
    **{f"gan_course.critics.x_{name}__mutmut_{n}": "TrainSettings refuses batch_size=0 with the same message"
       for name, n in (("train_critic", 30), ("fit_discriminator", 22))},
    **{f"gan_course.critics.x_{name}__mutmut_1": "accepted: pinning the 2,000-step default costs a 2,000-step "
       "run; the lessons pass steps themselves" for name in ("train_critic", "fit_discriminator")},
    "gan_course.critics.x_fit_discriminator__mutmut_73": "TrainSettings' default batch is 256, fit_discriminator's",
    **{f"gan_course.critics.{name}": CPU for name in (
        "xǁ_Indicesǁsample__mutmut_4", "xǁ_Indicesǁsample__mutmut_8", "x__as_points__mutmut_8",
        "x__as_points__mutmut_11", "x_train_critic__mutmut_129", "x_train_critic__mutmut_136")},
    **{f"gan_course.critics.x_{name}": CPU for name in (
        "train_critic__mutmut_47", "train_critic__mutmut_48", "train_critic__mutmut_55", "fit_discriminator__mutmut_33",
        "fit_discriminator__mutmut_34", "fit_discriminator__mutmut_41", "fit_discriminator__mutmut_86",
        "fit_discriminator__mutmut_93")},
    **{f"gan_course.train.xǁTrainerǁ{name}": CPU for name in (
        "__init____mutmut_3", "__init____mutmut_4", "__init____mutmut_9", "__init____mutmut_10",
        "__init____mutmut_11", "__init____mutmut_16", "_data__mutmut_7", "_data__mutmut_10", "_data__mutmut_19",
        "_data__mutmut_21", "sample_latent__mutmut_3", "sample_latent__mutmut_6", "sample_real__mutmut_10",
        "sample_real__mutmut_14", "sample_real__mutmut_19", "sample_real__mutmut_23")},
    "gan_course.train.xǁTrainerǁ_check_parts__mutmut_44": "accepted: mutmut's trampoline adds a frame, so "
    "the warning's stack level cannot be pinned under it (the test checks it leaves the package)",
    "gan_course.train.xǁTrainerǁ_check_parts__mutmut_26": "a loss without gp_weight reads as 0 or None: both false",
    "gan_course.train.xǁTrainerǁ_grad_norm__mutmut_4": "never reached: in a step every optimizer's parameters get "
    "gradients",
    "gan_course.train.xǁTrainerǁstep__mutmut_12": "only a G without parameters has no optimizer, and it serves "
    "d_step alone, never step()",
    "gan_course.train.xǁTrainerǁrun__mutmut_8": "check_count's default minimum is 0 already",
    "gan_course.train.xǁTrainSettingsǁ__post_init____mutmut_44": "check_count's default minimum is 0 already",
    **{f"gan_course.train.xǁTrainerǁ_grad_norm__mutmut_{n}": "both branches compute the same norms; torch 2.14 "
       "has _foreach_norm, so the other branch never runs here" for n in (6, 7, 9, 15)},
    **{f"gan_course.train.xǁTrainerǁ_descend__mutmut_{n}": "backward writes the same gradients into zeroed "
       "tensors as into fresh ones; only memory differs" for n in (10, 11)},
    "gan_course.exercises.x__tripwire_code__mutmut_7": "with no free variables the kept line is an empty "
    "`if False: ()`: dead code, the same free variables",
    **{f"gan_course.exercises.x__unchanged__mutmut_{n}": "no checker's inputs hold NaN: equal_nan changes nothing"
       for n in (3, 6, 7)},
    "gan_course.exercises.x__number__mutmut_19": "astype(None) is float64, as astype(float)",
    **{f"gan_course.exercises.x__fresh_rng__mutmut_{n}": "still seeded afresh from the OS at each check"
       for n in (1, 5, 7)},
    "gan_course.exercises.x_check_inverse_cdf_sampler__mutmut_60": "the fixed sample's KS p-value is never exactly "
    "1e-3: < and <= agree",
    **{f"gan_course.exercises.x__inverse_cdf_of__mutmut_{n}": "x comes from _array, a float array already"
       for n in (3, 5)},
    "gan_course.exercises.x__inverse_cdf_of__mutmut_6": "never reached: x comes from _array, and asarray of a float "
    "array does not raise",
    "gan_course.exercises.x__inverse_cdf_of__mutmut_16": DEFAULT_TOL,
    "gan_course.exercises.x_check_js_from_kl__mutmut_8": "a continuous uniform draw is never exactly 0.3",
    "gan_course.exercises.x_check_js_from_kl__mutmut_13": SAME_CASE,
    **{f"gan_course.exercises.x_check_js_from_kl__mutmut_{n}": DEFAULT_TOL for n in (94, 146)},
    "gan_course.exercises.x_check_js_from_kl__mutmut_147": HINT,
    **{f"gan_course.exercises.x_check_js_from_kl__mutmut_{n}": "dividing by the sum gives the same float64 "
       "distribution from a list of ints as of floats" for n in (55, 57, 61, 63)},
    **{f"gan_course.exercises.x_check_w1_by_sorting__mutmut_{n}": DEFAULT_TOL for n in (88, 144)},
    **{f"gan_course.exercises.x_check_generator_loss__mutmut_{n}": SAME_CASE for n in (25, 26)},
    **{f"gan_course.exercises.x_check_generator_loss__mutmut_{n}": FLOAT64 for n in (16, 18)},
    **{f"gan_course.exercises.x_check_generator_loss__mutmut_{n}": DEFAULT_TOL for n in (80, 127)},
    **{f"gan_course.exercises.x_check_gaussian_kl__mutmut_{n}": DEFAULT_TOL for n in (117, 186, 219)},
    "gan_course.exercises.x_check_slerp__mutmut_82": "an error exactly at the tolerance never occurs: < and <= agree",
    "gan_course.exercises.x_check_slerp__mutmut_96": "_slerp_hint never reads want",
    **{f"gan_course.exercises.x__slerp_formula__mutmut_{n}": CLAMP for n in (4, 5, 7, 11, 12)},
    **{f"gan_course.exercises.x__slerp_hint__mutmut_{n}": CLAMP for n in (24, 25, 27, 31, 32)},
    "gan_course.exercises.x__slerp_hint__mutmut_54": "z0 . z1 of the drawn pairs is never exactly 0: < and <= agree",
    **{f"gan_course.exercises.x__slerp_hint__mutmut_{n}": HINT for n in (55, 85)},
    **{f"gan_course.exercises.x_check_gradient_penalty__mutmut_{n}": HINT for n in (9, 11, 13, 187, 215)},
    **{f"gan_course.exercises.x_check_gradient_penalty__mutmut_{n}": SEEDS for n in (88, 90)},
    "gan_course.exercises.x_check_gradient_penalty__mutmut_272": "a float32 weight's gradient is float32, want_grad's "
    "dtype: the cast does nothing",
    "gan_course.exercises.x_check_gradient_penalty__mutmut_273": "an error exactly at the tolerance never occurs: < "
    "and <= agree",
    **{f"gan_course.exercises.x__far_outputs__mutmut_{n}": SAME_CASE
       for n in (9, 10, 25, 26, 29, 30)},
    "gan_course.exercises.x__far_outputs__mutmut_18": "dividing by [-1, 1] is multiplying by it",
    **{f"gan_course.exercises.x__far_outputs__mutmut_{n}": FLOAT64 for n in (32, 34)},
    **{f"gan_course.exercises.x_check_lsgan_losses__mutmut_{n}": DEFAULT_TOL for n in (144, 145, 270)},
    "gan_course.exercises.x_check_lsgan_losses__mutmut_235": HINT,
    **{f"gan_course.exercises.x_check_info_bound__mutmut_{n}": SAME_CASE
       for n in (6, 31, 37, 68, 69, 70, 71, 72, 73, 82, 84, 85, 86)},
    **{f"gan_course.exercises.x_check_info_bound__mutmut_{n}": FLOAT64 for n in (18, 20)},
    **{f"gan_course.exercises.x_check_info_bound__mutmut_{n}": DEFAULT_TOL for n in (154, 257)},
    **{f"gan_course.exercises.x_check_info_bound__mutmut_{n}": "every slip is a float64 tensor already"
       for n in (259, 261)},
    **{f"gan_course.exercises.x__frechet__mutmut_{n}": ROWVAR for n in (9, 16)},
    "gan_course.exercises.x__frechet__mutmut_24": "the covariances are full rank, so S_r S_f has real positive "
    "eigenvalues: the complex cast changes only rounding",
    "gan_course.exercises.x_check_frechet_distance__mutmut_9": SAME_CASE,
    **{f"gan_course.exercises.x_check_frechet_distance__mutmut_{n}": ROWVAR for n in (88, 94, 135, 140)},
    **{f"gan_course.exercises.x_check_frechet_distance__mutmut_{n}": HINT for n in (169, 223)},
}

STATUS = re.compile(r"^\s*(gan_course\.\S+):\s*(\S.*)$")


def prepare(module: str, fresh: bool) -> Path:
    """A copy of the package and the tests under build/mutation/<module>/, with a [tool.mutmut] section."""
    work = OUT / module
    if fresh and work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True, exist_ok=True)
    for name in ("gan_course", "tests"):
        shutil.rmtree(work / name, ignore_errors=True)
        shutil.copytree(ROOT / name, work / name, ignore=shutil.ignore_patterns("__pycache__"))
    tests = ", ".join(f'"tests/{t}"' for t in MODULES[module])
    config = (ROOT / "pyproject.toml").read_text().split("\n[tool.mutmut]")[0]
    config += f"""
[tool.mutmut]
source_paths = ["gan_course/"]
only_mutate = ["gan_course/{module}.py"]
also_copy = ["gan_course/checkpoints/"]
pytest_add_cli_args = ["-p", "no:cacheprovider", "-p", "no:xdist", "-W", "ignore::DeprecationWarning"]
pytest_add_cli_args_test_selection = [{tests}]
"""
    (work / "pyproject.toml").write_text(config)
    return work


def run(module: str, jobs: int, fresh: bool) -> bool:
    """mutmut over one module; False (with the end of its log printed) when mutmut itself failed."""
    work = prepare(module, fresh)
    env = dict(os.environ, OMP_NUM_THREADS="1", GAN_COURSE_BUDGET="quick")
    start = time.perf_counter()
    with open(work / "mutmut.log", "w") as log:
        done = subprocess.run([str(MUTMUT), "run", "--max-children", str(jobs)], cwd=work, env=env,
                              stdout=log, stderr=subprocess.STDOUT)
    if done.returncode:
        tail = (work / "mutmut.log").read_text()[-3000:]
        print(f"mutmut failed on {module} (exit {done.returncode}); the end of {work / 'mutmut.log'}:\n{tail}",
              file=sys.stderr, flush=True)
        return False
    seconds = time.perf_counter() - start
    print(f"{module}: {summary(status(module))}, {seconds:.0f} s", flush=True)
    return True


def status(module: str) -> dict[str, str]:
    """mutant name -> mutmut's verdict (killed, survived, timeout, no tests, ...) from the module's last run."""
    listing = subprocess.run([str(MUTMUT), "results", "--all", "true"], cwd=OUT / module, capture_output=True,
                             text=True, check=True).stdout
    return {m.group(1): m.group(2).strip() for m in map(STATUS.match, listing.splitlines()) if m}


def summary(verdicts: dict[str, str]) -> str:
    counts = {k: sum(v == k for v in verdicts.values()) for k in ("killed", "survived", "timeout")}
    other = len(verdicts) - sum(counts.values())
    score = counts["killed"] + counts["timeout"]
    return (f"{score}/{len(verdicts)} caught ({100 * score / max(len(verdicts), 1):.1f}%): {counts['killed']} killed, "
            f"{counts['timeout']} timed out, {counts['survived']} survived, {other} other")


# every survivor's diff in one process (`mutmut show` takes about a second each; mutmut 3.8.1's own function)
DIFFS = """import json, sys
from mutmut.mutation.diff_apply import find_mutant, get_diff_for_mutant
print(json.dumps({n: get_diff_for_mutant(n, path=find_mutant(n).path) for n in sys.argv[1:]}))"""


STRING = re.compile(r'''[rbuf]*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')''', re.IGNORECASE)
WORDING = "only a string literal's text changes (a message or a label)"


def wording_only(diff: str) -> bool:
    """True when a mutant changes nothing but the text inside string literals."""
    lines = diff.splitlines()
    removed = [STRING.sub('""', line[1:]) for line in lines if line.startswith("-") and not line.startswith("---")]
    added = [STRING.sub('""', line[1:]) for line in lines if line.startswith("+") and not line.startswith("+++")]
    return bool(added) and removed == added


def report(module: str) -> None:
    """The module's score and each survivor's diff, with its reason, in build/mutation/<module>/survivors.md;
    then every module's, in MODULES' order, in build/mutation/survivors.md. Prints how many survivors
    have a recorded reason, how many change only a string's text, and how many have neither."""
    verdicts = status(module)
    missed = [name for name, state in verdicts.items() if state not in ("killed", "timeout")]
    diffs = json.loads(subprocess.run([sys.executable, "-c", DIFFS, *missed], cwd=OUT / module, capture_output=True,
                                      text=True, check=True).stdout) if missed else {}
    reasons = {name: ACCEPTED.get(name) or (WORDING if wording_only(diffs[name]) else None) for name in missed}
    kinds = {"reason recorded": sum(name in ACCEPTED for name in missed),
             "wording": sum(reasons[name] == WORDING and name not in ACCEPTED for name in missed),
             "no reason": sum(reason is None for reason in reasons.values())}
    print(f"{module}: of {len(missed)} not caught, " + ", ".join(f"{v} {k}" for k, v in kinds.items()), flush=True)
    lines = [f"## {module}: {summary(verdicts)}", ""]
    for name in missed:
        lines += [f"### {name} ({verdicts[name]})", "", f"Accepted: {reasons[name] or 'no reason recorded'}", "",
                  "```diff", diffs[name].strip(), "```", ""]
    (OUT / module / "survivors.md").write_text("\n".join(lines))
    parts = [(OUT / m / "survivors.md").read_text() for m in MODULES if (OUT / m / "survivors.md").exists()]
    (OUT / "survivors.md").write_text("\n".join(["# Surviving mutants", "", *parts]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("modules", nargs="*", metavar="MODULE", help=f"some of: {', '.join(MODULES)} (default all)")
    parser.add_argument("--fresh", action="store_true", help="forget earlier results")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="mutants run at once")
    args = parser.parse_args()
    unknown = sorted(set(args.modules) - set(MODULES))
    if unknown:
        parser.error(f"MODULE: no such module {unknown}; choose from {', '.join(MODULES)}")
    if not MUTMUT.exists():
        sys.exit(f"mutmut is missing: {MUTMUT}; `make mutation` installs it")
    failed = []
    for module in args.modules or MODULES:
        if run(module, args.jobs, args.fresh):
            report(module)
        else:
            failed.append(module)
    print(f"survivors: {OUT / 'survivors.md'}")
    if failed:
        sys.exit(f"mutmut failed on: {', '.join(failed)}")


if __name__ == "__main__":
    main()
