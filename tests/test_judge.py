import re

import pytest
import torch

from gan_course.checkpoints import pretrained, read_manifest
from gan_course.data import load_mnist, train_heldout_split
from gan_course.judge import augment, confusion, judge_outputs, judge_terms, to_judge_scale, train_judge
from gan_course.models import build
from gan_course.models.judge import Judge


@pytest.fixture(scope="module")
def mnist():
    x, y = load_mnist("subset")
    return train_heldout_split(x, y, seed=0)


def test_the_judge_gives_logits_and_penultimate_features():
    judge = Judge(seed=3).eval()
    x = torch.rand(5, 1, 28, 28) * 2 - 1
    logits, features = judge(x), judge.features(x)
    assert logits.shape == (5, 10) and features.shape == (5, 64) and judge.features.num_features == 64
    torch.testing.assert_close(logits, judge.head(features))
    assert (features >= 0).all()  # post-ReLU, like Inception's pool features
    assert all(torch.equal(a, b) for a, b in zip(judge.state_dict().values(), Judge(seed=3).state_dict().values()))
    assert not torch.equal(Judge(seed=4).head[1].weight, judge.head[1].weight)
    same = build({"family": "judge", "config": {"width": 16, "n_features": 64, "n_classes": 10, "dropout": 0.3}})
    assert isinstance(same, Judge)


def test_augment_moves_each_digit_a_little_and_reproducibly(mnist):
    x = mnist[0][:64]
    assert torch.allclose(augment(x, torch.Generator().manual_seed(0), degrees=0, scale=0, shift=0), x, atol=1e-5)
    moved = augment(x, torch.Generator().manual_seed(0), degrees=0, scale=0, shift=2)
    assert torch.equal(moved, augment(x, torch.Generator().manual_seed(0), degrees=0, scale=0, shift=2))

    def centre(images):  # centre of mass of the ink, in pixels
        ink = (images + 1).squeeze(1)
        grid = torch.arange(28.0)
        return torch.stack([(ink.sum(1) * grid).sum(1), (ink.sum(2) * grid).sum(1)], 1) / ink.sum((1, 2))[:, None]

    shift = (centre(moved) - centre(x)).abs()
    assert shift.max() <= 2.05 and shift.mean() > 0.5  # uniform in [-2, 2]: mean |shift| = 1
    assert moved.min() >= -1 - 1e-6 and moved.max() <= 1 + 1e-6
    corners = moved[:, 0, [0, 0, -1, -1], [0, -1, 0, -1]]
    torch.testing.assert_close(corners, torch.full_like(corners, -1.0))  # background moves in: no grey frame


def test_augment_is_the_affine_map_its_docstring_states_checked_against_scipy():
    """Per image, draws u in [-1, 1]^4: a rotation of 10 u0 degrees, a zoom of 1 + 0.1 u1 and a shift of
    2 u2, 2 u3 pixels (the defaults); bilinear, the border copied. scipy.ndimage.affine_transform maps each
    output pixel (row, col) to the input pixel it reads, the same map written in pixel units."""
    import math

    import numpy as np
    from scipy import ndimage

    import warnings

    x = torch.rand(6, 1, 28, 28, generator=torch.Generator().manual_seed(0)) * 2 - 1
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # torch warns when align_corners is left unset
        out = augment(x, torch.Generator().manual_seed(7))
    u = (2 * torch.rand(6, 4, generator=torch.Generator().manual_seed(7)) - 1).double().numpy()
    centre = np.array([13.5, 13.5])  # pixel centres run 0 .. 27
    for image, result, (u0, u1, u2, u3) in zip(x[:, 0].double().numpy(), out[:, 0], u):
        a, zoom = math.radians(10 * u0), 1 + 0.1 * u1
        # input (x, y) = R(a) (output - centre) / zoom + centre + shift; in (row, col) = (y, x) order:
        m = np.array([[math.cos(a), math.sin(a)], [-math.sin(a), math.cos(a)]]) / zoom
        offset = centre - m @ centre + np.array([2 * u3, 2 * u2])
        want = ndimage.affine_transform(image, m, offset=offset, order=1, mode="nearest")
        np.testing.assert_allclose(result.numpy(), want, atol=2e-5)


