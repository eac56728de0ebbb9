import { bulkSuite } from "./support/bulk-suite.js";
import { coreSuite } from "./support/core-suite.js";
import { describeTarget } from "./support/describe-target.js";
import { embedded } from "./support/embedded-target.js";

describeTarget(embedded, (target) => {
  coreSuite(target);
  bulkSuite(target, { losesPipelinedReplies: false });
});
