import math

import numpy as np
import pytest
import torch
from scipy import stats

from gan_course.checkpoints import read_manifest
from gan_course.data import load_mnist, train_heldout_split
from gan_course.distributions import make_grid, make_ring
from gan_course.metrics import (class_coverage, frechet_distance, inception_score, judge_scores, memorization,
                                mode_coverage, precision_recall)


def test_samples_of_the_target_cover_every_mode():
    ring = make_ring(2500, seed=0)
    m = mode_coverage(ring.x, ring.centers, ring.std)
    assert m["modes"] == 8
    assert m["high_quality"] == pytest.approx(1 - math.exp(-4.5), abs=0.01)  # 3 std of a 2-D Gaussian: 98.9%
    assert m["mode_kl"] < 0.01
    grid = make_grid(2500, seed=1)
    assert mode_coverage(torch.tensor(grid.x), grid.centers, grid.std)["modes"] == 25


def test_a_collapsed_generator_is_caught():
    ring = make_ring(2500, seed=0)
    collapsed = ring.x[ring.labels < 2]  # only two modes
    m = mode_coverage(collapsed, ring.centers, ring.std)
    assert m["modes"] == 2
    # half the mass on each of 2 of 8 modes: KL to uniform = log(8 / 2)
    assert m["mode_kl"] == pytest.approx(math.log(4), abs=0.02)


def test_off_manifold_samples_are_low_quality():
    ring = make_ring(1000, seed=0)
    blurred = ring.x + np.random.default_rng(0).normal(0, 0.5, ring.x.shape)
    m = mode_coverage(blurred, ring.centers, ring.std)
    assert m["high_quality"] < 0.05
    nothing = mode_coverage(np.zeros((10, 2)), ring.centers, ring.std)
    assert nothing == {"modes": 0, "high_quality": 0.0, "mode_kl": math.inf}


def test_bad_inputs():
    ring = make_ring(10)
    with pytest.raises(ValueError, match="samples must be"):
        mode_coverage(np.zeros((10, 3)), ring.centers, ring.std)
    with pytest.raises(ValueError, match="std=0"):
        mode_coverage(ring.x, ring.centers, 0)
    for bad in (np.zeros((0, 2)), np.zeros(6)):  # no samples; points that are not rows
        with pytest.raises(ValueError, match=r"^samples must be \(n, d\) with n > 0"):
            mode_coverage(bad, ring.centers, ring.std)
    with pytest.raises(ValueError, match=r"^threshold=0 must be"):
        mode_coverage(ring.x, ring.centers, ring.std, threshold=0)


def test_one_sample_on_a_mode_covers_it_and_a_sample_at_the_threshold_is_good():
    centers = np.array([[0.0, 0.0], [10.0, 0.0]])
    m = mode_coverage(np.array([[0.1, 0.0]]), centers, 1.0)  # one sample, on the first mode
    assert m == {"modes": 1, "high_quality": 1.0, "mode_kl": pytest.approx(math.log(2))}
    both = mode_coverage(torch.tensor([[0.0, 0.0], [0.0, 0.5], [10.0, 3.0]]), centers, 1.0)  # 3 stds: the bar
    assert both["modes"] == 2 and both["high_quality"] == 1.0


# ----- image metrics through the judge ------------------------------------------------------------------


class FirstPixels(torch.nn.Module):
    def __init__(self, d):
        super().__init__()
        self.num_features = d

    def forward(self, x):
        return x.flatten(1)[:, :self.num_features]


class PixelJudge(torch.nn.Module):
    """A stand-in judge whose features are the first ``d`` pixels and whose logits are ``scale`` x the first 10,
    so a test writes the features and class probabilities it wants straight into the images."""

    def __init__(self, d=10, scale=50.0):
        super().__init__()
        self.features = FirstPixels(d)
        self.head = torch.nn.Linear(d, 10, bias=False)
        self.head.weight.data = scale * torch.eye(10, d)


