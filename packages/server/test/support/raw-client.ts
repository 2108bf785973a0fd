/**
 * A raw HTTP/1.1 client over one TCP socket, for tests that need the exact
 * bytes on the wire: pipelining, partial heads, half-closes, declared lengths.
 */
import { connect, type Socket } from 'node:net';

export interface Answer {
  status: number;
  headers: Record<string, string>;
  text: string;
}

/** A raw client that reads back answers (Content-Length or chunked bodies) in order. */
export class RawClient {
  readonly socket: Socket;
  private data = Buffer.alloc(0);
  private readonly waiting: Array<(a: Answer) => void> = [];
  closed = false;

  constructor(url: string) {
    const { hostname, port } = new URL(url);
    this.socket = connect(Number(port), hostname);
    this.socket.on('data', (chunk: Buffer) => {
      this.data = Buffer.concat([this.data, chunk]);
      this.drain();
    });
    this.socket.on('close', () => (this.closed = true));
  }

  write(bytes: string | Buffer): void {
    this.socket.write(bytes);
  }

  next(): Promise<Answer> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.drain();
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private drain(): void {
    while (this.waiting.length > 0) {
      const end = this.data.indexOf('\r\n\r\n');
      if (end < 0) return;
      const [statusLine, ...lines] = this.data.toString('latin1', 0, end).split('\r\n');
      const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      let body: Buffer;
      let rest: Buffer;
      if (headers['transfer-encoding'] === 'chunked') {
        const parts: Buffer[] = [];
        let at = end + 4;
        for (;;) {
          const lineEnd = this.data.indexOf('\r\n', at);
          if (lineEnd < 0) return;
          const size = parseInt(this.data.toString('latin1', at, lineEnd), 16);
          if (this.data.length < lineEnd + 2 + size + 2) return;
          if (size === 0) {
            at = lineEnd + 4;
            break;
          }
          parts.push(this.data.subarray(lineEnd + 2, lineEnd + 2 + size));
          at = lineEnd + 2 + size + 2;
        }
        body = Buffer.concat(parts);
        rest = this.data.subarray(at);
      } else {
        const length = Number(headers['content-length'] ?? 0);
        if (this.data.length < end + 4 + length) return;
        body = this.data.subarray(end + 4, end + 4 + length);
        rest = this.data.subarray(end + 4 + length);
      }
      this.data = Buffer.from(rest);
      this.waiting.shift()?.({ status: Number(statusLine?.split(' ')[1]), headers, text: body.toString('utf8') });
    }
  }
}