def test_judge_terms_augment_by_default_with_the_generator_given():
    model = Judge(width=8, n_features=32, seed=0).eval()
    x = torch.rand(8, 1, 28, 28, generator=torch.Generator().manual_seed(1)) * 2 - 1
    y = torch.arange(8)
    runs = []
    for global_seed in (0, 1):  # the global generator plays no part
        torch.manual_seed(global_seed)
        runs.append(judge_terms(model, x, y, generator=torch.Generator().manual_seed(5))["loss"])
    assert torch.equal(runs[0], runs[1])
    assert not torch.equal(runs[0], judge_terms(model, x, y, augmented=False)["loss"])
    plain = torch.nn.functional.cross_entropy(model(augment(x, torch.Generator().manual_seed(5))), y)
    assert torch.equal(runs[0], plain)


def test_train_judge_is_fit_on_judge_terms_with_its_settings(mnist, capsys):
    """train_judge = fit(model, judge_terms, ...) with batches of 64, Adam at 1e-3 decayed to 0 and seed 0 by
    default; its held-out figure is the accuracy, a share in [0, 1]."""
    from gan_course.fit import fit

    x, y, x_held, y_held = mnist[0][:100], mnist[1][:100], mnist[2][:40], mnist[3][:40]

    def run(train, **kwargs):
        return train(Judge(width=4, n_features=16, seed=0), **kwargs)

    got = run(train_judge, x_train=x, y_train=y, epochs=2, x_heldout=x_held, y_heldout=y_held, progress=False)
    model = Judge(width=4, n_features=16, seed=0)
    accuracy = lambda m: confusion(m, x_held, y_held).diagonal().sum().item() / len(x_held)  # noqa: E731
    want = fit(model, judge_terms, (x, y), epochs=2, batch_size=64, lr=1e-3, decay=True, seed=0, heldout=accuracy,
               progress=False)
    assert got == want and 0 <= got["heldout"][-1] <= 1 and got["heldout"][-1] == accuracy(model)
    # a learning rate and seed of its own are passed on too
    assert run(train_judge, x_train=x, y_train=y, epochs=1, lr=3e-3, seed=4, progress=False) == fit(
        Judge(width=4, n_features=16, seed=0), judge_terms, (x, y), epochs=1, batch_size=64, lr=3e-3, decay=True,
        seed=4, progress=False)
    assert run(train_judge, x_train=x, y_train=y, epochs=2, decay=False, progress=False) != run(
        train_judge, x_train=x, y_train=y, epochs=2, progress=False)
    assert capsys.readouterr().err == ""
    run(train_judge, x_train=x[:8], y_train=y[:8], epochs=1)
    assert re.search(r"(^|\r)training the judge: ", capsys.readouterr().err)


def test_confusion_counts_true_rows_and_predicted_columns():
    class Fixed(torch.nn.Module):  # predicts digit = round of the first pixel's grey level x 9
        def __init__(self):
            super().__init__()
            self.features = torch.nn.Flatten()
            self.anchor = torch.nn.Parameter(torch.zeros(()))

        def head(self, f):
            return torch.nn.functional.one_hot(((f[:, 0] + 1) / 2 * 9).round().long(), 10).float()

    predicted = torch.tensor([0, 1, 1, 9, 9, 3])
    x = torch.full((6, 1, 28, 28), -1.0)
    x[:, 0, 0, 0] = predicted / 9 * 2 - 1
    labels = torch.tensor([0, 1, 2, 9, 3, 3])
    expected = torch.zeros(10, 10, dtype=torch.long)
    for t, p in zip(labels, predicted):
        expected[t, p] += 1
    assert torch.equal(confusion(Fixed(), x, labels), expected)
    # the matrix is K x K even when the last classes never appear; images in [0, 1] are read as such
    assert torch.equal(confusion(Fixed(), x[:3], labels[:3]), expected - confusion(Fixed(), x[3:], labels[3:]))
    assert torch.equal(confusion(Fixed(), (x[:3] + 1) / 2, labels[:3], value_range=(0, 1)),
                       confusion(Fixed(), x[:3], labels[:3]))
    with pytest.raises(ValueError, match="labels must have shape"):
        confusion(Fixed(), x, labels[:5])