def images_from(rows):
    """Images (n, 1, 28, 28) in [-1, 1] whose first pixels are ``rows`` (n, d) and the rest -1 (a GAN's background)."""
    x = torch.full((len(rows), 28 * 28), -1.0)
    x[:, :rows.shape[1]] = torch.as_tensor(rows, dtype=torch.float32)
    return x.reshape(-1, 1, 28, 28)


def one_hot_images(classes):
    return images_from(torch.nn.functional.one_hot(torch.as_tensor(classes), 10).float())


@pytest.fixture(scope="module")
def digits():
    x, y = load_mnist("subset")
    return train_heldout_split(x, y, seed=0)


def test_inception_score_of_even_confident_predictions_is_k_and_of_a_constant_one_is_one():
    judge = PixelJudge()
    assert inception_score(one_hot_images(torch.arange(100) % 10), judge=judge, device="cpu") == pytest.approx(10)
    assert inception_score(one_hot_images(torch.arange(100) % 2), judge=judge, device="cpu") == pytest.approx(2)
    assert inception_score(one_hot_images([3] * 50), judge=judge, device="cpu") == pytest.approx(1)
    # soft predictions against scipy: exp(mean_x KL(p(y|x) || p(y)))
    logits = torch.rand(200, 10, generator=torch.Generator().manual_seed(0)) * 2 - 1
    p = torch.softmax(2.0 * logits.double(), 1).numpy()
    expected = math.exp(np.mean([stats.entropy(row, p.mean(0)) for row in p]))
    assert inception_score(images_from(logits), judge=PixelJudge(scale=2.0), device="cpu") == pytest.approx(expected)


def test_class_coverage_counts_classes_with_at_least_the_share_and_the_kl_to_uniform():
    classes = [0] * 500 + [1] * 300 + [2] * 165 + [3] * 20 + [4] * 15  # class 3 at the 2% bar, class 4 below it
    m = class_coverage(one_hot_images(classes), judge=PixelJudge(), device="cpu")
    h = np.array([0.5, 0.3, 0.165, 0.02, 0.015])
    assert m["classes"] == 4 and m["class_kl"] == pytest.approx(np.sum(h * np.log(10 * h)))
    np.testing.assert_allclose(m["shares"], np.r_[h, np.zeros(5)])
    assert class_coverage(one_hot_images(classes), min_share=0.01, judge=PixelJudge(), device="cpu")["classes"] == 5
    even = class_coverage(one_hot_images(torch.arange(1000) % 10), judge=PixelJudge(), device="cpu")
    assert even["classes"] == 10 and even["class_kl"] == pytest.approx(0, abs=1e-12)
    two = class_coverage(one_hot_images(torch.arange(1000) % 2), judge=PixelJudge(), device="cpu")
    assert two["class_kl"] == pytest.approx(math.log(10 / 2))
    # a class needs two samples, however large its share: one of two images is half of them, yet a fluke
    assert class_coverage(one_hot_images([0, 0, 1]), judge=PixelJudge(), device="cpu")["classes"] == 1
    assert class_coverage(one_hot_images([0, 0, 1, 1]), judge=PixelJudge(), device="cpu")["classes"] == 2
    assert class_coverage(one_hot_images([3, 3]), min_share=1, judge=PixelJudge(), device="cpu")["classes"] == 1
    for bad in (1.5, 0, -0.1):
        with pytest.raises(ValueError, match=rf"^min_share={bad!r} must be"):
            class_coverage(one_hot_images([3, 3]), min_share=bad, judge=PixelJudge(), device="cpu")


def gaussian_rows(n, mean, root, seed):
    """n rows whose sample mean is ``mean`` and whose sample covariance (n - 1) is ``root @ root.T``, exactly."""
    z = np.random.default_rng(seed).standard_normal((n, len(mean)))
    z -= z.mean(0)
    z = z @ np.linalg.inv(np.linalg.cholesky(np.cov(z, rowvar=False))).T  # now cov(z) = I exactly
    return mean + z @ root.T


