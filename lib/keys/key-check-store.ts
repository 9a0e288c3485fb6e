import { createKeyCheck, describeKeyMismatch, verifyKeyCheck, type KeyCheckResult } from "@/lib/crypto";
import { db } from "@/lib/db/client";
import { keyring } from "./keyring";

/**
 * The stored key check: a small ciphertext written under the master key when the database is
 * first used. A server whose key cannot open it is looking at data encrypted under another key.
 */
export const KEY_CHECK_SETTING = "master_key_check";

export async function readKeyCheck(): Promise<KeyCheckResult | "absent"> {
  const row = await db().setting.findUnique({ where: { key: KEY_CHECK_SETTING } });
  return row ? verifyKeyCheck(keyring(), row.value) : "absent";
}

/** Writes the key check on a fresh database; on an existing one, throws if the key is wrong. */
export async function ensureKeyCheck(): Promise<KeyCheckResult> {
  const row = await db().setting.findUnique({ where: { key: KEY_CHECK_SETTING } });
  if (!row) {
    // upsert-free create: if another instance wrote it first, the unique key makes this fail and
    // we verify theirs instead.
    try {
      await db().setting.create({ data: { key: KEY_CHECK_SETTING, value: createKeyCheck(keyring()) } });
      return "current";
    } catch {
      return ensureKeyCheck();
    }
  }
  const result = verifyKeyCheck(keyring(), row.value);
  if (result === "mismatch") throw new Error(describeKeyMismatch(keyring(), row.value));
  return result;
}

/** After a rotation has re-encrypted everything, the check moves to the current key. */
export async function rewriteKeyCheck(): Promise<void> {
  const value = createKeyCheck(keyring());
  await db().setting.upsert({ where: { key: KEY_CHECK_SETTING }, create: { key: KEY_CHECK_SETTING, value }, update: { value } });
}
