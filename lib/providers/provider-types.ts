import { z } from "zod";
import { describeField } from "./definition";
import { PROVIDER_TYPES, providerDefinition } from "./registry";
import { missingPackages } from "./sdk";

/** A config field as the types endpoint describes it (describeField); the form is built from these. */
export const configFieldViewSchema = z
  .strictObject({
    key: z.string(),
    label: z.string(),
    type: z.enum(["text", "password", "textarea", "url"]),
    required: z.boolean(),
    sensitive: z.literal(true).describe("Present on credentials: stored encrypted, answered masked").optional(),
    help: z.string().optional(),
    placeholder: z.string().optional(),
    options: z.array(z.string()).describe("The values the field takes, when it is a choice").optional(),
  })
  .meta({ id: "ConfigField" });

export const providerTypeViewSchema = z
  .strictObject({
    type: z.enum(PROVIDER_TYPES),
    name: z.string(),
    description: z.string(),
    configSchema: z.array(configFieldViewSchema),
    pathHelp: z.string().describe("How a secret's providerPath is written for this type"),
    sdk: z.strictObject({
      package: z.string().nullable().describe("The npm package(s) the adapter loads, or null (Vault needs none)"),
      packages: z.array(z.string()),
      installed: z.boolean(),
    }),
  })
  .meta({ id: "ProviderType" });
export type ProviderTypeView = z.infer<typeof providerTypeViewSchema>;

// GET /api/secret-providers/types — the registry as the API and the dashboard form see it.
export function listProviderTypes(): ProviderTypeView[] {
  return PROVIDER_TYPES.map((type) => {
    const definition = providerDefinition(type);
    const packages = definition.sdkPackages;
    return {
      type,
      name: definition.name,
      description: definition.description,
      configSchema: definition.fields.map(describeField),
      pathHelp: definition.pathHelp,
      sdk: {
        // The contract names one package; Azure needs two, written as the product docs write them.
        package: packages.length > 0 ? packages.join(" + ") : null,
        packages: [...packages],
        installed: missingPackages(packages).length === 0,
      },
    };
  });
}
