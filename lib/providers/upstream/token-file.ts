import "server-only";
import { open, realpath } from "node:fs/promises";
import { env } from "@/lib/env";
import { TOKEN_FILE_PATTERN } from "../definition";
import { providerError } from "./errors";

/**
 * Reads a workload-identity token file (a Kubernetes service-account token, a CI's OIDC token):
 * only from the folders PROVENANCE_TOKEN_FILE_DIRS lists (after symbolic links are followed, as
 * Kubernetes mounts them), at most 16 KiB, and only when it holds a JWT. Read again at every
 * sign-in, because the platform rotates these files. Errors name the file, never its content.
 */
const MAX_TOKEN_FILE_BYTES = 16 * 1024;
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

function within(dirs: string[], file: string): boolean {
  return dirs.some((dir) => file.startsWith(`${dir.replace(/\/+$/, "")}/`));
}

export async function readTokenFile(provider: string, file: string): Promise<string> {
  const dirs = env().PROVENANCE_TOKEN_FILE_DIRS;
  const refuse = (reason: string) =>
    providerError(provider, `cannot use the token file ${file.slice(0, 200)}: ${reason}`, {
      hint: `Token files are read only from ${dirs.join(", ") || "no folder"} (PROVENANCE_TOKEN_FILE_DIRS).`,
    });
  if (!TOKEN_FILE_PATTERN.test(file) || !within(dirs, file)) throw refuse("it is not in a folder token files may be read from");
  let real: string;
  try {
    real = await realpath(file);
  } catch (error) {
    throw refuse((error as NodeJS.ErrnoException).code === "ENOENT" ? "it does not exist" : "it cannot be read");
  }
  // A link may lead elsewhere; where it ends must be allowed too (the folders' own real paths count).
  const realDirs = await Promise.all(dirs.map((dir) => realpath(dir).catch(() => dir)));
  if (!within([...dirs, ...realDirs], real)) throw refuse("it links outside the folders token files may be read from");

  const handle = await open(real, "r").catch(() => {
    throw refuse("it cannot be read");
  });
  try {
    const buffer = Buffer.alloc(MAX_TOKEN_FILE_BYTES + 1);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    if (bytesRead > MAX_TOKEN_FILE_BYTES) throw refuse(`it is larger than ${MAX_TOKEN_FILE_BYTES / 1024} KiB`);
    const token = buffer.subarray(0, bytesRead).toString("utf8").trim();
    if (!JWT_SHAPE.test(token)) throw refuse("it does not hold a JWT");
    return token;
  } finally {
    await handle.close();
  }
}
