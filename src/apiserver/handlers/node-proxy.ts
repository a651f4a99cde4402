/**
 * pods/log, pods/exec and nodes/proxy: the API server forwards these to the node agent running
 * the pod (its kubelet API), authenticating with a client certificate signed by the cluster CA.
 * As upstream by default, the node's serving certificate is not verified. An upgrade the node
 * does not accept with 101 is never left open (CVE-2018-1002105).
 */
import https from "node:https";
import tls from "node:tls";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { KubeObject, ResourceTraits } from "../../api/types.js";
import { badRequest, StatusError } from "../../api/status.js";
import type { RegistryContext } from "../registry/context.js";
import { findResource } from "../registry/context.js";
import { getObject } from "../registry/read.js";
import { parseRequestInfo } from "../http/request-info.js";
import type { SubresourceHandler } from "./resource.js";
import type { UserInfo } from "../registry/admission.js";

export interface KubeletClientConfig {
  cert: string;
  key: string;
}

interface Endpoint {
  host: string;
  port: number;
}

interface PodLike extends KubeObject {
  spec?: { nodeName?: string; containers?: { name: string }[]; initContainers?: { name: string }[]; ephemeralContainers?: { name: string }[] };
  status?: { phase?: string };
}

async function nodeEndpoint(reg: RegistryContext, nodeName: string): Promise<Endpoint> {
  const node = (await getObject(reg, findResource(reg, "", "nodes"), undefined, nodeName)) as KubeObject & {
    status?: { addresses?: { type: string; address: string }[]; daemonEndpoints?: { kubeletEndpoint?: { Port?: number } } };
  };
  const addrs = node.status?.addresses ?? [];
  const host = addrs.find((a) => a.type === "InternalIP")?.address ?? addrs.find((a) => a.type === "Hostname")?.address;
  const port = node.status?.daemonEndpoints?.kubeletEndpoint?.Port;
  if (!host || !port) throw new StatusError(503, "ServiceUnavailable", `node "${nodeName}" has no kubelet endpoint`);
  return { host, port };
}

/** Upstream's container choice and messages (pod strategy's LogLocation/ExecLocation). */
function chooseContainer(pod: PodLike, requested: string | null): string {
  const all = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? []), ...(pod.spec?.ephemeralContainers ?? [])].map((c) => c.name);
  const name = pod.metadata.name!;
  if (!requested) {
    const main = pod.spec?.containers ?? [];
    const dflt = pod.metadata.annotations?.["kubectl.kubernetes.io/default-container"];
    if (dflt && all.includes(dflt)) return dflt;
    if (main.length === 1) return main[0].name;
    throw badRequest(`a container name must be specified for pod ${name}, choose one of: [${main.map((c) => c.name).join(" ")}]`);
  }
  if (!all.includes(requested)) throw badRequest(`container ${requested} is not valid for pod ${name}`);
  return requested;
}

async function podTarget(reg: RegistryContext, ns: string, name: string, container: string | null): Promise<{ endpoint: Endpoint; container: string }> {
  const pod = (await getObject(reg, findResource(reg, "", "pods"), ns, name)) as PodLike;
  const c = chooseContainer(pod, container);
  const nodeName = pod.spec?.nodeName;
  if (!nodeName) throw badRequest(`pod ${name} does not have a host assigned`);
  return { endpoint: await nodeEndpoint(reg, nodeName), container: c };
}

function forwardGet(res: ServerResponse, endpoint: Endpoint, path: string, client: KubeletClientConfig, accept?: string): Promise<void> {
  return new Promise((resolve) => {
    const req = https.request({
      host: endpoint.host, port: endpoint.port, path, method: "GET", cert: client.cert, key: client.key, rejectUnauthorized: false, agent: false,
      headers: accept ? { Accept: accept } : {},
    }, (up) => {
      const headers: Record<string, string | string[]> = {};
      for (const h of ["content-type", "content-length", "transfer-encoding"]) if (up.headers[h]) headers[h] = up.headers[h] as string;
      res.writeHead(up.statusCode ?? 502, headers);
      up.pipe(res);
      up.on("end", resolve);
      up.on("error", () => resolve());
      res.on("close", () => up.destroy());
    });
    req.on("error", (e) => {
      if (!res.headersSent) {
        const s = new StatusError(502, "InternalError", `error dialing node: ${e.message}`).toStatus();
        res.writeHead(502, { "Content-Type": "application/json" });
        res.end(JSON.stringify(s));
      } else res.end();
      resolve();
    });
    req.end();
  });
}

const LOG_PARAMS = ["follow", "tailLines", "timestamps", "previous", "sinceSeconds", "sinceTime", "limitBytes", "insecureSkipTLSVerifyBackend"];

