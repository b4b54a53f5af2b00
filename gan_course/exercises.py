"""Checkers for the lessons' "try it" exercises. Each prints a verdict and returns True or False;
none raises on a wrong answer, so a learner's notebook keeps running.

A checker tries the learner's function on fixed inputs and on inputs drawn afresh at each
check (so an answer written in for the notebook's case fails), refuses answers that change
their inputs in place, and switches off, while the function runs, the library functions that
would do the exercise for it (by swapping their code objects, so every route to the same
function object is caught). What that cannot catch: compiled functions (such as
``scipy.optimize.linear_sum_assignment``), a copy of a function's code made before the check,
and a module reloaded during it; and while a check runs, the switched-off functions refuse
every caller in the process, other threads included."""

from __future__ import annotations

import contextlib
import os

import numpy as np
from scipy import stats


def _verdict(ok: bool, message: str) -> bool:
    print(("Correct! " if ok else "Not yet: ") + message)
    return ok


_TRIPWIRE = "gan_course: this function does the exercise for you: "


@contextlib.contextmanager
def _forbidden(functions):
    """While the block runs, each of ``functions`` raises instead of answering, however the
    learner's code reached it (an import, an alias, a default argument): its code object is
    swapped for a tripwire's (:func:`_tripwire_code`), then restored."""
    saved = [(f, f.__code__) for f in functions]
    try:
        for f, code in saved:
            f.__code__ = _tripwire_code(f"{f.__module__.split('._')[0]}.{f.__qualname__}", len(code.co_freevars))
        yield
    finally:
        for f, code in saved:
            f.__code__ = code


def _tripwire_code(name: str, free: int):
    """The code of a function that raises ``RuntimeError(_TRIPWIRE + name)``, with ``free`` free
    variables: Python swaps a function's code only for one with as many as its closure holds (a
    decorated or wrapped function has some). They are named, never read; the message is a
    constant and ``RuntimeError`` a builtin, so the code needs none of the function's globals."""
    cells = "".join(f"    c{i} = None\n" for i in range(free))
    keep = f"        if False:\n            ({''.join(f'c{i}, ' for i in range(free))})\n" if free else ""
    source = (f"def outer():\n{cells}    def tripwire(*args, **kwargs):\n{keep}"
              f"        raise RuntimeError({_TRIPWIRE + name!r})\n    return tripwire\n")
    scope = {}
    exec(source, scope)  # a fixed template: only ``name``, as a string literal, comes from outside
    return scope["outer"]().__code__


def _call(fn, args, expected: str, forbid=(), convert=None):
    """Run the learner's ``fn(*args)`` with the library functions ``forbid`` switched off, and
    turn its result into what the checker compares with ``convert`` inside that same block
    (so a result that computes itself lazily cannot reach a library function afterwards).

    Returns (result, None), or (None, why it gave nothing usable): an exception, None, a
    result ``convert`` cannot read, or arguments changed in place (the checker's expected
    values come from them)."""
    before = [_snapshot(a) for a in args]
    with _forbidden(forbid):
        try:
            result = fn(*args)
            if result is None:
                return None, f"your function returned None; return {expected}"
        except Exception as exc:  # the learner's code: report, don't crash the notebook
            return None, _raised(exc)
        if convert is not None:
            try:
                result = convert(result)
            except Exception as exc:
                tripped = _raised(exc)
                return None, tripped if "does the exercise" in tripped else \
                    f"return {expected}, not {type(result).__name__} ({exc})"
    if not all(_unchanged(a, b) for a, b in zip(args, before)):
        return None, "your function changed its inputs in place; leave them as they are"
    return result, None


def _raised(exc) -> str:
    if isinstance(exc, RuntimeError) and str(exc).startswith(_TRIPWIRE):
        return f"your function calls {str(exc)[len(_TRIPWIRE):]}, which does the exercise for you; " \
               "write it yourself from the formula"
    return f"your function raised {type(exc).__name__}: {exc}"


def _snapshot(a):
    return a.copy() if isinstance(a, np.ndarray) else a.detach().clone() if hasattr(a, "detach") else a


def _unchanged(a, before) -> bool:
    if isinstance(a, np.ndarray):
        return np.array_equal(a, before, equal_nan=True)
    if hasattr(a, "detach"):
        return bool(a.detach().equal(before))
    return True


def _number(result) -> float:
    """One number from a float, a 0-d or one-element array or tensor (not a string, not a complex number)."""
    if isinstance(result, (str, bytes)):
        raise TypeError("it is text")
    raw = np.asarray(result.detach().cpu() if hasattr(result, "detach") else result)
    if np.iscomplexobj(raw):
        raise TypeError("it is complex: take the real part where a square root of a matrix leaves a tiny imaginary one")
    value = raw.astype(float)
    if value.size != 1:
        raise TypeError(f"it has shape {value.shape}")
    return float(value.reshape(()))


def _array(result) -> np.ndarray:
    return np.asarray(result.detach().cpu() if hasattr(result, "detach") else result, dtype=float)


def _differ(got: float, want: float) -> tuple[str, str]:
    """``got`` and ``want`` as text, with as many significant digits (5 to 12) as it takes to tell them apart,
    trailing zeros kept (0.1196880 against 0.1196876, not 0.119688 against 0.1196876)."""
    for digits in range(5, 13):
        shown = f"{got:#.{digits}g}", f"{want:#.{digits}g}"
        if shown[0] != shown[1]:
            break
    return shown


def _fresh_rng():
    """A generator seeded afresh at each check, for inputs no answer can be written for in advance."""
    return np.random.default_rng(int.from_bytes(os.urandom(8), "little"))


