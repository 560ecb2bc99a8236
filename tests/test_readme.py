"""The README's worked example on your own data runs and prints what the README says; `modalinfo analyze`
reads a user's file (npz arrays, csv column groups), writes its outputs and answers mistakes in one line."""

import doctest
import re
from pathlib import Path

import numpy as np
import pytest

from modalinfo.cli import main

README = Path(__file__).resolve().parents[1] / "README.md"


def test_the_your_own_data_example_prints_what_the_readme_says():
    section = README.read_text().split("## Your own data", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    test = doctest.DocTestParser().get_doctest(block, {}, "README: your own data", str(README), 0)
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    runner.run(test)
    assert runner.failures == 0 and runner.tries >= 5


@pytest.fixture(scope="module")
def digits_files(tmp_path_factory):
    from sklearn.datasets import load_digits

    folder = tmp_path_factory.mktemp("data")
    digits = load_digits()
    images = digits.images[::3]  # 599 rows: the command, not the estimate, is under test
    np.savez(
        folder / "halves.npz",
        left=images[:, :, :4].reshape(-1, 32),
        right=images[:, :, 4:].reshape(-1, 32),
        digit=digits.target[::3],
    )
    import pandas as pd

    columns = {f"px{r}_{c}": images[:, r, c] for r in range(8) for c in range(8)}
    pd.DataFrame({**columns, "digit": np.array(list("abcdefghij"))[digits.target[::3]]}).to_csv(
        folder / "pixels.csv", index=False
    )
    return folder


def test_analyze_an_npz_and_a_csv_of_string_labels(digits_files, tmp_path, capsys):
    out = tmp_path / "out"
    assert (
        main(
            [
                "analyze",
                str(digits_files / "halves.npz"),
                "--target",
                "digit",
                "--resamples",
                "20",
                "--output",
                str(out),
            ]
        )
        == 0
    )
    printed = capsys.readouterr().out
    assert "estimator family: probe" in printed and "left,right" in printed
    assert {p.name for p in out.iterdir()} == {"halves.csv", "halves.json", "halves.png"}
    assert (
        main(
            [
                "analyze",
                str(digits_files / "pixels.csv"),
                "--target",
                "digit",
                "--modality",
                "left=px*_[0-3]",
                "--modality",
                "right=px*_[4-7]",
                "--resamples",
                "0",
                "--output",
                str(out),
            ]
        )
        == 0
    )
    import pandas as pd

    table = pd.read_csv(out / "pixels.csv")
    value = table.set_index(["subset", "quantity"])["value"]
    assert value["left", "I(Y;X)"] <= value["all", "H(Y)"] and abs(value["left", "chain-rule residual"]) < 1e-9


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (["nope.npz", "--target", "y"], "no file"),
        (["{dir}/halves.npz", "--target", "label"], "not an array"),
        (["{dir}/pixels.csv", "--target", "digit"], "--modality"),
        (
            ["{dir}/pixels.csv", "--target", "digit", "--modality", "a=zz*", "--modality", "b=px0_0"],
            "matches no column",
        ),
        (["{dir}/pixels.csv", "--target", "digit", "--modality", "a"], "NAME=COLUMNS"),
        (["{dir}/halves.txt", "--target", "digit"], "must be one of"),
    ],
)
def test_analyze_mistakes_get_one_line(digits_files, capsys, args, match):
    with pytest.raises(SystemExit) as stop:
        main(["analyze", *[a.replace("{dir}", str(digits_files)) for a in args]])
    err = capsys.readouterr().err
    assert stop.value.code == 2 and len(err.strip().splitlines()) == 1 and match in err, err
