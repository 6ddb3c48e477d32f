"""Helpers for notebooks/07_modules_packaging.ipynb: fresh interpreters, venvs, wheels, pip.

Every import demo of the lesson runs in a *new* interpreter (``python -c`` in a
subprocess) so the kernel's ``sys.modules`` and ``sys.path`` stay as they were.
The child gets a clean environment: no ``PYTHONPATH``/``PYTHONHOME`` from the
caller (the demo passes its own search path), and no ``PIP_*`` variables or pip
config files, so pip behaves the same on every machine and never needs the
network (every pip call here uses ``--no-index`` and a local folder of wheels).

The wheels are built by hand: a wheel is a zip file holding the package's files
plus a ``<name>-<version>.dist-info`` folder with ``METADATA`` (name, version,
dependencies), ``WHEEL`` (format version and tags) and ``RECORD`` (a hash of
every file), which is enough for pip to resolve and install it.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import textwrap
import venv
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path

StrPath = str | os.PathLike

_DROPPED_ENV = ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "PYTHONSAFEPATH",
                "PYTHONNOUSERSITE", "PYTHONUSERBASE", "VIRTUAL_ENV", "__PYVENV_LAUNCHER__")


def clean_env(**extra: str) -> dict[str, str]:
    """os.environ without the variables that change where Python or pip look, plus ``extra``."""
    env = {k: v for k, v in os.environ.items()
           if k not in _DROPPED_ENV and not k.startswith("PIP_")}
    env.update(PIP_CONFIG_FILE=os.devnull,          # pip reads no config file at all
               PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_NO_INPUT="1")
    env.update(extra)
    return env


def write_tree(root: StrPath, files: Mapping[str, str | None]) -> Path:
    """Create ``root/relative/path`` for each entry; a value of None makes an empty folder.

    File contents are dedented, so callers can use indented triple-quoted strings.
    """
    root = Path(root)
    for relative, content in files.items():
        target = root / relative
        if content is None:
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
    return root


def run_python(*args: StrPath, python: StrPath = sys.executable, path: Iterable[StrPath] = (),
               cwd: StrPath | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run ``python *args`` with ``PYTHONPATH`` set to ``path``; capture text output.

    The working directory defaults to the first folder of ``path`` (or the
    current one), so ``python script.py`` finds a script written there.
    """
    folders = [str(p) for p in path]
    extra = {"PYTHONPATH": os.pathsep.join(folders)} if folders else {}
    cwd = cwd if cwd is not None else (folders[0] if folders else None)
    return subprocess.run([str(python), *map(str, args)], capture_output=True, text=True,
                          env=clean_env(**extra), cwd=cwd, timeout=timeout)


def run_code(code: str, **kwargs) -> subprocess.CompletedProcess:
    """``python -c code`` (dedented) in a fresh interpreter; see run_python for the options.

    ``-c`` puts the working directory first on ``sys.path``, so unless ``cwd`` is
    given the code runs in a new empty folder: only ``path`` decides what imports.
    """
    if kwargs.get("cwd") is not None:
        return run_python("-c", textwrap.dedent(code), **kwargs)
    with tempfile.TemporaryDirectory(prefix="lab-cwd-") as empty:
        return run_python("-c", textwrap.dedent(code), cwd=empty, **kwargs)


def run_program(program: StrPath, *args: StrPath,
                timeout: float = 120) -> subprocess.CompletedProcess:
    """Run an executable (a console script in a venv's ``bin/``, say) with a clean environment."""
    return subprocess.run([str(program), *map(str, args)], capture_output=True, text=True,
                          env=clean_env(), timeout=timeout)


def last_error_line(run: subprocess.CompletedProcess) -> str:
    """The last line of stderr, e.g. ``ModuleNotFoundError: No module named 'x'``."""
    lines = run.stderr.strip().splitlines()
    return lines[-1] if lines else ""


# --- virtual environments ---------------------------------------------------------------


def venv_python(env_dir: StrPath) -> Path:
    """The interpreter inside a venv (``bin/python``, or ``Scripts\\python.exe`` on Windows)."""
    env_dir = Path(env_dir)
    return env_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def make_venv(env_dir: StrPath) -> Path:
    """Create a venv without pip (no network, a few milliseconds); return its python."""
    venv.create(env_dir, with_pip=False, symlinks=os.name != "nt", clear=True)
    return venv_python(env_dir)


def read_cfg(path: StrPath) -> dict[str, str]:
    """Parse a ``pyvenv.cfg``: ``key = value`` lines (the format site.py reads)."""
    pairs = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        key, sep, value = line.partition("=")
        if sep:
            pairs[key.strip()] = value.strip()
    return pairs