def check_inverse_cdf_sampler(fn, rate: float = 2.0, n: int = 20_000, seed: int = 0) -> bool:
    """Check ``fn(u, rate)``, which should turn U(0, 1) samples into Exponential(rate) samples.

    The exponential CDF is :math:`F(x) = 1 - e^{-\\lambda x}`, so
    :math:`F^{-1}(u) = -\\log(1 - u) / \\lambda`. The check draws ``n`` uniforms,
    applies ``fn`` and runs a Kolmogorov-Smirnov test against ``scipy.stats.expon``; then
    it asks for each sample to be :math:`F^{-1}(u)` of its own uniform (or
    :math:`F^{-1}(1 - u)`: 1 - U is uniform too), so a sampler that ignores ``u`` fails,
    and repeats that at a rate and sample size drawn afresh, so a hard-coded rate fails.
    """
    from scipy.stats._distn_infrastructure import rv_continuous

    forbid = (rv_continuous.ppf, rv_continuous.isf)  # expon.ppf(u) is the answer, not a sampler written by hand
    u = np.random.default_rng(seed).uniform(size=n)
    x, problem = _call(fn, (u, rate), "an array of samples", forbid, _array)
    if problem:
        return _verdict(False, problem)
    if x.shape != u.shape:
        return _verdict(False, f"expected one sample per uniform, shape {u.shape}, got {x.shape}")
    if not np.all(np.isfinite(x)):
        return _verdict(False, "some samples are NaN or infinite")
    if (x < 0).any():
        return _verdict(False, "exponential samples are never negative; check the sign")
    ks = stats.kstest(x, stats.expon(scale=1 / rate).cdf)
    if ks.pvalue < 1e-3:
        return _verdict(False, f"the samples are not distributed as Exponential(rate={rate}) (KS p-value "
                               f"{ks.pvalue:.2g}); their mean is {x.mean():.3f}, the distribution's {1 / rate:.3f}")
    if not _inverse_cdf_of(x, u, rate):
        return _verdict(False, "your samples have the right distribution but are not made from the uniforms "
                               "you were given: each sample must be F^-1(u) of its own u")
    rng = _fresh_rng()
    rate2, u2 = float(rng.uniform(0.3, 5.0)), rng.uniform(size=int(rng.integers(50, 500)))
    x2, problem = _call(fn, (u2, rate2), "an array of samples", forbid, _array)
    if problem or not _inverse_cdf_of(x2, u2, rate2):
        return _verdict(False, problem or f"right at rate {rate}, but not at rate {rate2:.3f}: is the rate "
                                          "written into your function instead of read from its argument?")
    return _verdict(True, f"mean {x.mean():.3f} (exact {1 / rate:.3f}); KS p-value {ks.pvalue:.2f}")


def _inverse_cdf_of(x, u, rate) -> bool:
    """True when every ``x`` is F^-1(u) or F^-1(1 - u) of its ``u`` for Exponential(rate)."""
    try:
        x = np.asarray(x, dtype=float)
    except (TypeError, ValueError):
        return False
    return x.shape == u.shape and any(np.allclose(x, want, rtol=1e-5, atol=1e-7)  # float32 answers pass
                                      for want in (-np.log1p(-u) / rate, -np.log(u) / rate))


def check_js_from_kl(fn) -> bool:
    """Check ``fn(p, q)``, which should return the Jensen-Shannon divergence built from ``kl``:

    .. math:: \\mathrm{JS}(p, q) = \\tfrac12 \\mathrm{KL}(p \\| m) + \\tfrac12 \\mathrm{KL}(q \\| m),
              \\quad m = \\tfrac12 (p + q).

    The cases include identical, overlapping and disjoint distributions; common
    mistakes (the square root, a missing 1/2, the symmetrized KL) are named. Two more cases are
    drawn afresh at each check, and a library's JS (the package's, scipy's ``jensenshannon``)
    refuses to answer while ``fn`` runs.
    """
    from scipy.spatial.distance import jensenshannon

    from gan_course.divergences import js, js_torch, kl

    rng = _fresh_rng()
    fresh = [rng.dirichlet(np.ones(n)) * (rng.uniform(size=n) > 0.3) + 1e-12 * np.eye(n)[0] for n in (6, 9)]
    cases = [([1, 2, 3, 4, 5], [5, 4, 3, 2, 1]), ([0.2, 0.8], [0.2, 0.8]), ([1, 1, 0, 0], [0, 0, 1, 3]),
             ([0.1, 0.6, 0.3], [0.5, 0.0, 0.5]), (fresh[0], rng.permutation(fresh[0])),
             (fresh[1], rng.dirichlet(np.ones(9)))]
    for p, q in cases:
        p, q = np.asarray(p, float) / np.sum(p), np.asarray(q, float) / np.sum(q)
        got, problem = _call(fn, (p, q), "a number", (js, js_torch, jensenshannon), _number)
        if problem:
            return _verdict(False, problem)
        want = js(p, q)
        # float32 answers pass: 3e-6 relative seen, and the entropy form H(m) - (H(p) + H(q))/2 loses 1e-7 absolute
        if np.isclose(got, want, rtol=1e-5, atol=3e-7):
            continue
        hints = [(np.sqrt(want), "that is the square root of JS (what scipy's jensenshannon returns)"),
                 (2 * want, "that is twice JS: each KL term gets a factor 1/2"),
                 (0.5 * kl(p, q) + 0.5 * kl(q, p), "that is the symmetrized KL; JS compares each with the mixture m"),
                 (js(p, q, base=2), "that is JS in bits (log base 2); use natural logarithms, as kl does")]
        hint = next((h for value, h in hints if np.isclose(got, value, rtol=1e-5, atol=3e-7)),
                    "compare with the formula")
        shown = _differ(got, want)
        return _verdict(False, f"for p = {np.round(p, 3)}, q = {np.round(q, 3)} you return {shown[0]}, "
                               f"JS is {shown[1]}; {hint}")
    return _verdict(True, f"all {len(cases)} cases match, including disjoint supports (JS = log 2 = {np.log(2):.4f})")


def check_optimal_discriminator(fn) -> bool:
    """Check ``fn(p_real, p_fake)``, which should return the optimal discriminator D*(x) pointwise,
    and that the GAN value at it is :math:`-\\log 4 + 2\\,\\mathrm{JS}`. Tried on a fixed case (with points
    where D* is 0.9999 and 1e-4, which a clipped D misses) and on one drawn afresh at each check, to 1e-6
    relative; the package's own ``optimal_discriminator`` refuses to answer while ``fn`` runs."""
    from gan_course.divergences import gan_value, js, optimal_discriminator

    rng = np.random.default_rng(0)  # eight points at random, and two where D* is 0.9999 and 1e-4 (a clipped D fails)
    p = np.append(0.99 * rng.dirichlet(np.ones(8)), [0.01 - 1e-6, 1e-6])
    q = np.append(0.99 * rng.dirichlet(np.ones(8)), [1e-6, 0.01 - 1e-6])
    d, problem = _call(fn, (p, q), "an array with one D value per point", (optimal_discriminator,), _array)
    if problem:
        return _verdict(False, problem)
    want = p / (p + q)
    if d.shape != p.shape:
        return _verdict(False, f"expected one value per point, shape {p.shape}, got {d.shape}")
    if np.allclose(d, q / (p + q)):
        return _verdict(False, "that is 1 - D*: D should be high where the real density p is high")
    if not np.allclose(d, want, rtol=1e-6, atol=1e-9):  # float32 answers pass
        worst = int(np.argmax(np.abs(d - want)))
        shown = _differ(d[worst], want[worst])
        return _verdict(False, f"at point {worst} D* = {shown[1]}, you return {shown[0]}; "
                               "maximize p log D + q log(1 - D) over D for each x")
    fresh = _fresh_rng()
    p2, q2 = fresh.dirichlet(np.ones(12)), fresh.dirichlet(np.ones(12))
    d2, problem = _call(fn, (p2, q2), "an array with one D value per point", (optimal_discriminator,), _array)
    if problem or d2.shape != p2.shape or not np.allclose(d2, p2 / (p2 + q2), rtol=1e-6, atol=1e-9):
        return _verdict(False, problem or "right on the first case, wrong on a second one drawn at random: "
                                          "compute D* from p_real and p_fake")
    value = gan_value(p, q, np.log(d) - np.log1p(-d))
    return _verdict(True, f"and V(D*, G) = {value:.6f} = -log 4 + 2 JS = {-np.log(4) + 2 * js(p, q):.6f}")


