import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { AppError } from "@/lib/errors";

/**
 * The cloud SDKs are optionalDependencies: an install may lack any of them. Presence is checked
 * by resolving from the project root at run time (not at build time), and a missing SDK becomes
 * 503 provider_sdk_missing naming the package, never a crash.
 */
const requireFromRoot = createRequire(path.join(process.cwd(), "package.json"));
const installed = new Map<string, boolean>();

/**
 * Looks for the package's folder along Node's own search path rather than resolving its entry
 * point: the standalone build keeps only the files the server imports (an SDK's ESM build), so
 * resolving the CommonJS entry would wrongly say "missing".
 */
export function isPackageInstalled(name: string): boolean {
  let known = installed.get(name);
  if (known === undefined) {
    const folders = requireFromRoot.resolve.paths(name) ?? [];
    known = folders.some((folder) => existsSync(path.join(folder, name, "package.json")));
    installed.set(name, known);
  }
  return known;
}

export function missingPackages(packages: readonly string[]): string[] {
  return packages.filter((name) => !isPackageInstalled(name));
}

export function sdkMissingError(providerName: string, packages: readonly string[]): AppError {
  const list = packages.join(" and ");
  return new AppError(
    "provider_sdk_missing",
    `${providerName} needs the optional package ${list}, which is not installed on this server. Install it with: npm install ${packages.join(" ")}`,
    { packages },
  );
}
