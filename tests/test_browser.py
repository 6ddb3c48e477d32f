"""Every lesson notebook, opened and run in JupyterLab in headless Chromium.

One JupyterLab server (see tests/lab_server.py), one browser and one loaded
JupyterLab page serve the whole module on each worker; each notebook is opened
through the app's commands and closed after its test, and every kernel is shut
down after it. A notebook passes when Run All Cells finishes without an error
output and, if it shows a quiz, a right and a wrong answer get the feedback the
bank promises and the score line follows.

On failure a screenshot is saved to test-artifacts/<stem>.png.
Chromium: INTERVIEW_LAB_CHROMIUM if set, else Debian's chromium-headless-shell
(the lighter headless build: about a tenth less CPU than full Chromium in
headless mode), else chromium. Playwright's own browser download is never used.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect, sync_playwright

from interview_lab import quiz
from tests.lab_server import DISABLED_PLUGINS, KERNEL, JupyterLabServer

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
ARTIFACTS = ROOT / "test-artifacts"

RUN_TIMEOUT_MS = int(os.environ.get("INTERVIEW_LAB_BROWSER_RUN_TIMEOUT", "300")) * 1000
STEP_TIMEOUT_MS = 60_000  # page loads, kernel start-up: generous, the machine may be busy
EXPECT_MS = 30_000  # a widget round trip to the kernel
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
IDLE = ".jp-Notebook-ExecutionIndicator[data-status='idle']"
WIDGET_FAILURES = ("Error displaying widget", "model not found")
QUIZ_CALL = re.compile(r"quiz\.show\(\s*['\"]([^'\"]+)['\"]")


def _chromium() -> str:
    candidates = [os.environ.get("INTERVIEW_LAB_CHROMIUM", ""),
                  shutil.which("chromium-headless-shell") or "", "/usr/bin/chromium",
                  shutil.which("chromium") or "", shutil.which("chromium-browser") or ""]
    for path in candidates:
        if path and Path(path).is_file() and os.access(path, os.X_OK):
            return path
    pytest.fail(
        "the browser tests need Chromium: none at /usr/bin/chromium or on PATH. Install it "
        "(Debian/Ubuntu: `apt install chromium-headless-shell` or `chromium`) or point "
        "INTERVIEW_LAB_CHROMIUM at a Chromium/Chrome binary.",
        pytrace=False,
    )


@pytest.fixture(scope="module")
def lab_server(tmp_path_factory):
    server = JupyterLabServer(ROOT, tmp_path_factory.mktemp("jupyterlab"))
    try:
        server.start()
        specs = server.kernelspecs()
        if KERNEL not in specs:
            pytest.fail(f"JupyterLab has no {KERNEL!r} kernel (it sees {sorted(specs)}): "
                        "run `make setup` to register it.", pytrace=False)
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def lab_context(lab_server, tmp_path_factory):
    executable = _chromium()
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(profile), executable_path=executable, headless=True, args=CHROMIUM_ARGS,
            viewport={"width": 1000, "height": 700},  # less to paint: cheaper runs
        )
        context.set_default_timeout(STEP_TIMEOUT_MS)
        try:
            yield context
        finally:
            context.close()


# --- notebook as data ----------------------------------------------------------------


def _code_cells(notebook: Path) -> list[str]:
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]


def _saved_outputs(notebook: Path) -> int:
    """Code cells stored with outputs or an execution count (lessons are committed clean)."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return sum(1 for c in cells
               if c["cell_type"] == "code" and (c.get("outputs") or c.get("execution_count")))


def _quiz_stem(code: list[str]) -> str | None:
    """The bank a notebook shows, from its `quiz.show("...")` call."""
    for source in code:
        match = QUIZ_CALL.search(source)
        if match:
            return match.group(1)
    return None


# --- browser steps -------------------------------------------------------------------


