import { isCurrentKey, reencrypt } from "@/lib/crypto";
import { connectionCredentialsAad, secretValueAad } from "./aad";
import { db } from "@/lib/db/client";
import { keyring } from "./keyring";
import { rewriteKeyCheck } from "./key-check-store";

/**
 * Re-encrypts every ciphertext that is not under the current master key. Each row is rewritten on
 * its own, conditionally on its old ciphertext (a concurrent edit wins and is left alone, since it
 * was already written under the current key). The key check moves last, so an interrupted run
 * leaves a database that both keys can open, and running again finishes the job.
 */
export interface RotationReport {
  reencrypted: { secretProviders: number; secrets: number };
  alreadyCurrent: number;
  /**
   * Values found under another key by a second pass after the first: some instance was still
   * writing with the old key as its current one while the rotation ran.
   */
  lateWrites: number;
}

const BATCH = 200;

interface EncryptedColumn {
  /** The next batch of rows after `cursor` (by id) whose column is set. */
  batch: (cursor: string | undefined) => Promise<Array<{ id: string; ciphertext: string }>>;
  /** Replaces the ciphertext only if it is still `old`; returns how many rows changed. */
  replace: (id: string, old: string, next: string) => Promise<number>;
  aad: (id: string) => string;
}

const columns = {
  secretProviders: {
    batch: async (cursor) =>
      (
        await db().secretProvider.findMany({
          where: { credentials: { not: null }, ...(cursor ? { id: { gt: cursor } } : {}) },
          select: { id: true, credentials: true },
          orderBy: { id: "asc" },
          take: BATCH,
        })
      ).map((row) => ({ id: row.id, ciphertext: row.credentials! })),
    replace: async (id, old, next) =>
      (await db().secretProvider.updateMany({ where: { id, credentials: old }, data: { credentials: next } })).count,
    aad: connectionCredentialsAad,
  },
  secrets: {
    batch: async (cursor) =>
      (
        await db().secret.findMany({
          where: { valueCiphertext: { not: null }, ...(cursor ? { id: { gt: cursor } } : {}) },
          select: { id: true, valueCiphertext: true },
          orderBy: { id: "asc" },
          take: BATCH,
        })
      ).map((row) => ({ id: row.id, ciphertext: row.valueCiphertext! })),
    replace: async (id, old, next) =>
      (await db().secret.updateMany({ where: { id, valueCiphertext: old }, data: { valueCiphertext: next } })).count,
    aad: secretValueAad,
  },
} satisfies Record<keyof RotationReport["reencrypted"], EncryptedColumn>;

/** Called after each batch of the first pass, so a long rotation can show that it is moving. */
export type RotationProgress = (report: RotationReport) => void;

export async function rotateKeys(onProgress?: RotationProgress): Promise<RotationReport> {
  const report: RotationReport = { reencrypted: { secretProviders: 0, secrets: 0 }, alreadyCurrent: 0, lateWrites: 0 };
  await rotationPass(report, onProgress);
  const check: RotationReport = { reencrypted: { secretProviders: 0, secrets: 0 }, alreadyCurrent: 0, lateWrites: 0 };
  await rotationPass(check);
  report.lateWrites = check.reencrypted.secretProviders + check.reencrypted.secrets;
  await rewriteKeyCheck();
  return report;
}

async function rotationPass(report: RotationReport, onProgress?: RotationProgress): Promise<void> {
  const ring = keyring();
  for (const [name, column] of Object.entries(columns) as Array<[keyof typeof columns, EncryptedColumn]>) {
    let cursor: string | undefined;
    for (;;) {
      const rows = await column.batch(cursor);
      if (rows.length === 0) break;
      for (const row of rows) {
        if (isCurrentKey(ring, row.ciphertext)) {
          report.alreadyCurrent++;
          continue;
        }
        const next = reencrypt(ring, row.ciphertext, column.aad(row.id));
        report.reencrypted[name] += await column.replace(row.id, row.ciphertext, next);
      }
      cursor = rows[rows.length - 1]!.id;
      onProgress?.(report);
    }
  }
}
