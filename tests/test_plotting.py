import numpy as np
import pytest
import torch
from matplotlib.figure import Figure

from gan_course.distributions import make_ring
from gan_course.plotting import critic_field, loss_curves, plot_critic_field, plot_losses, plot_toy, tile_images

HISTORY = {"step": [1, 2, 3, 4], "d_loss": [1.4, 1.2, 1.3, 1.1], "g_loss": [0.7, 0.9, 0.8, 1.0], "d_real": [0.0] * 4}


def axes():
    return Figure().subplots()


def test_loss_curves_carry_the_history_and_keep_a_window():
    steps, d_loss, g_loss = loss_curves(HISTORY)
    np.testing.assert_array_equal(steps, [1, 2, 3, 4])
    np.testing.assert_array_equal(d_loss, HISTORY["d_loss"])
    np.testing.assert_array_equal(g_loss, HISTORY["g_loss"])
    steps, d_loss, g_loss = loss_curves(HISTORY, last=2)
    np.testing.assert_array_equal(steps, [3, 4])
    np.testing.assert_array_equal(d_loss, [1.3, 1.1])
    np.testing.assert_array_equal(g_loss, [0.8, 1.0])
    assert [len(a) for a in loss_curves({"step": [], "d_loss": [], "g_loss": []})] == [0, 0, 0]


def test_plot_losses_draws_both_players_against_the_step():
    ax = axes()
    assert plot_losses(HISTORY, ax=ax, last=3) is ax
    (d_line, g_line) = ax.get_lines()
    assert (d_line.get_label(), g_line.get_label()) == ("D loss", "G loss")
    np.testing.assert_array_equal(d_line.get_xydata(), [[2, 1.2], [3, 1.3], [4, 1.1]])
    np.testing.assert_array_equal(g_line.get_xydata(), [[2, 0.9], [3, 0.8], [4, 1.0]])
    assert ax.get_xlabel() == "step" and ax.get_ylabel() == "loss"


def test_the_critic_field_is_d_at_the_grid_points():
    def D(x):  # not symmetric in x1 and x2, so a transposed grid would fail
        return (2 * x[:, 0] + x[:, 1] ** 2)[:, None]

    xs, ys, values = critic_field(D, 3.0, n=7)
    np.testing.assert_allclose(xs, np.linspace(-3, 3, 7))
    np.testing.assert_allclose(ys, np.linspace(-3, 3, 7))
    np.testing.assert_allclose(values, 2 * xs[None, :] + ys[:, None] ** 2, rtol=1e-6)
    net = torch.nn.Sequential(torch.nn.Linear(2, 8), torch.nn.Tanh(), torch.nn.Linear(8, 1))
    xs, ys, values = critic_field(net, 2.0, n=5)
    with torch.no_grad():
        direct = net(torch.tensor([[xs[4], ys[1]], [xs[0], ys[3]]], dtype=torch.float32)).ravel().numpy()
    np.testing.assert_allclose([values[1, 4], values[3, 0]], direct, rtol=1e-5, atol=1e-7)  # float32, batched or not


def test_plot_critic_field_shows_the_field_with_pixels_on_the_grid_points():
    def D(x):
        return x[:, :1] - x[:, 1:]

    ax = axes()
    assert plot_critic_field(D, 2.0, n=5, ax=ax) is ax
    (image,) = ax.get_images()
    np.testing.assert_allclose(image.get_array(), critic_field(D, 2.0, n=5)[2])
    np.testing.assert_allclose(image.get_extent(), [-2.5, 2.5, -2.5, 2.5])  # grid step 1: pixels 1 wide
    assert ax.get_xlim() == (-2.0, 2.0) and ax.get_xlabel() and ax.get_ylabel()


def test_plot_toy_labels_its_axes():
    ax = plot_toy(make_ring(100), ax=axes())
    assert ax.get_xlabel() and ax.get_ylabel() and ax.get_title().startswith("ring: 8 centres")


def test_tile_images_lays_images_out_in_rows_on_the_background():
    images = np.arange(3 * 2 * 2, dtype=float).reshape(3, 1, 2, 2) + 1
    tiled = tile_images(images, nrow=2, pad=1)
    assert tiled.shape == (2 * 3 + 1, 2 * 3 + 1)
    np.testing.assert_array_equal(tiled[1:3, 4:6], images[1, 0])
    np.testing.assert_array_equal(tiled[4:6, 1:3], images[2, 0])
    assert tiled[4:6, 4:6].max() == 1 and tiled[0].max() == 1  # the empty cell and the gaps: background


@pytest.mark.parametrize("call, match", [
    (lambda: loss_curves({"step": [1], "d_loss": [0.5]}), "missing \\['g_loss'\\]"),
    (lambda: loss_curves({"step": [1, 2], "d_loss": [0.5], "g_loss": [0.5]}), "one entry a step"),
    (lambda: loss_curves(HISTORY, last=0), "last=0"),
    (lambda: critic_field(lambda x: x[:, :1], 0.0), "extent=0.0"),
    (lambda: critic_field(lambda x: x[:, :1], 1.0, n=1), "n=1"),
    (lambda: critic_field(lambda x: x, 1.0, n=3), "one number"),
])
def test_bad_input_names_the_argument(call, match):
    with pytest.raises(ValueError, match=match):
        call()