_PREFIXES = ("import json, sys; print(json.dumps({'executable': sys.executable, "
             "'prefix': sys.prefix, 'base_prefix': sys.base_prefix}))")


def prefixes(python: StrPath) -> dict[str, str]:
    """sys.executable, sys.prefix and sys.base_prefix as seen by another interpreter."""
    run = run_python("-c", _PREFIXES, python=python)
    if run.returncode:
        raise RuntimeError(f"{python} failed: {last_error_line(run)}")
    return json.loads(run.stdout)


def base_python(env_dir: StrPath) -> Path:
    """The base interpreter a venv was made from: a python in the folder its ``home`` names."""
    home = Path(read_cfg(Path(env_dir) / "pyvenv.cfg")["home"])
    for name in ("python3", "python", "python.exe", f"python{sys.version_info[0]}"):
        if (home / name).exists():
            return home / name
    raise FileNotFoundError(f"no python in {home}")


# --- wheels and pip -----------------------------------------------------------------------


def _record_hash(data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"sha256={digest}"


def make_wheel(folder: StrPath, name: str, version: str, requires: Iterable[str] = (),
               script: bool = False) -> Path:
    """Write ``<name>-<version>-py3-none-any.whl`` whose package holds ``__version__``.

    ``requires`` become ``Requires-Dist`` lines of METADATA: what pip resolves.
    ``script=True`` adds a console script ``<name>`` (an entry point calling
    ``<module>:main``, which prints ``sys.prefix``): pip writes it into the
    environment's ``bin/``. Fixed timestamps make the file, and so its sha256,
    the same on every run.
    """
    module = name.replace("-", "_")
    info = f"{module}-{version}.dist-info"
    code = f'__version__ = "{version}"\n\n\ndef main():\n    import sys\n    print(sys.prefix)\n'
    files = {
        f"{module}/__init__.py": code,
        f"{info}/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
                            + "".join(f"Requires-Dist: {r}\n" for r in requires),
        f"{info}/WHEEL": "Wheel-Version: 1.0\nGenerator: interview-lab\n"
                         "Root-Is-Purelib: true\nTag: py3-none-any\n",
    }
    if script:
        files[f"{info}/entry_points.txt"] = f"[console_scripts]\n{name} = {module}:main\n"
    record = [f"{path},{_record_hash(text.encode())},{len(text.encode())}"
              for path, text in files.items()]
    files[f"{info}/RECORD"] = "\n".join([*record, f"{info}/RECORD,,"]) + "\n"
    target = Path(folder) / f"{module}-{version}-py3-none-any.whl"
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w") as whl:
        for path, text in files.items():
            whl.writestr(zipfile.ZipInfo(path, date_time=(2020, 1, 1, 0, 0, 0)), text)
    return target


def sha256(path: StrPath) -> str:
    """Hex sha256 of a file: what ``--hash=sha256:...`` pins."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def pip(*args: StrPath, python: StrPath = sys.executable, cwd: StrPath | None = None,
        timeout: float = 300) -> subprocess.CompletedProcess:
    """``python -m pip --no-cache-dir *args`` with a clean environment (no config, no PIP_*)."""
    return run_python("-m", "pip", "--no-cache-dir", *args, python=python, cwd=cwd,
                      timeout=timeout)


def resolve(*args: StrPath, wheels: StrPath) -> tuple[subprocess.CompletedProcess, dict[str, str]]:
    """What ``pip install *args`` would install from the folder ``wheels`` (a dry run, offline).

    Returns the finished process and {name: version} from pip's JSON install
    report (empty when pip refused). The report goes to a file: on stdout pip
    may colour it when the environment asks for colour (FORCE_COLOR).
    """
    with tempfile.TemporaryDirectory(prefix="lab-report-") as folder:
        report_path = Path(folder) / "report.json"
        run = pip("install", "--dry-run", "--ignore-installed", "--no-index", "--find-links",
                  wheels, "--quiet", "--report", report_path, *args, cwd=wheels)
        if run.returncode:
            return run, {}
        report = json.loads(report_path.read_text(encoding="utf-8"))
    return run, {item["metadata"]["name"]: item["metadata"]["version"]
                 for item in report["install"]}


def freeze_lines(python: StrPath, *extra: str) -> list[str]:
    """``pip freeze`` of the environment ``python`` belongs to, one line per entry."""
    target = () if Path(python) == Path(sys.executable) else ("--python", python)
    run = pip(*target, "freeze", *extra)
    if run.returncode:
        raise RuntimeError(f"pip freeze failed: {last_error_line(run)}")
    return run.stdout.splitlines()


def wheel_names(path: StrPath) -> list[str]:
    """The files inside a wheel (it is a zip)."""
    with zipfile.ZipFile(path) as whl:
        return whl.namelist()
