// The two plugins' reply codecs on their own: User Service text replies, the REST API's error entity in JSON and XML.
import { describe, expect, it } from "vitest";
import { parseErrorEntity, parseUserServiceReply } from "../src/index.js";

describe("parseUserServiceReply (replyMessage/replyError print one element and a newline)", () => {
  it.each([
    ["<result>ok</result>\n", { ok: true, result: "ok" }],
    ["<result>OK</result>", { ok: true, result: "OK" }],
    ['<?xml version="1.0"?>\r\n<result>ok</result>\r\n', { ok: true, result: "ok" }],
    ["<result><groupname>a&b</groupname></result>\n", { ok: true, result: "<groupname>a&b</groupname>" }],
    ["<error>UserNotFoundException</error>\n", { ok: false, error: "UserNotFoundException" }],
    [
      "<error>java.lang.NullPointerException: x < y</error>\n",
      { ok: false, error: "java.lang.NullPointerException: x < y" },
    ],
  ])("%j", (body, expected) => {
    expect(parseUserServiceReply(body)).toEqual(expected);
  });

  it.each(["", "\n", "ok", "<html><body>login</body></html>", "<result>ok</error>"])("not a reply: %j", (body) => {
    expect(parseUserServiceReply(body)).toBeUndefined();
  });
});

describe("parseErrorEntity (ErrorResponse.java through Jackson or JAXB)", () => {
  const entity = { resource: "jeanluc", message: "Could not get user", exception: "UserNotFoundException" };

  it("reads the JSON entity", () => {
    expect(parseErrorEntity(JSON.stringify(entity), "application/json")).toEqual(entity);
  });

  it("reads the XML entity, entities decoded", () => {
    const xml =
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><error><resource>a&amp;b</resource>' +
      "<message>Could not get user</message><exception>UserNotFoundException</exception></error>";
    expect(parseErrorEntity(xml, "application/xml")).toEqual({ ...entity, resource: "a&b" });
  });

  it.each([
    ["<html>401</html>", "text/html"],
    ["not json", "application/json"],
    ["[]", "application/json"],
    ['{"status":"error"}', "application/json"],
    ["", ""],
  ])("no entity in %j (%s)", (body, type) => {
    expect(parseErrorEntity(body, type)).toBeUndefined();
  });
});
