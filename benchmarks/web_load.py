"""Load benchmark of the web app: simulated examinees (and optionally inspectors asking questions) against real
`hazkb serve` processes on localhost, speaking gradio's queue protocol over plain HTTP.

The script starts the servers itself (each with its own data directory under a temporary folder) and stops them at
the end. With --instances 2 both serve from one PostgreSQL database (--postgres) and the examinees are split between
the two ports, as a proxy with session affinity would split them (a gradio session stays on one process).

Each examinee is one browser session (one session_hash, with the page's heartbeat connection): load the page (GET /
and the page's load events), fill in the 现场考试 form and start an exam (start_exam, then the sheet's render,
which the browser triggers when the exam id State changes), answer the items one by one (one save event each,
checked against the confirmation in the server's reply) and submit (交卷; pressed twice when items were left
unanswered, as the page asks). Think time (random, between answers) or a burst without think time. Optional
inspectors (--askers) load the page and ask questions from eval/gold/inspector.jsonl on the 法规问答 page.

After the run the exam book is read directly from the database: the answers stored for this run's exams are compared
with the answers sent and with the ones the server confirmed.

The events are found in the page's config, as the browser finds them: by the elem_id of their trigger (exam-start
click, qa-ask click, each item's input), by `trigger_after` (.then chains) and by State changes (the sheet's render);
their inputs are sent as the page would send them (State inputs as null: the server holds them per session).

Printed, per operation, the time from the request to the server's process_completed message (p50, p95, max in ms),
the time the server says its handler took (gradio's `duration`: the rest is queueing, transport and gradio's own
work) and the errors: page html (GET /), page load (GET / and every load event with its .then steps), start
(start_exam), sheet render (the gr.render of the items), sheet shown (开始考试 pressed until the sheet is rendered),
save, submit (the press that grades), ask. Saves are also split at the moment the last examinee had the sheet (page
loads and starts are the heavy part). The machine line says how busy the two cores were, and with what: on a shared
machine other processes' CPU time changes the figures.

Usage (two cores: keep runs to a few minutes; the defaults answer every item, 20–35 per paper, in about 3 min):
  python benchmarks/web_load.py                                    # 1 instance, SQLite, 50 examinees, think time
  python benchmarks/web_load.py --burst                            # the same without think time, all at once
  python benchmarks/web_load.py --postgres postgresql+psycopg://hazkb:hazkb@127.0.0.1/hazkb_test --instances 2
  python benchmarks/web_load.py --home-template /tmp/full --askers 5    # SQLite home copied from a full corpus
  python benchmarks/web_load.py --postgres URL --laws builtin --askers 5 --instances 2

--postgres takes the address of any database on the server: the script creates a fresh database next to it (the
user needs CREATEDB), runs against it and drops it afterwards (--keep-database keeps it). --home-template is copied,
never changed. Inspectors need laws: --laws builtin (loaded on the first start) or --home-template.
"""
from __future__ import annotations

import argparse
import asyncio
import html
import json
import os
import random
import re
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from exam_bench import id_number  # noqa: E402  (valid 18-digit ID numbers, distinct for n < 42,000)

from corpus.settings import Settings  # noqa: E402

EVENT_TIMEOUT = 300.0  # seconds one event may take before it counts as an error
READY_TIMEOUT = 900.0  # a first start on PostgreSQL with the built-in laws takes a few minutes on two cores
CONFIRM = re.compile(r'data-confirm="([^"]*)"')
EXAM_ID = re.compile(r'data-exam="([0-9a-f]+)"')
OPERATIONS = ("page html", "page load", "start", "sheet render", "sheet shown", "save", "submit", "ask")


