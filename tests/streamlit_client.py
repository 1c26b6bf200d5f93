"""A client of Streamlit's own websocket protocol, for load tests without browsers.

It speaks what the browser speaks on ``/_stcore/stream``: binary protobuf `BackMsg`s (a
`rerun_script` with the page and the query string) going up, `ForwardMsg`s (deltas, then
`script_finished`) coming down. A session opens a page, then asks for reruns with another
query string, as a browser does when a link or the URL changes (the pages read their state
from the URL). Each rerun is timed from sending it to the `script_finished` message.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import ClientConnection, connect

FINISHED_OK = 0  # ScriptFinishedStatus.FINISHED_SUCCESSFULLY


@dataclass
class Rerun:
    """One script run as the client saw it."""

    seconds: float
    received: int
    exceptions: int
    finished: bool
    headings: list[str] = field(default_factory=list)


@dataclass
class Session:
    """One simulated browser tab."""

    url: str
    page: str
    cookie: str | None = None
    connection: ClientConnection | None = None
    page_hash: str = ""
    runs: list[Rerun] = field(default_factory=list)

    async def open(self, query: str, timeout: float = 120) -> Rerun:
        parts = urlsplit(self.url)
        scheme = "wss" if parts.scheme == "https" else "ws"
        headers = {"Cookie": self.cookie} if self.cookie else {}
        self.connection = await connect(
            f"{scheme}://{parts.netloc}/_stcore/stream",
            subprotocols=["streamlit"],
            additional_headers=headers,
            max_size=None,
            open_timeout=timeout,
            ping_interval=None,
        )
        return await self.rerun(query, timeout)

    async def rerun(self, query: str, timeout: float = 120) -> Rerun:
        """Ask for a run of the page with `query` and wait for it to finish."""
        assert self.connection is not None
        message = BackMsg()
        state = message.rerun_script
        state.query_string = query
        state.page_script_hash = self.page_hash
        state.page_name = self.page
        started = time.perf_counter()
        await self.connection.send(message.SerializeToString())
        run = await asyncio.wait_for(self._until_finished(started), timeout)
        self.runs.append(run)
        return run

    async def _until_finished(self, started: float) -> Rerun:
        assert self.connection is not None
        received, exceptions, headings = 0, 0, []
        while True:
            data = await self.connection.recv()
            received += len(data)
            forward = ForwardMsg()
            forward.ParseFromString(data if isinstance(data, bytes) else data.encode())
            kind = forward.WhichOneof("type")
            if kind == "new_session":
                self.page_hash = forward.new_session.page_script_hash or self.page_hash
            elif kind == "page_info_changed" or kind == "navigation":
                self.page_hash = (
                    getattr(getattr(forward, kind), "page_script_hash", "") or self.page_hash
                )
            elif kind == "delta":
                element = forward.delta.new_element
                exceptions += element.WhichOneof("type") == "exception"
                if element.WhichOneof("type") == "heading":
                    headings.append(element.heading.body)
            elif kind == "script_finished":
                ok = forward.script_finished == FINISHED_OK
                return Rerun(time.perf_counter() - started, received, exceptions, ok, headings)

    async def close(self) -> None:
        if self.connection is not None:
            await self.connection.close()
