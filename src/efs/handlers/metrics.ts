/** GET /metrics: Prometheus text exposition of the service's registry. */
import type { Handler } from "./context.js";

export const metrics: Handler = async ({ parts }) => {
  const { contentType, body } = await parts.metrics.render();
  return { status: 200, headers: { "content-type": contentType }, body };
};
