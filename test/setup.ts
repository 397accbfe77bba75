import "cdktf/lib/testing/adapters/jest";
import { Testing } from "cdktf";

Testing.setupJest();

// The AWS SDK notes that releases after January 2027 need Node 22 (README, Quickstart); not news in test output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
