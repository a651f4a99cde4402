import { etcdConformance } from "./conformance-harness.js";

// Revisions with gaps inside every test, as on an etcd other clients write to.
etcdConformance(1, { otherWriter: true });
