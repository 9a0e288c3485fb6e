import type { JWT } from "next-auth/jwt";
import { decode } from "next-auth/jwt";
import { deriveSecret } from "@/lib/crypto";
import { env } from "@/lib/env";
import { keyring } from "@/lib/keys/keyring";

/**
 * The secrets session cookies are sealed with: NEXTAUTH_SECRET when set, otherwise one derived
 * from the master key. During a key rotation the previous key's secret still opens cookies, so
 * people stay signed in while instances restart with the new key.
 */
export function sessionSecrets(): string[] {
  const configured = env().NEXTAUTH_SECRET;
  if (configured) return [configured];
  const ring = keyring();
  const derive = (current: NonNullable<typeof ring.previous>) => deriveSecret({ current }, "nextauth-session").toString("base64url");
  return ring.previous ? [derive(ring.current), derive(ring.previous)] : [derive(ring.current)];
}

export async function decodeSessionToken(token: string | undefined): Promise<JWT | null> {
  if (!token) return null;
  for (const secret of sessionSecrets()) {
    const decoded = await decode({ token, secret }).catch(() => null);
    if (decoded) return decoded;
  }
  return null;
}
