import { expect } from "vitest";
import { query } from "./database";

/**
 * The stored state the fuzz suite must never change with a refused input: every row of the four
 * tables people's data lives in, read straight from the servers' database. Columns that change on
 * their own are left out: when a token or user was last used, and the outcome of the last
 * connection test (a test request records it by design, whatever it tested, which also touches
 * updated_at; any real change still shows in `version` and the other columns).
 */
const TABLES = {
  secret_providers: [
    "last_test_at",
    "last_test_ok",
    "last_test_message",
    "last_test_stage",
    "last_test_endpoint",
    "last_test_hint",
    "updated_at",
  ],
  secrets: [],
  users: ["last_sign_in_at"],
  api_tokens: ["last_used_at"],
} as const;

export type StoredState = Record<keyof typeof TABLES, Map<string, Record<string, unknown>>>;

export async function storedState(): Promise<StoredState> {
  const state = {} as StoredState;
  for (const [table, volatile] of Object.entries(TABLES) as Array<[keyof typeof TABLES, readonly string[]]>) {
    const rows = await query(`SELECT * FROM ${table} ORDER BY id`);
    state[table] = new Map(
      rows.map((row) => {
        const kept = Object.fromEntries(Object.entries(row).filter(([column]) => !volatile.includes(column)));
        return [String(row.id), kept];
      }),
    );
  }
  return state;
}

/**
 * Nothing stored before has changed, and the only new rows are ones a valid input created and the
 * suite then cleaned up the way the API does it: API tokens are revoked (kept, with revoked_at).
 */
export function expectUnchanged(before: StoredState, after: StoredState, createdTokenIds: ReadonlySet<string> = new Set()): void {
  for (const table of Object.keys(TABLES) as Array<keyof typeof TABLES>) {
    for (const [id, row] of before[table]) expect(after[table].get(id), `${table} row ${id}`).toEqual(row);
    const added = [...after[table].keys()].filter((id) => !before[table].has(id));
    if (table === "api_tokens") {
      for (const id of added) {
        expect(createdTokenIds.has(id), `api_tokens row ${id} appeared without a valid request creating it`).toBe(true);
        expect(after.api_tokens.get(id)!.revoked_at, `api_tokens row ${id} was not revoked`).not.toBeNull();
      }
    } else {
      expect(added, `${table} rows appeared`).toEqual([]);
    }
  }
}
