// A registration refused for now (type `wait`) becomes a RegistrationThrottledError naming the server's setting.
import { ConflictError, PolicyViolationError, ResourceConstraintError, StanzaError } from "@reguser/errors";
import { describe, expect, it } from "vitest";
import { asThrottle, isThrottle, RegistrationThrottledError } from "../src/index.js";

const ejabberd = () =>
  new ResourceConstraintError({ type: "wait", text: "Users are not allowed to register accounts so quickly" });
const prosody = () =>
  new PolicyViolationError({ type: "wait", text: "Too many registrations from this IP address recently" });

describe("asThrottle", () => {
  it("keeps the server's condition, code, type and text, and the refusal as the cause", () => {
    const refusal = ejabberd();
    const err = asThrottle(refusal) as RegistrationThrottledError;
    expect(err).toBeInstanceOf(RegistrationThrottledError);
    expect(err).toBeInstanceOf(StanzaError);
    expect(err).toMatchObject({ condition: "resource-constraint", code: refusal.code, type: "wait" });
    expect(err.text).toBe(refusal.text);
    expect(err.cause).toBe(refusal);
  });

  it("names ejabberd's registration_timeout and Prosody's throttle settings, and the admin path", () => {
    const e = asThrottle(ejabberd()) as RegistrationThrottledError;
    expect(e.server).toBe("ejabberd");
    expect(e.message).toMatch(/registration_timeout/);
    const p = asThrottle(prosody()) as RegistrationThrottledError;
    expect(p.server).toBe("prosody");
    expect(p.message).toMatch(/registration_throttle_max.*min_seconds_between_registrations.*registration_allowlist/);
    for (const err of [e, p]) expect(err.hint).toMatch(/admin path/);
  });

  it("says what it can for a server it does not know", () => {
    const err = asThrottle(
      new ResourceConstraintError({ type: "wait", text: "Slow down" }),
    ) as RegistrationThrottledError;
    expect(err.server).toBeUndefined();
    expect(err.setting).toBeUndefined();
    expect(err.message).toMatch(/^Slow down \(500 resource-constraint\): the server's registration throttle: wait, or/);
  });

  it("leaves alone what is not a wait, and does not wrap twice", () => {
    const conflict = new ConflictError();
    expect(asThrottle(conflict)).toBe(conflict);
    expect(isThrottle(conflict)).toBe(false);
    const policy = new PolicyViolationError({ type: "modify", text: "Encryption is required" });
    expect(asThrottle(policy)).toBe(policy);
    const once = asThrottle(prosody());
    expect(asThrottle(once)).toBe(once);
    expect(isThrottle(prosody())).toBe(true);
  });
});
