"""The judge: a small convolutional digit classifier whose outputs and features rate generated digits.

It plays, for 28x28 MNIST, the part Inception-v3 plays in the Inception Score (Salimans et
al. 2016) and FID (Heusel et al. 2017): class probabilities for the class metrics and the
Inception Score, penultimate features for FID, precision/recall and neighbours. Figures
measured with it are judge-based, not comparable with Inception-based figures in papers.
Training and scoring: :mod:`gan_course.judge`; image metrics: :mod:`gan_course.metrics`.
"""

from __future__ import annotations

from torch import nn

from gan_course._checks import check_count, check_positive


class Judge(nn.Module):
    """``features``: two conv blocks and a dense layer, images (n, 1, 28, 28) in [-1, 1] -> (n, n_features);
    ``head``: dropout and a linear layer -> (n, n_classes) logits. ``judge(x) = head(features(x))``.

    Each conv block is ``Conv 5x5 (padding 2) -> BatchNorm -> ReLU -> MaxPool 2``:
    1 -> ``width`` channels at 28x28, then ``width`` -> 2 ``width`` at 14x14, leaving
    2 ``width`` x 7 x 7, flattened into ``Linear -> BatchNorm -> ReLU`` to ``n_features``
    (the features are these post-ReLU activations, as Inception's pool features are).
    ``features.num_features`` holds the feature size, which torchmetrics' FID reads.
    Use it in ``eval()`` mode: batch norm and dropout change its outputs in training mode.
    ``seed`` (int or ``torch.Generator``) fixes the initial weights (:func:`gan_course.models.seeded`).
    """

    def __init__(self, width: int = 16, n_features: int = 64, n_classes: int = 10, dropout: float = 0.3, seed=0):
        from gan_course.models import seeded

        super().__init__()
        width, n_features = check_count("width", width, 1), check_count("n_features", n_features, 1)
        n_classes = check_count("n_classes", n_classes, 2)
        if not check_positive("dropout", dropout, allow_zero=True) < 1:
            raise ValueError(f"dropout={dropout!r} must be a probability in [0, 1)")
        with seeded(seed):
            self.features = nn.Sequential(
                _block(1, width), _block(width, 2 * width), nn.Flatten(),
                nn.Linear(2 * width * 7 * 7, n_features), nn.BatchNorm1d(n_features), nn.ReLU())
            self.head = nn.Sequential(nn.Dropout(dropout), nn.Linear(n_features, n_classes))
        self.features.num_features = n_features

    def forward(self, x):
        """Logits (n, n_classes) of images ``x`` (n, 1, 28, 28) in [-1, 1]."""
        if x.ndim != 4 or tuple(x.shape[1:]) != (1, 28, 28):
            raise ValueError(f"x must be images of shape (n, 1, 28, 28), got {tuple(x.shape)}")
        return self.head(self.features(x))


def _block(c_in: int, c_out: int):
    return nn.Sequential(nn.Conv2d(c_in, c_out, 5, padding=2), nn.BatchNorm2d(c_out), nn.ReLU(), nn.MaxPool2d(2))
