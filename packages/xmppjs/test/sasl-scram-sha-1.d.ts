// The test's view of xmpp.js's SCRAM-SHA-1 mechanism (sasl-scram-sha-1 ships no types).
declare module "sasl-scram-sha-1" {
  const Mechanism: new (options?: {
    genNonce?: () => string;
  }) => {
    response(cred: object): Promise<string> | string;
    challenge(chal: string): unknown;
  };
  export default Mechanism;
}
