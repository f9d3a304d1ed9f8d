import { MANAGED_POLICY_SIZE_LIMIT, PolicyDocument, policySize, POLICY_VERSION, sizeOfStatements, Statement } from './statement';

/** IAM's default quota of managed policies attached to one user or role. */
export const MAX_PARTS = 10;

/**
 * Splits a policy over IAM's size limit into numbered parts, each within the limit, that together grant
 * exactly what it grants. Deterministic, and stable: cuts fall where the content says (a hash of the
 * resource or statement), not where a running total happens to overflow, so adding one resource
 * changes the part that holds it and seldom another.
 */
export function pack(doc: PolicyDocument, limit = MANAGED_POLICY_SIZE_LIMIT): PolicyDocument[] {
  if (policySize(doc) <= limit) return [doc];
  const units = doc.Statement.flatMap((s) => splitStatement(s, limit));
  const parts: Statement[][] = [];
  let current: Statement[] = [];
  for (const unit of units) {
    if (current.length > 0 && sizeOfStatements(current.concat(unit)) > limit) {
      parts.push(current);
      current = [];
    }
    current.push(unit);
    if (sizeOfStatements(current) >= limit / 2 && hash(unit.Sid) % 3 === 0) {
      parts.push(current);
      current = [];
    }
  }
  if (current.length > 0) parts.push(current);
  return parts.map((Statement) => ({ Version: POLICY_VERSION, Statement }));
}

/**
 * A statement too large to share a part is cut into chunks of its resources. The first keeps the Sid;
 * the others are named after their first resource (`LambdaPart1k3x9q`), not their position, so that a
 * new chunk renames no other.
 */
function splitStatement(statement: Statement, limit: number): Statement[] {
  const budget = limit - sizeOfStatements([]) - 1;
  if (sizeOfStatements([statement]) <= budget / 2) return [statement];
  const chunks: string[][] = [];
  let chunk: string[] = [];
  const chunkSid = (first: string) => `${statement.Sid}Part${hash(first).toString(36)}`;
  const withResources = (Resource: string[]) => ({ ...statement, Sid: chunkSid(Resource[0]), Resource });
  for (const resource of statement.Resource) {
    if (chunk.length > 0 && sizeOfStatements([withResources([...chunk, resource])]) > budget) {
      chunks.push(chunk);
      chunk = [];
    }
    chunk.push(resource);
    if (sizeOfStatements([withResources(chunk)]) >= budget / 4 && hash(resource) % 4 === 0) {
      chunks.push(chunk);
      chunk = [];
    }
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks.map((Resource, i) => ({ ...statement, Sid: i === 0 ? statement.Sid : chunkSid(Resource[0]), Resource }));
}

/** FNV-1a, 32 bits: the same on every machine. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}