def test_fid_of_two_sets_with_known_moments_is_the_closed_form():
    from scipy.linalg import sqrtm

    mu1, mu2 = np.array([0.1, -0.2, 0.05]), np.array([-0.1, 0.1, 0.2])
    a1 = np.array([[0.06, 0, 0], [0.02, 0.05, 0], [-0.01, 0.03, 0.04]])
    a2 = np.array([[0.03, 0.01, 0], [0, 0.07, 0.02], [0.02, 0, 0.05]])
    s1, s2 = a1 @ a1.T, a2 @ a2.T
    closed = np.sum((mu1 - mu2) ** 2) + np.trace(s1 + s2 - 2 * sqrtm(s1 @ s2).real)
    x1, x2 = images_from(gaussian_rows(40, mu1, a1, 0)), images_from(gaussian_rows(60, mu2, a2, 1))
    assert frechet_distance(x1, x2, judge=PixelJudge(d=3), device="cpu") == pytest.approx(closed, rel=1e-4)
    # the mean term alone, and zero for a set against itself
    same_cov = images_from(gaussian_rows(40, mu2, a1, 0))
    assert frechet_distance(x1, same_cov, judge=PixelJudge(d=3), device="cpu") == pytest.approx(
        np.sum((mu1 - mu2) ** 2), rel=1e-4)
    assert frechet_distance(x1, x1, judge=PixelJudge(d=3), device="cpu") == pytest.approx(0, abs=1e-6)
    # two images are the fewest with a covariance (a batch of two, not (logits, features))
    pair = images_from(np.array([[0.1, 0.2, 0.3], [0.3, 0.1, 0.0]]))
    assert frechet_distance(pair, pair, judge=PixelJudge(d=3), device="cpu") == pytest.approx(0, abs=1e-6)
    with pytest.raises(ValueError, match="at least 2"):
        frechet_distance(pair[:1], pair, judge=PixelJudge(d=3), device="cpu")


def sklearn_precision_recall(real, fake, k):
    """The k-NN manifold test of Kynkaanniemi et al., written with scikit-learn's neighbour search."""
    from sklearn.neighbors import NearestNeighbors

    def inside(points, centres):
        radii = NearestNeighbors(n_neighbors=k + 1).fit(centres).kneighbors(centres)[0][:, -1]
        dist = NearestNeighbors().fit(centres).radius_neighbors(points, radius=radii.max(), sort_results=True)
        return np.mean([np.any(d <= radii[i]) for d, i in zip(*dist)])

    return inside(fake, real), inside(real, fake)


def test_precision_recall_against_itself_far_away_and_scikit_learn():
    rng = np.random.default_rng(0)
    real = rng.uniform(-0.5, 0.5, (300, 2))
    judge = PixelJudge(d=2)
    assert precision_recall(images_from(real), images_from(real), judge=judge, device="cpu") == {
        "precision": 1.0, "recall": 1.0}
    far = images_from(real * 0.2 + 0.8)
    assert precision_recall(images_from(real), far, judge=judge, device="cpu") == {"precision": 0.0, "recall": 0.0}
    half = np.r_[real[:150], real[:150] * 0.2 + 0.8]  # half on the real manifold, half far off it
    assert precision_recall(images_from(real), images_from(half), judge=judge, device="cpu")["precision"] == 0.5
    fake = rng.normal(0.4, 0.2, (250, 2)).clip(-1, 1)  # overlapping, shifted and narrower
    ours = precision_recall(images_from(real), images_from(fake), judge=judge, device="cpu")
    expected = sklearn_precision_recall(real.astype(np.float32), fake.astype(np.float32), k=3)
    assert (ours["precision"], ours["recall"]) == pytest.approx(expected)
    assert 0.1 < ours["precision"] < 0.9 and 0.1 < ours["recall"] < 0.9  # a case where both matter


