"""GAN objectives. Each term is documented with its formula and paper."""

from __future__ import annotations


def gradient_penalty(critic, x_real, x_fake, *, generator=None):
    r"""The WGAN-GP penalty (Gulrajani et al. 2017, Algorithm 1):

    .. math:: \mathbb{E}_{\hat x}\big[(\|\nabla_{\hat x} f(\hat x)\|_2 - 1)^2\big], \qquad
              \hat x = \alpha\, x_{\text{real}} + (1 - \alpha)\, x_{\text{fake}},\;\; \alpha \sim U[0, 1],

    with one :math:`\alpha` per sample (broadcast over the other dimensions) and the
    gradient norm taken over all non-batch dimensions (an image's pixels and
    channels together). Multiply by :math:`\lambda` (10 in the paper) yourself.

    Parameters
    ----------
    critic : callable, (N, ...) -> (N,) or (N, 1)
    x_real, x_fake : tensors of the same shape (N, ...); ``x_fake`` is detached here
    generator : torch.Generator, optional, for the draws of alpha
    """
    import torch

    if x_real.shape != x_fake.shape:
        raise ValueError(f"x_real and x_fake must have the same shape, got {tuple(x_real.shape)} "
                         f"and {tuple(x_fake.shape)}")
    alpha_shape = (x_real.shape[0],) + (1,) * (x_real.dim() - 1)
    alpha = torch.rand(alpha_shape, generator=generator, device=x_real.device, dtype=x_real.dtype)
    x_hat = (alpha * x_real.detach() + (1 - alpha) * x_fake.detach()).requires_grad_(True)
    (grad,) = torch.autograd.grad(critic(x_hat).sum(), x_hat, create_graph=True)
    return ((grad.flatten(1).norm(dim=1) - 1) ** 2).mean()
