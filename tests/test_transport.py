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


def test_cost_matrix_by_hand_for_powers_and_dimensions():
    np.testing.assert_array_equal(cost_matrix([0.0, 1.0], [3.0]), [[3.0], [2.0]])
    np.testing.assert_array_equal(cost_matrix([0.0, 1.0], [3.0], p=2), [[9.0], [4.0]])
    np.testing.assert_allclose(cost_matrix([[0.0, 0.0]], [[3.0, 4.0], [1.0, 0.0]], p=3), [[125.0, 1.0]])
    with pytest.raises(ValueError, match=r"^x and y must be \(n, d\) and \(m, d\) point sets"):
        cost_matrix(np.zeros((2, 3, 3)), np.zeros((4, 3)))  # a batch of images is not a point set


def test_match_points_with_a_power_one_point_and_an_index_to_use():
    x, y = np.array([[0.0], [1.0]]), np.array([[1.5], [3.0]])
    pairs, cost = match_points(x, y, p=2)  # W2^2 of the two clouds: the mean squared matched distance
    assert list(pairs) == [0, 1] and cost == pytest.approx((1.5**2 + 2.0**2) / 2)
    np.testing.assert_array_equal(y[pairs], y)  # pairs index y
    assert pairs.dtype.kind == "i"
    pairs, cost = match_points([[0.0, 0.0]], [[3.0, 4.0]])  # one point each: the only matching
    assert list(pairs) == [0] and cost == 5.0
    with pytest.raises(ValueError, match=r"^x and y must hold the same number \(> 0\) of points, got 0 and 0$"):
        match_points(np.zeros((0, 2)), np.zeros((0, 2)))


def test_masses_may_be_zero_or_integer_counts():
    # an empty source ships nothing
    result = transport_plan([1.0, 0.0], [0.5, 0.5], [[0.0, 1.0], [1.0, 0.0]])
    np.testing.assert_allclose(result.plan, [[0.5, 0.5], [0.0, 0.0]], atol=1e-12)
    assert result.cost == pytest.approx(0.5)
    # counts: the backwards plan by hand, targets in reverse order, half units included
    plans = reference_plans([1, 1], [0.5, 1.5])
    np.testing.assert_allclose(plans["backwards"], [[0.0, 1.0], [0.5, 0.5]])
    plans = reference_plans([1, 3], [2, 2])
    np.testing.assert_allclose(plans["backwards"], [[0, 1], [2, 1]])
    np.testing.assert_allclose(plans["independent"], [[0.5, 0.5], [1.5, 1.5]])  # a_i b_j / total


def test_totals_must_agree_to_a_part_in_a_billion():
    cost = np.ones((1, 1))
    assert transport_plan([1.0], [1.0 + 1e-10], cost).cost == pytest.approx(1.0)  # rounding: accepted
    for a_total, b_total in ((1.0, 1.0 + 5e-9), (1.0, 1.0 + 1e-6), (1e-9, 2e-9)):
        with pytest.raises(ValueError, match=r"^a and b must carry the same total mass"):
            transport_plan([a_total], [b_total], cost)