export function podLogHandler(reg: RegistryContext, client: KubeletClientConfig): SubresourceHandler {
  return async (req, res, info, _t, _user, query) => {
    if ((req.method ?? "GET").toUpperCase() !== "GET") throw new StatusError(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
    const { endpoint, container } = await podTarget(reg, info.namespace, info.name, query.get("container"));
    const q = new URLSearchParams();
    for (const p of LOG_PARAMS) for (const v of query.getAll(p)) q.append(p, v);
    const path = `/containerLogs/${encodeURIComponent(info.namespace)}/${encodeURIComponent(info.name)}/${encodeURIComponent(container)}${q.size ? "?" + q : ""}`;
    await forwardGet(res, endpoint, path, client);
  };
}

export function nodeProxyHandler(reg: RegistryContext, client: KubeletClientConfig): SubresourceHandler {
  return async (req, res, info, _t, _user, query) => {
    if ((req.method ?? "GET").toUpperCase() !== "GET") throw new StatusError(405, "MethodNotAllowed", "only GET is proxied to nodes");
    const endpoint = await nodeEndpoint(reg, info.name);
    const rest = info.rest.map(encodeURIComponent).join("/");
    const path = `/${rest}${query.size ? "?" + query : ""}`;
    await forwardGet(res, endpoint, path, client, req.headers.accept);
  };
}

const EXEC_PARAMS = ["command", "stdin", "stdout", "stderr", "tty"];

/**
 * WebSocket upgrade for pods/exec (and attach): the upgrade request is replayed to the node;
 * only a 101 from the node is relayed, after which both sockets are piped.
 */
export function execUpgradeHandler(reg: RegistryContext, client: KubeletClientConfig, authorize?: (user: UserInfo, verb: string, t: ResourceTraits, ns: string, name: string, sub: string) => Promise<void>) {
  return (req: IncomingMessage, socket: Socket, head: Buffer, user: UserInfo): boolean => {
    const url = new URL(req.url ?? "/", "https://localhost");
    const info = parseRequestInfo("GET", url.pathname, url.searchParams);
    if (!info.isResourceRequest || info.resource !== "pods" || (info.subresource !== "exec" && info.subresource !== "attach") || !info.name) return false;
    const fail = (e: unknown) => {
      const s = e instanceof StatusError ? e : new StatusError(500, "InternalError", (e as Error).message);
      const body = JSON.stringify(s.toStatus());
      socket.end(`HTTP/1.1 ${s.code} ${s.reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    };
    void (async () => {
      const pods = findResource(reg, "", "pods");
      if (authorize) await authorize(user, "create", pods, info.namespace, info.name, info.subresource);
      const { endpoint, container } = await podTarget(reg, info.namespace, info.name, url.searchParams.get("container"));
      const q = new URLSearchParams();
      for (const p of EXEC_PARAMS) for (const v of url.searchParams.getAll(p)) q.append(p, v);
      const path = `/${info.subresource}/${encodeURIComponent(info.namespace)}/${encodeURIComponent(info.name)}/${encodeURIComponent(container)}?${q}`;
      const up = tls.connect({ host: endpoint.host, port: endpoint.port, cert: client.cert, key: client.key, rejectUnauthorized: false, servername: undefined });
      const headerNames = ["sec-websocket-key", "sec-websocket-version", "sec-websocket-protocol", "sec-websocket-extensions"];
      let reqHead = `GET ${path} HTTP/1.1\r\nHost: ${endpoint.host}:${endpoint.port}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n`;
      for (const h of headerNames) if (req.headers[h]) reqHead += `${h}: ${req.headers[h]}\r\n`;
      reqHead += "\r\n";
      up.once("secureConnect", () => up.write(reqHead));
      up.once("error", (e) => fail(new StatusError(502, "InternalError", `error dialing node: ${e.message}`)));
      let buf = Buffer.alloc(0);
      const onData = (d: Buffer) => {
        buf = Buffer.concat([buf, d]);
        const end = buf.indexOf("\r\n\r\n");
        if (end < 0) {
          if (buf.length > 64 * 1024) {
            up.destroy();
            fail(new StatusError(502, "InternalError", "node sent an oversized response head"));
          }
          return;
        }
        up.off("data", onData);
        const headText = buf.subarray(0, end + 4);
        const rest = buf.subarray(end + 4);
        if (!/^HTTP\/1\.1 101 /.test(headText.toString("latin1"))) {
          // Relay the refusal as a response and close both sides: never keep a half-upgraded tunnel.
          socket.end(Buffer.concat([headText, rest]));
          up.destroy();
          return;
        }
        socket.write(headText);
        if (rest.length) socket.write(rest);
        if (head.length) up.write(head);
        socket.pipe(up);
        up.pipe(socket);
        socket.on("error", () => up.destroy());
        up.on("error", () => socket.destroy());
        socket.on("close", () => up.destroy());
        up.on("close", () => socket.destroy());
      };
      up.on("data", onData);
    })().catch(fail);
    return true;
  };
}