def check_w1_by_sorting(fn) -> bool:
    r"""Check ``fn(x, y)``: W1 between two 1-D samples of equal size, by sorting.

    In 1-D the optimal plan matches the k-th smallest of x with the k-th smallest of
    y, so :math:`W_1 = \frac1n \sum_k |x_{(k)} - y_{(k)}|`. Compared with
    ``scipy.stats.wasserstein_distance`` on a fixed pair and on one drawn afresh at each check;
    common slips are named. While ``fn`` runs, the library routes to W1 (scipy's, the
    package's ``wasserstein_1d`` and ``match_points``) refuse to answer.
    """
    from scipy.stats import _stats_py

    from gan_course.divergences import wasserstein_1d
    from gan_course.transport import cost_matrix, match_points, transport_plan

    forbid = (stats.wasserstein_distance, stats.wasserstein_distance_nd, _stats_py._cdf_distance, wasserstein_1d,
              match_points, transport_plan, cost_matrix)
    rng, fresh = np.random.default_rng(0), _fresh_rng()
    x, y = rng.normal(0, 2, 500), rng.exponential(1.5, 500) - 1  # quantile curves cross: W1 > |mean gap|
    n = int(fresh.integers(20, 300))
    x2, y2 = fresh.standard_t(3, n) * fresh.uniform(0.5, 3), fresh.gamma(2.0, 1.0, n) - fresh.uniform(0, 3)
    for a, b in ((x, y), (x2, y2)):
        got, problem = _call(fn, (a, b), "a number", forbid, _number)
        if problem:
            return _verdict(False, problem)
        want = stats.wasserstein_distance(a, b)
        if not np.isclose(got, want, rtol=1e-5):  # float32 sorting passes; a slip does not
            break
    else:
        return _verdict(True, f"W1 = {stats.wasserstein_distance(x, y):.4f}, the same as "
                              "scipy.stats.wasserstein_distance (and on a second pair drawn at random)")
    if a is x2:
        return _verdict(False, f"right on the first pair, wrong on a second one drawn at random ({n} points each): "
                               "you return {}, W1 is {}".format(*_differ(got, want)))
    slips = [(np.abs(x - y).mean(), "that pairs the samples in their given order; sort both first"),
             (np.mean((np.sort(x) - np.sort(y)) ** 2), "that is the squared distance (W2 squared); use |.|"),
             (abs(x.mean() - y.mean()), "that compares only the means, a lower bound of W1")]
    hint = next((h for value, h in slips if np.isclose(got, value, rtol=1e-5)), "compare with the formula")
    return _verdict(False, "you return {}, W1 is {}; {}".format(*_differ(got, want), hint))


def check_generator_loss(fn) -> bool:
    r"""Check ``fn(d_fake)``: the non-saturating generator loss from the discriminator's logits on
    generated samples, :math:`-\mathbb{E}\log\sigma(\ell_f) = \mathbb{E}\,\mathrm{softplus}(-\ell_f)`,
    as a scalar tensor that autograd can differentiate: its value, and its gradient with respect
    to ``d_fake`` (:math:`-\sigma(-\ell_i)/n`), on fixed logits, on a fake rejected so firmly
    (logit -120) that :math:`\log\sigma` underflows in float32, and on a batch drawn afresh at
    each check. The package's own losses refuse to answer while ``fn`` runs."""
    import torch

    from gan_course.losses import Minimax, NonSaturating

    softplus = torch.nn.functional.softplus
    fresh = _fresh_rng()
    batches = [torch.tensor([[-6.0], [-1.0], [0.0], [2.5]]), torch.tensor([[-120.0], [0.5]]),
               torch.tensor(fresh.normal(0, 3, (int(fresh.integers(5, 200)), 1)), dtype=torch.float32)]
    forbid = (Minimax.d_terms, Minimax.g_terms, NonSaturating.g_terms)  # d_terms(d, d)["real"] is the answer too
    for i, values in enumerate(batches):
        logits = values.clone().requires_grad_(True)
        got, problem = _call(fn, (logits,), "a scalar tensor", forbid)
        if problem:
            return _verdict(False, problem)
        if not torch.is_tensor(got) or got.numel() != 1 or not got.requires_grad:
            return _verdict(False, "return a scalar torch tensor computed from d_fake, so that it has a gradient")
        value, want = got.detach().double().reshape(()), softplus(-values.double()).mean()
        if not torch.isclose(value, want, rtol=1e-5):
            if i == 1:
                return _verdict(False, f"on logits [-120, 0.5] you return {value.item():.4g}, the loss is "
                                       f"{want.item():.4f}: in float32 sigmoid(-120) underflows to 0 and its log to "
                                       "-inf; write -log(sigmoid(x)) as softplus(-x), which stays finite")
            if i:
                return _verdict(False, "right on the first batches, wrong on one drawn at random: "
                                       "compute the loss from d_fake")
            slips = [(-softplus(values.double()).mean(), "that is the saturating loss log(1 - D): it "
                      "flattens out exactly where D rejects the fakes"),
                     (-want, "the sign is flipped: the generator minimizes -log D(G(z))"),
                     (softplus(-values.double()).sum(), "average over the batch instead of summing")]
            hint = next((h for v, h in slips if torch.isclose(value, v, rtol=1e-5)),
                        "compare with -mean(log(sigmoid(d_fake)))")
            return _verdict(False, "you return {}, the loss is {}; {}".format(*_differ(value.item(), want.item()),
                                                                              hint))
        try:
            (grad,) = torch.autograd.grad(got, logits)
        except RuntimeError:
            grad = torch.zeros_like(logits)
        if not torch.allclose(grad.double(), -torch.sigmoid(-values.double()) / len(values), rtol=1e-4, atol=1e-7):
            return _verdict(False, "the value is right, but its gradient with respect to d_fake is not: compute the "
                                   "loss from d_fake with torch operations, without detach() or numpy")
        if i == 0:
            first = (value.item(), grad[0, 0].item())
    return _verdict(True, f"loss {first[0]:.4f}; its gradient at the most rejected fake "
                          f"(logit -6) is {first[1]:.4f}, not zero")


