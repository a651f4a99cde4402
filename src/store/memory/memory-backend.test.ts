import * as vitest from "vitest";
import { backendConformance } from "../conformance.js";
import { MemoryBackend } from "./memory-backend.js";

backendConformance(vitest, "memory", { open: async () => new MemoryBackend(), contiguousRevisions: true });
