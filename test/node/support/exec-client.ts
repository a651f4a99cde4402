/** A v5.channel.k8s.io exec client (what kubectl does over the WebSocket), for tests. */
import WebSocket from "ws";

export interface ExecResult {
  stdout: string;
  stderr: string;
  status: { status: string; reason?: string; message?: string; details?: { causes?: { reason?: string; message?: string }[] } } | undefined;
  /** What kubectl would exit with. */
  exitCode: number;
}

export interface ExecCall {
  url: string;
  headers?: Record<string, string>;
  cert?: string;
  key?: string;
  /** Bytes to send on stdin, then [255, 0]. */
  stdin?: string;
  /** Send a resize first. */
  size?: { Width: number; Height: number };
  protocol?: string;
}

export function execWs(c: ExecCall): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(c.url, [c.protocol ?? "v5.channel.k8s.io"], { cert: c.cert, key: c.key, rejectUnauthorized: false, headers: c.headers });
    let stdout = "";
    let stderr = "";
    let status: ExecResult["status"];
    ws.on("unexpected-response", (_req, res) => {
      let body = "";
      res.on("data", (d: Buffer) => (body += d.toString()));
      res.on("end", () => reject(Object.assign(new Error(`upgrade refused: ${res.statusCode} ${body}`), { status: res.statusCode, body })));
    });
    ws.on("open", () => {
      if (c.size) ws.send(Buffer.concat([Buffer.from([4]), Buffer.from(JSON.stringify(c.size))]));
      if (c.stdin !== undefined) {
        ws.send(Buffer.concat([Buffer.from([0]), Buffer.from(c.stdin)]));
        ws.send(Buffer.from([255, 0]));
      }
    });
    ws.on("message", (data: Buffer) => {
      const ch = data[0];
      const body = data.subarray(1).toString("utf8");
      if (ch === 1) stdout += body;
      else if (ch === 2) stderr += body;
      else if (ch === 3) status = JSON.parse(body) as ExecResult["status"];
    });
    ws.on("error", reject);
    ws.on("close", () => {
      let exitCode = 0;
      if (status?.status !== "Success") {
        const cause = status?.details?.causes?.find((x) => x.reason === "ExitCode");
        exitCode = status?.reason === "NonZeroExitCode" && cause ? Number(cause.message) : 1;
      }
      resolve({ stdout, stderr, status, exitCode });
    });
  });
}