def check_gaussian_kl(fn) -> bool:
    r"""Check ``fn(mu, logvar)``: KL(N(mu, diag(exp(logvar))) || N(0, I)) per row, shape (n,),
    :math:`\frac12\sum_j(\mu_j^2 + \sigma_j^2 - 1 - \log\sigma_j^2)` with :math:`\log\sigma_j^2` = ``logvar``.
    Tried on fixed inputs, then on a shape drawn afresh at each check; the package's Gaussian KLs
    and ``torch.distributions.kl_divergence`` refuse to answer while ``fn`` runs."""
    import torch
    from torch.distributions.kl import kl_divergence

    from gan_course.divergences import kl_gaussian
    from gan_course.elbo import gaussian_kl

    from torch.distributions.kl import _kl_normal_normal

    forbid = (gaussian_kl, kl_gaussian, kl_divergence, _kl_normal_normal)
    gen = torch.Generator().manual_seed(0)
    mu, logvar = torch.randn(4, 3, generator=gen), torch.randn(4, 3, generator=gen)
    got, problem = _call(fn, (mu, logvar), "a tensor of shape (n,)", forbid)
    if problem:
        return _verdict(False, problem)
    if not torch.is_tensor(got):
        return _verdict(False, "return a torch tensor, one KL per row")
    got = got.detach().float()  # a float64 answer is compared at float32 precision
    terms = mu.pow(2) + logvar.exp() - 1 - logvar
    want = 0.5 * terms.sum(1)
    sigma = torch.exp(0.5 * logvar)
    slips = [(0.5 * terms, "sum over the latent dimensions (dim=1): one KL per image, shape (n,)"),
             (terms.sum(1), "you forgot the factor 1/2"),
             (0.5 * (mu.pow(2) + logvar.pow(2) - 1 - logvar).sum(1), "logvar is log sigma^2, so sigma^2 = "
              "exp(logvar), not logvar^2"),
             (0.5 * (mu.pow(2) + sigma - 1 - torch.log(sigma)).sum(1), "that uses sigma where sigma^2 "
              "belongs: sigma^2 = exp(logvar)"),
             (-want, "the sign is flipped: a KL is never negative")]
    if got.shape == want.shape and torch.allclose(got, want, rtol=1e-5):
        fresh = torch.Generator().manual_seed(int(_fresh_rng().integers(2**31)))
        n, d = (int(v) for v in torch.randint(2, 40, (2,), generator=fresh))
        mu2, logvar2 = torch.randn(n, d, generator=fresh), torch.randn(n, d, generator=fresh)
        got2, problem = _call(fn, (mu2, logvar2), "a tensor of shape (n,)", forbid)
        want2 = 0.5 * (mu2.pow(2) + logvar2.exp() - 1 - logvar2).sum(1)
        if problem or not torch.is_tensor(got2) or got2.shape != want2.shape or \
                not torch.allclose(got2.detach().float(), want2, rtol=1e-5):
            return _verdict(False, problem or f"right on the first inputs, wrong on a second pair of shape ({n}, {d}) "
                                              "drawn at random: compute the KL from mu and logvar")
        return _verdict(True, f"KL per row {[round(v, 3) for v in got.tolist()]}; 0 only when mu = 0 and sigma = 1")
    hint = next((h for value, h in slips if got.shape == value.shape and torch.allclose(got, value, rtol=1e-5)),
                "compare with 1/2 * sum(mu^2 + exp(logvar) - 1 - logvar, dim=1)")
    return _verdict(False, f"your result, shape {tuple(got.shape)}, differs from the KL per row "
                           f"{[round(v, 4) for v in want.tolist()]}; {hint}")


def check_slerp(fn) -> bool:
    r"""Check ``fn(z0, z1, t)``: spherical interpolation of two latent vectors (shape (d,)) at a
    float ``t``, a tensor of shape (d,):
    :math:`\frac{\sin((1-t)\theta)}{\sin\theta} z_0 + \frac{\sin(t\theta)}{\sin\theta} z_1`, with
    :math:`\theta` the angle between :math:`z_0` and :math:`z_1`.

    Tried on pairs of unequal norms in two dimensions, one of them at an obtuse angle, at ``t``
    drawn afresh at each check, against the formula written out here. While ``fn`` runs, the
    package's own :func:`gan_course.latents.slerp` refuses to work, however it was reached, and
    ``fn`` must leave its inputs unchanged.
    """
    import torch

    from gan_course import latents

    gen = torch.Generator().manual_seed(int(_fresh_rng().integers(2**31)))  # fresh t and pairs at each check
    pairs = []
    for d in (16, 64):
        z0, z1 = torch.randn(d, generator=gen) * 1.5, torch.randn(d, generator=gen) * 0.7
        if d == 16:  # this pair at an obtuse angle: z0 . z1 = -0.3 |z0|^2
            z1 = z1 - ((z1 @ z0) / (z0 @ z0) + 0.3) * z0
        pairs.append((z0, z1))
    cases = [(z0, z1, t) for z0, z1 in pairs for t in (*torch.rand(3, generator=gen).tolist(), 0.0, 1.0)]
    worst = (0.0, None)
    for z0, z1, t in cases:
        got, problem = _call(fn, (z0, z1, t), "a tensor of shape (d,)", (latents.slerp, _slerp_formula),
                             lambda r: torch.as_tensor(_array(r)))
        if problem:
            return _verdict(False, problem)
        if got.shape != z0.shape:
            return _verdict(False, f"at t = {t:.2f} return a tensor of the shape of z0, {tuple(z0.shape)}, "
                                   f"not {tuple(got.shape)}")
        want = _slerp_formula(z0, z1, t)
        error = (got - want).abs().max().item()
        if not error <= 1e-4 * (1 + want.abs().max().item()):
            return _verdict(False, _slerp_hint(got, z0, z1, t, want, error))
        worst = max(worst, (error, t), key=lambda e: e[0])
    z0, z1 = pairs[1]
    norms = [_slerp_formula(z0, z1, t).norm().item() for t in (0, 0.5, 1)]
    return _verdict(True, f"right on {len(cases)} points (largest error {worst[0]:.1e}). For the 64-D pair |z| goes "
                          f"{norms[0]:.2f} -> {norms[1]:.2f} -> {norms[2]:.2f} along slerp; the straight line's middle "
                          f"would have |z| = {((z0 + z1) / 2).norm().item():.2f}")


