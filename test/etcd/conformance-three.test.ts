import { etcdConformance } from "./conformance-harness.js";

etcdConformance(3);
