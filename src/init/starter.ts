import { ResourceType } from '../resources/resource-type';

export interface StarterOptions {
  id: string;
  region: string;
  account: string;
}

/**
 * A commented starter project: valid as it stands (no resources yet), with every resource type of the
 * templates as a commented example, its fields and their naming rules.
 */
export function starterProject(options: StarterOptions, types: Iterable<ResourceType>): string {
  // `text  # comment`, the comments in one column.
  const c = (text: string, comment?: string) => (comment ? `${text.padEnd(34)} # ${comment}` : text);
  const lines = [
    '# yaml-language-server: $schema=../schema/project.schema.json',
    '#',
    '# A codestar-policy project. Uncomment the team members and resources that belong to it, fill in',
    '# their names, then run `npx codestar-policy generate` and review output/ in a pull request.',
    c(`id: ${options.id}`, "CodeStar's rule: 2-15 characters, ^[a-z][a-z0-9-]+$; the file's name"),
    c('# name: My project', 'optional free text, never part of an ARN'),
    c(`region: ${options.region}`, 'the partition follows: cn-* aws-cn, us-gov-* aws-us-gov, else aws'),
    c(`account: "${options.account}"`, 'the 12-digit account id, quoted'),
    'team:',
    c('  # - user: alice', "an IAM user: gets the role's policy attached"),
    c('  #   role: owner', 'owner | contributor | viewer'),
    c('  # - iamRole: Developers', 'an IAM role that federated users assume'),
    '  #   role: contributor',
    'serviceRole:',
    c('  scope: project', "project: narrowed to these resources | account: CodeStar's own"),
    c('resources:', 'each one: type and its fields, or its arn'),
  ];
  for (const type of [...types].sort((a, b) => a.name.localeCompare(b.name))) {
    lines.push(`  # ${type.description}`, `  # - type: ${type.name}`);
    for (const field of type.fields) {
      lines.push(c(`  #   ${field.name}: ...`, [field.required ? '' : 'optional', field.rule ?? field.description].filter(Boolean).join('; ')));
    }
  }
  lines.push(c('  # - arn: arn:aws:codebuild:us-east-1:123456789012:project/my-build', 'any of them, by its ARN'));
  return `${lines.join('\n')}\n`;
}