def _slerp_formula(z0, z1, t):
    """The checker's slerp, in float64 (refuses to answer while the learner's function runs)."""
    import torch

    z0, z1 = z0.double(), z1.double()
    theta = torch.arccos((z0 @ z1 / (z0.norm() * z1.norm())).clamp(-1, 1))
    return (torch.sin((1 - t) * theta) * z0 + torch.sin(t * theta) * z1) / torch.sin(theta)


def _slerp_hint(got, z0, z1, t, want, error) -> str:
    import torch

    z0, z1 = z0.double(), z1.double()
    line = (1 - t) * z0 + t * z1
    slips = [(line, "that is the straight line (lerp): its middle cuts inside the shell"),
             (line / line.norm() * ((1 - t) * z0.norm() + t * z1.norm()), "that is a rescaled straight line: it "
              "stays near the shell, but does not turn at a constant angular speed"),
             ]
    theta = torch.arccos((z0 @ z1 / (z0.norm() * z1.norm())).clamp(-1, 1))
    swapped = (torch.sin(t * theta) * z0 + torch.sin((1 - t) * theta) * z1) / torch.sin(theta)
    slips.append((swapped, "t and 1 - t are swapped: at t = 0 the path must start at z0"))
    slips += [(z0, "that returns z0 whatever t is"), (z1, "that returns z1 whatever t is")]
    if z0 @ z1 < 0:
        flipped = (torch.sin((1 - t) * (torch.pi - theta)) * z0 - torch.sin(t * (torch.pi - theta)) * z1) / torch.sin(theta)
        slips.append((flipped, "for ends at an obtuse angle you flip z1 (as quaternion code does): a latent path "
                               "must end at z1 itself, so keep theta = arccos(cos) in [0, pi]"))
    hint = next((h for value, h in slips if torch.allclose(got, value, atol=1e-4)),
                "theta = arccos(z0 . z1 / (|z0| |z1|)); check the sines and which end each multiplies")
    return f"at t = {t:.2f} your point is off by up to {error:.2g} in one coordinate; {hint}"


def _small_critic(seed: int, x_hat):
    """A tiny convolutional critic for images shaped like ``x_hat`` (n, c, 28, 28), its weights fixed by
    ``seed``, its last layer scaled so that the gradient norms at ``x_hat`` straddle 1 (median 1): a
    one-sided penalty, or the square of the mean norm, then gives another value than the penalty."""
    import torch
    from torch import nn

    with torch.random.fork_rng():
        torch.manual_seed(seed)
        critic = nn.Sequential(nn.Conv2d(x_hat.shape[1], 4, 4, 2, 1), nn.LeakyReLU(0.2), nn.Flatten(),
                               nn.Linear(4 * 14 * 14, 1))
    x = x_hat.clone().requires_grad_(True)
    (grad,) = torch.autograd.grad(critic(x).sum(), x)
    with torch.no_grad():
        critic[-1].weight /= grad.flatten(1).norm(dim=1).median()
    return critic


def _penalty_and_grad(critic, x_hat, norms):
    """The penalty mean((norms(grad) - 1)^2) at ``x_hat`` and its gradient with respect to the critic's first weight."""
    import torch

    x = x_hat.clone().requires_grad_(True)
    (grad,) = torch.autograd.grad(critic(x).sum(), x, create_graph=True)
    penalty = ((norms(grad) - 1) ** 2).mean()
    (weight_grad,) = torch.autograd.grad(penalty, critic[0].weight)
    return penalty.detach(), weight_grad


def check_gradient_penalty(fn) -> bool:
    r"""Check ``fn(critic, x_hat)``: the WGAN-GP penalty at given interpolates (Gulrajani et al. 2017,
    Algorithm 1), :math:`\frac1n\sum_i(\|\nabla_x f(\hat x_i)\|_2 - 1)^2`, the norm taken over each
    sample's channels and pixels together, as a scalar tensor that keeps its graph
    (``create_graph=True``), so that the critic's weights get its gradient. Tried on image batches
    (n, 1, 28, 28) with a fixed critic, then on three-channel images (n, 3, 28, 28) with a critic and batch
    drawn afresh at each check; each critic's gradient norms straddle 1 there. The value must match to 1e-4
    relative, the weights' gradient to 1e-3 of its norm. The package's
    ``gradient_penalty`` refuses to answer while ``fn`` runs."""
    import torch

    from gan_course.losses import gradient_penalty

    per_sample = lambda g: g.flatten(1).norm(dim=1)  # noqa: E731
    slips = [(lambda g: g.norm(2, dim=1), "grad.norm(2, dim=1) of an image-shaped gradient (n, 1, 28, 28) is taken "
              "over the channel only, pixel by pixel, so the penalty asks every pixel for slope 1; flatten each "
              "sample first: grad.flatten(1).norm(dim=1)"),
             (lambda g: g.flatten(1).pow(2).sum(1), "that is the squared norm; take its square root (the norm)"),
             (lambda g: g.norm().expand(len(g)), "that is one norm over the whole batch; the penalty takes one "
              "norm per sample"),
             (lambda g: g.norm(dim=(2, 3)), "that is one norm per channel; take one norm per sample, over its "
              "channels and pixels together"),
             (lambda g: g.flatten(1).norm(dim=1).clamp(max=1), "that penalty is one-sided: it punishes slopes "
              "below 1 only; WGAN-GP's (norm - 1)^2 punishes both sides"),
             (lambda g: g.flatten(1).norm(dim=1).mean().expand(len(g)), "that squares the mean norm's distance "
              "from 1; the penalty averages each sample's (norm - 1)^2"),
             (lambda g: g.flatten(1).norm(dim=1).clamp(min=1), "that penalty is one-sided: it punishes slopes above "
              "1 only (a variant the WGAN-GP paper mentions); the exercise asks for the two-sided (norm - 1)^2")]
    fresh = _fresh_rng()
    cases = [(0, 6, 1, torch.Generator().manual_seed(0)),
             (int(fresh.integers(1, 2**31)), int(fresh.integers(3, 20)), 3,
              torch.Generator().manual_seed(int(fresh.integers(2**31))))]
    for i, (seed, n, channels, gen) in enumerate(cases):
        x_hat = torch.rand(n, channels, 28, 28, generator=gen) * 2 - 1
        critic = _small_critic(seed, x_hat)
        want, want_grad = _penalty_and_grad(critic, x_hat, per_sample)
        got, problem = _call(fn, (critic, x_hat.clone()), "a scalar tensor", (gradient_penalty,))
        if problem:
            return _verdict(False, problem)
        if not torch.is_tensor(got) or got.numel() != 1:
            return _verdict(False, "return the penalty as a scalar torch tensor")
        value = got.detach().reshape(()).to(want.dtype)  # a float64 answer is compared at float32 precision
        if not torch.isclose(value, want, rtol=1e-4):
            hint = next((h for norms, h in slips if torch.isclose(value, _penalty_and_grad(critic, x_hat, norms)[0],
                                                                  rtol=1e-4)), None) or \
                next((h for v, h in ((10 * want, "that is 10 times the penalty: lambda = 10 multiplies it in the "
                                      "critic's loss, not here"), (n * want, "average over the batch instead of "
                                      "summing")) if torch.isclose(value, v, rtol=1e-4)), None)
            if hint is None and i:
                return _verdict(False, "right on the first batch, wrong on a critic and three-channel batch drawn at "
                                       "random: compute the penalty from critic and x_hat, for any number of channels")
            hint = hint or "compare with ((grad.flatten(1).norm(dim=1) - 1) ** 2).mean()"
            where = "on a critic and three-channel batch drawn at random, " if i else ""
            return _verdict(False, "{}you return {}, the penalty is {}; {}".format(
                where, *_differ(value.item(), want.item()), hint))
        try:
            (got_grad,) = torch.autograd.grad(got, critic[0].weight)
        except RuntimeError:
            return _verdict(False, "the value is right, but the critic's weights get no gradient from it: take the "
                                   "gradient with torch.autograd.grad(..., create_graph=True)")
        # within 1e-3 of its size, as a whole (an eps of 1e-6 under the square root moves it by 4e-4)
        if not (got_grad.to(want_grad.dtype) - want_grad).norm() <= 1e-3 * want_grad.norm():
            return _verdict(False, "the value is right, but its gradient with respect to the critic's weights is not")
        if i == 0:
            first = value.item()
    return _verdict(True, f"penalty {first:.4g} on the fixed batch; its gradient reaches the critic's weights")


