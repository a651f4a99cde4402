/** Prometheus metrics of the API server (request counts and latencies), as apiserver_request_*. */
import type { ServerResponse } from "node:http";
import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";

export class ApiMetrics {
  readonly registry = new Registry();
  private requests = new Counter({ name: "apiserver_request_total", help: "Requests by verb, resource and HTTP code.", labelNames: ["verb", "resource", "code"], registers: [this.registry] });
  private latency = new Histogram({
    name: "apiserver_request_duration_seconds", help: "Request latency by verb and resource (watches excluded).", labelNames: ["verb", "resource"],
    buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5], registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: "cistern_apiserver_" });
  }

  observe(verb: string, resource: string, code: number, seconds: number): void {
    this.requests.inc({ verb, resource, code: String(code) });
    if (verb !== "watch") this.latency.observe({ verb, resource }, seconds);
  }

  async serve(res: ServerResponse): Promise<void> {
    const body = await this.registry.metrics();
    res.writeHead(200, { "Content-Type": this.registry.contentType });
    res.end(body);
  }
}
