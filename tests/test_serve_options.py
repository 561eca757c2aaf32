"""`acotel-voice serve` refuses options that would make it refuse every caller."""

from __future__ import annotations

import pytest

from acotel_voice import cli


@pytest.mark.parametrize("option", ["--max-calls", "--workers"])
@pytest.mark.parametrize("value", ["0", "-3", "deux"])
def test_serve_refuses_counts_below_one(option: str, value: str,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        cli.main(["serve", option, value])
    assert stopped.value.code == 2
    assert option in capsys.readouterr().err