def _lsgan_terms(out_real, out_fake, a, b, c):
    return (0.5 * ((out_real - b) ** 2).mean() + 0.5 * ((out_fake - a) ** 2).mean(),
            0.5 * ((out_fake - c) ** 2).mean())


def _far_outputs(rng):
    """A batch of D outputs drawn afresh: N(0, 4^2) values, and at least one beyond +-10 on each side
    (where a clipped or squashed output would differ)."""
    import torch

    values = np.concatenate([rng.normal(0, 4, int(rng.integers(5, 100))), rng.uniform(10, 20, 2) * [-1, 1]])
    return torch.tensor(rng.permutation(values)[:, None], dtype=torch.float32)


def check_lsgan_losses(fn) -> bool:
    r"""Check ``fn(d_real, d_fake, a, b, c)`` -> ``(d_loss, g_loss)``: LSGAN's losses (Mao et al. 2017,
    eq. 2) from D's raw outputs (no sigmoid), :math:`\tfrac12\mathbb{E}(D(x) - b)^2 + \tfrac12\mathbb{E}(D(G(z)) - a)^2`
    and :math:`\tfrac12\mathbb{E}(D(G(z)) - c)^2`, as scalar tensors whose gradients reach ``d_real`` and
    ``d_fake``. Tried with the 0-1-1 and -1/1/0 codings on fixed outputs, then with codes and a batch drawn
    afresh (outputs beyond +-10 among them, where a sigmoid would flatten them and a clip would cut them); the
    gradients of each loss are checked on their own. The package's ``LeastSquares``
    refuses to answer while ``fn`` runs."""
    import torch

    from gan_course.losses import LeastSquares

    fresh = _fresh_rng()
    a, b = sorted(fresh.uniform(-3, 3, 2))
    cases = [((0.0, 1.0, 1.0), torch.tensor([[0.9], [1.4], [-0.3]]), torch.tensor([[-2.0], [0.1], [3.0], [0.5]])),
             ((-1.0, 1.0, 0.0), torch.tensor([[0.9], [1.4], [-0.3]]), torch.tensor([[-2.0], [0.1], [3.0], [0.5]])),
             ((float(a), float(b) + 1.0, float(fresh.uniform(-3, 3))), _far_outputs(fresh), _far_outputs(fresh))]
    for i, ((a, b, c), real, fake) in enumerate(cases):
        d_real, d_fake = real.clone().requires_grad_(True), fake.clone().requires_grad_(True)
        got, problem = _call(fn, (d_real, d_fake, a, b, c), "a pair (d_loss, g_loss) of scalar tensors",
                             (LeastSquares.d_terms, LeastSquares.g_terms, _lsgan_terms))
        if problem:
            return _verdict(False, problem)
        if not (isinstance(got, (tuple, list)) and len(got) == 2 and all(torch.is_tensor(t) and t.numel() == 1
                                                                       for t in got)):
            return _verdict(False, "return a pair (d_loss, g_loss) of scalar tensors computed from d_real and d_fake")
        for t, who in zip(got, ("d_loss", "g_loss")):
            if not t.requires_grad:
                return _verdict(False, f"your {who} carries no gradient back to D's outputs: compute it with torch "
                                       "operations on d_real and d_fake, without detach(), numpy or item()")
        values = [t.detach().double().reshape(()) for t in got]
        want = _lsgan_terms(real.double(), fake.double(), a, b, c)
        coding = f"a, b, c = {a:g}, {b:g}, {c:g}"
        for k, (value, target, who) in enumerate(zip(values, want, ("d_loss", "g_loss"))):
            if torch.isclose(value, target, rtol=1e-5, atol=1e-8):
                continue
            if i == 2:
                return _verdict(False, f"right on the fixed outputs, wrong with {coding} on a batch drawn at random: "
                                       f"use the arguments a, b, c and the outputs you are given ({who})")
            s = lambda t: torch.sigmoid(t.double())  # noqa: E731
            slips = [(_lsgan_terms(s(real), s(fake), a, b, c)[k], "D's output goes into the squares as it is: a "
                      "sigmoid first brings back the flat gradients LSGAN is meant to avoid"),
                     (2 * target, "each squared error carries a factor 1/2"),
                     (_lsgan_terms(real.double(), fake.double(), b, a, c)[k], "D pulls real outputs toward b and "
                      "fake ones toward a"),
                     (_lsgan_terms(real.double(), fake.double(), a, b, a)[k], "G pulls its outputs toward c, not a"),
                     (_lsgan_terms(real.double(), fake.double(), a, b, b)[k], "G pulls its outputs toward c, not b"),
                     (_lsgan_terms(real.double(), fake.double(), 0.0, 1.0, 1.0)[k], "use the codes a, b, c you are "
                      "given, not 0, 1, 1"),
                     (0.5 * ((fake.double() - c) ** 2).sum() if k else
                      0.5 * ((real.double() - b) ** 2).sum() + 0.5 * ((fake.double() - a) ** 2).sum(),
                      "average over the batch instead of summing")]
            hint = next((h for v, h in slips if torch.isclose(value, v, rtol=1e-5)), "compare with the formula above")
            shown = _differ(value.item(), target.item())
            return _verdict(False, f"with {coding} your {who} is {shown[0]}, it should be {shown[1]}; {hint}")
        zero = torch.zeros_like(real)
        for t, who, want_grads in ((got[0], "d_loss", ((real - b) / len(real), (fake - a) / len(fake))),
                                   (got[1], "g_loss", (zero, (fake - c) / len(fake)))):
            grads = torch.autograd.grad(t, (d_real, d_fake), retain_graph=True, allow_unused=True)
            grads = [torch.zeros_like(w) if g is None else g for g, w in zip(grads, want_grads)]
            if not all(torch.allclose(g.double(), w.double(), rtol=1e-4, atol=1e-7) for g, w in zip(grads, want_grads)):
                return _verdict(False, f"the values are right, but the gradient of your {who} with respect to d_real "
                                       "and d_fake is not: compute it with torch operations, without detach() or numpy")
        if i == 0:
            first = [v.item() for v in values]
    return _verdict(True, f"d_loss {first[0]:.4f} and g_loss {first[1]:.4f} with a, b, c = 0, 1, 1; both codings and "
                          "a random one pass")


