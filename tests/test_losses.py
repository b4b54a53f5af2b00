import pytest
import torch

from gan_course.losses import gradient_penalty


def test_penalty_of_a_linear_critic_is_exact():
    """f(x) = <w, x> has gradient w everywhere, so the penalty is (||w|| - 1)^2, over all non-batch dims."""
    torch.manual_seed(0)
    w = torch.randn(1, 3, 4, 4)
    critic = lambda x: (x * w).flatten(1).sum(1)  # noqa: E731
    x_real, x_fake = torch.randn(8, 3, 4, 4), torch.randn(8, 3, 4, 4)
    expected = (w.norm() - 1) ** 2
    assert gradient_penalty(critic, x_real, x_fake).item() == pytest.approx(expected.item(), rel=1e-5)


def test_penalty_of_a_norm_critic_and_one_alpha_per_sample():
    """f(x) = c ||x|| has gradient norm c everywhere (x != 0): penalty (c - 1)^2; f(x) = ||x||^2 / 2
    has gradient x_hat, whose norm depends on each sample's alpha, drawn from the generator."""
    x_real, x_fake = torch.randn(16, 2), torch.randn(16, 2) + 5
    assert gradient_penalty(lambda x: 3 * x.norm(dim=1), x_real, x_fake).item() == pytest.approx(4.0, rel=1e-5)
    gen = torch.Generator().manual_seed(7)
    got = gradient_penalty(lambda x: 0.5 * (x**2).sum(1), x_real, x_fake, generator=gen)
    alpha = torch.rand(16, 1, generator=torch.Generator().manual_seed(7))
    x_hat = alpha * x_real + (1 - alpha) * x_fake
    assert got.item() == pytest.approx(((x_hat.norm(dim=1) - 1) ** 2).mean().item(), rel=1e-5)


def test_penalty_flows_to_the_critic_not_to_the_fake_batch():
    critic = torch.nn.Linear(2, 1)
    x_fake = torch.randn(4, 2, requires_grad=True)
    gradient_penalty(critic, torch.randn(4, 2), x_fake).backward()
    assert critic.weight.grad is not None and critic.weight.grad.abs().sum() > 0
    assert x_fake.grad is None
    with pytest.raises(ValueError, match="same shape"):
        gradient_penalty(critic, torch.randn(4, 2), torch.randn(3, 2))
