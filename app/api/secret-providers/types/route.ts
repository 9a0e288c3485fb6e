import { apiRoute, json, otherMethods } from "@/lib/api/route";
import { listProviderTypes } from "@/lib/providers/provider-types";

// GET /api/secret-providers/types — provider types with their config schemas and SDK status
export const GET = apiRoute("listProviderTypes", async () => json(listProviderTypes()));

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