def _info_bound(logits, category):
    import math

    import torch

    log_q = torch.log_softmax(logits, dim=1).gather(1, category.reshape(-1, 1))
    return math.log(logits.shape[1]) + log_q.mean()


def check_info_bound(fn) -> bool:
    r"""Check ``fn(logits, category)`` -> InfoGAN's lower bound :math:`L_I = H(c) + \mathbb{E}\log Q(c \mid x)`
    (Chen et al. 2016, eq. 4) in nats, as a scalar tensor: ``logits`` (n, K) are Q's raw scores for a batch of
    generated images, ``category`` (n,) the categories G was given, drawn uniformly from K, so
    :math:`H(c) = \log K`; :math:`\log Q(c \mid x)` is the log-softmax of the logits at the given category,
    averaged over the batch. Tried on fixed logits, then on a batch drawn afresh (another K, scores beyond
    +-10, where a softmax taken twice shows), then K = 6 columns with only categories 0-2 in the batch and
    scores 30-40 apart (where H(c) from the batch, or a clamp, shows); the gradient with respect to ``logits`` is checked too. The
    package's ``InfoGAN.code_terms`` refuses to answer while ``fn`` runs."""
    import math

    import torch

    from gan_course.losses import InfoGAN

    fresh = _fresh_rng()
    k = int(fresh.choice([5, 7, 12]))
    n = int(fresh.integers(20, 80))
    far = torch.tensor(fresh.normal(0, 6, (n, k)), dtype=torch.float32)
    far[0, 0], far[1, -1] = 15.0, -15.0
    cases = [(torch.tensor([[2.0, 0.5, -1.0], [0.0, 3.0, 0.0], [1.0, 1.0, 1.0], [-2.0, 0.0, 4.0]]),
              torch.tensor([0, 1, 2, 2])),
             (far, torch.tensor(fresh.integers(0, k, n))),
             # K = 6 while the batch holds only categories 0-2 (H(c) is still log 6), scores 30-40 apart
             (torch.tensor([[30.0, 0, 0, 0, 0, 0], [0, -30, 0, 0, 0, 0], [40, 0, 0, 0, 0, 0], [1, 2, 0.5, 0, 0, 0]]),
              torch.tensor([0, 1, 2, 1]))]
    for i, (logits, category) in enumerate(cases):
        scores = logits.clone().requires_grad_(True)
        got, problem = _call(fn, (scores, category), "a scalar tensor: L_I in nats", (InfoGAN.code_terms,))
        if problem:
            return _verdict(False, problem)
        if not (torch.is_tensor(got) and got.numel() == 1):
            return _verdict(False, "return one number as a scalar tensor computed from logits")
        if not got.requires_grad:
            return _verdict(False, "your bound carries no gradient back to the logits: compute it with torch "
                                   "operations, without detach(), numpy or item()")
        value, want = got.detach().double().reshape(()), _info_bound(logits.double(), category)
        if not torch.isclose(value, want, rtol=1e-5, atol=1e-7):
            lq = torch.log_softmax(logits.double(), 1).gather(1, category.reshape(-1, 1))
            clamped = torch.log(torch.softmax(logits.double(), 1) + 1e-8).gather(1, category.reshape(-1, 1))
            slips = [(_info_bound(torch.softmax(logits.double(), 1), category), "the logits go through one softmax "
                      "only: a softmax before a cross-entropy (which takes its own log-softmax) caps Q's confidence"),
                     (lq.mean(), "add H(c) = log K: the bound is H(c) + E log Q(c|x)"),
                     (-lq.mean(), "that is the cross-entropy, the loss; the bound is H(c) minus it"),
                     (-want, "mind the sign: the bound is H(c) + E log Q(c|x), at most log K"),
                     (want / math.log(2), "in nats, please: natural logarithms, not base 2"),
                     (math.log(logits.shape[1]) + lq.sum(), "average log Q over the batch instead of summing"),
                     (math.log(10) + lq.mean(), "H(c) is log K for the K columns of logits, not log 10"),
                     (math.log(logits.shape[1]) + clamped.mean(), "take torch.log_softmax: a small constant added "
                      "inside log(softmax) changes the bound where Q is confidently wrong")]
            hint = next((h for v, h in slips if torch.isclose(value, torch.as_tensor(v, dtype=torch.float64),
                                                               rtol=1e-5)), None)
            if hint is None and i == 1:
                hint = f"right on the fixed batch, wrong on one drawn at random with K = {k} categories: H(c) is log K " \
                       "for the K columns of logits, use the batch you are given, and take torch.log_softmax (no clamp)"
            if hint is None and i == 2:
                hint = "wrong on a batch of K = 6 columns that holds only categories 0-2, with scores 30-40 apart: " \
                       "H(c) is log K for the K columns of logits (not the categories the batch happens to hold), " \
                       "and take torch.log_softmax: a clamp or a constant inside log(softmax) changes the bound where " \
                       "Q is confidently wrong"
            shown = _differ(value.item(), want.item())
            return _verdict(False, f"your bound is {shown[0]}, it should be {shown[1]}; "
                                   f"{hint or 'compare with the formula above'}")
        (grad,) = torch.autograd.grad(got, scores, allow_unused=True)
        if grad is None:
            return _verdict(False, "your bound carries no gradient back to the logits: compute it from logits with "
                                   "torch operations, without detach(), numpy or item()")
        one_hot = torch.nn.functional.one_hot(category, logits.shape[1]).double()
        want_grad = (one_hot - torch.softmax(logits.double(), 1)) / len(logits)
        if not torch.allclose(grad.double(), want_grad, rtol=1e-4, atol=1e-7):
            return _verdict(False, "the value is right, but its gradient with respect to the logits is not: compute "
                                   "it with torch operations, without detach() or numpy")
        if i == 0:
            first = value.item()
    return _verdict(True, f"L_I = {first:.4f} nats on the fixed batch (ceiling log 3 = {math.log(3):.4f}); a batch "
                          f"drawn at random with K = {k} passes too")


