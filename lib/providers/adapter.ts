import type { ProviderConfig } from "./definition";
import type { ResolveHost } from "./upstream/guarded-lookup";

/**
 * What every external secrets manager implements. Adapters are server-only, load their SDK
 * lazily (a missing optional SDK becomes 503 provider_sdk_missing, never a crash) and turn every
 * upstream failure into an AppError: provider_error (502) or provider_timeout (504), with a
 * message naming the provider, the path and the reason, never a credential.
 */
export interface AdapterContext {
  /** Identifies the connection and its version, so adapters may reuse SDK clients safely. */
  connectionKey: string;
  /** The connection's full, decrypted config. */
  config: ProviderConfig;
  /** Upper bound for the whole call, retries included. */
  timeoutMs: number;
  /** How host names are resolved before connecting (the system resolver unless a test injects one). */
  resolveHost?: ResolveHost;
  /** Attempts per upstream call, retries included (callUpstream's default when absent): the upstream refresh makes one, to stay inside its budget. */
  maxAttempts?: number;
}

export interface FetchSecretRequest extends AdapterContext {
  /** The secret's providerPath as the user wrote it (adapters normalise it). */
  path: string;
  /** providerConfig.version: an AWS VersionId or VersionStage, an Azure version, a GCP version, a Vault KV v2 version. */
  version?: string;
}

export interface FetchedSecret {
  /** The secret as text: AWS SecretString or base64 of SecretBinary, Azure value, GCP payload (UTF-8), Vault per the single-key rule. */
  value: string;
  /** For managers that store key/value maps natively (Vault), the map itself, so jsonKey can pick from it. */
  fields?: Record<string, unknown>;
  /** The upstream version that was read (AWS VersionId, Azure version, GCP version number, Vault KV v2 version), if known. */
  version: string | null;
}

/**
 * What the manager holds now for a secret, as the upstream refresh asks it (lib/refresh). `version`
 * comes from a metadata call where the manager has one (no value read); `fetched` is there when the
 * check had to read the value itself (Azure, Vault KV v1), so a change costs no second call.
 */
export interface UpstreamVersion {
  version: string | null;
  fetched?: FetchedSecret;
}

export interface ProviderAdapter {
  fetchSecret(request: FetchSecretRequest): Promise<FetchedSecret>;
  /**
   * For managers with a batch read (AWS BatchGetSecretValue): the current version of several
   * secrets of one connection in as few upstream calls as the manager allows. One outcome per
   * path, in order, each exactly what fetchSecret would have answered or thrown for it.
   */
  fetchCurrentSecrets?(context: AdapterContext, paths: string[]): Promise<PromiseSettledResult<FetchedSecret>[]>;
  /**
   * The version a read of this secret would get now, by the cheapest call the manager has; null
   * when the reference pins a version (nothing upstream can change under it). Without it, the
   * refresh reads the value and compares fingerprints.
   */
  currentVersion?(request: FetchSecretRequest): Promise<UpstreamVersion | null>;
  /** A cheap authenticated call proving the endpoint is reachable and the credentials work. */
  checkConnection(context: AdapterContext): Promise<void>;
  /** Drops cached SDK clients for a connection (its config changed or it was deleted). */
  forget(connectionId: string): void;
}
