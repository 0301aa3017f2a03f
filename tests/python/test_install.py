"""The wheel: what it declares, and its `csc-measures` command against the Rust binary.

scripts/python-test builds the wheel into target/wheels and installs it from that file; pip then
puts the `csc-measures` command next to this environment's python. That command runs the binary's
own code (`csc_cli::run` in the native module), so for the same arguments it must give the same
standard output, standard error and exit status, byte for byte, as the binary built by cargo
(`$CSC_MEASURES_CLI`), and write the same files. Those tests skip, saying so, where no command is
installed next to this python.
"""

from __future__ import annotations

import configparser
import os
import shutil
import signal
import subprocess
import sys
import sysconfig
import time
import zipfile
from pathlib import Path

import pytest

import csc_measures

ROOT = Path(__file__).resolve().parents[2]
PEER = ROOT.parent / "shared" / "peer-data"
COMMAND = Path(sysconfig.get_path("scripts")) / (
    "csc-measures.exe" if os.name == "nt" else "csc-measures"
)
needs_command = pytest.mark.skipif(
    not COMMAND.exists(),
    reason=f"no {COMMAND}: csc-measures is not installed in this environment "
    "(scripts/python-test installs the wheel)",
)
# Small and quick: the sample's shape with 2,000 children.
SMALL = ("--sample-children", "2000")


def wheel_file() -> Path:
    """The wheel scripts/python-test built ($CSC_MEASURES_WHEEL), or the newest in target/wheels."""
    if os.environ.get("CSC_MEASURES_WHEEL"):
        return Path(os.environ["CSC_MEASURES_WHEEL"])
    wheels = sorted((ROOT / "target" / "wheels").glob("csc_measures-*.whl"), key=os.path.getmtime)
    if not wheels:
        pytest.skip("no wheel in target/wheels (scripts/python-test builds one)")
    return wheels[-1]


def test_wheel_declares_the_command_and_no_runtime_dependency() -> None:
    wheel = wheel_file()
    # One wheel for CPython 3.9 and later.
    assert "-cp39-abi3-" in wheel.name, wheel.name
    with zipfile.ZipFile(wheel) as z:
        names = z.namelist()
        info = next(n.split("/")[0] for n in names if n.endswith(".dist-info/METADATA"))
        entry_points = configparser.ConfigParser()
        entry_points.read_string(z.read(f"{info}/entry_points.txt").decode())
        metadata = z.read(f"{info}/METADATA").decode()
    assert dict(entry_points["console_scripts"]) == {"csc-measures": "csc_measures._cli:main"}
    for part in ("_native.abi3.so", "_native.pyi", "py.typed", "_cli.py", "__main__.py"):
        assert f"csc_measures/{part}" in names, part
    # Dependencies only behind extras (pandas, polars, pyarrow): none at run time.
    requires = [line for line in metadata.splitlines() if line.startswith("Requires-Dist:")]
    assert requires and all("extra ==" in line for line in requires), requires
    assert f"Version: {csc_measures.__version__}\n" in metadata


def test_the_session_refuses_a_package_that_is_not_the_wheels(tmp_path: Path) -> None:
    # conftest's guard, given a wheel whose native module differs from the one imported here.
    from conftest import installed_from_wheel

    native = Path(str(csc_measures._native.__file__)).name
    wheel = tmp_path / "csc_measures-0.0.0-cp39-abi3-any.whl"
    with zipfile.ZipFile(wheel, "w") as z:
        z.writestr(
            "csc_measures-0.0.0.dist-info/RECORD",
            f"csc_measures/{native},sha256=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA,1\n",
        )
    with pytest.raises(RuntimeError, match="not the one in|not from the installed wheel"):
        installed_from_wheel(wheel)


