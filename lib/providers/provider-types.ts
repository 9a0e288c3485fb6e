import { describeField } from "./definition";
import { PROVIDER_TYPES, providerDefinition } from "./registry";
import { missingPackages } from "./sdk";

// GET /api/secret-providers/types — the registry as the API and the dashboard form see it.
export function listProviderTypes() {
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
