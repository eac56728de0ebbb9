// xmpp.js ships no types and this program does not install @types/xmpp__client: it declares the one function it
// calls, typed with @reguser/xmppjs's own interfaces.
declare module "@xmpp/client" {
  import type { CredentialsCallback, XmppClient } from "@reguser/xmppjs";

  export interface Options {
    service: string;
    domain: string;
    resource?: string;
    credentials?: CredentialsCallback;
  }

  export function client(options: Options): XmppClient;
}