# In every windowing mode but "none", a notebook also renders its off-screen cells one by
# one in idle time (a CodeMirror editor and outputs each, inserted, measured for their
# height, removed again), only so that its scroll bar is exact. On a notebook of 150
# cells that is about half of Chromium's CPU for the whole test (05: 4.6 s -> 2.4 s).
# The test page skips it: cells render when scrolled into view, as windowing intends,
# and the test reads outputs from the model. The learner's `make lab` is unchanged.
# `_scheduleCellRenderOnIdle` is private to JupyterLab (pinned in requirements.txt), so
# _open() asserts the patch found it on each notebook it opens.
NO_IDLE_PRERENDER_JS = """() => {
    const factory = window.jupyterapp.docRegistry.getWidgetFactory('Notebook');
    const contentFactory = factory.contentFactory;
    const create = contentFactory.createNotebook.bind(contentFactory);
    contentFactory.createNotebook = (options) => {
        const notebook = create(options);
        notebook.interviewLabIdlePrerenderOff =
            typeof notebook._scheduleCellRenderOnIdle === 'function';
        notebook._scheduleCellRenderOnIdle = () => {};
        return notebook;
    };
}"""


class LabTab:
    """One JupyterLab page for every notebook a worker tests.

    Loading JupyterLab costs a few seconds of CPU, so the page stays open: each
    notebook is opened and closed through the app's own commands (the server
    exposes ``window.jupyterapp`` for this). After a failure the page is thrown
    away and the next notebook gets a fresh one.
    """

    def __init__(self, context, server: JupyterLabServer):
        self.context, self.server = context, server
        self.page = None

    def get(self):
        if self.page is None or self.page.is_closed():
            page = self.context.new_page()
            page.goto(self.server.url(f"/lab/workspaces/test-{os.getpid()}?reset"))
            page.wait_for_function("() => window.jupyterapp !== undefined", polling=100)
            page.evaluate("async () => { await window.jupyterapp.restored; }")
            still_on = page.evaluate(
                "(off) => window.jupyterapp.listPlugins().filter(id => off.some(o =>"
                " id === o || id.startsWith(o + ':')))", list(DISABLED_PLUGINS))
            assert not still_on, f"the test server's page_config did not disable {still_on}"
            page.evaluate(NO_IDLE_PRERENDER_JS)
            self.page = page
        return self.page

    def close_documents(self) -> None:
        """Close every open document without saving (autosave is off) or asking."""
        self.page.evaluate(
            """() => {
                for (const widget of Array.from(window.jupyterapp.shell.widgets('main'))) {
                    if (widget.context && widget.context.model) widget.context.model.dirty = false;
                    widget.dispose();
                }
            }"""
        )
        self.page.locator(".jp-NotebookPanel").first.wait_for(state="detached")

    def discard(self) -> None:
        if self.page is not None and not self.page.is_closed():
            self.page.close()
        self.page = None


@pytest.fixture(scope="module")
def lab_tab(lab_server, lab_context):
    tab = LabTab(lab_context, lab_server)
    yield tab
    tab.discard()


def _open(page, rel: str) -> None:
    """Open the notebook on the lab's kernel and wait until that kernel is idle."""
    page.evaluate(
        """async ([path, kernel]) => {
            await window.jupyterapp.commands.execute(
                'docmanager:open', {path, factory: 'Notebook', kernel: {name: kernel}});
        }""",
        [rel, KERNEL],
    )
    deadline = time.monotonic() + STEP_TIMEOUT_MS / 1000
    while True:
        # The toolbar says "idle" before a kernel is attached ("No Kernel"), so wait for
        # a named kernel that is idle; a "Select Kernel" dialog may come first.
        state = page.wait_for_function(
            """(idle) => {
                if (document.querySelector('.jp-Dialog')) return 'dialog';
                const panel = document.querySelector('.jp-NotebookPanel');
                const name = panel && panel.querySelector('.jp-KernelName');
                const kernel = name ? name.textContent.trim() : '';
                if (!kernel || kernel === 'No Kernel' || !panel.querySelector(idle)) return false;
                return kernel;
            }""",
            arg=IDLE, polling=100,
            timeout=max(1_000, (deadline - time.monotonic()) * 1000),
        ).json_value()
        if state != "dialog":
            break
        _answer_dialog(page.locator(".jp-Dialog").first)
    assert "Interview Lab" in state, f"the notebook runs on kernel {state!r}, not Interview Lab"
    patched = page.evaluate(
        f"() => {{ {NOTEBOOK_JS} return panel.content.interviewLabIdlePrerenderOff; }}")
    assert patched is True, (
        "JupyterLab's notebook has no _scheduleCellRenderOnIdle (renamed in this version?): "
        f"update NO_IDLE_PRERENDER_JS in tests/test_browser.py (got {patched!r})")


