import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * An HTTP proxy in front of the emulator that loses answers: for the chosen
 * requests it forwards the request, lets the emulator carry it out, and then
 * cuts the client's connection instead of answering. This is the hard case
 * for retries: the write happened, but the client cannot know.
 */
export interface LossyProxy {
  readonly url: string;
  /** Answers lost so far. */
  readonly lost: number;
  close(): Promise<void>;
}

export async function startLossyProxy(
  target: string,
  shouldLose: (method: string, path: string, index: number) => boolean,
  /** Sees every request as it arrives (e.g. to record Authorization headers). */
  observe?: (
    method: string,
    path: string,
    headers: Readonly<Record<string, string | string[] | undefined>>,
  ) => void,
): Promise<LossyProxy> {
  let lost = 0;
  let index = 0;
  const upstream = new URL(target);
  const server: Server = createServer((req, res) => {
    observe?.(req.method ?? "GET", req.url ?? "/", req.headers);
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const lose = shouldLose(req.method ?? "GET", req.url ?? "/", index++);
      const forward = request(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers: req.headers,
        },
        (answer) => {
          const body: Buffer[] = [];
          answer.on("data", (c: Buffer) => body.push(c));
          answer.on("end", () => {
            if (lose) {
              lost++;
              req.socket.destroy();
              return;
            }
            res.writeHead(answer.statusCode ?? 502, answer.headers).end(Buffer.concat(body));
          });
        },
      );
      forward.on("error", () => req.socket.destroy());
      forward.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get lost() {
      return lost;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
