/**
 * GET /exec/{namespace}/{pod}/{container}?command=…&stdin=&stdout=&stderr=&tty= upgraded to a WebSocket
 * (v5.channel.k8s.io, or v4): the command runs in the running container through the runtime; stdout/stderr go
 * out on channels 1/2, channel 0 feeds stdin ([255,0] closes it), channel 4 resizes the terminal, and the exit
 * code comes back as a Status on channel 3 before a normal close. Pings are answered by the ws library. A
 * client that goes away ends the command (SIGTERM, then SIGKILL).
 */
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";
import type { Logger } from "../../lib/log.js";
import { isRuntimeError, type ExecProcess, type Runtime } from "../runtime/index.js";
import { ERROR, PROTOCOLS, STDERR, STDIN, STDOUT, errorStatus, exitStatus, frame, parseIncoming } from "./exec-channel.js";
import { findTarget, type PodLookup } from "./pod-lookup.js";
import { boolParam } from "./query.js";
import { badRequest, refuseUpgrade } from "./respond.js";

const INITIAL_SIZE_WAIT_MS = 250;

export interface ExecRequest {
  argv: string[];
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

/** The message of runc's `level=error msg="exec failed: …"` log line, if `text` is one. */
export function runcExecFailure(text: string): string | undefined {
  const m = /^time="[^"]*" level=error msg="(exec failed: (?:[^"\\]|\\.)*)"\s*$/.exec(text.trim());
  if (!m) return undefined;
  try {
    return JSON.parse(`"${m[1]}"`) as string;
  } catch {
    return m[1];
  }
}

export function parseExecQuery(q: URLSearchParams): ExecRequest {
  const argv = q.getAll("command");
  if (argv.length === 0 || argv[0] === "") throw badRequest("you must specify at least 1 command");
  const r = { argv, stdin: boolParam(q, "stdin"), stdout: boolParam(q, "stdout"), stderr: boolParam(q, "stderr"), tty: boolParam(q, "tty") };
  if (!r.stdin && !r.stdout && !r.stderr) throw badRequest("you must specify at least 1 of stdin, stdout, stderr");
  if (r.tty && r.stderr) r.stderr = false; // a terminal merges stderr into stdout, as the kubelet does
  return r;
}

export class ExecServer {
  private readonly wss = new WebSocketServer({
    noServer: true,
    maxPayload: 16 << 20,
    handleProtocols: (offered) => PROTOCOLS.find((p) => offered.has(p)) ?? false,
  });
  private readonly sessions = new Set<WebSocket>();

  constructor(
    private readonly runtime: Runtime,
    private readonly lookup: PodLookup,
    private readonly log: Logger,
  ) {}

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, ns: string, pod: string, container: string, q: URLSearchParams): void {
    let request: ExecRequest;
    let id: string;
    try {
      request = parseExecQuery(q);
      const t = findTarget(this.lookup, ns, pod, container);
      const latest = t.attempts[0];
      if (!latest || latest.state !== "running") throw badRequest(`container ${container} is not running in pod ${pod}`);
      const offered = String(req.headers["sec-websocket-protocol"] ?? "").split(",").map((s) => s.trim());
      if (!PROTOCOLS.some((p) => offered.includes(p))) throw badRequest(`the exec WebSocket needs one of the subprotocols ${PROTOCOLS.join(", ")}`);
      id = latest.id;
    } catch (e) {
      refuseUpgrade(socket, e);
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => void this.session(ws, id, request));
  }

  private async session(ws: WebSocket, id: string, r: ExecRequest): Promise<void> {
    this.sessions.add(ws);
    const send = (ch: number, data: Buffer | string) => {
      if (ws.readyState === ws.OPEN) ws.send(frame(ch, data));
    };
    // Messages can arrive before the process exists (kubectl sends the terminal size at once): queue them.
    let proc: ExecProcess | undefined;
    const early: Buffer[] = [];
    let stdinOpen = r.stdin || r.tty;
    let finished = false;
    let clientGone = false;
    const handle = (msg: Buffer) => {
      if (!proc) return;
      const m = parseIncoming(msg);
      if (m.kind === "stdin" && stdinOpen) proc.stdin?.write(m.data);
      else if (m.kind === "resize") proc.resize(m.width, m.height);
      else if (m.kind === "close" && m.channel === STDIN && stdinOpen) {
        stdinOpen = false;
        proc.stdin?.end();
      }
    };
    let firstSize: { width: number; height: number } | undefined;
    let sizeArrived: (() => void) | undefined;
    ws.on("message", (data: Buffer, isBinary: boolean) => {
      const msg = isBinary ? data : Buffer.from(data);
      if (proc) return handle(msg);
      const m = parseIncoming(msg);
      if (m.kind === "resize" && !firstSize) {
        firstSize = m;
        sizeArrived?.();
      } else early.push(msg);
    });
    ws.on("close", () => {
      this.sessions.delete(ws);
      clientGone = true;
      if (!proc) return;
      if (stdinOpen) proc.stdin?.end();
      if (finished) return;
      const p = proc;
      p.kill("SIGTERM");
      setTimeout(() => {
        if (!finished) p.kill("SIGKILL");
      }, 2_000).unref();
    });

    if (r.tty && !firstSize) {
      // kubectl sends the terminal size right after connecting; start the terminal with it (a resize that
      // reaches the runtime before its terminal exists would be lost).
      await new Promise<void>((resolve) => {
        sizeArrived = resolve;
        setTimeout(resolve, INITIAL_SIZE_WAIT_MS).unref();
      });
    }
    try {
      const size = firstSize ? { cols: firstSize.width, rows: firstSize.height } : {};
      proc = await this.runtime.exec(id, { argv: r.argv, tty: r.tty, stdin: r.stdin, ...size });
    } catch (e) {
      const msg = isRuntimeError(e) ? e.message : (e as Error).message;
      send(ERROR, errorStatus(`error executing command in container: ${msg}`));
      ws.close(1000);
      return;
    }
    const outputs: Promise<void>[] = [];
    // runc's own "exec failed" line (the command never started) is not the command's output: it becomes the error.
    let startFailure: string | undefined;
    const forward = (stream: NodeJS.ReadableStream, ch: number | undefined) =>
      new Promise<void>((resolve) => {
        stream.on("data", (d: Buffer) => {
          if (ch === STDERR) {
            const failed = runcExecFailure(d.toString("utf8"));
            if (failed) return void (startFailure = failed);
          }
          if (ch !== undefined) send(ch, d);
        });
        stream.on("end", resolve);
        stream.on("error", () => resolve());
        stream.on("close", resolve);
      });
    outputs.push(forward(proc.stdout, r.stdout ? STDOUT : undefined));
    let helperErrors = "";
    if (r.tty) proc.stderr.on("data", (d: Buffer) => (helperErrors = (helperErrors + d.toString()).slice(-4096)));
    else outputs.push(forward(proc.stderr, r.stderr ? STDERR : undefined));
    for (const m of early.splice(0)) handle(m);
    if (clientGone) {
      proc.stdin?.end();
      proc.kill("SIGTERM");
    }

    const code = await proc.exitCode;
    finished = true;
    await Promise.race([Promise.all(outputs), new Promise((res) => setTimeout(res, 2_000))]);
    if (r.tty && helperErrors && code === 255) {
      startFailure ??= runcExecFailure(helperErrors);
      this.log.warn("exec helper reported", { id, stderr: helperErrors.trim() });
    }
    if (code === 255 && startFailure) send(ERROR, errorStatus(`error executing command in container: OCI runtime exec failed: ${startFailure}: unknown`));
    else send(ERROR, exitStatus(code));
    if (ws.readyState === ws.OPEN) ws.close(1000);
  }

  close(): void {
    for (const ws of this.sessions) ws.terminate();
    this.wss.close();
  }
}
