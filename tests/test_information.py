import math

import numpy as np
import pytest
from scipy.stats import entropy as scipy_entropy
from sklearn.metrics import mutual_info_score

from gan_course.information import conditional_entropy, contingency, entropy, mutual_information

A = [0, 0, 5, 6, 0, 4, 4, 3, 1, 2]
B = [3, 4, 5, 5, 3, 7, 7, 6, 5, 1]
B2 = [3, 3, 5, 6, 3, 7, 7, 9, 4, 8]


def test_the_worked_example_in_base_10_and_in_nats():
    assert mutual_information(A, B, base=10) == pytest.approx(0.6535, abs=5e-5)
    assert mutual_information(A, B) == pytest.approx(1.5048, abs=5e-5)
    # b2 determines a: every value of b2 comes with one value of a, so nothing of a is left unknown
    assert conditional_entropy(A, B2) == pytest.approx(0.0, abs=1e-12)
    assert mutual_information(A, B2, base=10) == pytest.approx(0.7967, abs=5e-5)
    assert mutual_information(A, B2) == pytest.approx(entropy(A), rel=1e-12)
    # the other way round, a does not determine b: a = 0 comes with b = 3 and with b = 4
    assert conditional_entropy(B, A) > 0 and conditional_entropy(A, B) > 0


@pytest.mark.parametrize("seed", range(5))
def test_against_scipy_and_sklearn_on_random_labels(seed):
    rng = np.random.default_rng(seed)
    a = rng.integers(0, 6, size=200)
    b = (a + rng.integers(0, 3, size=200)) % 7  # dependent on a, not a function of it
    for base in (math.e, 2, 10):
        assert entropy(a, base) == pytest.approx(scipy_entropy(np.bincount(a), base=base), rel=1e-12)
    assert mutual_information(a, b) == pytest.approx(mutual_info_score(a, b), rel=1e-10)
    assert mutual_information(a, b, base=2) == pytest.approx(mutual_info_score(a, b) / math.log(2), rel=1e-10)
    # the chain rule: H(a|b) = H(a,b) - H(b), with H(a,b) the entropy of the pair
    pairs = [f"{i},{j}" for i, j in zip(a, b)]
    assert conditional_entropy(a, b) == pytest.approx(entropy(pairs) - entropy(b), rel=1e-12)
    assert mutual_information(a, b) == pytest.approx(mutual_information(b, a), rel=1e-12)
    assert 0 < mutual_information(a, b) < min(entropy(a), entropy(b))


def test_independent_labels_share_nothing_and_labels_need_not_be_numbers():
    a, b = ["x", "x", "y", "y"], ["p", "q", "p", "q"]  # every pair once: independent in the table
    assert mutual_information(a, b) == pytest.approx(0.0, abs=1e-15)
    assert entropy(a, base=2) == pytest.approx(1.0)
    table, a_values, b_values = contingency(A, B)
    assert table.sum() == len(A) and list(a_values) == [0, 1, 2, 3, 4, 5, 6] and list(b_values) == [1, 3, 4, 5, 6, 7]
    assert table[list(a_values).index(0), list(b_values).index(3)] == 2  # a = 0 with b = 3 twice


@pytest.mark.parametrize("call, message", [
    (lambda: mutual_information([1, 2, 3], [1, 2]), "a and b must pair"),
    (lambda: mutual_information([], []), "a must be a non-empty"),
    (lambda: entropy([[1, 2]]), "a must be a non-empty 1-D"),
    (lambda: entropy([1.0, float("nan")]), "a holds NaN"),
    (lambda: mutual_information([1, 2], [1, float("inf")]), "b holds NaN"),
    (lambda: entropy([1, 2], base=1), "base=1"),
    (lambda: entropy([1, 2], base=0), "base=0"),
])
def test_bad_input_names_the_argument(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_matched_accuracy_is_the_best_one_to_one_matching_found_by_brute_force():
    from itertools import permutations

    from gan_course.metrics import matched_accuracy

    rng = np.random.default_rng(0)
    for _ in range(20):
        labels = rng.integers(0, 4, size=60)
        categories = np.where(rng.random(60) < 0.6, (labels + 1) % 4, rng.integers(0, 4, size=60))
        best = max(np.mean([perm[c] == y for c, y in zip(categories, labels)]) for perm in permutations(range(4)))
        result = matched_accuracy(categories, labels)
        assert result["accuracy"] == pytest.approx(best)
        assert sorted(result["matching"].values()) == sorted(set(result["matching"].values()))  # one-to-one
    # categories in another order than the labels still score 1; two categories merged into one label do not
    assert matched_accuracy([3, 3, 1, 1, 2], [0, 0, 1, 1, 2])["accuracy"] == 1.0
    assert matched_accuracy([3, 3, 1, 1, 2], [0, 0, 1, 1, 2])["matching"] == {3: 0, 1: 1, 2: 2}
    assert matched_accuracy([0, 0, 0, 0], [0, 0, 1, 1])["accuracy"] == 0.5


def test_conditional_entropy_in_bits_and_the_table_holds_integer_counts():
    a, b = [0, 0, 1, 1, 2, 2], [0, 0, 0, 1, 1, 1]
    # given b = 0: a is 0, 0 or 1 (H = h(1/3)); given b = 1: a is 1, 2 or 2 (the same)
    h = -(1 / 3) * math.log2(1 / 3) - (2 / 3) * math.log2(2 / 3)
    assert conditional_entropy(a, b, base=2) == pytest.approx(h, rel=1e-12)
    assert conditional_entropy(a, b, base=10) == pytest.approx(h * math.log10(2), rel=1e-12)
    table, _, _ = contingency(a, b)
    assert table.dtype.kind == "i" and table.tolist() == [[2, 0], [1, 1], [0, 2]]


def test_base_one_says_which_bases_to_use():
    with pytest.raises(ValueError, match=r"^base=1 is not a logarithm base; use e \(nats\), 2 \(bits\) or 10$"):
        mutual_information([1, 2], [1, 2], base=1)