def _answer_dialog(dialog) -> None:
    title = dialog.locator(".jp-Dialog-header").inner_text()
    if "Select Kernel" not in title:
        raise AssertionError(f"unexpected dialog {title!r}: {dialog.inner_text()[:500]}")
    select = dialog.locator("select")
    if select.count():
        select.select_option(label="Interview Lab (Python 3)")
    dialog.locator(".jp-Dialog-button.jp-mod-accept").click()
    dialog.wait_for(state="detached")


def _menu(page, menu: str, item: str) -> None:
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(f"^{menu}$")).click()
    page.locator(".lm-Menu-itemLabel:visible", has_text=re.compile(f"^{item}$")).click()


# The notebook is read through its model, not the DOM: JupyterLab's windowing keeps
# off-screen cells out of the DOM (and rendering every cell costs seconds of CPU).
NOTEBOOK_JS = """
    const panel = Array.from(window.jupyterapp.shell.widgets('main'))
        .find(w => w.content && w.content.model && w.content.model.cells);
    const cells = panel ? Array.from(panel.content.model.cells) : [];
    const code = cells.filter(c => c.type === 'code');
    const text = t => Array.isArray(t) ? t.join('') : (t || '');
    const failure = o => o.output_type === 'error' ||
        (o.output_type === 'stream' && o.name === 'stderr' && /Traceback|Error/.test(text(o.text)));
"""


def _run_all(page, expected: int) -> None:
    """Run All Cells, then wait until it is over (or a cell failed and stopped it)."""
    stale = page.evaluate(f"() => {{ {NOTEBOOK_JS} return code.some(c => c.executionCount); }}")
    if stale:  # a notebook saved with outputs: clear them, or the wait ends early
        _menu(page, "Edit", "Clear Outputs of All Cells")
    _menu(page, "Run", "Run All Cells")
    try:
        state = _wait_run_over(page, expected)
    except PlaywrightTimeout:
        raise AssertionError(
            f"Run All Cells was not over after {RUN_TIMEOUT_MS // 1000} s "
            f"(INTERVIEW_LAB_BROWSER_RUN_TIMEOUT): {_progress(page)}") from None
    assert state == "done", f"a dialog interrupted Run All Cells: {state[:500]}"


def _wait_run_over(page, expected: int) -> str:
    # Over when the kernel is idle, no cell is running, and either every non-empty
    # code cell has an execution count or a failure stopped the run.
    return page.wait_for_function(
        f"""(expected) => {{
            const dialog = document.querySelector('.jp-Dialog');
            if (dialog) return 'dialog: ' + dialog.innerText;
            {NOTEBOOK_JS}
            const kernel = panel && panel.sessionContext.session
                && panel.sessionContext.session.kernel;
            if (!kernel || kernel.status !== 'idle') return false;
            if (code.some(c => c.executionState === 'running')) return false;
            const done = code.filter(c => c.executionCount !== null).length;
            if (done >= expected) return 'done';
            // Reading every output is costly: only when the run stopped short.
            return done > 0 && code.some(c => c.outputs.toJSON().some(failure)) && 'done';
        }}""",
        arg=expected, polling=200, timeout=RUN_TIMEOUT_MS,
    ).json_value()


