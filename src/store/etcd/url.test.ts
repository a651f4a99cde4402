import { describe, expect, it } from "vitest";
import { parseEtcdUrl } from "./url.js";

describe("parseEtcdUrl", () => {
  it("reads endpoints (default port 2379, IPv6 in brackets), prefix and the default prefix", () => {
    expect(parseEtcdUrl("etcd://10.0.0.1:2379,etcd-b,[::1]:23790")).toEqual({
      endpoints: ["10.0.0.1:2379", "etcd-b:2379", "[::1]:23790"],
      prefix: "/cistern",
      tls: false,
    });
    expect(parseEtcdUrl("etcd://h:1/?prefix=%2Fteam%2Fa").prefix).toBe("/team/a");
    expect(parseEtcdUrl("etcd://h?prefix=").prefix).toBe("");
  });

  it("turns TLS on for etcds:// or any TLS file, and needs cert and key together", () => {
    expect(parseEtcdUrl("etcds://h").tls).toBe(true);
    expect(parseEtcdUrl("etcd://h?cacert=/etc/ca.pem")).toMatchObject({ tls: true, caFile: "/etc/ca.pem" });
    expect(parseEtcdUrl("etcd://h?cert=c.pem&key=k.pem")).toMatchObject({ tls: true, certFile: "c.pem", keyFile: "k.pem" });
    expect(() => parseEtcdUrl("etcd://h?cert=c.pem")).toThrow(/cert and key must be given together/);
    expect(() => parseEtcdUrl("etcd://h?cacert=")).toThrow(/needs a file path/);
  });

  it("parses timeouts in ms or s", () => {
    expect(parseEtcdUrl("etcd://h?dial-timeout=2s&request-timeout=750ms")).toMatchObject({ dialTimeoutMs: 2000, requestTimeoutMs: 750 });
    expect(parseEtcdUrl("etcd://h?dial-timeout=300").dialTimeoutMs).toBe(300);
    expect(() => parseEtcdUrl("etcd://h?dial-timeout=soon")).toThrow(/milliseconds/);
  });

  it("refuses malformed URLs with a message naming the problem", () => {
    expect(() => parseEtcdUrl("etcd://")).toThrow(/empty endpoint/);
    expect(() => parseEtcdUrl("etcd://a,,b")).toThrow(/empty endpoint/);
    expect(() => parseEtcdUrl("etcd://h:99999")).toThrow(/out of range/);
    expect(() => parseEtcdUrl("etcd://bad_host")).toThrow(/not a host/);
    expect(() => parseEtcdUrl("etcd://h/path")).toThrow(/is not etcd:\/\//);
    expect(() => parseEtcdUrl("etcd://h?x=1")).toThrow(/unknown parameter "x"/);
    expect(() => parseEtcdUrl("etcd://h?prefix=%E0")).toThrow(/percent-escape/);
  });
});
