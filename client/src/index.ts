export { createClient, resolveForEnv } from "./client.js";
export type { ClientOptions, LoadEnvOptions, LoadedEnv, ManyInput, ProvenanceClient } from "./client.js";
export { envName, isPortableEnvName, isUnderPrefix } from "./env-names.js";
export { isProvenanceError, ProvenanceError } from "./errors.js";
export type { IdTokenSource } from "./transport.js";
export type { BatchResolveResult, ErrorBody, ResolveFailure, ResolvedSecret } from "./types.js";
export type { SecretChange, Watch, WatchOptions } from "./watch.js";
