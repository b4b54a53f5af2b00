import numpy as np

from gan_course.exercises import check_inverse_cdf_sampler


def test_inverse_cdf_checker_accepts_right_answers(capsys):
    assert check_inverse_cdf_sampler(lambda u, rate: -np.log1p(-u) / rate)
    assert check_inverse_cdf_sampler(lambda u, rate: -np.log(u) / rate)  # 1 - U is uniform too
    assert capsys.readouterr().out.startswith("Correct!")


def test_inverse_cdf_checker_rejects_wrong_answers(capsys):
    wrong = [
        (lambda u, rate: None, "returned None"),
        (lambda u, rate: np.log1p(-u) / rate, "never negative"),
        (lambda u, rate: -np.log1p(-u) * rate, "mean"),  # rate used as a scale
        (lambda u, rate: u, "mean"),
        (lambda u, rate: -np.log1p(-u[:10]) / rate, "shape"),
        (lambda u, rate: 1 / 0, "ZeroDivisionError"),
    ]
    for fn, reason in wrong:
        assert not check_inverse_cdf_sampler(fn)
        out = capsys.readouterr().out
        assert out.startswith("Not yet:") and reason in out, out
