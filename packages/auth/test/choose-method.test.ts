import { AuthMethodUnavailableError, ProtocolError } from "@reguser/errors";
import { describe, expect, it } from "vitest";
import { chooseMethod, offeredMethods } from "../src/index.js";

const offer = (over: object = {}) => ({ plain: true, digest: true, resource: true, ...over });
const zk = { sequence: 496, token: "3B2DEEC0" };

describe("chooseMethod", () => {
  it("auto picks 0k, then digest, then plaintext", () => {
    expect(chooseMethod(offer({ zeroKnowledge: zk }))).toBe("0k");
    expect(chooseMethod(offer())).toBe("digest");
    expect(chooseMethod(offer({ digest: false }))).toBe("plain");
  });

  it("never picks a method that was not offered", () => {
    const err = (() => {
      try {
        chooseMethod(offer({ digest: false }), "digest");
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(AuthMethodUnavailableError);
    expect(err).toMatchObject({ method: "digest", offered: ["plain"] });
    expect(() => chooseMethod(offer(), "0k")).toThrow(AuthMethodUnavailableError);
    expect(() => chooseMethod(offer({ plain: false, digest: false }))).toThrow(/offered: none/);
  });

  it("refuses a broken zero-knowledge offer instead of hiding it behind another method", () => {
    const broken = offer({ zeroKnowledgeProblem: "the server sent an invalid zero-knowledge sequence '-4'" });
    expect(() => chooseMethod(broken)).toThrow(ProtocolError);
    expect(() => chooseMethod(broken, "0k")).toThrow(/invalid zero-knowledge sequence/);
    expect(chooseMethod(broken, "plain")).toBe("plain");
  });

  it("lists what is offered in strength order", () => {
    expect(offeredMethods(offer({ zeroKnowledge: zk }))).toEqual(["0k", "digest", "plain"]);
  });
});
