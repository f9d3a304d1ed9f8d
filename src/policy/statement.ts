/** An IAM policy statement as this tool writes it: Action and Resource always lists, keys in this order. */
export interface Statement {
  Sid: string;
  Effect: 'Allow' | 'Deny';
  Action: string[];
  Resource: string[];
  Condition?: Condition;
}

/** Operator -> condition key -> values. */
export type Condition = Record<string, Record<string, ConditionValue[]>>;
export type ConditionValue = string | boolean | number;

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: Statement[];
}

export const POLICY_VERSION = '2012-10-17';

/** IAM's limit for a customer managed policy, counted without whitespace. */
export const MANAGED_POLICY_SIZE_LIMIT = 6144;

/** The size IAM counts: the document's characters, whitespace outside strings left out. */
export function policySize(doc: PolicyDocument): number {
  // Packing, the manifest and the size check each measure the same finished document: once is enough.
  // (Documents are not changed once built; nothing in src assigns to a statement or its lists.)
  let size = sizes.get(doc);
  if (size === undefined) sizes.set(doc, (size = JSON.stringify(doc).length));
  return size;
}

const sizes = new WeakMap<PolicyDocument, number>();

/**
 * The size of a policy of these statements, as policySize counts it: an empty policy's, each
 * statement's, and the commas between them. Each statement is measured once, so that packing, which
 * tries one statement more again and again, pays for one statement each time.
 */
export function sizeOfStatements(statements: readonly Statement[]): number {
  let total = EMPTY_POLICY_SIZE + Math.max(0, statements.length - 1);
  for (const s of statements) {
    let n = statementSizes.get(s);
    if (n === undefined) statementSizes.set(s, (n = JSON.stringify(s).length));
    total += n;
  }
  return total;
}

const EMPTY_POLICY_SIZE = JSON.stringify({ Version: POLICY_VERSION, Statement: [] }).length;
const statementSizes = new WeakMap<Statement, number>();
