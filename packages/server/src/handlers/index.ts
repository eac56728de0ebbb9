// Every step the server knows, composed in one visible place, in routing order.
import { createRequire } from "node:module";
import { NS } from "@reguser/protocol";
import type { IqHandler, ServerDeps } from "../context.js";
import type { IqRoute } from "../router.js";
import { authLogin } from "./auth-login.js";
import { authOffer } from "./auth-offer.js";
import { bind } from "./bind.js";
import { changePassword } from "./change-password.js";
import { preauth } from "./preauth.js";
import { registerAttempt } from "./register-attempt.js";
import { registerInquiry } from "./register-inquiry.js";
import { removeAccount } from "./remove-account.js";
import { saslMechanisms } from "./sasl.js";
import { session } from "./session.js";
import { startTls } from "./starttls.js";
import { softwareVersion } from "./version.js";

/** XEP-0092's namespace (the only one the server answers that registration does not need). */
const VERSION_NS = "jabber:iq:version";

/** This package's version, for XEP-0092. */
function packageVersion(): string {
  return (createRequire(import.meta.url)("../../package.json") as { version: string }).version;
}

export function iqRoutes(deps: ServerDeps): IqRoute[] {
  const attempt = registerAttempt(deps);
  const change = changePassword(deps);
  const remove = removeAccount(deps);
  // jabber:iq:register means registration out of a session and a change or removal inside one (the book).
  const registerSet: IqHandler = (request) => {
    if (request.session.username === undefined) return attempt(request);
    return request.query.getChild("remove") ? remove(request) : change(request);
  };
  const routes: IqRoute[] = [
    { namespace: NS.register, type: "get", handle: registerInquiry(deps) },
    { namespace: NS.register, type: "set", handle: registerSet },
  ];
  if (deps.options.invites) routes.push({ namespace: NS.pars, type: "set", handle: preauth(deps) });
  routes.push({ namespace: VERSION_NS, type: "get", handle: softwareVersion(packageVersion()) });
  if (deps.options.authMethods.length > 0) {
    routes.push({ namespace: NS.auth, type: "get", handle: authOffer(deps) });
    routes.push({ namespace: NS.auth, type: "set", handle: authLogin(deps) });
  }
  if (deps.options.sasl) {
    routes.push({ namespace: NS.bind, type: "set", handle: bind(deps) });
    routes.push({ namespace: NS.session, type: "set", handle: session() });
  }
  return routes;
}

/** The steps outside IQs: SASL and STARTTLS, when configured. */
export function streamSteps(deps: ServerDeps) {
  return {
    sasl: deps.options.sasl && deps.options.saslMechanisms.length > 0 ? saslMechanisms(deps) : undefined,
    upgradeTls: deps.options.tls ? startTls(deps.options.tls) : undefined,
  };
}
