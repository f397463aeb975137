#!/usr/bin/python3
"""An independent WebSocket peer for Frameline's interop tests, built on python-websockets.

server: python_peer.py server [--tls-cert F --tls-key F]
    Listens on 127.0.0.1 (a free port), prints "PORT <n>", then serves by path:
      /                          echo every message with its type
      /close/<code>/<n>/<reason> echo n messages, then close with code and reason
      /refuse                    answer the upgrade with 403
    Subprotocols supported, in order: chat, superchat.
client: python_peer.py client --url URL [--cafile F] [--expect-subprotocol P]
          [--server-closes CODE:N:REASON]
    Runs the scenario below against the server at URL; prints one line per step and
    exits 0 only if every step checked out.
"""

import argparse
import asyncio
import http
import ssl
import sys

import websockets

SIZES = [0, 1, 125, 126, 65535, 65536, 16 * 1024 * 1024]


def payload(size):
    return bytes((ord("a") + i % 26) for i in range(size)) if size < 1024 else (
        (bytes(range(ord("a"), ord("a") + 26)) * (size // 26 + 1))[:size])


async def serve(args):
    async def process_request(path, headers):
        if path == "/refuse":
            return http.HTTPStatus.FORBIDDEN, [("Content-Type", "text/plain")], b"refused by the test peer\n"
        return None

    async def handler(ws, path=None):
        path = path if path is not None else ws.path
        if path.startswith("/close/"):
            _, _, code, count, reason = path.split("/", 4)
            for _ in range(int(count)):
                await ws.send(await ws.recv())
            await ws.close(code=int(code), reason=reason)
            return
        async for message in ws:
            await ws.send(message)

    context = None
    if args.tls_cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.tls_cert, args.tls_key)
    async with websockets.serve(handler, "127.0.0.1", 0, ssl=context, max_size=None,
                                compression=None, subprotocols=["chat", "superchat"],
                                process_request=process_request) as server:
        port = server.sockets[0].getsockname()[1]
        print(f"PORT {port}", flush=True)
        await asyncio.Future()


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what, flush=True)
    if not ok:
        raise SystemExit(1)


async def client(args):
    context = None
    if args.url.startswith("wss:"):
        context = ssl.create_default_context(cafile=args.cafile)
    async with websockets.connect(args.url, ssl=context, max_size=None, compression=None,
                                  subprotocols=["superchat", "chat"]) as ws:
        if args.expect_subprotocol:
            check(ws.subprotocol == args.expect_subprotocol,
                  f"subprotocol {ws.subprotocol!r}")
        if args.server_closes:
            code, count, reason = args.server_closes.split(":", 2)
            for i in range(int(count)):
                await ws.send(f"message {i}")
                check(await ws.recv() == f"message {i}", f"echo {i}")
            try:
                await asyncio.wait_for(ws.recv(), 10)
                check(False, "the server closes")
            except websockets.ConnectionClosed:
                pass
            check(ws.close_code == int(code) and ws.close_reason == reason,
                  f"server closed with {ws.close_code} {ws.close_reason!r}")
            return
        for text in ["hello", "", "안녕하세요 WebSocket"]:
            await ws.send(text)
            echo = await ws.recv()
            check(echo == text, f"text echo {text!r}")
        for size in SIZES:
            data = payload(size)
            await ws.send(data)
            echo = await ws.recv()
            check(isinstance(echo, bytes) and echo == data, f"binary echo of {size} bytes")
        await ws.send(["frag", "men", "ted"])
        check(await ws.recv() == "fragmented", "fragmented text reassembled and echoed")
        await ws.send([b"\x00\x01", b"\x02"])
        check(await ws.recv() == b"\x00\x01\x02", "fragmented binary reassembled and echoed")
        pong = await ws.ping(b"ping payload")
        await asyncio.wait_for(pong, 10)
        check(True, "pong answered our ping")
        await ws.close(code=1000, reason="bye")
        check(ws.close_code == 1000 and ws.close_reason == "bye",
              f"close echoed: {ws.close_code} {ws.close_reason!r}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["server", "client"])
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    parser.add_argument("--url")
    parser.add_argument("--cafile")
    parser.add_argument("--expect-subprotocol")
    parser.add_argument("--server-closes")
    args = parser.parse_args()
    try:
        asyncio.run(serve(args) if args.mode == "server" else client(args))
    except KeyboardInterrupt:
        pass
    except websockets.InvalidStatusCode as error:
        print(f"FAIL handshake refused: {error}", flush=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
