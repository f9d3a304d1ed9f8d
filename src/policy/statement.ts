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
  if (size === undefined) sizes.set(doc, (size = draftPolicySize(doc)));
  return size;
}

/** The same, unremembered: for a document made only to be measured (packing tries many). */
export function draftPolicySize(doc: PolicyDocument): number {
  return JSON.stringify(doc).length;
}

const sizes = new WeakMap<PolicyDocument, number>();
