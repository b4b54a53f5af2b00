import pytest
import torch

from gan_course.losses import Wasserstein
from gan_course.models.mlp import mlp, packed
from gan_course.train import Trainer, TrainSettings


def test_packed_discriminator_sees_consecutive_samples_side_by_side():
    torch.manual_seed(0)
    inner = mlp(6, 1, hidden=8)
    D = packed(inner, 3)
    x = torch.randn(12, 2)
    out = D(x)
    assert out.shape == (4, 1)
    by_hand = inner(torch.cat([x[0::3], x[1::3], x[2::3]], dim=1))  # pack i = rows 3i, 3i+1, 3i+2
    torch.testing.assert_close(out, by_hand)
    assert set(dict(D.named_parameters())) == {f"D.{k}" for k in dict(inner.named_parameters())}
    with pytest.raises(ValueError, match="m=3"):
        D(torch.randn(10, 2))
    with pytest.raises(ValueError, match="m=0"):
        packed(inner, 0)


def test_a_packed_critic_trains_with_the_gradient_penalty():
    torch.manual_seed(0)
    G, D = mlp(2, 2, hidden=8), packed(mlp(4, 1, hidden=8), 2)
    trainer = Trainer(G, D, Wasserstein(gp_weight=1), torch.randn(64, 2), 2, TrainSettings(batch_size=16),
                      device="cpu")
    trainer.run(3, progress=False)
    assert len(trainer.history["d_loss_penalty"]) == 3 and trainer.history["d_loss_penalty"][-1] > 0
