"""A real Bolt server for the tests: ArcadeDB from the `arcadedb-embedded` wheel.

The wheel bundles its own Java runtime and jars; we start the server class with the
Bolt plugin on a free loopback port and a fresh root folder, wait until `RETURN 1`
succeeds on the default database, and stop it by its PID.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from neo4j import GraphDatabase
from neo4j.exceptions import Neo4jError, ServiceUnavailable

PASSWORD = "govmap-test-password"
DATABASE = "govmap"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class BoltServer:
    uri: str
    user: str
    password: str
    database: str | None
    process: subprocess.Popen[bytes] | None = None
    root: Path | None = None

    def stop(self) -> None:
        if self.process is not None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.root is not None:
            shutil.rmtree(self.root, ignore_errors=True)


def arcadedb_home() -> Path:
    spec = importlib.util.find_spec("arcadedb_embedded")
    if spec is None or spec.origin is None:
        raise RuntimeError("arcadedb-embedded is not installed: pip install -e '.[test]'")
    return Path(spec.origin).parent


def start_arcadedb(timeout: float = 90.0) -> BoltServer:
    home = arcadedb_home()
    root = Path(tempfile.mkdtemp(prefix="govmap-arcadedb-"))
    bolt_port, http_port = _free_port(), _free_port()
    command = [
        str(home / "jre" / "bin" / "java"), "-Xmx512m",
        "-cp", str(home / "jars" / "*"),
        f"-Darcadedb.server.rootPath={root}",
        f"-Darcadedb.server.rootPassword={PASSWORD}",
        "-Darcadedb.server.plugins=Bolt:com.arcadedb.bolt.BoltProtocolPlugin",
        "-Darcadedb.bolt.host=127.0.0.1",
        f"-Darcadedb.bolt.port={bolt_port}",
        "-Darcadedb.server.httpIncomingHost=127.0.0.1",
        f"-Darcadedb.server.httpIncomingPort={http_port}",
        f"-Darcadedb.server.defaultDatabases={DATABASE}[]",
        "com.arcadedb.server.ArcadeDBServer",
    ]
    log = (root / "server.log").open("wb")
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=root,
                               env={**os.environ, "JAVA_HOME": str(home / "jre")})
    server = BoltServer(f"bolt://127.0.0.1:{bolt_port}", "root", PASSWORD, DATABASE,
                        process, root)
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            server.stop()
            raise RuntimeError(f"ArcadeDB exited early; see {root / 'server.log'}")
        try:
            with GraphDatabase.driver(server.uri, auth=(server.user, server.password)) as driver:
                driver.execute_query("RETURN 1 AS one", database_=DATABASE)
            return server
        except (ServiceUnavailable, Neo4jError, OSError):
            if time.monotonic() > deadline:
                server.stop()
                raise RuntimeError(f"ArcadeDB did not answer within {timeout} s") from None
            time.sleep(0.3)


def external_neo4j() -> BoltServer | None:
    """A real Neo4j 5 named by GOVMAP_TEST_NEO4J_URI (+ _USER, _PASSWORD, _DATABASE)."""
    uri = os.environ.get("GOVMAP_TEST_NEO4J_URI")
    if not uri:
        return None
    return BoltServer(uri, os.environ.get("GOVMAP_TEST_NEO4J_USER", "neo4j"),
                      os.environ.get("GOVMAP_TEST_NEO4J_PASSWORD", ""),
                      os.environ.get("GOVMAP_TEST_NEO4J_DATABASE"))


def wipe(server: BoltServer) -> None:
    """Empty the test database completely (graph and revision counter)."""
    with GraphDatabase.driver(server.uri, auth=(server.user, server.password)) as driver:
        driver.execute_query("MATCH (n) DETACH DELETE n", database_=server.database)
