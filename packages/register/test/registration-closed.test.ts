// Which refusals mean "in-band registration is off" (an admin path may help) and which are about the account.
import {
  BadRequestError,
  ConflictError,
  createStanzaError,
  FeatureNotImplementedError,
  ForbiddenError,
  NotAcceptableError,
  NotAllowedError,
  NotAuthorizedError,
  ResourceConstraintError,
  ServiceUnavailableError,
  TimeoutError,
} from "@reguser/errors";
import { describe, expect, it } from "vitest";
import { isRegistrationClosed } from "../src/index.js";

describe("isRegistrationClosed", () => {
  it.each([
    ["Prosody's 503", new ServiceUnavailableError()],
    ["ejabberd's 403", new ForbiddenError()],
    ["jabberd2's code-only 405", createStanzaError({ condition: "not-allowed", code: 405 })],
    ["a 501", new FeatureNotImplementedError()],
    ["not-allowed", new NotAllowedError()],
  ])("%s means closed", (_, err) => {
    expect(isRegistrationClosed(err)).toBe(true);
  });

  it.each([
    ["a taken name", new ConflictError()],
    ["a missing field", new NotAcceptableError()],
    ["a bad request", new BadRequestError()],
    ["a throttle", new ResourceConstraintError()],
    ["a wrong password", new NotAuthorizedError()],
    ["a timeout", new TimeoutError("registration", 10)],
    ["a plain Error", new Error("service-unavailable")],
    ["a string", "forbidden"],
  ])("%s does not", (_, err) => {
    expect(isRegistrationClosed(err)).toBe(false);
  });
});