def _progress(page) -> str:
    """Which cells ran, and the source of the one still running, for a timeout message."""
    return page.evaluate(
        f"""() => {{
            {NOTEBOOK_JS}
            const ran = code.filter(c => c.executionCount !== null).length;
            const busy = code.find(c => c.executionState === 'running');
            return `${{ran}} of ${{code.length}} code cells ran` +
                (busy ? `; still running: ${{busy.sharedModel.getSource().slice(0, 300)}}` : '');
        }}"""
    )


def _error_outputs(page) -> list[str]:
    """Tracebacks and stderr errors in the model, then widgets that failed to render."""
    problems = page.evaluate(
        f"""() => {{
            {NOTEBOOK_JS}
            const strip = s => s.replace(/\\u001b\\[[0-9;]*m/g, '');
            return code.flatMap(c => c.outputs.toJSON().filter(failure).map(o =>
                o.output_type === 'error'
                    ? strip([o.ename + ': ' + o.evalue, ...o.traceback].join('\\n'))
                    : text(o.text)));
        }}"""
    )
    for index in _widget_cells(page):
        rendered = _scroll_to(page, index)
        page.wait_for_function(  # rendered, or failed to render
            """([cell, failures]) => cell.querySelector('.jupyter-widgets') !== null
                || failures.some(f => cell.innerText.includes(f))""",
            arg=[rendered.element_handle(), list(WIDGET_FAILURES)], timeout=EXPECT_MS)
        problems += [text.strip() for text in rendered.locator(".jp-OutputArea-output")
                     .all_inner_texts() if any(word in text for word in WIDGET_FAILURES)]
    return problems


def _widget_cells(page) -> list[int]:
    """Indexes of the cells whose outputs include an ipywidgets view."""
    return page.evaluate(
        f"""() => {{
            {NOTEBOOK_JS}
            return cells.map((c, i) => [c, i]).filter(([c]) => c.type === 'code' &&
                c.outputs.toJSON().some(o => o.data && o.data['{WIDGET_MIME}']))
                .map(([, i]) => i);
        }}"""
    )


def _scroll_to(page, index: int):
    """Bring cell ``index`` into view (so it is rendered) and return its locator."""
    page.evaluate(
        f"""async (index) => {{
            {NOTEBOOK_JS}
            await panel.content.scrollToItem(index, 'center');
        }}""",
        index,
    )
    cell = page.locator(f".jp-NotebookPanel .jp-Cell[data-windowed-list-index='{index}']")
    cell.wait_for(state="attached", timeout=EXPECT_MS)
    return cell


def _norm(text: str) -> str:
    return " ".join(text.split())


