import { db } from "@/lib/db/client";
import { notFound } from "@/lib/errors";
import { maskConnection, type ConnectionView } from "./connection-view";

const withSecretCount = { _count: { select: { secrets: true } } } as const;

export async function listConnections(): Promise<ConnectionView[]> {
  const rows = await db().secretProvider.findMany({ include: withSecretCount, orderBy: { name: "asc" } });
  return rows.map((row) => maskConnection(row, row._count.secrets));
}

export async function getConnection(id: string): Promise<ConnectionView> {
  const row = await db().secretProvider.findUnique({ where: { id }, include: withSecretCount });
  if (!row) throw notFound("Secret provider connection");
  return maskConnection(row, row._count.secrets);
}
