// TLS pieces the hostile-server scripts share: certificates (made with openssl at test time) and the STARTTLS replies.
export { type PemPair as TestCertificate, selfSignedPem as makeCertificate } from "@reguser/test-kit";

export const STARTTLS_FEATURES =
  "<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls></stream:features>";
export const PROCEED = "<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>";
