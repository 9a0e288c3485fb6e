import { createRequire } from "node:module";
import path from "node:path";
import type { ProviderDefinition } from "../definition";
import { sdkMissingError } from "../sdk";
import { providerError } from "./errors";

/**
 * Loads an optional SDK on first use. The importer is a function holding a literal
 * `import("package")` so bundlers see the name (next.config lists the SDKs as server externals)
 * while the module itself is only evaluated here, at run time. A missing package becomes
 * 503 provider_sdk_missing; any other load failure is a provider_error, never a crash.
 * Tests pass an importer of a package that does not exist.
 */
export async function loadSdk<T>(definition: ProviderDefinition, importer: () => Promise<T>): Promise<T> {
  try {
    return await importer();
  } catch (error) {
    if (isModuleNotFound(error)) throw sdkMissingError(definition.name, definition.sdkPackages);
    throw providerError(definition.name, `the SDK (${definition.sdkPackages.join(", ")}) failed to load`);
  }
}

export function isModuleNotFound(error: unknown): boolean {
  if (!error || typeof error !== "object") return false;
  const code = (error as { code?: unknown }).code;
  if (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") return true;
  const message = (error as { message?: unknown }).message;
  return typeof message === "string" && /Cannot find (module|package)/.test(message);
}

/**
 * Requires a package exactly as an installed SDK sees it (its own dependency, resolved from the
 * SDK's location). gRPC credentials must come from the very grpc-js copy the SDK uses: objects
 * from another copy fail its instanceof checks.
 */
export function requireSdkDependency<T>(definition: ProviderDefinition, sdkPackage: string, dependency: string): T {
  try {
    const fromRoot = createRequire(path.join(process.cwd(), "package.json"));
    return createRequire(fromRoot.resolve(sdkPackage))(dependency) as T;
  } catch (error) {
    if (isModuleNotFound(error)) throw sdkMissingError(definition.name, definition.sdkPackages);
    throw providerError(definition.name, `the SDK dependency ${dependency} failed to load`);
  }
}