def _check_quiz(page, bank_stem: str) -> None:
    """Answer the first single-choice question right and the second wrong."""
    bank = quiz.load(bank_stem)
    singles = [(i, q) for i, q in enumerate(bank) if not q.multiple]
    assert singles, f"quizzes/{bank_stem}.toml has no single-choice question to try"
    quiz_cell = page.evaluate(
        f"""() => {{
            {NOTEBOOK_JS}
            return cells.findIndex(c => /quiz\\.show\\(/.test(c.sharedModel.getSource()));
        }}"""
    )
    assert quiz_cell >= 0, "no cell calls quiz.show(...)"
    widget = _scroll_to(page, quiz_cell).locator(".il-quiz").first
    expect(widget).to_be_visible(timeout=EXPECT_MS)
    widget.scroll_into_view_if_needed()
    boxes = widget.locator(".il-quiz-question")
    expect(boxes).to_have_count(len(bank), timeout=EXPECT_MS)
    score = widget.locator(".il-quiz-score")
    expect(score).to_contain_text(f"Score: 0 / {len(bank)} (0 answered)", timeout=EXPECT_MS)
    plan = [(*singles[0], True)] + ([(*singles[1], False)] if len(singles) > 1 else [])
    for answered, (index, question, right) in enumerate(plan, start=1):
        box = boxes.nth(index)
        expect(box).to_contain_text(f"Q{index + 1}.", timeout=EXPECT_MS)
        wrong = [i for i in range(len(question.options)) if i not in question.answer]
        option = question.options[min(question.answer) if right else wrong[0]]
        box.get_by_role("radio", name=option.text, exact=True).check()
        box.get_by_role("button", name="Check answer").click()
        feedback = box.locator(".il-quiz-feedback")
        head = "✔ Correct." if right else "✘ Not quite."
        expect(feedback).to_contain_text(head, timeout=EXPECT_MS)
        shown = _norm(feedback.inner_text())
        assert _norm(option.why) in shown, (
            f"Q{index + 1}: after choosing {option.text!r} the feedback lacks its explanation\n"
            f"  shown: {shown}\n  expected to contain: {_norm(option.why)}")
        expect(score).to_contain_text(
            f"Score: 1 / {len(bank)} ({answered} answered)", timeout=EXPECT_MS)


def _screenshot(page, stem: str) -> str:
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / f"{stem}.png"
    try:
        failed = page.evaluate(
            f"() => {{ {NOTEBOOK_JS} return cells.findIndex(c => c.type === 'code' && "
            "c.outputs.toJSON().some(failure)); }"
        )
        if failed >= 0:  # show the first failing cell
            _scroll_to(page, failed)
        page.screenshot(path=str(target), full_page=True, timeout=15_000)
    except Exception as exc:  # a failed screenshot must not hide the real failure
        return f"(screenshot failed: {exc})"
    return str(target.relative_to(ROOT))


# Every lesson, benchmark notebooks too, runs in the suite's parallel phase (each worker
# has its own JupyterLab and browser). A benchmark claim that needs idle cores is then
# skipped by the notebook's own busy-machine check, with the reason printed; the serial
# phase asserts all of them in the nbval run (see conftest.py).
CASES = [pytest.param(nb, id=nb.stem) for nb in NOTEBOOKS]


@pytest.mark.parametrize("notebook", CASES)
def test_notebook_runs_in_jupyterlab(notebook: Path, lab_server, lab_tab):
    stem, rel = notebook.stem, notebook.relative_to(ROOT).as_posix()
    (ARTIFACTS / f"{stem}.png").unlink(missing_ok=True)  # no stale screenshot from a past run
    saved_before = _saved_outputs(notebook)
    code = _code_cells(notebook)
    bank_stem = _quiz_stem(code)
    step = "loading JupyterLab"
    page = None
    try:
        page = lab_tab.get()
        step = "opening the notebook"
        _open(page, rel)
        step = "running all cells"
        _run_all(page, sum(1 for source in code if source.strip()))
        errors = _error_outputs(page)
        if errors:
            raise AssertionError("error output after Run All Cells:\n"
                                 + "\n---\n".join(e[-3000:] for e in errors))
        if bank_stem is not None:
            step = f"answering the quiz (quizzes/{bank_stem}.toml)"
            _check_quiz(page, bank_stem)
        step = "closing the notebook"
        lab_tab.close_documents()
    except (AssertionError, PlaywrightError) as exc:
        shot = _screenshot(page, stem) if page is not None else "(no page)"
        lab_tab.discard()  # the next notebook starts from a freshly loaded JupyterLab
        cause = exc if isinstance(exc, PlaywrightError) else None
        raise AssertionError(f"{rel}: failed while {step}: {exc}\nscreenshot: {shot}") from cause
    finally:
        lab_server.shutdown_all()
    # Autosave is off for these runs: the outputs must not have reached the file.
    assert _saved_outputs(notebook) <= saved_before, f"the browser run saved outputs into {rel}"