def test_memorization_finds_replayed_training_images_at_distance_zero(digits):
    x_train, _, x_held, _ = digits
    pick = torch.randperm(len(x_train), generator=torch.Generator().manual_seed(0))[:200]
    m = memorization(x_train[pick], x_train, x_held)
    assert torch.all(m["distance"] == 0) and torch.equal(x_train[m["index"]], x_train[pick]) and m["copies"] == 1
    # held-out digits are never that near: their neighbours, checked against a brute-force search
    flat = lambda x: (x.flatten(1).double() + 1) / 2  # noqa: E731  grey levels in [0, 1]
    brute = torch.cdist(flat(x_held[:100]), flat(x_train), compute_mode="donot_use_mm_for_euclid_dist").min(1)
    torch.testing.assert_close(m["heldout_distance"][:100], brute.values)
    assert torch.equal(m["heldout_index"][:100], brute.indices)
    assert m["heldout_median"] > 4 and m["median"] == 0
    fresh = memorization(x_held, x_train, x_held)
    assert fresh["copies"] == pytest.approx(0.01) and fresh["median"] == fresh["heldout_median"]
    vae_scale = memorization((x_held + 1) / 2, (x_train + 1) / 2, (x_held + 1) / 2, value_range=(0, 1))
    torch.testing.assert_close(vae_scale["distance"], fresh["distance"])


def test_real_digits_cover_every_class_evenly_and_noise_does_not(digits):
    x_train, _, x_held, _ = digits
    real = class_coverage(x_held, device="cpu")
    assert real["classes"] == 10 and real["class_kl"] < 0.01
    noise = torch.rand(1000, 1, 28, 28, generator=torch.Generator().manual_seed(0))
    fake = class_coverage(noise, value_range=(0, 1), device="cpu")
    assert fake["classes"] <= 3 and fake["class_kl"] > 1
    assert inception_score(x_held, device="cpu") > 9 > inception_score(noise, value_range=(0, 1), device="cpu")


def test_judge_scores_read_real_digits_near_the_ceiling_and_noise_at_the_bottom(digits):
    x_train, _, x_held, _ = digits
    real = judge_scores(x_train[:1000], x_held, device="cpu")
    noise = judge_scores(torch.rand(1000, 1, 28, 28, generator=torch.Generator().manual_seed(0)) * 2 - 1, x_held,
                         device="cpu")
    assert real["fid"] < noise["fid"] / 50 and real["precision"] > 0.6 and real["recall"] > 0.6
    assert noise["precision"] == 0 and noise["recall"] == 0
    assert frechet_distance(x_held, x_held, device="cpu") == pytest.approx(0, abs=1e-3)
    floors = read_manifest()["judge"]["metrics"]["floors_vs_heldout"]
    assert floors["real_train_1000"] == pytest.approx({k: round(v, 4) for k, v in real.items()}, abs=1e-4)
    # one reading of each set gives what the metrics give one by one (a blurred half of the digits)
    fake = torch.cat([x_train[:300], torch.nn.functional.avg_pool2d(x_train[300:600], 3, 1, 1)])
    alone = {**{k: class_coverage(fake, device="cpu")[k] for k in ("classes", "class_kl")},
             "inception_score": inception_score(fake, device="cpu"), "fid": frechet_distance(x_held, fake, device="cpu"),
             **precision_recall(x_held, fake, device="cpu")}
    assert judge_scores(fake, x_held, device="cpu") == pytest.approx(alone, rel=1e-5)
    # a reference set read once, handed over as the judge's outputs, gives the same figures
    from gan_course.checkpoints import pretrained
    from gan_course.judge import judge_outputs

    held_out = judge_outputs(pretrained("judge"), x_held)
    assert judge_scores(fake, held_out, device="cpu") == pytest.approx(alone, rel=1e-9)
    assert frechet_distance(held_out, fake, device="cpu") == pytest.approx(alone["fid"], rel=1e-9)
    with pytest.raises(ValueError, match="real as judge outputs must be"):
        judge_scores(fake, (held_out[0], held_out[1][:10]), device="cpu")


