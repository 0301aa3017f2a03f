"""The quickstart notebook runs from top to bottom (nbclient, matplotlib's Agg backend), from its own
folder as Jupyter runs it: on the public fake returns beside the repository when they are there, and
on the synthetic local authority written out as returns when they are not."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "examples" / "notebooks" / "quickstart.ipynb"
PEER = ROOT.parent / "shared" / "peer-data"


def execute(monkeypatch: pytest.MonkeyPatch, peer: Path) -> str:
    """Runs the notebook with `CSC_PEER_DATA=peer`; returns the text of its outputs."""
    monkeypatch.setenv("CSC_PEER_DATA", str(peer))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOK.parent)}}
    )
    client.execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    assert any("image/png" in o.get("data", {}) for o in outputs), "the chart is shown"
    return "".join(
        o.get("text", "") + str(o.get("data", {}).get("text/plain", "")) for o in outputs
    )


def test_quickstart_notebook_on_the_peer_returns(monkeypatch: pytest.MonkeyPatch) -> None:
    if not (PEER / "cs-demand-model").is_dir():
        pytest.skip(f"{PEER} is absent (public fake returns kept beside the repository)")
    text = execute(monkeypatch, PEER)
    # The demand model's five SSDA903 returns and the CIN validator's census were read, with
    # the load report's entries.
    assert "CIN years 2023, SSDA903 years 2018-2022" in text
    assert "cin-validator-fake/fake_CIN_data.xml" in text and "history_truncated" in text
    assert re.search(r"Children looked after at the period end[^\n]* on 2022-03-31: \d+", text)


def test_quickstart_notebook_on_the_written_sample(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    text = execute(monkeypatch, tmp_path / "no-peer-data")
    # `csc-measures synth` wrote 2021-2024 to a temporary folder, and the notebook read it.
    assert "CIN years 2021-2024, SSDA903 years 2021-2024" in text
    assert "/2024/cin.xml" in text and "/2024/ssda903/episodes.csv" in text
    assert re.search(r"Children looked after at the period end[^\n]* on 2024-03-31: \d+", text)
