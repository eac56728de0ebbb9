// Where an Openfire plugin answers: the admin console's address and the plugin's path, checked once.
import { OpenfireConfigurationError } from "./errors.js";

/** `baseUrl` (the admin console, `http://host:9090`) + a plugin path; checked once, when the provisioner is made. */
export function endpoint(baseUrl: string, path: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new OpenfireConfigurationError("baseUrl is not a URL");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new OpenfireConfigurationError(`baseUrl must be http: or https:, not ${url.protocol}`);
  }
  if (url.search || url.hash) throw new OpenfireConfigurationError("baseUrl must not have a query or a fragment");
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}${path}`;
}