def test_bad_image_inputs_name_the_argument(digits):
    x = digits[2][:10]
    with pytest.raises(ValueError, match=r"images must be finite and within value_range=\(0, 1\)"):
        class_coverage(x, value_range=(0, 1), device="cpu")
    with pytest.raises(ValueError, match="value_range"):
        inception_score(x, value_range=(0, 255), device="cpu")
    with pytest.raises(ValueError, match=r"images must be images of shape \(n, 1, 28, 28\)"):
        inception_score(x.reshape(10, 784), device="cpu")
    with pytest.raises(ValueError, match="min_share"):
        class_coverage(x, min_share=0, device="cpu")
    with pytest.raises(ValueError, match="fake must hold at least 2 images"):
        frechet_distance(x, x[:1], device="cpu")
    with pytest.raises(ValueError, match="real must be"):
        frechet_distance(x[:, :, :14], x, device="cpu")
    with pytest.raises(ValueError, match="k=3 needs more than k images"):
        precision_recall(x, x[:3], device="cpu")
    with pytest.raises(ValueError, match="k=0"):
        precision_recall(x, x, k=0, device="cpu")
    with pytest.raises(ValueError, match="train must be"):
        memorization(x, x * 2, x)
    with pytest.raises(ValueError, match="heldout must be"):
        memorization(x, x, x[0])


def test_a_replaying_generator_fools_is_and_fid_but_not_recall_or_memorization(digits):
    """Ten training digits, one per class, each returned 100 times: the judge's IS calls it varied and
    confident, FID calls it close; recall and the nearest-neighbour distances expose it."""
    x_train, y_train, x_held, _ = digits
    ten = torch.stack([x_train[(y_train == k).nonzero()[0, 0]] for k in range(10)])
    replay = ten.repeat(100, 1, 1, 1)
    assert inception_score(replay, device="cpu") > 8
    assert frechet_distance(x_held, replay, device="cpu") < 30  # beside noise (about 250)
    assert precision_recall(x_held, replay, device="cpu")["recall"] < 0.05
    assert memorization(replay, x_train, x_held)["copies"] == 1


def test_bad_scales_small_samples_and_overlapping_references_are_refused(digits):
    x_train, _, x_held, _ = digits
    with pytest.raises(ValueError, match=r"look like images in \[0, 1\].*value_range=\(0, 1\)"):
        inception_score((x_held + 1) / 2, device="cpu")
    with pytest.raises(ValueError, match="heldout shares images with train"):
        memorization(x_held[:20], x_train, x_train[:50])
    fifty = one_hot_images([0] * 49 + [9])  # one image of fifty is 2%, but one stray image is not a mode
    assert class_coverage(fifty, judge=PixelJudge(), device="cpu")["classes"] == 1


def test_a_judge_in_train_mode_is_read_in_eval_mode(digits):
    from gan_course.checkpoints import pretrained
    from gan_course.judge import judge_outputs

    x_held = digits[2][:64]
    judge = pretrained("judge")
    expected = judge_outputs(judge, x_held)[0]
    assert torch.equal(judge_outputs(judge.train(), x_held)[0], expected)


