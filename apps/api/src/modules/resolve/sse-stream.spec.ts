import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { SseStream, sseFrame } from './sse-stream.js';

// SseStream on a real node:http server: frames on the wire, and the bound on what a client that does not read
// can make the process hold.

async function serverWith(
  onStream: (stream: SseStream) => void,
): Promise<{ port: number; close(): Promise<void> }> {
  const server = http.createServer((_req, res) => {
    const stream = new SseStream(res);
    stream.open('req-1');
    onStream(stream);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

describe('SseStream', () => {
  it('writes the head, a first comment, events and the end', async () => {
    const srv = await serverWith((stream) => {
      stream.write(sseFrame('policy', JSON.stringify({ tenant: 'acme', version: 2 })));
      stream.end(sseFrame('revoked', '{}'));
    });
    try {
      const res = await fetch(`http://127.0.0.1:${srv.port}/`);
      expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
      expect(res.headers.get('x-accel-buffering')).toBe('no');
      expect(await res.text()).toBe(
        ': subscribed\n\nevent: policy\ndata: {"tenant":"acme","version":2}\n\nevent: revoked\ndata: {}\n\n',
      );
    } finally {
      await srv.close();
    }
  });

  it('cuts a client that stops reading once MAX_UNSENT_BYTES are queued in Node, instead of buffering on', async () => {
    let stream: SseStream | undefined;
    const srv = await serverWith((s) => (stream = s));
    const socket = net.connect(srv.port, '127.0.0.1');
    try {
      await new Promise<void>((r) => socket.once('connect', r));
      socket.write('GET / HTTP/1.1\r\nhost: x\r\n\r\n');
      // The client never reads another byte: the kernel's buffers fill, then Node's.
      socket.pause();
      const deadline = Date.now() + 30_000;
      while (stream === undefined && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 5));
      const s = stream as SseStream;
      const frame = sseFrame('policy', JSON.stringify({ pad: 'x'.repeat(16 * 1024) }));
      let writes = 0;
      // Bounded loop (64 MB): kernel socket buffers hold a few MB at most, MAX_UNSENT_BYTES is 64 KiB.
      while (s.write(frame) && writes < 4000) {
        writes++;
        if (writes % 64 === 0) await new Promise((r) => setImmediate(r));
      }
      expect(s.slow).toBe(true);
      expect(s.isOpen).toBe(false);
      expect(s.write(frame)).toBe(false);
      expect(writes).toBeGreaterThan(0);
    } finally {
      socket.destroy();
      await srv.close();
    }
  });
});