def machine_cpu() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot, from /proc/stat (all cores)."""
    try:
        fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError):
        return 0.0, 0.0
    tick = os.sysconf("SC_CLK_TCK")
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return (sum(fields) - idle) / tick, sum(fields) / tick


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# == servers ==========================================================================================================

class Server:
    """One `hazkb serve` process with its own data directory."""

    def __init__(self, name: str, home: Path, env: dict, log: Path):
        self.name, self.home, self.env, self.log_path = name, home, env, log
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None
        self.ready_seconds = 0.0

    def start(self) -> None:
        log = self.log_path.open("w")
        self.proc = subprocess.Popen([sys.executable, "-m", "ui.cli", "serve", "--port", str(self.port)],
                                     env=self.env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        log.close()

    def wait_ready(self) -> None:
        started = time.monotonic()
        while True:
            if self.proc.poll() is not None:
                kept = Path(tempfile.gettempdir()) / f"hazkb-webload-{os.getpid()}-{self.name}.log"
                shutil.copyfile(self.log_path, kept)
                raise SystemExit(f"instance {self.name} exited ({self.proc.returncode}); its log: {kept}\n"
                                 f"{self.log_tail()}")
            try:
                if httpx.get(self.url + "/config", timeout=10).status_code == 200:
                    self.ready_seconds = time.monotonic() - started
                    return
            except httpx.HTTPError:
                pass
            if time.monotonic() - started > READY_TIMEOUT:
                raise SystemExit(f"instance {self.name} not ready after {READY_TIMEOUT:.0f} s:\n{self.log_tail()}")
            time.sleep(1)

    def cpu_seconds(self) -> float:
        """User + system CPU time of the server process (and its finished children) so far."""
        try:
            fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, AttributeError):
            return 0.0
        return sum(int(v) for v in fields[11:15]) / os.sysconf("SC_CLK_TCK")

    def peak_rss_mb(self) -> float:
        """The server process's peak resident memory (VmHWM), MB."""
        try:
            for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        except (OSError, AttributeError, ValueError):
            pass
        return 0.0

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=30)

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def log_tail(self, lines: int = 30) -> str:
        return "\n".join(self.log_text().splitlines()[-lines:])


def server_env(home: Path, database_url: str | None, builtin: bool) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HAZKB_")}
    env |= {"HAZKB_HOME": str(home), "HF_HUB_OFFLINE": "1", "GRADIO_ANALYTICS_ENABLED": "False"}
    if database_url:
        env["HAZKB_DATABASE_URL"] = database_url
    if not builtin:
        env["HAZKB_NO_BUILTIN"] = "1"
    return env


def create_database(server_url: str) -> str:
    """A fresh database on the server of `server_url` (its owner: the URL's user). -> its URL"""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    url = make_url(server_url)
    name = f"hazkb_webload_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    engine = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        raise SystemExit(f"cannot create a database for the benchmark ({exc}); the user needs CREATEDB, or create "
                         f"one (createdb -O {url.username} {name}) and pass it with --database-url") from None
    finally:
        engine.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def drop_database(database_url: str) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    url = make_url(database_url)
    engine = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
    finally:
        engine.dispose()


# == the page =========================================================================================================

@dataclass
class Page:
    """What the browser learns from the page's config: events, their chains, component ids and initial values."""

    deps: dict[int, dict]
    components: dict[int, dict]
    by_elem: dict[str, int]

    @classmethod
    def from_config(cls, config: dict) -> Page:
        components = {c["id"]: c for c in config["components"]}
        by_elem = {c["props"]["elem_id"]: c["id"] for c in config["components"] if c.get("props", {}).get("elem_id")}
        return cls({d["id"]: d for d in config["dependencies"]}, components, by_elem)

    def dep(self, elem_id: str, event: str) -> int:
        target = self.by_elem[elem_id]
        return next(d["id"] for d in self.deps.values() if [target, event] in d["targets"])

    def load_deps(self) -> list[int]:
        return [d["id"] for d in self.deps.values() if any(t[1] == "load" for t in d["targets"])]

    def choices(self, elem_id: str) -> list:
        return [value for _label, value in self.components[self.by_elem[elem_id]]["props"]["choices"]]


class EventError(Exception):
    def __init__(self, kind: str, detail: str = ""):
        super().__init__(f"{kind}: {detail}" if detail else kind)
        self.kind = kind


