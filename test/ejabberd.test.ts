import { bulkSuite } from "./support/bulk-suite.js";
import { coreSuite } from "./support/core-suite.js";
import { describeTarget } from "./support/describe-target.js";
import { ejabberd } from "./support/real-targets.js";

describeTarget(ejabberd, (target) => {
  coreSuite(target);
  bulkSuite(target, { losesPipelinedReplies: false });
});
