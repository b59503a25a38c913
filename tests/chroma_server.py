"""A real Chroma server for the tests: `chroma run` from the installed chromadb package, on a free localhost port.

Started once per test session (it takes a few seconds), with its data under a temporary directory; each test
that uses it calls `reset()` first, so no test sees another's collections. Stopped (SIGTERM, then SIGKILL) when
the session ends.
"""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

HOST = "127.0.0.1"
START_TIMEOUT = 60.0  # seconds; on a loaded 2-core CI machine the Python entry point alone takes seconds


def chroma_command() -> list[str]:
    """The `chroma` entry point of the chromadb package installed next to this interpreter."""
    beside = Path(sys.executable).with_name("chroma")
    if beside.exists():
        return [str(beside)]
    found = shutil.which("chroma")
    if found:
        return [found]
    # chromadb.cli.cli has no __main__ block: call its typer app the way the console script does.
    return [sys.executable, "-c", "import sys; from chromadb.cli.cli import app; sys.argv[0] = 'chroma'; app()"]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@dataclass
class ChromaServer:
    host: str
    port: int
    path: Path  # the server's persistence directory
    process: subprocess.Popen
    log: Path

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def env(self) -> dict[str, str]:
        """The settings that point hazkb at this server."""
        return {"HAZKB_CHROMA_HOST": self.host, "HAZKB_CHROMA_PORT": str(self.port)}

    def heartbeat(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.url}/api/v2/heartbeat", timeout=2) as response:
                body = json.loads(response.read() or b"{}")  # {"nanosecond heartbeat": 1796...}
                return response.status == 200 and any("heartbeat" in key for key in body)
        except (OSError, ValueError):
            return False

    def reset(self) -> None:
        """Delete every collection on the server (the server only ever holds this session's test data)."""
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        client = chromadb.HttpClient(host=self.host, port=self.port,
                                     settings=ChromaSettings(anonymized_telemetry=False))
        for collection in client.list_collections():
            client.delete_collection(getattr(collection, "name", collection))

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=15)


def start_chroma(path: Path, log: Path, timeout: float = START_TIMEOUT) -> ChromaServer:
    """Start `chroma run --path PATH --host 127.0.0.1 --port P` and wait until its heartbeat answers."""
    path.mkdir(parents=True, exist_ok=True)
    port = free_port()
    env = {**os.environ, "ANONYMIZED_TELEMETRY": "False", "NO_COLOR": "1"}
    with open(log, "wb") as out:
        process = subprocess.Popen([*chroma_command(), "run", "--path", str(path), "--host", HOST,
                                    "--port", str(port)], stdout=out, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, env=env)
    server = ChromaServer(HOST, port, path, process, log)
    deadline = time.monotonic() + timeout
    while not server.heartbeat():
        if process.poll() is not None:
            raise RuntimeError(f"chroma run exited with code {process.returncode}:\n"
                               f"{log.read_text(errors='replace')[-2000:]}")
        if time.monotonic() > deadline:
            server.stop()
            raise TimeoutError(f"chroma run did not answer at {server.url} within {timeout:.0f} s:\n"
                               f"{log.read_text(errors='replace')[-2000:]}")
        time.sleep(0.2)
    return server
