// The core and bulk suites over WebSocket (RFC 7395): the embedded server, ejabberd (ejabberd_http_ws at /ws) and
// Prosody (mod_websocket), each streams' every operation as over TCP.
import { bulkSuite } from "./support/bulk-suite.js";
import { coreSuite } from "./support/core-suite.js";
import { describeTarget } from "./support/describe-target.js";
import { embedded } from "./support/embedded-target.js";
import { ejabberd, prosody } from "./support/real-targets.js";
import { overWebSocket } from "./support/target.js";

for (const target of [embedded, ejabberd, prosody].map(overWebSocket)) {
  describeTarget(target, (t) => {
    coreSuite(t);
    bulkSuite(t, { losesPipelinedReplies: false });
  });
}
