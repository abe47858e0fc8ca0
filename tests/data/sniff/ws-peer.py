#!/usr/bin/python3
"""ws-peer.py PORT - a WebSocket session for the sniffer's golden capture.

An echo server (python3-websockets) and a browser-like client on
127.0.0.1:PORT: text, binary, a ping, a fragmented message, messages
compressed with permessage-deflate, and a close with code and reason."""
import asyncio
import sys

import websockets


async def echo(ws):
    try:
        async for msg in ws:
            await ws.send(msg)
    except websockets.ConnectionClosed:
        pass


async def client(port):
    uri = "ws://127.0.0.1:%d/chat" % port
    async with websockets.connect(
            uri, origin="http://127.0.0.1:%d" % port,
            user_agent_header="Mozilla/5.0 (X11; Linux x86_64) ws-peer",
            compression="deflate") as ws:
        await ws.send("hello")
        await ws.recv()
        await ws.send(b"\x00\x01\x02\xff")
        await ws.recv()
        pong = await ws.ping(b"p1")
        await pong
        await ws.send(["frag-", "ment", "ed"])
        await ws.recv()
        await ws.send("compress me " * 20)
        await ws.recv()
        await ws.close(1000, "bye")


async def main(port):
    async with websockets.serve(echo, "127.0.0.1", port,
                                compression="deflate"):
        await client(port)

asyncio.run(main(int(sys.argv[1])))
