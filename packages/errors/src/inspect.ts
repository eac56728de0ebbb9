// Node's util.inspect looks for this registered symbol; using it keeps this package free of node:util.
export const INSPECT = Symbol.for("nodejs.util.inspect.custom");

/** The `inspect` Node passes to a custom inspection. */
export type InspectFunction = (value: unknown, options?: object) => string;