def test_training_learns_and_is_reproducible(mnist):
    x_train, y_train, x_held, y_held = mnist
    runs = []
    for _ in range(2):
        model = Judge(width=8, n_features=32, seed=0)
        runs.append(train_judge(model, x_train[:1000], y_train[:1000], epochs=3, x_heldout=x_held[:300],
                                y_heldout=y_held[:300], device="cpu", progress=False))
    assert runs[0] == runs[1] and not model.training
    assert runs[0]["heldout"][-1] > 0.6 and runs[0]["loss"][-1] < runs[0]["loss"][0]
    terms = judge_terms(model, x_held[:50], y_held[:50], augmented=False)
    assert terms["accuracy"].item() == pytest.approx((model(x_held[:50]).argmax(1) == y_held[:50]).float().mean().item())


def test_bad_input_names_the_argument(mnist):
    with pytest.raises(ValueError, match="width"):
        Judge(width=0)
    with pytest.raises(ValueError, match="dropout"):
        Judge(dropout=1.0)
    with pytest.raises(ValueError, match=r"x must be images of shape \(n, 1, 28, 28\)"):
        Judge()(torch.zeros(2, 784))
    with pytest.raises(ValueError, match=r"x_train must be finite and within value_range=\(-1, 1\)"):
        train_judge(Judge(), mnist[0][:4] * 3, mnist[1][:4], epochs=1, device="cpu", progress=False)
    with pytest.raises(ValueError, match="x_heldout and y_heldout"):
        train_judge(Judge(), mnist[0][:4], mnist[1][:4], epochs=1, x_heldout=mnist[2], device="cpu", progress=False)
    with pytest.raises(ValueError, match="value_range"):
        to_judge_scale(mnist[0][:4], (0, 255))
    with pytest.raises(ValueError, match=r"images must be finite and within value_range"):
        to_judge_scale(mnist[0][:4] + 0.01, (-1, 1))  # 0.01 past the top: more than rounding
    with pytest.raises(ValueError, match=r"^x_heldout must be finite"):
        train_judge(Judge(), mnist[0][:4], mnist[1][:4], epochs=1, x_heldout=mnist[2][:4] * 3, y_heldout=mnist[3][:4],
                    device="cpu", progress=False)
    assert torch.equal(to_judge_scale(mnist[0][:4], [-1, 1]), to_judge_scale(mnist[0][:4], (-1, 1)))  # a list too
    with pytest.raises(ValueError, match="images must be"):
        judge_outputs(Judge(), torch.zeros(0, 1, 28, 28))


def test_value_range_maps_zero_one_images_onto_the_judges_scale(mnist):
    x = mnist[2][:20]
    torch.testing.assert_close(to_judge_scale((x + 1) / 2, (0, 1)), x, atol=1e-6, rtol=0)
    judge = Judge().eval()
    for a, b in zip(judge_outputs(judge, x), judge_outputs(judge, (x + 1) / 2, value_range=(0, 1))):
        torch.testing.assert_close(a, b, atol=1e-5, rtol=1e-5)


def test_the_shipped_judge_scores_as_its_manifest_says(mnist):
    entry = read_manifest()["judge"]
    assert entry["command"] == "python -m gan_course reproduce judge" and entry["spec"]["family"] == "judge"
    judge = pretrained("judge")
    assert not judge.training
    matrix = confusion(judge, mnist[2], mnist[3])
    assert matrix.tolist() == entry["metrics"]["confusion"] and matrix.sum(1).tolist() == [100] * 10
    accuracy = matrix.trace().item() / 1000
    assert accuracy == entry["metrics"]["accuracy"] and accuracy >= 0.98
