import { AppError } from "@/lib/errors";
import type { FetchedSecret } from "@/lib/providers/adapter";

/**
 * Picks one key out of a JSON secret (CONTRACT `jsonKey`): a string comes back as-is, anything
 * else as its JSON text. A dotted key walks into nested objects (`db.password`), but a key
 * literally named `db.password` at the top wins, so flat secrets with dots keep working.
 */
export function extractJsonKey(fetched: Pick<FetchedSecret, "value" | "fields">, jsonKey: string, where: string): string {
  const document = fetched.fields ?? parseJsonObject(fetched.value, where);
  const found = lookup(document, jsonKey);
  if (found === undefined) {
    throw new AppError("json_key_not_found", `${where}: the JSON value has no key "${jsonKey}".`, { jsonKey });
  }
  return typeof found === "string" ? found : JSON.stringify(found);
}

function parseJsonObject(value: string, where: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new AppError("not_json", `${where}: jsonKey is set but the value is not JSON.`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new AppError("not_json", `${where}: jsonKey is set but the value is not a JSON object.`);
  }
  return parsed as Record<string, unknown>;
}

function lookup(document: Record<string, unknown>, key: string): unknown {
  if (Object.hasOwn(document, key)) return document[key];
  let current: unknown = document;
  for (const part of key.split(".")) {
    if (typeof current !== "object" || current === null || Array.isArray(current) || !Object.hasOwn(current, part)) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}
