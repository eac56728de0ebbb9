// The bridge under load, alone in its process so its RSS is its own: started by bench/web-bridge.ts with the
// options as JSON in argv[2]; prints `listening PORT`, then serves until SIGTERM.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createWebBridge, type WebBridgeOptions } from "@reguser/web-bridge";

const options = JSON.parse(process.argv[2] ?? "{}") as WebBridgeOptions;
const bridge = createWebBridge({
  ...options,
  // Why sessions end early, on stderr: the bench reads it when streams go missing. The bench's own close ends
  // every session with "shutdown", which says nothing.
  log: (event) =>
    event.type === "session_ended" && event.detail !== "shutdown" && process.stderr.write(`${JSON.stringify(event)}\n`),
});
const server = http.createServer({ requestTimeout: 0 }, bridge.handle);
server.maxConnections = 5000;
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`);
process.once("SIGTERM", async () => {
  server.close();
  await bridge.close();
  server.closeAllConnections();
  process.exit(0);
});