class Session:
    """One browser tab: a session_hash, its component values, the events rendered into it, one SSE reader."""

    def __init__(self, client: httpx.AsyncClient, base: str, page: Page):
        self.client, self.base = client, base
        self.hash = uuid.uuid4().hex[:11]
        self.deps = dict(page.deps)
        self.components = dict(page.components)
        self.by_elem = dict(page.by_elem)
        self.values: dict[int, object] = {cid: c.get("props", {}).get("value") for cid, c in page.components.items()}
        self.pending: dict[str, asyncio.Future] = {}
        self.early: dict[str, dict] = {}
        self.reader: asyncio.Task | None = None
        self.heartbeat: asyncio.Task | None = None
        self.timings: dict[int, float] = {}  # the last duration of each event (ms), follow-ups included separately
        self.handler: dict[int, float] = {}  # the time the server reports its handler took (ms), by event

    # -- the page ---------------------------------------------------------------------------------------------------

    async def open(self) -> None:
        """GET / (the HTML with the config inlined) and the page's heartbeat connection."""
        try:
            r = await self.client.get(self.base + "/", timeout=EVENT_TIMEOUT)
        except httpx.HTTPError as exc:
            raise EventError(type(exc).__name__, f"GET / {exc}"[:200]) from None
        if r.status_code != 200:
            raise EventError(f"HTTP {r.status_code}", "GET /")
        self.heartbeat = asyncio.create_task(self._heartbeat())

    async def close(self) -> None:
        for task in (self.heartbeat, self.reader):
            if task and not task.done():
                task.cancel()
        for task in (self.heartbeat, self.reader):
            if task:
                try:
                    await task
                except (asyncio.CancelledError, Exception):
                    pass

    async def _heartbeat(self) -> None:
        try:
            async with self.client.stream("GET", f"{self.base}/gradio_api/heartbeat/{self.hash}",
                                          timeout=httpx.Timeout(None, connect=60)) as r:
                async for _ in r.aiter_bytes():
                    pass
        except httpx.HTTPError:
            pass

    # -- the queue protocol ------------------------------------------------------------------------------------------

    async def _read(self) -> None:
        """GET /gradio_api/queue/data: resolve pending events until the server closes the stream with none left."""
        while self.pending:
            try:
                async with self.client.stream("GET", f"{self.base}/gradio_api/queue/data",
                                              params={"session_hash": self.hash},
                                              timeout=httpx.Timeout(None, connect=60)) as r:
                    if r.status_code != 200:
                        raise EventError(f"HTTP {r.status_code}", "queue/data")
                    async for line in r.aiter_lines():
                        if not line.startswith("data:"):
                            continue
                        msg = json.loads(line[5:])
                        kind = msg.get("msg")
                        if kind == "close_stream":
                            break
                        if kind in ("process_completed", "unexpected_error", "server_stopped"):
                            event_id = msg.get("event_id")
                            if event_id is None:  # not about one event: fails every pending one
                                for fut in self.pending.values():
                                    if not fut.done():
                                        fut.set_exception(EventError(kind, str(msg.get("message", ""))[:200]))
                                self.pending.clear()
                                break
                            fut = self.pending.pop(event_id, None)
                            if fut is None:
                                self.early[event_id] = msg
                            elif not fut.done():
                                fut.set_result(msg)
            except (httpx.HTTPError, EventError) as exc:
                error = exc if isinstance(exc, EventError) else EventError(type(exc).__name__,
                                                                           f"queue/data {exc}"[:200])
                for fut in self.pending.values():
                    if not fut.done():
                        fut.set_exception(error)
                self.pending.clear()

    async def _call(self, fn: int, data: list, trigger: int | None) -> dict:
        """POST /gradio_api/queue/join, then wait for the event's process_completed. -> its output"""
        body = {"data": data, "fn_index": fn, "session_hash": self.hash, "event_data": None, "trigger_id": trigger}
        try:
            r = await self.client.post(self.base + "/gradio_api/queue/join", json=body, timeout=EVENT_TIMEOUT)
        except httpx.HTTPError as exc:
            raise EventError(type(exc).__name__, f"queue/join {exc}"[:200]) from None
        if r.status_code != 200:
            raise EventError(f"HTTP {r.status_code}", r.text[:200])
        event_id = r.json()["event_id"]
        fut = asyncio.get_running_loop().create_future()
        if event_id in self.early:
            fut.set_result(self.early.pop(event_id))
        else:
            self.pending[event_id] = fut
            if self.reader is None or self.reader.done():
                self.reader = asyncio.create_task(self._read())
        try:
            msg = await asyncio.wait_for(fut, EVENT_TIMEOUT)
        except asyncio.TimeoutError:
            self.pending.pop(event_id, None)
            raise EventError("timeout", f"fn {fn}") from None
        if not msg.get("success", False):
            raise EventError("server error", str((msg.get("output") or {}).get("error"))[:200])
        return msg["output"]

    # -- what the browser does with an event --------------------------------------------------------------------------

    def _data(self, dep: dict, overrides: dict[int, object]) -> list:
        data = []
        for cid in dep["inputs"]:
            if self.components.get(cid, {}).get("type") == "state":
                data.append(None)  # held by the server for this session
            else:
                data.append(overrides.get(cid, self.values.get(cid)))
        return data

    def _apply(self, dep: dict, output: dict) -> None:
        for cid, value in zip(dep["outputs"], output.get("data") or []):
            if self.components.get(cid, {}).get("type") == "state":
                continue
            if isinstance(value, dict) and value.get("__type__") == "update":
                if "value" in value:
                    self.values[cid] = value["value"]
            else:
                self.values[cid] = value
        config = output.get("render_config")
        if config:  # the components and events a gr.render produced for this session
            for comp in config["components"]:
                self.components[comp["id"]] = comp
                props = comp.get("props", {})
                self.values[comp["id"]] = props.get("value")
                if props.get("elem_id"):
                    self.by_elem[props["elem_id"]] = comp["id"]
            for dep_config in config["dependencies"]:
                self.deps[dep_config["id"]] = dep_config

    async def trigger(self, fn: int, trigger: int | None = None, overrides: dict[int, object] | None = None) -> dict:
        """Run one event as the page does, then what follows it: its .then events (after success) and the events
        of the States it changed. Each event's own time (ms) lands in self.timings. -> the event's output"""
        dep = self.deps[fn]
        overrides = overrides or {}
        self.values.update(overrides)
        if dep.get("backend_fn", True):
            t0 = time.perf_counter()
            output = await self._call(fn, self._data(dep, overrides), trigger)
            self.timings[fn] = 1000 * (time.perf_counter() - t0)
            self.handler[fn] = 1000 * float(output.get("duration") or 0.0)
            self._apply(dep, output)
        else:
            output = {"data": [], "changed_state_ids": []}  # a js-only step: nothing for the server
        follow = [d["id"] for d in self.deps.values()
                  if d.get("trigger_after") == fn and not d.get("trigger_only_on_failure")]
        for state_id in output.get("changed_state_ids") or []:
            follow += [d["id"] for d in self.deps.values() if [state_id, "change"] in d["targets"]]
        if follow:
            await asyncio.gather(*(self.trigger(f) for f in follow))
        return output

    def value(self, elem_id: str):
        return self.values.get(self.by_elem[elem_id])

    def dep(self, elem_id: str, event: str) -> int:
        """The event `event` of the component `elem_id`, rendered ones included."""
        target = self.by_elem[elem_id]
        return next(d["id"] for d in self.deps.values() if [target, event] in d["targets"])


