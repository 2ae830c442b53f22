"""A local stand-in for PDOK's tile service in the browser tests: every /tiles/{z}/{x}/{y}.png is a real
256x256 PNG (a light grid), so Leaflet loads a background map without the internet. /count tells how many
tiles were served. Usage: python3 tileserver.py PORT"""

import struct
import sys
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def png(size: int = 256) -> bytes:
    rows = []
    for y in range(size):
        row = bytearray([0])
        for x in range(size):
            line = x % 64 == 0 or y % 64 == 0
            row += bytes((200, 200, 200) if line else (242, 240, 233))
        rows.append(bytes(row))
    raw = b"".join(rows)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


TILE = png()
SERVED = 0


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server's name)
        global SERVED
        if self.path == "/count":
            body = str(SERVED).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
        elif self.path.startswith("/tiles/") and self.path.endswith(".png"):
            SERVED += 1
            body = TILE
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Access-Control-Allow-Origin", "*")
        else:
            body = b"not found"
            self.send_response(404)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
