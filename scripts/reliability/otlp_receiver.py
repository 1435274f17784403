"""A stand-in OTLP/HTTP receiver that can play dead, for scripts/measure-reliability.sh.

Modes: ok (answers every export with 200, as a healthy Collector does), blackhole (accepts connections and never
answers), refuse (resets every connection). Switching mode drops open connections, as a restarted receiver would.
Control on a second port: GET /mode/<mode>, GET /stats (JSON: export requests per path, time of the last trace export).
"""
import asyncio
import json
import socket
import struct
import sys
import time

mode = sys.argv[3] if len(sys.argv) > 3 else "ok"
held = set()
stats = {"requests": {}, "last_traces_at": None, "mode_changed_at": time.time()}


def reset(writer):
    sock = writer.get_extra_info("socket")
    if sock is not None:
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass
    writer.close()


async def serve_otlp(reader, writer):
    if mode == "refuse":
        reset(writer)
        return
    held.add(writer)
    try:
        while mode == "ok":
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            path = lines[0].split(" ")[1]
            length = next((int(line.split(":", 1)[1]) for line in lines[1:] if line.lower().startswith("content-length:")), 0)
            await reader.readexactly(length)
            if mode != "ok":
                break
            stats["requests"][path] = stats["requests"].get(path, 0) + 1
            if path.endswith("/v1/traces"):
                stats["last_traces_at"] = time.time()
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/x-protobuf\r\nContent-Length: 0\r\n\r\n")
            await writer.drain()
        while mode == "blackhole":
            await asyncio.sleep(3600)
    except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError, IndexError, ValueError):
        pass
    finally:
        held.discard(writer)


async def serve_control(reader, writer):
    global mode
    request = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split(" ")[1]
    if request.startswith("/mode/"):
        mode = request.split("/")[2]
        stats["mode_changed_at"] = time.time()
        for connection in list(held):
            reset(connection)
    body = json.dumps({"mode": mode, **stats}).encode()
    writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s" % (len(body), body))
    await writer.drain()
    writer.close()


async def main():
    otlp = await asyncio.start_server(serve_otlp, "127.0.0.1", int(sys.argv[1]))
    control = await asyncio.start_server(serve_control, "127.0.0.1", int(sys.argv[2]))
    async with otlp, control:
        await asyncio.gather(otlp.serve_forever(), control.serve_forever())

asyncio.run(main())