def run(exe: list[str], args: tuple[str, ...], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([*exe, *args], cwd=cwd, capture_output=True, timeout=300, check=False)


def peer(*parts: str) -> str:
    path = PEER.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent (public fake returns kept beside the repository)")
    return str(path)


# (arguments, expected exit status); {peer:...} names a file of the peer data.
CASES = [
    # The README's Install example, as written (the full sample).
    (("report",), 0),
    (("report", *SMALL), 0),
    (("report", "--format", "json", *SMALL), 0),
    (("report", "--format", "markdown", *SMALL), 0),
    (("report", "--format", "html", "--target", "assessments_45wd=85", *SMALL), 0),
    (("check", *SMALL), 0),
    (("check", "--format", "json", *SMALL), 0),
    (("summary", *SMALL), 0),
    (("compute", "--year", "2023", *SMALL), 0),
    (("compute", "--measure", "list"), 0),
    (("series", "--format", "csv", *SMALL), 0),
    (("series", "--kind", "quarters", "--from", "2023-04", "--to", "2024-03", "--format", "json",
      *SMALL), 0),
    (("workdays", "2024-03-28", "2024-04-02"), 0),
    # Counted past the official calendar: a note on standard error.
    (("workdays", "2027-12-01", "2028-01-10"), 0),
    (("options",), 0),
    (("--help",), 0),
    (("report", "--help"), 0),
    (("--version",), 0),
    # Usage errors: clap's message on standard error, status 2.
    (("report", "--format", "pdf"), 2),
    (("no-such-command",), 2),
    ((), 2),
    # A file name that is not UTF-8 reaches the command as the same bytes (which clap refuses).
    (("check", "--cin", os.fsdecode(b"no/such/\xffcin.xml")), 2),
    # Failed commands: the error on standard error, status 1.
    (("check", "--cin", "no/such/cin.xml"), 1),
    (("workdays", "2024-04-02", "2024-03-28"), 1),
    (("compute", "--measure", "no_such_measure", *SMALL), 1),
    (("series", "--format", "arrow", *SMALL), 1),
]
PEER_CASES = [
    (("check", "--cin", "{peer:cin-validator-fake/CIN_Census_2024.xml}",
      "--ssda903", "{peer:ssda903-validator-fake}"), 0),
    (("report", "--format", "markdown", "--cin", "{peer:cin-validator-fake/fake_CIN_data.xml}",
      "--ssda903", "{peer:cs-demand-model/2020}", "--ssda903", "{peer:cs-demand-model/2021}"), 0),
    (("series", "--ssda903", "{peer:ssda903-validator-fake/fake_903.xml}",
      "--measure", "cla_at_end,cla_started", "--kind", "month_end"), 0),
]


def resolve(args: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(peer(a[6:-1]) if a.startswith("{peer:") else a for a in args)


@needs_command
@pytest.mark.parametrize(("args", "status"), CASES + PEER_CASES, ids=lambda v: repr(v)[:60])
def test_command_is_the_binary(
    args: tuple[str, ...], status: int, cli_exe: str, tmp_path: Path
) -> None:
    args = resolve(args)
    rust = run([cli_exe], args, tmp_path)
    wheel = run([str(COMMAND)], args, tmp_path)
    assert rust.returncode == status, rust.stderr.decode()
    assert (wheel.returncode, wheel.stderr, wheel.stdout) == (
        rust.returncode, rust.stderr, rust.stdout,
    )
    assert rust.stdout or rust.stderr, "the comparison compared something"


def test_python_m_csc_measures_is_the_command(cli_exe: str, tmp_path: Path) -> None:
    for args in (("--version",), ("workdays", "2024-03-28", "2024-04-02"), ("report", "-x")):
        rust = run([cli_exe], args, tmp_path)
        module = run([sys.executable, "-m", "csc_measures"], args, tmp_path)
        assert (module.returncode, module.stderr, module.stdout) == (
            rust.returncode, rust.stderr, rust.stdout,
        )


@needs_command
@pytest.mark.parametrize(
    "args",
    [
        ("compute", "--format", "json", "--records", "rows.csv", *SMALL),
        ("compute", "--series", "quarters", "--start", "2023-04-01", "--end", "2024-03-31",
         "--format", "csv", "--records", "rows.csv", *SMALL),
        ("series", "--kind", "month_end", "--format", "arrow", "--out", "series.arrow", *SMALL),
        ("synth", "--out", "out", "--children", "300", "--years", "2023-2024"),
    ],
    ids=["compute-records", "series-records", "series-arrow", "synth"],
)
def test_command_writes_the_binarys_files(args: tuple[str, ...], cli_exe: str, tmp_path: Path) -> None:
    # Each in its own folder, named in the arguments relative to it: the outputs must then match.
    (tmp_path / "rust").mkdir()
    (tmp_path / "wheel").mkdir()
    rust = run([cli_exe], args, tmp_path / "rust")
    wheel = run([str(COMMAND)], args, tmp_path / "wheel")
    assert rust.returncode == 0, rust.stderr.decode()
    assert (wheel.returncode, wheel.stderr, wheel.stdout) == (
        rust.returncode, rust.stderr, rust.stdout,
    )
    written = sorted(p.relative_to(tmp_path / "rust") for p in (tmp_path / "rust").rglob("*"))
    assert written, "the command wrote its files"
    assert written == sorted(
        p.relative_to(tmp_path / "wheel") for p in (tmp_path / "wheel").rglob("*")
    )
    for name in written:
        if (tmp_path / "rust" / name).is_file():
            rust_bytes = (tmp_path / "rust" / name).read_bytes()
            assert rust_bytes, name
            assert (tmp_path / "wheel" / name).read_bytes() == rust_bytes, name


@needs_command
@pytest.mark.parametrize(
    "args",
    [
        # Written through the request layer's renderers, and with the page's own writer: a reader
        # that leaves early ends the command quietly (status 0, nothing on standard error), in the
        # binary and in the wheel alike; never a panic, never a Python traceback.
        ("series", "--format", "csv", *SMALL),
        ("report", "--format", "html", "--records", *SMALL),
    ],
    ids=["series", "report-html"],
)
def test_a_closed_pipe_ends_the_command_as_it_ends_the_binary(
    args: tuple[str, ...], cli_exe: str
) -> None:
    # The output is several times a pipe's buffer: the reader takes a little and leaves.
    statuses = []
    for exe in (cli_exe, str(COMMAND)):
        with subprocess.Popen([exe, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE) as p:
            assert p.stdout is not None and p.stderr is not None
            assert p.stdout.read(100)
            p.stdout.close()
            err = p.stderr.read()
            statuses.append(p.wait(timeout=60))
        assert err == b"", err
    assert statuses == [0, 0]


def reads_its_stdin(pid: int) -> bool:
    """Whether process `pid` has opened its standard input again (a descriptor above 2 on it)."""
    fds = Path(f"/proc/{pid}/fd")
    try:
        stdin = os.readlink(fds / "0")
        names = os.listdir(fds)
    except OSError:
        return False
    for name in names:
        try:
            if int(name) > 2 and os.readlink(fds / name) == stdin:
                return True
        except OSError:  # closed meanwhile
            continue
    return False


@needs_command
@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs Linux's /proc")
def test_ctrl_c_stops_the_command(cli_exe: str) -> None:
    # Reading a pipe nobody writes to blocks: SIGINT (Ctrl-C) must end the command there, with the
    # signal's status and nothing on standard error, as it ends the binary.
    for exe in (cli_exe, str(COMMAND)):
        p = subprocess.Popen(
            [exe, "check", "--cin", "/dev/stdin"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )
        try:
            deadline = time.monotonic() + 60
            # Wait until the command has opened /dev/stdin (a second descriptor on the pipe).
            while not reads_its_stdin(p.pid):
                assert p.poll() is None and time.monotonic() < deadline, exe
                time.sleep(0.05)
            time.sleep(0.2)
            p.send_signal(signal.SIGINT)
            _, err = p.communicate(timeout=20)
            assert (p.returncode, err) == (-signal.SIGINT, b""), exe
        finally:
            if p.poll() is None:
                p.kill()
                p.communicate()


def other_pythons() -> list[str]:
    """CPython 3.9 (the oldest the wheel is for) and the newest 3.x found on this machine, other
    than the one running the tests: `python3.N` on the PATH, or under pyenv's versions."""
    found: dict[int, str] = {}
    for minor in range(9, 20):
        if minor == sys.version_info.minor:
            continue
        names = [shutil.which(f"python3.{minor}")]
        names += sorted(
            str(p) for p in (Path.home() / ".pyenv" / "versions").glob(f"3.{minor}.*/bin/python3")
        )
        for name in filter(None, names):
            done = subprocess.run([name, "--version"], capture_output=True, check=False)
            if done.returncode == 0 and done.stdout.startswith(f"Python 3.{minor}.".encode()):
                found[minor] = name
                break
    if not found:
        return []
    return sorted({found[min(found)], found[max(found)]})


@pytest.mark.skipif(not other_pythons(), reason="no other CPython 3.9+ on this machine")
def test_the_wheel_installs_offline_and_runs_on_other_pythons(cli_exe: str, tmp_path: Path) -> None:
    wheel = wheel_file()
    args = ("report", "--format", "markdown", *SMALL)
    rust = run([cli_exe], args, tmp_path)
    assert rust.returncode == 0, rust.stderr.decode()
    for i, python in enumerate(other_pythons()):
        venv = tmp_path / f"venv{i}"
        subprocess.run([python, "-m", "venv", str(venv)], check=True, capture_output=True)
        bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
        subprocess.run(
            [bin_dir / "python", "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
             "--no-index", "--no-deps", str(wheel)],
            check=True, capture_output=True,
        )
        command = run([str(bin_dir / "csc-measures")], args, tmp_path)
        assert (command.returncode, command.stderr, command.stdout) == (
            rust.returncode, rust.stderr, rust.stdout,
        ), python
        module = subprocess.run(
            [bin_dir / "python", "-c", "import csc_measures as csc; "
             "print(csc.sample(children=300).compute('referrals', year=2024)['referrals'].value)"],
            capture_output=True, text=True, check=False,
        )
        assert module.returncode == 0 and float(module.stdout) > 0, (python, module.stderr)
