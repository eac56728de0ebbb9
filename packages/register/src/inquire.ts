// XEP-0077 §3.1 Entity Registers with a Host: the inquiry (IQ-get) that lists the fields.
import type { IqOptions, IqSession } from "@reguser/iq";
import { NS, parseRegistrationInfo, type RegistrationInfo } from "@reguser/protocol";
import xml from "@xmpp/xml";

/**
 * XEP-0077 §3.1: ask the server which fields registration needs (an IQ-get of `jabber:iq:register`) and return them
 * with its instructions, `registered`, a data form or an OOB URL. Pass the result to `register` as `{ inquiry }`
 * so that it answers in the form the server offered.
 */
export async function inquire(session: IqSession, options: IqOptions = {}): Promise<RegistrationInfo> {
  return parseRegistrationInfo(await session.get(xml("query", { xmlns: NS.register }), options));
}
