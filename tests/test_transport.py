import itertools

import numpy as np
import pytest
from scipy import stats

from gan_course.divergences import wasserstein_1d
from gan_course.transport import cost_matrix, match_points, reference_plans, transport_plan


def test_plan_is_feasible_and_matches_w1_in_1d():
    rng = np.random.default_rng(0)
    for _ in range(20):
        x, y = rng.normal(size=rng.integers(1, 8)), rng.normal(1, 2, size=rng.integers(1, 8))
        a, b = rng.uniform(0.1, 1, len(x)), rng.uniform(0.1, 1, len(y))
        a, b = a / a.sum(), b / b.sum()
        result = transport_plan(a, b, cost_matrix(x, y))
        np.testing.assert_allclose(result.plan.sum(1), a, atol=1e-9)
        np.testing.assert_allclose(result.plan.sum(0), b, atol=1e-9)
        assert (result.plan >= -1e-12).all()
        assert result.cost == pytest.approx(wasserstein_1d(x, y, a, b), abs=1e-9)
        assert result.cost == pytest.approx(stats.wasserstein_distance(x, y, a, b), abs=1e-9)


def test_two_source_problems_match_the_greedy_solution():
    """With two sources the plan is fixed by row 0, and the cost is linear in it:
    sum_j plan[0, j] (C[0, j] - C[1, j]) + const. So fill row 0 greedily, cheapest
    difference first, each target up to b_j: an exact answer found without an LP."""
    rng = np.random.default_rng(1)
    for _ in range(50):
        m = rng.integers(2, 6)
        a, b = rng.dirichlet(np.ones(2)), rng.dirichlet(np.ones(m))
        cost = rng.uniform(0, 5, (2, m))
        row0, left = np.zeros(m), a[0]
        for j in np.argsort(cost[0] - cost[1]):
            row0[j] = min(b[j], left)
            left -= row0[j]
        greedy = np.sum(np.vstack([row0, b - row0]) * cost)
        assert transport_plan(a, b, cost).cost == pytest.approx(greedy, abs=1e-9)


def test_uniform_square_problems_are_solved_by_a_permutation():
    rng = np.random.default_rng(2)
    for n in (2, 3, 4, 5):
        x, y = rng.normal(size=(n, 2)), rng.normal(size=(n, 2))
        cost = cost_matrix(x, y)
        brute = min(cost[range(n), list(perm)].mean() for perm in itertools.permutations(range(n)))
        pairs, matched = match_points(x, y)
        assert matched == pytest.approx(brute, abs=1e-12)
        assert sorted(pairs) == list(range(n))
        assert transport_plan(np.full(n, 1 / n), np.full(n, 1 / n), cost).cost == pytest.approx(brute, abs=1e-9)


@pytest.mark.parametrize("args, match", [
    (([0.5, 0.5], [0.2, 0.2], np.ones((2, 2))), "same total mass"),
    (([0.5, -0.5, 1.0], [0.5, 0.5], np.ones((3, 2))), "a must hold finite masses >= 0"),
    (([1.0], [0.5, 0.5], np.ones((2, 2))), r"cost must have shape .* \(1, 2\)"),
    (([], [1.0], np.ones((0, 1))), "a must be a non-empty"),
])
def test_bad_problems_are_named(args, match):
    with pytest.raises(ValueError, match=match):
        transport_plan(*args)


def test_reference_plans_are_feasible_and_no_better_than_the_optimum():
    from gan_course.distributions import PILE_BINS, pile

    cost = cost_matrix(PILE_BINS, PILE_BINS)
    for p_mean, q_mean in [(4.0, 6.5), (2.0, 9.0), (5.0, 5.0)]:
        a, b = pile(p_mean, 1.2), pile(q_mean, 2.5)
        best = transport_plan(a, b, cost).cost
        plans = reference_plans(a, b)
        for name, plan in plans.items():
            np.testing.assert_allclose(plan.sum(1), a, atol=1e-12)
            np.testing.assert_allclose(plan.sum(0), b, atol=1e-12)
            assert (plan >= 0).all() and np.sum(plan * cost) >= best - 1e-12
        np.testing.assert_allclose(plans["independent"], np.outer(a, b))
    # backwards: the first source fills the last target first
    plans = reference_plans([0.5, 0.5], [0.25, 0.75])
    np.testing.assert_allclose(plans["backwards"], [[0, 0.5], [0.25, 0.25]])
    with pytest.raises(ValueError, match="same total mass"):
        reference_plans([0.5, 0.5], [0.5])


def test_match_points_bad_sizes():
    with pytest.raises(ValueError, match="same number"):
        match_points(np.zeros((3, 2)), np.zeros((2, 2)))
    with pytest.raises(ValueError, match="point sets"):
        cost_matrix(np.zeros((3, 2)), np.zeros((3, 3)))
