import { defineConfig } from "vitest/config";

// Tests run against src/ through the "@reguser/source" export condition: no build needed.
const conditions = ["@reguser/source"];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          sequence: { groupOrder: 0 },
          // Guards against a hang, nothing more: a slow, busy machine must never trip them.
          testTimeout: 30_000,
          hookTimeout: 60_000,
          include: ["packages/*/src/**/*.test.ts", "packages/*/test/**/*.test.ts", "examples/**/*.test.ts"],
        },
      },
      {
        extends: true,
        test: {
          name: "servers",
          // After the unit tests, with its own worker limit.
          sequence: { groupOrder: 1 },
          include: ["test/**/*.test.ts"],
          // Each file starts its own real servers: keep the load within two cores.
          maxWorkers: 2,
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
    setupFiles: ["./test/setup/no-unhandled.ts"],
  },
});
