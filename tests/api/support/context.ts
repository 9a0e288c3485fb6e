import { inject } from "vitest";

/** What global-setup.ts hands every test file: where the servers are and who may call them. */
export interface ApiContext {
  kind: "sqlite" | "postgres";
  /** Which door bearer-token resolves go through: the fast path in front of Next, or Next's route handler. */
  door: "fast-path" | "route-handler";
  baseUrl: string;
  /** Same database, but started without PROVENANCE_ALLOW_INSECURE_PROVIDER_URLS. */
  strictBaseUrl: string;
  logFiles: string[];
  /** The servers' database, for white-box checks of what is stored (ciphertext, audit rows). */
  databaseUrl: string;
  masterKey: string;
  admin: { email: string; password: string };
  tokens: { admin: string; editor: string; viewer: string; scopedEditor: string };
}

declare module "vitest" {
  export interface ProvidedContext {
    api: ApiContext;
  }
}

export function apiContext(): ApiContext {
  return inject("api");
}
