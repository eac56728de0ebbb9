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
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
    setupFiles: ["./test/setup/no-unhandled.ts"],
  },
});
