import { createKeyring, decrypt } from "@/lib/crypto";
import { connectionCredentialsAad } from "@/lib/keys/aad";
import { apiContext } from "./context";
import { query } from "./database";

/** Decrypts a connection's stored credentials with the suite's master key (white-box check). */
export async function storedCredentials(connectionId: string): Promise<Record<string, string> | null> {
  const [row] = await query<{ credentials: string | null }>("SELECT credentials FROM secret_providers WHERE id = $1", [connectionId]);
  if (!row?.credentials) return null;
  const keyring = createKeyring({ masterKey: apiContext().masterKey });
  return JSON.parse(decrypt(keyring, row.credentials, connectionCredentialsAad(connectionId))) as Record<string, string>;
}
