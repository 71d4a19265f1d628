// A warning of the package as the Rust validator serializes its `Warning` (snake_case names,
// `check` only for semantic ones), for the programs that tests/tests/interop compares with Rust.
import type { WebhookWarning } from "trtc-live-webhooks";

export function warningAsRust(warning: WebhookWarning): object {
  return {
    kind: warning.kind,
    ...(warning.check === undefined ? {} : { check: warning.check }),
    instance_path: warning.instancePath,
    message: warning.message,
  };
}
