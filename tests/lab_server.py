"""A throwaway JupyterLab server for the browser tests.

Every Jupyter/IPython/matplotlib directory points inside a temp folder, so a
test run never touches the learner's `make lab` state (workspaces, settings,
runtime files). The server and every kernel it started are stopped by `stop()`,
even if the tests in between failed.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import psutil

from interview_lab import servers

KERNEL = "interview-lab"
SERVER_MARKER_ENV = "INTERVIEW_LAB_BROWSER_SERVER"

# Test-only user settings (the learner's overrides.json still applies beneath them):
# - no autosave, so a run can never write outputs into a committed notebook;
# - full windowing (JupyterLab's default): only cells in view are rendered, which saves
#   seconds of browser CPU per notebook; the test reads outputs from the notebook model.
TEST_SETTINGS = {
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "full"},
}

# JupyterLab plugins the test page does without: side panels and helpers that react to
# every executed cell (table of contents, debugger, cell toolbar, tags and metadata
# forms, running-sessions polling) but play no part in running a notebook, rendering
# its outputs or its widgets. Without them Chromium spends about a quarter less CPU per
# notebook (measured on 07, 06 and 20: 17.2 s -> 12.4 s). The learner's `make lab`
# keeps them all.
DISABLED_PLUGINS = (
    "@jupyterlab/toc-extension",
    "@jupyterlab/notebook-extension:toc",
    "@jupyterlab/debugger-extension",
    "@jupyterlab/celltags-extension",
    "@jupyterlab/metadataform-extension",
    "@jupyterlab/cell-toolbar-extension",
    "@jupyterlab/running-extension",
    "@jupyterlab/terminal-extension",
    "@jupyterlab/launcher-extension",
    "@jupyterlab/mermaid-extension",
    "@jupyterlab/apputils-extension:announcements",
)


class JupyterLabServer:
    def __init__(self, root: Path, workdir: Path):
        self.root = Path(root)
        self.workdir = Path(workdir)
        self.port = servers.free_port()
        self.token = secrets.token_hex(24)
        self.marker = secrets.token_hex(8)
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log_path = self.workdir / "jupyterlab.log"
        self.proc: subprocess.Popen | None = None

    # --- lifecycle -------------------------------------------------------------

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        dirs = {
            "JUPYTER_CONFIG_DIR": "config",
            "JUPYTER_DATA_DIR": "data",
            "JUPYTER_RUNTIME_DIR": "runtime",
            "IPYTHONDIR": "ipython",
            "MPLCONFIGDIR": "matplotlib",
            "JUPYTERLAB_SETTINGS_DIR": "lab/user-settings",
            "JUPYTERLAB_WORKSPACES_DIR": "lab/workspaces",
        }
        for var, sub in dirs.items():
            path = self.workdir / sub
            path.mkdir(parents=True, exist_ok=True)
            env[var] = str(path)
        env["INTERVIEW_LAB_QUICK"] = "1"
        env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
        env[SERVER_MARKER_ENV] = self.marker
        env.pop("JUPYTER_TOKEN", None)
        return env

    def write_settings(self, settings_dir: Path) -> None:
        for name, values in TEST_SETTINGS.items():
            path = settings_dir / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values), encoding="utf-8")

    def write_page_config(self, config_dir: Path) -> None:
        path = config_dir / "labconfig" / "page_config.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        disabled = dict.fromkeys(DISABLED_PLUGINS, True)
        path.write_text(json.dumps({"disabledExtensions": disabled}), encoding="utf-8")

    def start(self, timeout: float = 90.0) -> None:
        env = self.env()
        self.write_settings(Path(env["JUPYTERLAB_SETTINGS_DIR"]))
        self.write_page_config(Path(env["JUPYTER_CONFIG_DIR"]))
        cmd = [
            sys.executable, "-m", "jupyterlab",
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={self.port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={self.root}",
            f"--MultiKernelManager.default_kernel_name={KERNEL}",
            # window.jupyterapp: the test opens and closes notebooks through the app's
            # commands in one page, instead of reloading JupyterLab for each notebook.
            "--LabApp.expose_app_in_browser=True",
            # JupyterLab makes a checkpoint when it opens a file: keep those out of the repo.
            f"--FileCheckpoints.checkpoint_dir={self.workdir / 'checkpoints'}",
        ]
        if os.getuid() == 0:
            cmd.append("--allow-root")
        log = self.log_path.open("wb")
        self.proc = subprocess.Popen(
            cmd, cwd=self.root, env=env, stdin=subprocess.DEVNULL,
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        log.close()
        deadline = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"JupyterLab exited with code {self.proc.returncode} during start-up:\n"
                    + self.log_tail()
                )
            try:
                self.api("GET", "/api/status", timeout=2)
                return
            except (OSError, urllib.error.URLError):
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"JupyterLab did not answer /api/status within {timeout:.0f} s:\n"
                    + self.log_tail()
                )
            time.sleep(0.25)

    def stop(self) -> None:
        """Shut kernels down, stop the server (terminate, then kill), kill stragglers."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            try:
                for kernel in self.api("GET", "/api/kernels", timeout=5):
                    self.shutdown_kernel(kernel["id"])
            except (OSError, urllib.error.URLError, ValueError):
                pass
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        # Kernels run in their own sessions: find them by the marker in their env.
        stragglers = self._processes()
        for proc in stragglers:
            try:
                proc.terminate()
            except psutil.Error:
                pass
        _, alive = psutil.wait_procs(stragglers, timeout=5)
        for proc in alive:
            try:
                proc.kill()
            except psutil.Error:
                pass
        psutil.wait_procs(alive, timeout=5)
        self.proc = None

    def _processes(self) -> list[psutil.Process]:
        found = []
        for proc in psutil.process_iter(["pid", "status"]):
            if proc.pid == os.getpid() or proc.info["status"] == psutil.STATUS_ZOMBIE:
                continue
            try:
                if proc.environ().get(SERVER_MARKER_ENV) == self.marker:
                    found.append(proc)
            except (psutil.Error, OSError):
                continue
        return found

    def log_tail(self, chars: int = 4000) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")[-chars:]
        except OSError:
            return "(no server log)"

    # --- REST API ----------------------------------------------------------------

    def url(self, path: str) -> str:
        sep = "&" if "?" in path else "?"
        return f"{self.base_url}{path}{sep}token={self.token}"

    def api(self, method: str, path: str, timeout: float = 10):
        request = urllib.request.Request(
            f"{self.base_url}{path}", method=method,
            headers={"Authorization": f"token {self.token}"},
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
        return json.loads(body) if body else None

    def kernelspecs(self) -> set[str]:
        return set(self.api("GET", "/api/kernelspecs")["kernelspecs"])

    def shutdown_kernel(self, kernel_id: str) -> None:
        try:
            self.api("DELETE", f"/api/kernels/{kernel_id}", timeout=30)
        except urllib.error.HTTPError as exc:
            if exc.code != 404:
                raise

    def shutdown_all(self) -> None:
        """Shut down every session and kernel; the server keeps running."""
        for session in self.api("GET", "/api/sessions"):
            try:
                self.api("DELETE", f"/api/sessions/{session['id']}", timeout=30)
            except urllib.error.HTTPError as exc:
                if exc.code != 404:
                    raise
        for kernel in self.api("GET", "/api/kernels"):
            self.shutdown_kernel(kernel["id"])
