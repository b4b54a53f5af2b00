import json

import pytest
import torch

from gan_course.checkpoints import SHIPPED, load_checkpoint, read_manifest, save_checkpoint, sha256_of


@pytest.fixture
def saved(tmp_path):
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.Linear(4, 1))
    path = save_checkpoint(model.state_dict(), "tiny-mlp", command="python -m gan_course train tiny",
                           metrics={"loss": 0.5}, directory=tmp_path)
    return model, path, tmp_path


def test_round_trip_restores_the_same_weights(saved):
    model, path, directory = saved
    entry = read_manifest(directory)["tiny-mlp"]
    assert entry == {"file": "tiny-mlp.pt", "sha256": sha256_of(path),
                     "command": "python -m gan_course train tiny", "metrics": {"loss": 0.5}}
    fresh = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.Linear(4, 1))
    fresh.load_state_dict(load_checkpoint("tiny-mlp", directory=directory))
    x = torch.randn(5, 3)
    torch.testing.assert_close(fresh(x), model(x))


def test_a_tampered_file_is_refused_with_the_command_to_rebuild(saved):
    _, path, directory = saved
    blob = bytearray(path.read_bytes())
    blob[-10] ^= 0xFF
    path.write_bytes(bytes(blob))
    with pytest.raises(ValueError, match="changed or corrupted.*python -m gan_course train tiny"):
        load_checkpoint("tiny-mlp", directory=directory)


def test_missing_file_and_unknown_name(saved):
    _, path, directory = saved
    with pytest.raises(ValueError, match=r"name='vae'.*available: \['tiny-mlp'\]"):
        load_checkpoint("vae", directory=directory)
    path.unlink()
    with pytest.raises(FileNotFoundError, match="tiny-mlp.pt is missing; recreate it with"):
        load_checkpoint("tiny-mlp", directory=directory)


class Payload:
    """Stands for any pickled object that is not plain data."""


def test_loading_refuses_pickled_code(tmp_path):
    """weights_only=True: a checkpoint that carries an arbitrary object does not load."""
    path = tmp_path / "evil.pt"
    torch.save({"x": Payload()}, path)
    (tmp_path / "manifest.json").write_text(json.dumps(
        {"evil": {"file": "evil.pt", "sha256": sha256_of(path), "command": "none", "metrics": {}}}))
    with pytest.raises(Exception, match="[Ww]eights only load failed|Unsupported global"):
        load_checkpoint("evil", directory=tmp_path)


@pytest.mark.parametrize("name", ["", "../up", "a b", "-x"])
def test_bad_names_and_commands(tmp_path, name):
    with pytest.raises(ValueError, match="name="):
        save_checkpoint({}, name, command="x", directory=tmp_path)
    with pytest.raises(ValueError, match="command"):
        save_checkpoint({}, "ok", command=" ", directory=tmp_path)
    with pytest.raises(FileNotFoundError, match="directory="):
        save_checkpoint({}, "ok", command="x", directory=tmp_path / "nope")


def test_every_shipped_checkpoint_matches_its_manifest():
    for name, entry in read_manifest(SHIPPED).items():
        assert sha256_of(SHIPPED / entry["file"]) == entry["sha256"], name
        assert entry["command"].startswith("python -m gan_course"), name


def test_pretrained_builds_the_network_from_its_spec_and_loads_it(tmp_path):
    from gan_course.checkpoints import pretrained
    from gan_course.models.mlp import mlp

    spec = {"family": "mlp", "config": {"in_dim": 3, "out_dim": 1, "hidden": 4}}
    model = mlp(3, 1, hidden=4, seed=5)
    save_checkpoint(model.state_dict(), "critic", command="python -m gan_course x", spec=spec, directory=tmp_path)
    assert read_manifest(tmp_path)["critic"]["spec"] == spec
    loaded = pretrained("critic", directory=tmp_path)
    x = torch.randn(6, 3)
    torch.testing.assert_close(loaded(x), model(x))
    assert not loaded.training
    with pytest.raises(ValueError, match=r"name='nope'.*available: \['critic'\]"):
        pretrained("nope", directory=tmp_path)
    save_checkpoint(model.state_dict(), "bare", command="python -m gan_course x", directory=tmp_path)
    with pytest.raises(ValueError, match="'bare' has no spec"):
        pretrained("bare", directory=tmp_path)


def test_every_shipped_checkpoint_loads_by_name():
    from gan_course.checkpoints import pretrained

    for name, entry in read_manifest(SHIPPED).items():
        if "spec" in entry:
            assert not pretrained(name).training, name
        else:  # a companion file (a training record) made by another checkpoint's command
            assert entry["metrics"]["made_with"] in read_manifest(SHIPPED), name


def test_a_manifest_cannot_point_outside_its_folder(saved):
    _, path, directory = saved
    manifest = read_manifest(directory)
    manifest["tiny-mlp"]["file"] = "../tiny-mlp.pt"
    (directory / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(ValueError, match="must be a file name"):
        load_checkpoint("tiny-mlp", directory=directory)


def test_sample_images_feeds_each_family_what_it_was_trained_on():
    from gan_course.checkpoints import pretrained, sample_images
    from gan_course.latents import InfoCodes

    for name in ("dcgan", "infogan", "cgan", "vae-z20"):
        images, labels = sample_images(name, 20, seed=4)
        again, _ = sample_images(name, 20, seed=4)
        assert images.shape == (20, 1, 28, 28) and images.min() >= -1 and images.max() <= 1, name
        assert torch.equal(images, again) and not torch.equal(images, sample_images(name, 20, seed=5)[0]), name
        assert (labels is None) == (name != "cgan"), name
    rng = torch.Generator().manual_seed(4)
    G = pretrained("dcgan")["G"]
    with torch.no_grad():
        assert torch.equal(sample_images("dcgan", 6, seed=4)[0], G(torch.randn(6, G.z_dim, generator=rng)))
        G = pretrained("infogan")["G"]
        z, c = InfoCodes(G.z_dim, 10, 2).with_categories(torch.arange(6) % 10, torch.Generator().manual_seed(4))
        assert torch.equal(sample_images("infogan", 6, seed=4)[0], G(z, c))
        vae = pretrained("vae-z20")
        assert torch.allclose(sample_images("vae-z20", 6, seed=4)[0],
                              vae.sample(6, generator=torch.Generator().manual_seed(4)) * 2 - 1)
    with pytest.raises(ValueError, match="not a generative model"):
        sample_images("judge", 4)
    with pytest.raises(ValueError, match="n"):
        sample_images("dcgan", 0)