def test_knn_precision_recall_on_points_matches_scikit_learn_and_reads_collapse_and_spread():
    from gan_course.metrics import knn_precision_recall

    rng = np.random.default_rng(1)
    real = rng.normal(0, 1, (400, 2))
    fake = rng.normal(0.5, 0.6, (300, 2))
    ours = knn_precision_recall(real, torch.tensor(fake), k=3)
    assert (ours["precision"], ours["recall"]) == pytest.approx(sklearn_precision_recall(real, fake, k=3))
    collapsed = knn_precision_recall(real, np.repeat(real[:1], 50, axis=0))  # every sample on one real point
    assert collapsed == {"precision": 1.0, "recall": 1 / 400}
    spread = knn_precision_recall(real, rng.normal(0, 4, (400, 2)))  # four times wider: covers, often unrealistic
    assert spread["precision"] < 0.5 and spread["recall"] > 0.95
    with pytest.raises(ValueError, match="real must be points"):
        knn_precision_recall(real[:, 0], fake)
    with pytest.raises(ValueError, match="same dimension"):
        knn_precision_recall(real, fake[:, :1])
    with pytest.raises(ValueError, match="fake holds 1 NaN"):
        knn_precision_recall(real, np.r_[fake, [[np.nan, 0]]])
    with pytest.raises(ValueError, match="k=3 needs more than k"):
        knn_precision_recall(real[:3], fake)
    nearest = knn_precision_recall(real, fake, k=1)  # one neighbour is the smallest k
    assert (nearest["precision"], nearest["recall"]) == pytest.approx(sklearn_precision_recall(real, fake, k=1))
    with pytest.raises(ValueError, match=r"^k=0 must be an integer >= 1$"):
        knn_precision_recall(real, fake, k=0)


def test_scorecard_is_judge_scores_and_memorization_together(digits):
    from gan_course.metrics import scorecard

    x_train, _, x_held, _ = digits
    fake = x_train[:300]  # replayed training digits: every one a copy
    card = scorecard(fake, x_train, x_held, device="cpu")
    near = memorization(fake, x_train, x_held)
    assert {k: card[k] for k in ("fid", "precision", "recall", "classes")} == pytest.approx(
        {k: v for k, v in judge_scores(fake, x_held, device="cpu").items() if k in ("fid", "precision", "recall", "classes")})
    assert card["copies"] == 1 and card["nn_distance"] == 0 and card["heldout_nn"] == pytest.approx(near["heldout_median"])
    from gan_course.judge import judge_outputs
    from gan_course.checkpoints import pretrained
    read_once = scorecard(fake, x_train, x_held, heldout_outputs=judge_outputs(pretrained("judge"), x_held), device="cpu")
    assert read_once == pytest.approx(card)


def test_every_image_metric_reads_zero_one_images_and_its_own_judge():
    """value_range=(0, 1) images score as their (-1, 1) copies, through each function and judge_scores; the
    judge passed is the one read; judge outputs given as a pair are checked for their shapes."""
    rng = np.random.default_rng(3)
    judge = PixelJudge(d=4)
    real, fake = images_from(rng.uniform(-1, 1, (60, 10))), images_from(rng.uniform(-0.5, 1, (50, 10)))
    unit = lambda x: (x + 1) / 2  # noqa: E731
    for score in (lambda r, f, **kw: frechet_distance(r, f, **kw),
                  lambda r, f, **kw: precision_recall(r, f, **kw),
                  lambda r, f, **kw: judge_scores(f, r, **kw)):
        assert score(unit(real), unit(fake), value_range=(0, 1), judge=judge, device="cpu") == pytest.approx(
            score(real, fake, judge=judge, device="cpu"))
    both = judge_scores(fake, real, judge=judge, device="cpu")
    assert both["fid"] == pytest.approx(frechet_distance(real, fake, judge=judge, device="cpu"))
    assert both["inception_score"] == pytest.approx(inception_score(fake, judge=judge, device="cpu"))
    assert precision_recall(real, fake, k=1, judge=judge, device="cpu")["precision"] >= 0  # k = 1 is allowed
    from gan_course.judge import judge_outputs

    logits, features = judge_outputs(judge, real)
    with pytest.raises(ValueError, match=r"^real as judge outputs must be \(logits \(n, K\), features \(n, d\)\)"):
        frechet_distance((logits[:, 0], features), fake, judge=judge, device="cpu")
    for score in (frechet_distance, precision_recall, lambda r, f, **kw: judge_scores(f, r, **kw)):
        with pytest.raises(ValueError, match=r"^fake must be finite"):
            score(real, fake + 5, judge=judge, device="cpu")
        with pytest.raises(ValueError, match=r"^real must be finite"):
            score(real + 5, fake, judge=judge, device="cpu")
