"""Project-wide pytest set-up: local Jupyter dirs, and a leftover-process check per notebook.

After every notebook that nbval ran, an extra test item checks that no process
started during the run (kernel, server, pool worker) is still alive or
listening: a notebook must clean up after itself even when run unattended.
"""

from __future__ import annotations

import functools
import os
import tempfile
import uuid
from pathlib import Path

import pytest

from interview_lab import curriculum, leftovers

ROOT = Path(__file__).resolve().parent

for var, sub in {
    "JUPYTER_CONFIG_DIR": ".jupyter/config",
    "JUPYTER_DATA_DIR": ".jupyter/data",
    "JUPYTER_RUNTIME_DIR": ".jupyter/runtime",
    "IPYTHONDIR": ".jupyter/ipython",
    "MPLCONFIGDIR": ".cache/matplotlib",
}.items():
    os.environ.setdefault(var, str(ROOT / sub))
    Path(os.environ[var]).mkdir(parents=True, exist_ok=True)
os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
if os.environ.get("PYTEST_XDIST_WORKER") or leftovers.MARKER_ENV not in os.environ:
    # One marker per process that runs tests: parallel workers must not see
    # each other's kernels as leftovers.
    os.environ[leftovers.MARKER_ENV] = uuid.uuid4().hex


class LeftoverCheck(pytest.Item):
    """Fails if anything the notebook started outlived it.

    It is the notebook file's last item, so parallel runs keep it with its
    notebook; it shuts the notebook's kernel down first (nbval's own teardown
    then finds nothing to stop) and gives everything else 10 s to exit.
    """

    def __init__(self, *, notebook: str, **kwargs):
        super().__init__(**kwargs)
        self.notebook = notebook

    def runtest(self) -> None:
        kernel = getattr(self.parent, "kernel", None)
        if kernel is not None and kernel.is_alive():
            kernel.stop()
        left = leftovers.wait_until_gone(os.environ[leftovers.MARKER_ENV])
        if left:
            leftovers.kill(left)
            raise AssertionError(
                f"{self.notebook} left {len(left)} process(es) running:\n"
                + "\n".join(f"  {item}" for item in left)
            )

    def repr_failure(self, excinfo, style=None):
        return str(excinfo.value)

    def reportinfo(self):
        return self.path, None, f"no leftovers after {self.notebook}"


# Test modules that hold `serial` tests besides the serial lesson notebooks. The serial
# phase (`--serial-phase`) collects only these and those notebooks; the parallel phase
# fails if a `serial` test lives anywhere else, so none can be skipped by both phases.
SERIAL_MODULES = {"test_bench.py"}


@functools.cache
def _serial_stems() -> frozenset[str]:
    """Stems of the topics marked ``serial = true`` (read once per process)."""
    return frozenset(curriculum.load(ROOT).serial_stems())


def pytest_addoption(parser):
    parser.addoption("--serial-phase", action="store_true",
                     help="collect only what can hold serial tests (make test's second phase)")


def pytest_ignore_collect(collection_path, config):
    if not config.getoption("--serial-phase") or collection_path.is_dir():
        return None
    if collection_path.suffix == ".ipynb":
        return not (collection_path.parent.name == "notebooks"
                    and collection_path.stem in _serial_stems())
    return collection_path.name not in SERIAL_MODULES


def _check_serial_tests_are_reachable(items) -> None:
    for item in items:
        if item.get_closest_marker("serial") and item.path.suffix == ".py" \
                and item.path.name not in SERIAL_MODULES:
            raise pytest.UsageError(
                f"{item.nodeid} is marked serial, but the serial phase only collects "
                f"{sorted(SERIAL_MODULES)}: add its module to SERIAL_MODULES in conftest.py")


def pytest_collection_modifyitems(session, config, items):
    """Insert a LeftoverCheck after the last cell of each notebook; mark serial notebooks.

    `make test` runs everything not marked ``serial`` on three workers, then the
    nbval runs of the serial benchmark notebooks alone, so the claims that need
    idle cores are measured on idle cores. Their browser runs stay in the
    parallel phase: the browser test checks that a notebook runs and renders in
    JupyterLab, and there the notebooks' busy-machine checks skip such claims,
    saying why.
    """
    serial = _serial_stems()
    result, current = [], None
    for item in items + [None]:
        parent = getattr(item, "parent", None)
        if current is not None and parent is not current:
            result.append(LeftoverCheck.from_parent(
                current, name="no leftover processes",
                notebook=str(current.path.relative_to(ROOT)),
            ))
            current = None
        if item is None:
            break
        if item.path.suffix == ".ipynb" and not isinstance(item, LeftoverCheck):
            current = parent
        result.append(item)
    items[:] = result
    for item in items:
        # Only the lesson runs the benchmarks; its solutions notebook checks exercises.
        lesson = item.path.suffix == ".ipynb" and item.path.parent.name == "notebooks"
        if lesson and item.path.stem in serial:
            item.add_marker(pytest.mark.serial)
    _check_serial_tests_are_reachable(items)


@pytest.hookimpl(optionalhook=True)  # `-p no:xdist` runs still work
def pytest_xdist_make_scheduler(config, log):
    """With `-n N`: a notebook's cells (and its leftover check) share one kernel, so they
    go to one worker together; every other test, each browser case included, is
    scheduled on its own so the workers stay busy."""
    from xdist.scheduler import LoadScopeScheduling

    class NotebookScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            path = nodeid.split("::", 1)[0]
            return path if path.endswith(".ipynb") else nodeid

    return NotebookScheduling(config, log)


# --- nothing in the home directory ------------------------------------------------------
# The lab promises to write nothing under $HOME (beyond pip's cache): a lesson that
# starts a tool with a home-dir default (gunicorn's control socket, a cache, a config)
# fails the run here. Checked once, by the process that runs or controls the session.

HOME_ALLOWED = {".cache"}  # pip's download cache may appear on a fresh machine
_HOME_BEFORE = pytest.StashKey[set]()


# --- nbval kernels on Unix sockets ----------------------------------------------------
# jupyter_client picks a kernel's five TCP ports by binding to port 0 and letting go;
# under a busy suite (servers, database and browser connections all taking ephemeral
# ports) another socket can take one before the kernel binds it, and the kernel dies
# with "Kernel died before replying to kernel_info". IPC transport has no ports to lose.


def pytest_configure(config):
    import nbval.kernel
    from jupyter_client.manager import KernelManager

    runtime = Path(os.environ["JUPYTER_RUNTIME_DIR"])
    if len(str(runtime)) > 80:  # a Unix socket path must fit in 107 bytes
        runtime = Path(tempfile.gettempdir())

    class IPCKernelManager(KernelManager):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.transport = "ipc"
            self.ip = str(runtime / f"nbval-{uuid.uuid4().hex[:12]}")

    nbval.kernel.KernelManager = IPCKernelManager


def _home_entries() -> set[str]:
    home = Path.home()
    return {entry.name for entry in home.iterdir()} if home.is_dir() else set()


def pytest_sessionstart(session):
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        session.config.stash[_HOME_BEFORE] = _home_entries()


def pytest_sessionfinish(session, exitstatus):
    before = session.config.stash.get(_HOME_BEFORE, None)
    if before is None:
        return
    new = sorted(_home_entries() - before - HOME_ALLOWED)
    if new:
        home = Path.home()
        writer = session.config.get_terminal_writer()
        writer.line()
        writer.line(
            f"FAILED: the test run wrote into the home directory: "
            f"{', '.join(str(home / name) for name in new)} (lessons must keep their files in "
            "the project or a temp dir)", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
