// Invite URIs (XEP-0379/0401) as servers hand them out, and the <preauth/> a client sends (XEP-0445).
import { InvalidOptionError } from "@reguser/errors";
import { describe, expect, it } from "vitest";
import { buildPreauth, parseInviteUri } from "../src/index.js";

describe("parseInviteUri", () => {
  it("reads an account invite, with or without a fixed name", () => {
    expect(parseInviteUri("xmpp:example.com?register;preauth=T0k3n")).toEqual({
      uri: "xmpp:example.com?register;preauth=T0k3n",
      domain: "example.com",
      username: undefined,
      token: "T0k3n",
      action: "register",
      registration: true,
      inviter: undefined,
    });
    expect(parseInviteUri("xmpp:juliet@example.com?register;preauth=abc")).toMatchObject({
      domain: "example.com",
      username: "juliet",
      token: "abc",
    });
  });

  it("reads a roster invite: the JID is the inviter's, registration only with ibr=y", () => {
    expect(parseInviteUri("xmpp:romeo@example.com?roster;preauth=xyz;ibr=y")).toMatchObject({
      action: "roster",
      username: undefined,
      inviter: "romeo@example.com",
      registration: true,
    });
    expect(parseInviteUri("xmpp:romeo@example.com?roster;preauth=xyz").registration).toBe(false);
  });

  it("decodes percent-encoding and ignores an authority and a fragment", () => {
    expect(parseInviteUri("xmpp://me@example.com/j%C3%BCrgen@example.com?register;preauth=a%2Bb#x")).toMatchObject({
      username: "jürgen",
      domain: "example.com",
      token: "a+b",
    });
  });

  it.each([
    ["http://example.com/?register;preauth=t", /not an xmpp: URI/],
    ["xmpp:example.com", /without a query/],
    ["xmpp:example.com?message;body=hi", /the action is 'message'/],
    ["xmpp:example.com?register", /no preauth token/],
    ["xmpp:?register;preauth=t", /no domain/],
    ["xmpp:example.com?register;preauth=%E0%A4%A", /malformed percent-encoding/],
  ])("refuses %s with an InvalidOptionError that names what is wrong", (uri, why) => {
    const err = (() => {
      try {
        parseInviteUri(uri);
      } catch (e) {
        return e;
      }
    })() as InvalidOptionError;
    expect(err).toBeInstanceOf(InvalidOptionError);
    expect(err.message).toMatch(why);
  });
});

describe("buildPreauth", () => {
  it("is the XEP-0379 element with the token as an attribute", () => {
    expect(buildPreauth("t&k").toString()).toBe('<preauth xmlns="urn:xmpp:pars:0" token="t&amp;k"/>');
  });
});
