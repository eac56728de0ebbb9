// XEP-0092 Software Version, before a login too: a client (`reguser doctor`) can tell which server this is.
import xml from "@xmpp/xml";
import type { IqHandler } from "../context.js";

/** What this server calls itself. */
export const SOFTWARE_NAME = "reguser-server";

/** The `jabber:iq:version` result: this package's name and version, no OS (XEP-0092 §3 makes it optional). */
export function softwareVersion(version: string): IqHandler {
  return ({ query }) =>
    xml("query", { xmlns: query.attrs.xmlns }, xml("name", {}, SOFTWARE_NAME), xml("version", {}, version));
}
