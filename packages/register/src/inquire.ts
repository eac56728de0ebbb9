// XEP-0077 §3.1 Entity Registers with a Host: the inquiry (IQ-get) that lists the fields.
import { ProtocolError } from "@reguser/errors";
import { NS, parseRegistrationInfo, type RegistrationInfo } from "@reguser/protocol";
import type { IqOptions, XmppStream } from "@reguser/stream";
import xml from "@xmpp/xml";

/** The last inquiry per stream: `register` answers a form when the server offered only a form. */
const inquiries = new WeakMap<XmppStream, RegistrationInfo>();

/**
 * XEP-0077 §3.1: ask the server which fields registration needs (an IQ-get of `jabber:iq:register`) and return them
 * with its instructions, `registered`, a data form or an OOB URL. `register` on the same stream then answers in the
 * form the server offered.
 */
export async function inquire(stream: XmppStream, options: IqOptions = {}): Promise<RegistrationInfo> {
  const reply = await stream.request(xml("iq", { type: "get" }, xml("query", { xmlns: NS.register })), options);
  const query = reply.getChild("query", NS.register);
  if (!query) throw new ProtocolError("The registration inquiry's result carries no jabber:iq:register query");
  const info = parseRegistrationInfo(query);
  inquiries.set(stream, info);
  return info;
}

/** The result of the last `inquire` on `stream`, if there was one. */
export function lastInquiry(stream: XmppStream): RegistrationInfo | undefined {
  return inquiries.get(stream);
}
