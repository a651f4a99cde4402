/**
 * Child-process entry for crash tests: run every controller against the cluster in the given
 * kubeconfig until killed (SIGTERM stops cleanly; SIGKILL or a failpoint exit is the crash).
 *   node --import tsx run-controllers.ts <kubeconfig> [workers] [resyncMs]
 */
import { startControllers } from "../../../src/controllers/index.js";

const [kubeconfig, workers, resync] = process.argv.slice(2);
const running = await startControllers({ kubeconfig, workers: Number(workers ?? 16), resyncMs: Number(resync ?? 2000) });
process.stdout.write("controllers ready\n");
process.on("SIGTERM", () => {
  void running.stop().then(() => process.exit(0));
});
