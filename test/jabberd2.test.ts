import { bulkSuite } from "./support/bulk-suite.js";
import { coreSuite } from "./support/core-suite.js";
import { describeTarget } from "./support/describe-target.js";
import { jabberd2 } from "./support/real-targets.js";

describeTarget(jabberd2, (target) => {
  coreSuite(target);
  bulkSuite(target, { losesPipelinedReplies: true });
});
