export { BODY_ERROR_STATUS, BodyError, BodyErrorReason } from "./body-error.js";
export { type ReadBodyOptions, readBody } from "./read-body.js";
