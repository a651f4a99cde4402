/**
 * The etcd store URL:
 *   etcd://host:2379,host:2379[/]?prefix=/cistern&cacert=ca.pem&cert=client.pem&key=client-key.pem
 *   etcds://host:2379          TLS with the system's CAs (or `cacert`)
 * A host without a port uses 2379; IPv6 literals are bracketed ([::1]:2379). Any of cacert, cert
 * or key turns TLS on; cert and key go together. Files are read at open. `dial-timeout` and
 * `request-timeout` take milliseconds or a number with "ms"/"s".
 */

export interface EtcdUrl {
  /** "host:port" entries, in the order given. */
  endpoints: string[];
  prefix: string;
  tls: boolean;
  caFile?: string;
  certFile?: string;
  keyFile?: string;
  dialTimeoutMs?: number;
  requestTimeoutMs?: number;
}

const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])$/;

export function parseEtcdUrl(url: string): EtcdUrl {
  const m = /^(etcds?):\/\/([^/?#]*)\/?(?:\?([^#]*))?$/i.exec(url);
  if (!m) throw new Error(`store URL ${JSON.stringify(url)} is not etcd://host:port[,host:port…][?prefix=…]`);
  const [, scheme, hostList, query = ""] = m;
  const endpoints = hostList.split(",").map((h) => parseEndpoint(h, url));
  const out: EtcdUrl = { endpoints, prefix: "/cistern", tls: scheme.toLowerCase() === "etcds" };
  for (const part of query.split("&").filter((p) => p.length > 0)) {
    const eq = part.indexOf("=");
    const name = eq < 0 ? part : part.slice(0, eq);
    const value = decode(eq < 0 ? "" : part.slice(eq + 1), url);
    switch (name) {
      case "prefix":
        out.prefix = value;
        break;
      case "cacert":
      case "cert":
      case "key": {
        if (value.length === 0 || value.includes("\u0000")) throw new Error(`store URL ${url}: ${name} needs a file path`);
        if (name === "cacert") out.caFile = value;
        else if (name === "cert") out.certFile = value;
        else out.keyFile = value;
        out.tls = true;
        break;
      }
      case "dial-timeout":
        out.dialTimeoutMs = parseDuration(value, name, url);
        break;
      case "request-timeout":
        out.requestTimeoutMs = parseDuration(value, name, url);
        break;
      default:
        throw new Error(`store URL ${url}: unknown parameter ${JSON.stringify(name)} (known: prefix, cacert, cert, key, dial-timeout, request-timeout)`);
    }
  }
  if ((out.certFile === undefined) !== (out.keyFile === undefined)) {
    throw new Error(`store URL ${url}: cert and key must be given together`);
  }
  return out;
}

function parseEndpoint(raw: string, url: string): string {
  if (raw.length === 0) throw new Error(`store URL ${url} names an empty endpoint`);
  const m = /^(.*?)(?::(\d{1,5}))?$/.exec(raw);
  const host = m?.[1] ?? "";
  const port = m?.[2] === undefined ? 2379 : Number(m[2]);
  if (!HOST.test(host)) throw new Error(`store URL ${url}: ${JSON.stringify(raw)} is not a host[:port]`);
  if (port < 1 || port > 65535) throw new Error(`store URL ${url}: port ${port} is out of range`);
  return `${host}:${port}`;
}

function decode(s: string, url: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, " "));
  } catch {
    throw new Error(`store URL ${url} has a malformed percent-escape`);
  }
}

function parseDuration(value: string, name: string, url: string): number {
  const m = /^(\d+)(ms|s)?$/.exec(value);
  if (!m) throw new Error(`store URL ${url}: ${name} must be milliseconds, "500ms" or "5s"`);
  const n = Number(m[1]) * (m[2] === "s" ? 1000 : 1);
  if (n < 1 || n > 3_600_000) throw new Error(`store URL ${url}: ${name} must be 1 ms .. 1 h`);
  return n;
}
