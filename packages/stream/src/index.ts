export { openStream } from "./open-stream.js";
export type { OpenStreamOptions, TlsMode } from "./options.js";
export { XmlReader, type XmlReaderEvents } from "./xml-reader.js";
export { type StreamSettings, XmppStream } from "./xmpp-stream.js";