def _frechet(f_real, f_fake, ddof: int = 1) -> float:
    """The Frechet distance of Gaussians fitted to two feature sets (float64; the matrix square root
    through the eigenvalues of S_r S_f, as torchmetrics computes it)."""
    mu_r, mu_f = f_real.mean(0), f_fake.mean(0)
    s_r, s_f = np.cov(f_real, rowvar=False, ddof=ddof), np.cov(f_fake, rowvar=False, ddof=ddof)
    root_trace = np.sqrt(np.linalg.eigvals(s_r @ s_f).astype(complex)).real.sum()
    return float(((mu_r - mu_f) ** 2).sum() + np.trace(s_r) + np.trace(s_f) - 2 * root_trace)


def _gaussian_features(rng, n: int, d: int, shift: float):
    mix = rng.normal(0, 1, (d, d)) / np.sqrt(d)  # correlated features: covariances that do not commute
    return rng.normal(0, 1, (n, d)) @ mix + shift * rng.normal(0, 1, d)


def check_frechet_distance(fn) -> bool:
    r"""Check ``fn(f_real, f_fake)`` -> the Frechet distance (FID's formula, Heusel et al. 2017, eq. 6) between
    Gaussians fitted to two feature sets, numpy arrays (n, d) and (m, d), as a float:
    :math:`\lVert\mu_r - \mu_f\rVert^2 + \operatorname{Tr}\big(\Sigma_r + \Sigma_f - 2(\Sigma_r\Sigma_f)^{1/2}\big)`,
    with unbiased covariances (divided by n - 1, as ``numpy.cov``). Tried on a fixed pair of 3-D sets of 12
    and 15 points (few points: the n - 1 shows), then on sets drawn afresh (another d, unequal sizes,
    correlated features whose covariances do not commute), and on a set against itself (0). The package's
    ``frechet_distance`` and torchmetrics' FID refuse to answer while ``fn`` runs; ``scipy.linalg.sqrtm`` is
    allowed. Tolerance: 1e-3 relative, or 1e-4 of Tr(S_r) + Tr(S_f) near 0 (1e-3 for a set against itself, where float32's square roots of tiny eigenvalues lose most)."""
    from torchmetrics.image import fid as tm_fid

    from gan_course import metrics
    from scipy.linalg import sqrtm

    fresh = _fresh_rng()
    fixed = np.random.default_rng(10)
    d = int(fresh.choice([4, 5, 7]))
    cases = [(_gaussian_features(fixed, 12, 3, 0.0), _gaussian_features(fixed, 15, 3, 1.0)),
             (_gaussian_features(fresh, int(fresh.integers(30, 60)), d, 0.5),
              _gaussian_features(fresh, int(fresh.integers(60, 90)), d, 0.5))]
    cases.append((cases[1][0], cases[1][0].copy()))
    forbid = (metrics.frechet_distance, metrics._frechet_of, tm_fid._compute_fid,
              tm_fid.FrechetInceptionDistance.compute, _frechet)
    isclose = np.isclose  # the expected values and the comparison are fixed before the learner's code runs
    for i, (f_real, f_fake) in enumerate(cases):
        want = max(_frechet(f_real, f_fake), 0.0)  # a distance: rounding leaves -5e-15 for a set against itself
        scale = np.trace(np.cov(f_real, rowvar=False)) + np.trace(np.cov(f_fake, rowvar=False))
        got, problem = _call(fn, (f_real, f_fake), "one number: the distance", forbid, _number)
        if problem:
            return _verdict(False, problem)
        # float32 loses about 1e-4 of the traces where they cancel, up to 1e-3 at 0 (square roots of tiny eigenvalues)
        if not isclose(got, want, rtol=1e-3, atol=(1e-3 if i == 2 else 1e-4) * scale):
            s_r, s_f = np.cov(f_real, rowvar=False), np.cov(f_fake, rowvar=False)
            mean_term = ((f_real.mean(0) - f_fake.mean(0)) ** 2).sum()
            slips = [(_frechet(f_real, f_fake, ddof=0), "divide the covariances by n - 1 (numpy.cov's default), "
                      "not by n"),
                     (np.sqrt(max(want, 0)), "FID is the squared Frechet distance: do not take its square root"),
                     (want - mean_term + np.sqrt(mean_term), "the mean term is the squared distance "
                      "||mu_r - mu_f||^2"),
                     (mean_term + np.trace(s_r + s_f - 2 * (sqrtm(s_r) @ sqrtm(s_f)).real), "sqrt(S_r) sqrt(S_f) "
                      "equals (S_r S_f)^(1/2) only when the covariances commute; take the square root of the product"),
                     (mean_term + np.trace(s_r) + np.trace(s_f) - 2 * np.trace(np.sqrt(np.abs(s_r * s_f))),
                      "(S_r S_f)^(1/2) is a matrix square root of the matrix product, not an element-wise one"),
                     (want + np.trace(sqrtm(s_r @ s_f).real), "the cross term is -2 Tr((S_r S_f)^(1/2))")]
            hint = next((h for v, h in slips if isclose(got, v, rtol=1e-3)), None)
            if hint is None and i == 1:
                hint = f"right on the fixed sets, wrong on sets drawn at random (d = {d}, {len(f_real)} real and " \
                       f"{len(f_fake)} fake points): use the arrays you are given, features in columns"
            if hint is None and i == 2:
                hint = "a set against itself must give 0"
            shown = _differ(got, want)
            return _verdict(False, f"your distance is {shown[0]}, it should be {shown[1]}; "
                                   f"{hint or 'compare with the formula above'}")
        if i == 0:
            first = got
    return _verdict(True, f"{first:.4f} on the fixed 3-D sets; sets drawn at random with d = {d} pass too, and a set "
                          "against itself gives 0")
