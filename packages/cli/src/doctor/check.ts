// One line of a doctor's report: what was looked at, what was seen, and what to change.

/** `ok`: nothing to do; `warn`: registration works, with a caveat; `block`: registration from here fails as things are. */
export type CheckStatus = "ok" | "warn" | "block";

/** One check of `reguser doctor`. */
export interface Check {
  /** What was looked at: `connection`, `tls`, `register feature`, `inquiry`… */
  name: string;
  status: CheckStatus;
  /** What the server showed. */
  saw: string;
  /** What to change, where something should be. */
  change?: string | undefined;
}

/** The server software, from XEP-0092 or its disco identity, when it says. */
export interface Software {
  /** `prosody`, `ejabberd`, `jabberd2`, `embedded`, or undefined for one we do not know. */
  kind: ServerKind | undefined;
  /** What it calls itself, with its version when known (`Prosody 0.12.3`). */
  label: string;
}

/** The servers whose settings the doctor knows. */
export type ServerKind = "prosody" | "ejabberd" | "jabberd2" | "embedded";

/** Everything a doctor run found. */
export interface Diagnosis {
  software: Software | undefined;
  checks: Check[];
}

/** Whether nothing blocks registration. */
export function healthy(diagnosis: Diagnosis): boolean {
  return diagnosis.checks.every((c) => c.status !== "block");
}
