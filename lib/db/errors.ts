/**
 * Recognises database errors by their Prisma codes without importing either generated client
 * (there is one per dialect); both raise errors of the same shape.
 */
function prismaCode(error: unknown): string | undefined {
  if (typeof error === "object" && error !== null && "code" in error) {
    const code = (error as { code: unknown }).code;
    if (typeof code === "string") return code;
  }
  return undefined;
}

/** A unique constraint failed (e.g. a name or path that is already taken). */
export function isUniqueViolation(error: unknown): boolean {
  return prismaCode(error) === "P2002";
}

/** The database could not be reached or refused the connection. */
export function isDatabaseUnavailable(error: unknown): boolean {
  const code = prismaCode(error);
  if (code && ["P1001", "P1002", "P1008", "P1017", "P2024", "ECONNREFUSED", "ECONNRESET", "57P01", "SQLITE_BUSY", "SQLITE_CANTOPEN"].includes(code)) {
    return true;
  }
  const name = typeof error === "object" && error !== null ? (error as { name?: unknown }).name : undefined;
  return name === "PrismaClientInitializationError";
}
