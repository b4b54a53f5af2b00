import math

import pytest
import torch

from gan_course.fit import fit


def mse(model, x, y, *, generator=None):
    return {"loss": (model(x) - y).pow(2).mean(), "x_mean": x.mean()}


def line_data(n=10):
    x = torch.linspace(-1, 1, n).unsqueeze(1)
    return x, 3 * x + 1


def test_fit_is_a_plain_adam_loop_over_seeded_shuffles():
    """The loop does exactly what its docstring says: the same run written out by hand gives the same weights."""
    x, y = line_data()
    model = torch.nn.Linear(1, 1)
    reference = torch.nn.Linear(1, 1)
    reference.load_state_dict(model.state_dict())
    history = fit(model, mse, (x, y), epochs=3, batch_size=4, lr=0.05, seed=5, device="cpu", progress=False)
    gen = torch.Generator().manual_seed(5)
    opt = torch.optim.Adam(reference.parameters(), lr=0.05)
    for _ in range(3):
        for idx in torch.randperm(10, generator=gen).split(4):
            opt.zero_grad()
            mse(reference, x[idx], y[idx])["loss"].backward()
            opt.step()
    for a, b in zip(model.parameters(), reference.parameters()):
        assert torch.equal(a, b)
    assert history["epoch"] == [1, 2, 3] and history["loss"][-1] < history["loss"][0]
    # batches of 4, 4 and 2: the epoch mean weighs each batch by its size, so it is the plain mean of x
    assert history["x_mean"] == pytest.approx([x.mean().item()] * 3, abs=1e-7)


def test_same_seed_same_numbers_and_another_seed_other_numbers():
    def run(seed):
        torch.manual_seed(0)  # the same initial weights
        return fit(torch.nn.Linear(1, 1), mse, line_data(), epochs=2, batch_size=3, seed=seed, device="cpu",
                   progress=False)["loss"]

    assert run(0) == run(0) and run(0) != run(1)


def test_dropout_draws_are_seeded_too_and_the_global_generator_is_left_alone():
    x, y = line_data(40)

    def run(global_seed):
        torch.manual_seed(0)  # the same initial weights
        model = torch.nn.Sequential(torch.nn.Linear(1, 8), torch.nn.Dropout(0.5), torch.nn.Linear(8, 1))
        torch.manual_seed(global_seed)  # the learner's global state
        history = fit(model, mse, (x, y), epochs=2, batch_size=8, seed=3, device="cpu", progress=False)
        return history["loss"], torch.rand(1)

    (first, after_first), (second, _) = run(1), run(2)
    assert first == second  # the learner's global state does not matter
    torch.manual_seed(1)
    assert torch.equal(after_first, torch.rand(1))  # and fit left it where it was


def test_linear_decay_scales_each_adam_step_by_one_minus_t_over_T():
    w = torch.nn.Parameter(torch.zeros(()))
    model = torch.nn.Module()
    model.w = w

    def objective(model, x, *, generator=None):  # gradient 1: every Adam step moves w by lr (up to eps)
        return {"loss": model.w * 1.0 + 0 * x.sum()}

    x = torch.zeros(12, 1)
    fit(model, objective, x, epochs=2, batch_size=4, lr=0.1, device="cpu", progress=False)
    assert w.item() == pytest.approx(-0.1 * 6, rel=1e-5)
    w.data.zero_()
    fit(model, objective, x, epochs=2, batch_size=4, lr=0.1, decay=True, device="cpu", progress=False)
    assert w.item() == pytest.approx(-0.1 * sum(1 - t / 6 for t in range(6)), rel=1e-5)  # = -0.1 * 3.5


def test_heldout_is_measured_every_epoch_in_eval_mode_without_gradients_and_the_model_ends_in_eval():
    x, y = line_data()
    model = torch.nn.Sequential(torch.nn.Linear(1, 1), torch.nn.Dropout(0.5))
    seen = []

    def heldout(m):
        seen.append((m.training, torch.is_grad_enabled()))
        return mse(m, x, y)["loss"]

    history = fit(model, mse, (x, y), epochs=3, heldout=heldout, device="cpu", progress=False)
    assert seen == [(False, False)] * 3 and len(history["heldout"]) == 3
    assert all(isinstance(v, float) for v in history["heldout"]) and not model.training


def test_a_nan_loss_stops_with_the_epoch_and_the_batch():
    calls = []

    def objective(model, x, *, generator=None):
        calls.append(1)
        loss = model(x).mean()
        return {"loss": loss * math.nan if len(calls) == 6 else loss, "extra": loss}

    with pytest.raises(FloatingPointError, match=r"epoch 2, batch 3: the loss became nan \(loss = nan, extra = "):
        fit(torch.nn.Linear(1, 1), objective, torch.zeros(10, 1), epochs=3, batch_size=4, device="cpu", progress=False)
    inf = lambda model, x, generator=None: {"loss": model(x).mean() + math.inf}  # noqa: E731
    with pytest.raises(FloatingPointError, match="epoch 1, batch 1: the loss became inf"):
        fit(torch.nn.Linear(1, 1), inf, torch.zeros(4, 1), epochs=1, device="cpu", progress=False)


@pytest.mark.parametrize("kwargs, name", [
    ({"epochs": -1}, "epochs"), ({"epochs": 1.5}, "epochs"), ({"batch_size": 0}, "batch_size"), ({"lr": 0}, "lr"),
    ({"lr": math.nan}, "lr"), ({"seed": -1}, "seed"), ({"objective": "mse"}, "objective"), ({"heldout": 3}, "heldout"),
    ({"data": (torch.zeros(3, 1), torch.zeros(4, 1))}, "data"), ({"data": torch.zeros(0, 1)}, "data"),
    ({"data": ()}, "data"), ({"objective": lambda model, x, y, generator=None: model(x).mean()}, "objective"),
])
def test_bad_arguments_are_named(kwargs, name):
    args = {"objective": mse, "data": line_data(), "epochs": 1, **kwargs}
    model, objective, data = torch.nn.Linear(1, 1), args.pop("objective"), args.pop("data")
    with pytest.raises(ValueError, match=name):
        fit(model, objective, data, device="cpu", progress=False, **args)