# == the simulated users ==============================================================================================

@dataclass
class Results:
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    handler: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))  # server-side handler ms
    load_handlers: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))  # page load, by event
    samples: list[tuple] = field(default_factory=list)  # (seconds into the run, operation, instance, ms)
    t0: float = field(default_factory=time.monotonic)
    by_instance: dict[tuple[str, str], list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    sent: dict[tuple[str, int], str] = field(default_factory=dict)  # (exam id, position) -> letters sent
    confirmed: set[tuple[str, int]] = field(default_factory=set)
    exams: list[str] = field(default_factory=list)
    submitted: int = 0
    items_total: int = 0
    items_answered: int = 0
    unanswered_submits: int = 0
    error_samples: list[str] = field(default_factory=list)

    def add(self, op: str, instance: str, ms: float, handler_ms: float | None = None) -> None:
        self.times[op].append(ms)
        self.by_instance[(op, instance)].append(ms)
        if handler_ms is not None:
            self.handler[op].append(handler_ms)
        self.samples.append((round(time.monotonic() - self.t0, 2), op, instance, round(ms, 1)))

    def error(self, op: str, exc: Exception) -> None:
        kind = exc.kind if isinstance(exc, EventError) else type(exc).__name__
        self.errors[op][kind] += 1
        if len(self.error_samples) < 8:
            self.error_samples.append(f"{op}: {exc}")


async def load_page(session: Session, page: Page, results: Results, instance: str) -> bool:
    """GET / plus every load event (at once, as the browser fires them) with their follow-ups."""
    t0 = time.perf_counter()
    client_box = page.by_elem.get("exam-client")
    fresh_browser = json.dumps({"exam": "", "address": False, "key": "", "pending": {}})
    try:
        await session.open()
        results.add("page html", instance, 1000 * (time.perf_counter() - t0))
        await asyncio.gather(*(session.trigger(fn, overrides={client_box: fresh_browser}
                                               if client_box in page.deps[fn]["inputs"] else None)
                               for fn in page.load_deps()))
    except Exception as exc:  # noqa: BLE001 - every failure is counted
        results.error("page load", exc)
        return False
    results.add("page load", instance, 1000 * (time.perf_counter() - t0))
    for fn, ms in session.handler.items():  # the load events and their .then steps
        results.load_handlers[session.deps[fn].get("api_name") or str(fn)].append(ms)
    return True


def answer_for(component: dict, rng: random.Random):
    """A value the examinee taps: one choice of a radio, two or three of a checkbox group."""
    choices = [value for _label, value in component["props"]["choices"]]
    if component["type"] == "checkboxgroup":
        return sorted(rng.sample(choices, min(len(choices), rng.choice((2, 3)))))
    return rng.choice(choices)


def confirmed_letters(status_html) -> dict:
    match = CONFIRM.search(str(status_html or ""))
    if not match:
        return {}
    try:
        return json.loads(html.unescape(match.group(1)))
    except ValueError:
        return {}


async def examinee(n: int, server: Server, client: httpx.AsyncClient, page: Page, args, results: Results,
                   deadline: float, rng: random.Random) -> None:
    await asyncio.sleep(rng.uniform(0, args.ramp) if args.ramp else 0)
    session = Session(client, server.url, page)
    try:
        if not await load_page(session, page, results, server.name):
            return
        roles, types = page.choices("exam-role"), page.choices("exam-etype")
        form = {"exam-enterprise": f"压测企业{n % 17}", "exam-etype": types[n % len(types)],
                "exam-person": f"考生{n}", "exam-idnumber": id_number(args.id_offset + n),
                "exam-noid": False, "exam-role": roles[(n // len(types)) % len(roles)],
                "exam-inspector": f"检查员{n % 5}"}
        start = page.dep("exam-start", "click")
        exam_state = page.deps[start]["outputs"][0]  # the exam id State (EXAM_VIEW order): its change renders
        render = next(d["id"] for d in page.deps.values() if [exam_state, "change"] in d["targets"])
        t0 = time.perf_counter()
        try:
            await session.trigger(start, page.by_elem["exam-start"],
                                  {page.by_elem[k]: v for k, v in form.items()})
        except Exception as exc:  # noqa: BLE001
            results.error("start", exc)
            return
        exam = EXAM_ID.search(str(session.value("exam-head") or ""))
        if not exam or render not in session.timings:
            results.error("start", EventError("no sheet", re.sub(r"<[^>]+>", "", str(session.value("exam-form-msg")))))
            return
        exam_id = exam.group(1)
        results.exams.append(exam_id)
        results.add("start", server.name, session.timings[start], session.handler[start])
        results.add("sheet render", server.name, session.timings[render], session.handler[render])
        results.add("sheet shown", server.name, 1000 * (time.perf_counter() - t0))
        boxes = sorted(((int(elem[len("exam-q"):]), cid) for elem, cid in session.by_elem.items()
                        if re.fullmatch(r"exam-q\d+", elem)))
        results.items_total += len(boxes)
        limit = len(boxes) if not args.max_items else min(args.max_items, len(boxes))
        for position, box in boxes[:limit]:
            if args.think:
                await asyncio.sleep(rng.uniform(*args.think))
            if time.monotonic() > deadline:
                break
            value = answer_for(session.components[box], rng)
            letters = "".join(value) if isinstance(value, list) else value
            results.sent[(exam_id, position)] = letters
            results.items_answered += 1
            save = session.dep(f"exam-q{position}", "input")
            try:
                await session.trigger(save, box, {box: value})
            except Exception as exc:  # noqa: BLE001
                results.error("save", exc)
                continue
            results.add("save", server.name, session.timings[save], session.handler[save])
            status = str(session.value("exam-saved") or "")
            if "hz-saved-error" in status:
                results.error("save", EventError("refused", re.sub(r"<[^>]+>", "", status)[:120]))
            elif confirmed_letters(status).get(str(position)) == letters:
                results.confirmed.add((exam_id, position))
            else:
                results.error("save", EventError("not confirmed"))
        if args.think:
            await asyncio.sleep(rng.uniform(*args.think))
        submit = session.dep("exam-submit", "click")
        for press in (1, 2):  # with unanswered items the first press only warns, as the page does
            try:
                await session.trigger(submit, session.by_elem["exam-submit"])
            except Exception as exc:  # noqa: BLE001
                results.error("submit", exc)
                return
            if str(session.value("exam-result-view") or "").strip():
                results.add("submit", server.name, session.timings[submit], session.handler[submit])
                results.submitted += 1
                results.unanswered_submits += press == 2
                return
            if press == 1 and "尚未答完" not in str(session.value("exam-saved") or ""):
                break
        results.error("submit", EventError("no result", re.sub(r"<[^>]+>", "", str(session.value("exam-saved")))[:120]))
    finally:
        await session.close()


async def inspector(n: int, server: Server, client: httpx.AsyncClient, page: Page, args, results: Results,
                    questions: list[str], done: asyncio.Event, rng: random.Random) -> None:
    await asyncio.sleep(rng.uniform(0, args.ramp) if args.ramp else 0)
    session = Session(client, server.url, page)
    try:
        if not await load_page(session, page, results, server.name):
            return
        ask = page.dep("qa-ask", "click")
        question_box = page.by_elem["qa-question"]
        while not done.is_set():
            try:
                await asyncio.wait_for(done.wait(), rng.uniform(*args.ask_think))
                return
            except asyncio.TimeoutError:
                pass
            try:
                await session.trigger(ask, page.by_elem["qa-ask"], {question_box: rng.choice(questions)})
            except Exception as exc:  # noqa: BLE001
                results.error("ask", exc)
                continue
            notice = str(session.value("qa-notice") or "")
            if "hz-error" in notice:
                results.error("ask", EventError("error notice", re.sub(r"<[^>]+>", "", notice)[:120]))
            else:
                results.add("ask", server.name, session.timings[ask], session.handler[ask])
    finally:
        await session.close()


async def sample_load(samples: list[float], stop: asyncio.Event) -> None:
    while not stop.is_set():
        samples.append(os.getloadavg()[0])
        try:
            await asyncio.wait_for(stop.wait(), 5)
        except asyncio.TimeoutError:
            pass


async def run_load(servers: list[Server], args, questions: list[str]) -> tuple[Results, dict]:
    results = Results()
    # Idle connections are dropped well before uvicorn's 5 s keep-alive timeout: reusing one the server is closing
    # fails the request ("Server disconnected"), which a browser would retry and this client would count as an error.
    limits = httpx.Limits(max_connections=None, max_keepalive_connections=None, keepalive_expiry=2.0)
    clients = [httpx.AsyncClient(limits=limits, timeout=EVENT_TIMEOUT) for _ in servers]
    pages = []
    for server, client in zip(servers, clients):
        r = await client.get(server.url + "/config")
        pages.append(Page.from_config(r.json()))
    rng = random.Random(args.seed)
    started = results.t0 = time.monotonic()
    started_wall = time.time()
    deadline = started + args.duration
    done, stop_sampling = asyncio.Event(), asyncio.Event()
    loads: list[float] = []
    sampler = asyncio.create_task(sample_load(loads, stop_sampling))
    cpu0 = [s.cpu_seconds() for s in servers]
    busy0, total0 = machine_cpu()
    own0 = resource.getrusage(resource.RUSAGE_SELF)
    exam_tasks = [asyncio.create_task(examinee(n, servers[n % len(servers)], clients[n % len(servers)],
                                               pages[n % len(servers)], args, results, deadline,
                                               random.Random(rng.random())))
                  for n in range(args.examinees)]
    ask_tasks = [asyncio.create_task(inspector(n, servers[n % len(servers)], clients[n % len(servers)],
                                               pages[n % len(servers)], args, results, questions, done,
                                               random.Random(rng.random())))
                 for n in range(args.askers)]
    try:
        await asyncio.wait_for(asyncio.gather(*exam_tasks), args.duration + 2 * EVENT_TIMEOUT)
    except asyncio.TimeoutError:
        for task in exam_tasks:
            task.cancel()
        results.errors["run"]["hard time limit"] += 1
    elapsed = time.monotonic() - started
    done.set()
    await asyncio.gather(*ask_tasks, return_exceptions=True)
    stop_sampling.set()
    await sampler
    own1 = resource.getrusage(resource.RUSAGE_SELF)
    busy1, total1 = machine_cpu()
    cpu = [s.cpu_seconds() - c for s, c in zip(servers, cpu0)]
    rss = [s.peak_rss_mb() for s in servers]
    for client in clients:
        await client.aclose()
    machine = {"started_at": started_wall, "elapsed": elapsed, "server_cpu": cpu, "server_peak_rss_mb": rss,
               "client_cpu": (own1.ru_utime + own1.ru_stime) - (own0.ru_utime + own0.ru_stime),
               "load_mean": sum(loads) / len(loads) if loads else 0.0, "load_max": max(loads, default=0.0),
               "machine_busy": busy1 - busy0, "machine_total": total1 - total0}
    return results, machine


# == the exam book after the run ======================================================================================

def stored_answers(database_url: str, exam_ids: list[str]) -> tuple[dict[tuple[str, int], str], int]:
    """-> ({(exam id, position): stored letters}, number of these exams submitted), read from the database."""
    from sqlalchemy import create_engine, func, select

    from quiz.exam import exam_answers, exams

    engine = create_engine(database_url)
    stored: dict[tuple[str, int], str] = {}
    submitted = 0
    try:
        with engine.connect() as conn:
            for chunk in range(0, len(exam_ids), 500):
                ids = exam_ids[chunk:chunk + 500]
                for exam_id, position, answer in conn.execute(
                        select(exam_answers.c.exam_id, exam_answers.c.position, exam_answers.c.answer)
                        .where(exam_answers.c.exam_id.in_(ids))):
                    if answer:
                        stored[(exam_id, position)] = answer
                submitted += conn.execute(select(func.count()).select_from(exams).where(
                    exams.c.exam_id.in_(ids), exams.c.submitted_at.is_not(None))).scalar_one()
    finally:
        engine.dispose()
    return stored, submitted


# == report ===========================================================================================================

def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def report(args, servers: list[Server], results: Results, machine: dict, stored: dict, db_submitted: int,
           backend: str) -> dict:
    mode = "burst (no think time)" if not args.think else f"think time {args.think[0]:g}–{args.think[1]:g} s"
    print(f"\nweb_load: {len(servers)} instance{'s' if len(servers) > 1 else ''} on {backend}; "
          f"{args.examinees} examinees, {mode}, ramp {args.ramp:g} s"
          + (f", at most {args.max_items} items each" if args.max_items else "")
          + (f"; {args.askers} inspectors asking every {args.ask_think[0]:g}–{args.ask_think[1]:g} s"
             if args.askers else ""))
    share = 100 / (machine["machine_total"] or 1)  # percent of all cores' time during the run
    others = machine["machine_busy"] - sum(machine["server_cpu"]) - machine["client_cpu"]
    hazkb = " + ".join(f"{share * c:.0f}%" for c in machine["server_cpu"])
    print(f"machine: {os.cpu_count()} cores, run {machine['elapsed']:.0f} s; load average {machine['load_before']:.1f} "
          f"before, {machine['load_mean']:.1f} mean / {machine['load_max']:.1f} max during the run; CPU busy "
          f"{share * machine['machine_busy']:.0f}%: hazkb {hazkb}"
          f", this client {share * machine['client_cpu']:.0f}%, other processes {share * max(0.0, others):.0f}%")
    print("servers: " + "; ".join(f"{s.name} ready in {s.ready_seconds:.0f} s, peak RSS {rss:.0f} MB"
                                  for s, rss in zip(servers, machine["server_peak_rss_mb"])))
    head = (f"{'operation':<13} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}   {'handler p50/p95':>15}"
            "  errors")
    print(head)
    print("-" * len(head))
    figures = {}
    for op in OPERATIONS:
        values, errors = results.times.get(op, []), results.errors.get(op, Counter())
        if not values and not errors:
            continue
        err = ", ".join(f"{k} {v}" for k, v in errors.items()) or "0"
        inner = results.handler.get(op, [])
        handler = f"{pct(inner, .5):.0f} / {pct(inner, .95):.0f}" if inner else "-"
        if values:
            row = (len(values), pct(values, .5), pct(values, .95), max(values))
            print(f"{op:<13} {row[0]:>6} {row[1]:>8.0f} {row[2]:>8.0f} {row[3]:>8.0f}   {handler:>15}  {err}")
        else:
            row = (0, None, None, None)
            print(f"{op:<13} {0:>6} {'-':>8} {'-':>8} {'-':>8}   {handler:>15}  {err}")
        figures[op] = {"n": row[0], "p50": row[1], "p95": row[2], "max": row[3], "errors": dict(errors),
                       "handler_p50": pct(inner, .5) if inner else None,
                       "handler_p95": pct(inner, .95) if inner else None}
    if results.load_handlers:
        print("page load events, handler p50/p95 ms: " + ", ".join(
            f"{name} {pct(v, .5):.0f}/{pct(v, .95):.0f}" for name, v in results.load_handlers.items()))
    started = [t for t, op, _i, _ms in results.samples if op == "sheet shown"]
    if started and results.times.get("save"):
        last = max(started)  # the last examinee has the sheet: no more page loads and starts
        parts = []
        for name, keep in (("while examinees arrive", lambda t: t <= last), ("after", lambda t: t > last)):
            values = [ms for t, op, _i, ms in results.samples if op == "save" and keep(t)]
            if values:
                parts.append(f"{name} p50 {pct(values, .5):.0f} / p95 {pct(values, .95):.0f} ms (n {len(values)})")
                figures["save"]["arriving" if name.startswith("while") else "after_arrivals"] = {
                    "n": len(values), "p50": pct(values, .5), "p95": pct(values, .95)}
        print(f"save, until the last sheet was shown at {last:.0f} s: " + "; ".join(parts))
    if len(servers) > 1:
        for op in ("save", "ask"):
            parts = [f"{s.name} p50 {pct(v, .5):.0f} / p95 {pct(v, .95):.0f} ms (n {len(v)})"
                     for s in servers if (v := results.by_instance.get((op, s.name)))]
            if parts:
                print(f"{op} by instance: " + "; ".join(parts))
    if results.errors.get("run"):
        print(f"run: {dict(results.errors['run'])}")
    sent = results.sent
    landed = sum(1 for key, letters in sent.items() if stored.get(key) == letters)
    different = sum(1 for key, letters in sent.items() if key in stored and stored[key] != letters)
    missing = sum(1 for key in sent if key not in stored)
    confirmed_landed = sum(1 for key in results.confirmed if stored.get(key) == sent[key])
    print(f"answers: {len(sent)} saves sent ({results.items_answered} of {results.items_total} items on "
          f"{len(results.exams)} sheets), {len(results.confirmed)} confirmed in the server's reply; "
          f"{landed} stored in the exam book as sent ({missing} missing, {different} different); "
          f"confirmed and stored {confirmed_landed}/{len(results.confirmed)}")
    print(f"exams: {len(results.exams)} started, {results.submitted} submitted with a result shown "
          f"({results.unanswered_submits} after the unanswered-items warning), {db_submitted} graded in the database")
    tracebacks = sum(s.log_text().count("Traceback") for s in servers)
    print(f"server logs: {tracebacks} tracebacks")
    for sample in results.error_samples:
        print(f"  e.g. {sample}")
    return {"instances": len(servers), "backend": backend, "examinees": args.examinees, "mode": mode,
            "askers": args.askers, "machine": machine, "figures": figures,
            "answers": {"sent": len(sent), "confirmed": len(results.confirmed), "stored": landed,
                        "missing": missing, "different": different},
            "exams": {"started": len(results.exams), "submitted": results.submitted, "graded": db_submitted},
            "server_tracebacks": tracebacks, "samples": results.samples}


# == main =============================================================================================================

def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--examinees", type=int, default=50)
    parser.add_argument("--instances", type=int, default=1, choices=(1, 2))
    parser.add_argument("--burst", action="store_true", help="no think time, no ramp: everyone at once")
    parser.add_argument("--think", type=float, nargs=2, default=(2.0, 6.0), metavar=("MIN", "MAX"),
                        help="seconds between answers (default 2 6)")
    parser.add_argument("--ramp", type=float, default=None,
                        help="examinees start at random within this many seconds (default 30; burst 0)")
    parser.add_argument("--max-items", type=int, default=0, help="answer at most this many items per exam (0: all)")
    parser.add_argument("--duration", type=float, default=240.0,
                        help="stop answering after this many seconds and submit (default 240)")
    parser.add_argument("--askers", type=int, default=0, help="inspectors asking questions on 法规问答")
    parser.add_argument("--ask-think", type=float, nargs=2, default=(5.0, 15.0), metavar=("MIN", "MAX"),
                        help="seconds between an inspector's questions (default 5 15)")
    parser.add_argument("--postgres", metavar="URL", help="PostgreSQL server (any database URL on it): run on a "
                                                          "fresh database created for the run")
    parser.add_argument("--database-url", help="run on this existing database as it is (SQLAlchemy URL)")
    parser.add_argument("--keep-database", action="store_true", help="do not drop the database --postgres created")
    parser.add_argument("--laws", choices=("none", "builtin"), default="none",
                        help="none: --no-builtin (fast start, exams only); builtin: load the built-in laws")
    parser.add_argument("--home-template", type=Path,
                        help="copy this data directory as the (SQLite) home, e.g. a home with the full corpus")
    parser.add_argument("--gold", type=Path, default=ROOT / "eval" / "gold" / "inspector.jsonl")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    if args.burst:
        args.think = None
    if args.ramp is None:
        args.ramp = 0.0 if args.burst else 30.0
    if args.instances > 1 and not (args.postgres or args.database_url):
        parser.error("two instances share one database: give --postgres or --database-url")
    if args.askers and args.laws == "none" and not args.home_template:
        parser.error("inspectors ask about laws: add --laws builtin or --home-template")
    if args.home_template and (args.postgres or args.database_url):
        parser.error("--home-template brings a SQLite catalog; with PostgreSQL use --laws builtin")
    args.id_offset = random.Random(args.seed).randrange(0, 40_000)
    return args


def main(argv=None) -> None:
    args = parse_args(argv)
    questions = [json.loads(line)["q"] for line in args.gold.read_text(encoding="utf-8").splitlines() if line.strip()]
    tmp = Path(tempfile.mkdtemp(prefix="hazkb-webload-"))
    database_url = args.database_url
    created = None
    servers: list[Server] = []
    try:
        if args.postgres:
            database_url = created = create_database(args.postgres)
        backend = "PostgreSQL" if database_url else "SQLite"
        for i in range(args.instances):
            name = "AB"[i]
            home = tmp / f"home-{name}"
            if args.home_template:
                shutil.copytree(args.home_template, home, ignore=shutil.ignore_patterns("chroma", "*.bak"))
            home.mkdir(exist_ok=True)
            builtin = args.laws == "builtin" or bool(args.home_template)
            servers.append(Server(name, home, server_env(home, database_url, builtin), tmp / f"serve-{name}.log"))
        for server in servers:  # one after the other: the first fills a fresh database
            server.start()
            server.wait_ready()
        load_before = os.getloadavg()[0]
        results, machine = asyncio.run(run_load(servers, args, questions))
        machine["load_before"] = load_before
        for server in servers:
            server.stop()
        url = database_url or Settings.from_env({}, home=servers[0].home).db_url
        stored, db_submitted = stored_answers(url, results.exams)
        figures = report(args, servers, results, machine, stored, db_submitted, backend)
        if args.json:
            args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=1), encoding="utf-8")
    finally:
        for server in servers:
            server.stop()
        if created and not args.keep_database:
            drop_database(created)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
