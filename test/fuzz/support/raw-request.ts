/**
 * One raw HTTP(S) request of a fuzz target: the whole answer read (its JSON when it parses), and a
 * request that gets no answer within HANG_MS destroyed and reported as a hang.
 */
import type { ClientRequest, IncomingHttpHeaders, IncomingMessage, RequestOptions } from "node:http";

export const HANG_MS = 15_000;

export interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  json: any;
}

type RequestFn = (options: RequestOptions, onResponse: (res: IncomingMessage) => void) => ClientRequest;

export function sendRaw(request: RequestFn, options: RequestOptions, body: string | Buffer | undefined, what: string): Promise<RawAnswer> {
  return new Promise<RawAnswer>((resolve, reject) => {
    const fail = (e: Error) => {
      clearTimeout(timer);
      reject(e);
    };
    const req = request(options, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (d: Buffer) => chunks.push(d));
      res.on("end", () => {
        clearTimeout(timer);
        const text = Buffer.concat(chunks).toString("utf8");
        let json: unknown;
        try {
          json = text ? JSON.parse(text) : undefined;
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
      res.on("error", fail);
    });
    const timer = setTimeout(() => req.destroy(new Error(`hang: ${what} gave no answer in ${HANG_MS} ms`)), HANG_MS);
    req.on("error", fail);
    req.end(body);
  });
}
