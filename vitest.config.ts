import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    // e2e suites start real servers, runc containers and mounts; keep them from starving each other on 2 cores.
    maxConcurrency: 4,
    reporters: process.env.CI ? ["verbose"] : ["default"],
  },
});
