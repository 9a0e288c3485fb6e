import { z } from "zod";
import type { Actor } from "@/lib/auth/actor";
import { scopeAllows } from "@/lib/auth/scope";
import { decrypt } from "@/lib/crypto";
import { fingerprint } from "@/lib/crypto/fingerprint";
import { db } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";
import { notFound } from "@/lib/errors";
import { secretValueAad } from "@/lib/keys/aad";
import { keyring } from "@/lib/keys/keyring";
import { PROVENANCE_PROVIDER } from "@/lib/secrets/secret-schemas";
import { nullableTimestamp, timestamp } from "@/lib/validation/view-shapes";
import { lineageFlusher } from "./lineage-flush";

export const secretVersionViewSchema = z
  .strictObject({
    version: z.string().describe("The stored version number, the upstream version id, or a counter when the manager gives none"),
    fingerprint: z.string().describe("Keyed fingerprint of the value (hmac-sha256:…), never the value"),
    firstSeenAt: timestamp,
    lastSeenAt: timestamp.describe("The last time Provenance fetched or served this version"),
    lastReadAt: nullableTimestamp.describe("The last read of this version; null when nobody read it"),
    readers: z.int().min(0).describe("Distinct tokens and users that read this version"),
  })
  .meta({ id: "SecretVersion" });
export type SecretVersionView = z.infer<typeof secretVersionViewSchema>;

/**
 * GET /api/secrets/:id/versions — every version of the secret seen, newest first, with its keyed
 * fingerprint (never the value) and who read it: "who still reads the old version?". Visible to
 * whoever may see the secret's metadata (a scoped token only inside its scope; 404 as GET).
 */
export async function listSecretVersions(options: { actor: Actor; id: string }): Promise<SecretVersionView[]> {
  const secret = await db().secret.findUnique({
    where: { id: options.id },
    select: { id: true, secretPath: true, provider: true, version: true, valueCiphertext: true, updatedAt: true },
  });
  if (!secret || !scopeAllows(options.actor.scope, secret.secretPath)) throw notFound("Secret");
  // This process's reads noted so far are stored first, so the answer includes them.
  await lineageFlusher().flushNow();
  if (secret.provider === PROVENANCE_PROVIDER && secret.valueCiphertext) await ensureStoredVersion(secret);

  const [versions, reads] = await Promise.all([
    db().secretVersion.findMany({ where: { secretId: secret.id } }),
    db().secretVersionRead.findMany({ where: { secretId: secret.id }, select: { version: true, lastReadAt: true } }),
  ]);
  const readsOf = new Map<string, { readers: number; lastReadAt: Date | null }>();
  for (const read of reads) {
    const entry = readsOf.get(read.version) ?? { readers: 0, lastReadAt: null };
    entry.readers++;
    if (!entry.lastReadAt || read.lastReadAt > entry.lastReadAt) entry.lastReadAt = read.lastReadAt;
    readsOf.set(read.version, entry);
  }
  return versions.sort(newestFirst).map((v) => {
    const read = readsOf.get(v.version);
    return {
      version: v.version,
      fingerprint: v.fingerprint,
      firstSeenAt: v.firstSeenAt.toISOString(),
      lastSeenAt: v.lastSeenAt.toISOString(),
      lastReadAt: read?.lastReadAt?.toISOString() ?? null,
      readers: read?.readers ?? 0,
    };
  });
}

/** By when first seen; versions seen at the same moment by their number, when they are numbers. */
function newestFirst(a: { version: string; firstSeenAt: Date }, b: { version: string; firstSeenAt: Date }): number {
  const byTime = b.firstSeenAt.getTime() - a.firstSeenAt.getTime();
  if (byTime !== 0) return byTime;
  const [x, y] = [Number(a.version), Number(b.version)];
  return Number.isFinite(x) && Number.isFinite(y) ? y - x : b.version.localeCompare(a.version);
}

/** A stored secret written before lineage was recorded: its current version gets its row on first look. */
async function ensureStoredVersion(secret: {
  id: string;
  version: number;
  valueCiphertext: string | null;
  updatedAt: Date;
}): Promise<void> {
  const version = String(secret.version);
  if ((await db().secretVersion.count({ where: { secretId: secret.id, version } })) > 0) return;
  const value = decrypt(keyring(), secret.valueCiphertext ?? "", secretValueAad(secret.id));
  try {
    await db().secretVersion.create({
      data: {
        secretId: secret.id,
        version,
        fingerprint: fingerprint(keyring(), value),
        firstSeenAt: secret.updatedAt,
        lastSeenAt: secret.updatedAt,
      },
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
  }
}

/** What the dashboard says about the version before the newest: "safe to revoke" when nobody read it for `hours`. */
export function previousVersionIdle(versions: SecretVersionView[], hours: number, now = Date.now()): boolean {
  const previous = versions[1];
  if (!previous) return false;
  const last = previous.lastReadAt ? Date.parse(previous.lastReadAt) : 0;
  return now - last >= hours * 3_600_000;
}
