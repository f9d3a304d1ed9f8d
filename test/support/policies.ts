import { PolicyDocument } from '../../src/index';
import { fixtureCases, generateFixture } from './fixtures';

export const ROLES = ['owner', 'contributor', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export interface FixturePolicies {
  name: string;
  account: string;
  documents: Record<Role | 'serviceRole', PolicyDocument>;
  resourceArns: string[];
  passRoleServices: string[];
}

/** The real generated policies of every golden case. */
export function fixturePolicies(): FixturePolicies[] {
  return fixtureCases().map((name) => {
    const result = generateFixture(name);
    const built = result.projects[0];
    return {
      name,
      account: built.project.account,
      documents: built.documents,
      resourceArns: built.project.resources.map((r) => r.arn),
      passRoleServices: built.view.passRoleServices,
    };
  });
}

/** A concrete ARN standing for every ARN a pattern matches: `*` and `?` become sample text. */
export function sampleArn(pattern: string): string {
  return pattern.replace(/\$\{aws:username\}/g, 'tester').replace(/\*/g, 'sample').replace(/\?/g, 's');
}

export const isWildcard = (action: string) => /[*?]/.test(action);
