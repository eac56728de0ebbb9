// The jabberd-era zero-knowledge registration (docs/servers.md#side-by-side, mod_auth_0k): where the inquiry shows
// an empty <hash/>, the client sends the top of a hash chain with its token and sequence instead of a password, so the
// plaintext never crosses the wire. No server shipped today offers it; the embedded server does.
import { InvalidOptionError } from "@reguser/errors";
import { buildRegistrationRequest, type RegistrationInfo, randomHex, zeroKnowledgeHash } from "@reguser/protocol";
import type { Element } from "@xmpp/xml";

/** The chain a zero-knowledge registration sets up; both parts default as jabberd's did. */
export interface ZeroKnowledgeChain {
  /** Logins the chain allows before the password must be set again. Default 500 (jabberd's). */
  sequence?: number | undefined;
  /** The chain's salt. Default: 8 random hex digits (jabberd used the hex Unix time). */
  token?: string | undefined;
}

/** jabberd 1.4's number of zero-knowledge sequences. */
export const DEFAULT_ZERO_KNOWLEDGE_SEQUENCES = 500;

/**
 * The `<query/>` of a zero-knowledge registration: `username`, `hash` (the chain's top, at `sequence`), `token`,
 * `sequence` and the other fields, and no password. `InvalidOptionError` when the inquiry did not offer it.
 */
export async function zeroKnowledgeRequest(
  account: { username: string; password: string; [field: string]: string | undefined },
  info: RegistrationInfo | undefined,
  chain: ZeroKnowledgeChain,
): Promise<{ query: Element; hash: string }> {
  if (!info?.zeroKnowledge) {
    throw new InvalidOptionError(
      "register",
      "zeroKnowledge",
      info ? "an inquiry without <hash/>" : "no inquiry",
      "used only where the inquiry offers it (pass what inquire() returned as `inquiry`)",
    );
  }
  const sequence = chain.sequence ?? DEFAULT_ZERO_KNOWLEDGE_SEQUENCES;
  const token = chain.token ?? randomHex(4).toUpperCase();
  const hash = await zeroKnowledgeHash(account.password, token, sequence);
  const { username, password: _password, ...more } = account;
  const query = buildRegistrationRequest({ username, hash, token, sequence: String(sequence), ...more, key: info.key });
  return { query, hash };
}
