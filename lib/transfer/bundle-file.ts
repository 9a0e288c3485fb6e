import { randomBytes } from "node:crypto";
import { constants, promises as fs } from "node:fs";
import path from "node:path";
import { AppError } from "@/lib/errors";

/** Larger than any real install's bundle (values are at most 60 KiB each); refuses garbage early. */
export const MAX_BUNDLE_BYTES = 512 * 1024 * 1024;

function describe(error: unknown): string {
  const code = typeof error === "object" && error !== null && "code" in error ? String((error as { code: unknown }).code) : "";
  return (
    {
      ENOENT: "no such file or directory",
      EACCES: "permission denied",
      EISDIR: "it is a directory",
      ENOTDIR: "a parent is not a directory",
    }[code] ?? (error instanceof Error ? error.message : String(error))
  );
}

/**
 * Writes the bundle readable by its owner alone (0600). It goes to a new temporary file in the
 * same directory first (created 0600, so it is never readable by others, whatever the umask and
 * whatever the old file's mode) and is then renamed over `file`, so an existing bundle is either
 * replaced whole or left as it was.
 */
export async function writeBundleFile(file: string, text: string): Promise<void> {
  const target = path.resolve(file);
  const temporary = path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(6).toString("hex")}.tmp`);
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
    await handle.chmod(0o600);
    await handle.writeFile(text, "utf8");
    await handle.sync();
    await handle.close();
    handle = undefined;
    await fs.rename(temporary, target);
  } catch (error) {
    await handle?.close().catch(() => {});
    await fs.rm(temporary, { force: true }).catch(() => {});
    throw new AppError("validation_error", `Cannot write the bundle to ${file}: ${describe(error)}.`);
  }
}

/** Reads a bundle file's text, with a clear message for a missing or unreadable file. */
export async function readBundleFile(file: string): Promise<string> {
  try {
    const stat = await fs.stat(file);
    if (stat.isDirectory()) throw Object.assign(new Error("directory"), { code: "EISDIR" });
    if (stat.size > MAX_BUNDLE_BYTES) {
      throw new AppError("validation_error", `${file} is too large to be a Provenance bundle (${stat.size} bytes).`);
    }
    return await fs.readFile(file, "utf8");
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError("validation_error", `Cannot read the bundle ${file}: ${describe(error)}.`);
  }
}
