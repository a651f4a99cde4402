/** What the runtime's parts share: the stores, runc, the shim binary and a logger. */
import type { Logger } from "../../lib/log.js";
import type { ContainerStore } from "./container-store.js";
import type { Images } from "./images.js";
import type { Runc } from "./runc.js";

export interface RuntimeContext {
  store: ContainerStore;
  images: Images;
  runc: Runc;
  shimPath: string;
  log: Logger;
}
