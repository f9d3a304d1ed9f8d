import { attachedTo, BuiltProject, partFile } from '../policy/build-policies';
import { POLICY_KEYS } from '../render/render-project';

const SERVICE_ROLE_PRINCIPALS = ['cloudformation.amazonaws.com', 'codepipeline.amazonaws.com'];

/**
 * Terraform reads every string of its JSON syntax as a template: a policy's own `${aws:username}` must
 * reach IAM as written, so `${` and `%{` are escaped as `$${` and `%%{`.
 */
export function terraformLiteral(text: string): string {
  // Replacement functions, not strings: in a replacement string `$$` is itself an escape for `$`.
  return text.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
}

/** A Terraform resource name: letters, digits, `_` and `-`, starting with a letter or `_`. */
function name(...parts: string[]): string {
  const joined = parts.join('_').replace(/[^A-Za-z0-9_-]/g, '_');
  return /^[A-Za-z_]/.test(joined) ? joined : `_${joined}`;
}

/**
 * One Terraform JSON configuration per project: `aws_iam_policy` for each managed policy (each part),
 * attachments to the team's users and federated roles, the service role with its policy inline, and
 * the cross-account viewer role.
 */
export function terraformConfiguration(built: BuiltProject): unknown {
  const { project, view } = built;
  const policies: Record<string, unknown> = {};
  const userAttachments: Record<string, unknown> = {};
  const roleAttachments: Record<string, unknown> = {};
  const roles: Record<string, unknown> = {};
  const rolePolicies: Record<string, unknown> = {};
  for (const role of POLICY_KEYS.filter((k) => k !== 'serviceRole')) {
    built.parts[role].forEach((doc, i) => {
      const policy = name(i === 0 ? role : `${role}_${i + 1}`);
      policies[policy] = {
        name: i === 0 ? view.policyNames[role] : `${view.policyNames[role]}_${i + 1}`,
        description: `codestar-policy: ${role} of project ${project.id}`,
        policy: terraformLiteral(JSON.stringify(doc)),
      };
      const arn = `\${aws_iam_policy.${policy}.arn}`;
      const { users, iamRoles } = attachedTo(built, role);
      for (const user of users) userAttachments[name(policy, user)] = { user: terraformLiteral(user), policy_arn: arn };
      for (const iamRole of iamRoles) {
        // The cross-account role is created here: an expression orders the attachment after it.
        const created = built.crossAccount && iamRole === view.crossAccountRoleName;
        roleAttachments[name(policy, created ? 'cross_account_viewer' : iamRole)] = { role: created ? '${aws_iam_role.cross_account_viewer.name}' : terraformLiteral(iamRole), policy_arn: arn };
      }
    });
  }
  roles.service_role = {
    name: `CodeStarServiceRole-${project.id}`,
    assume_role_policy: terraformLiteral(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: SERVICE_ROLE_PRINCIPALS }, Action: 'sts:AssumeRole' }] })),
  };
  built.parts.serviceRole.forEach((doc, i) => {
    rolePolicies[name('service_role', String(i + 1))] = { name: partFile('serviceRole', i + 1).replace(/\.json$/, ''), role: '${aws_iam_role.service_role.id}', policy: terraformLiteral(JSON.stringify(doc)) };
  });
  if (built.crossAccount) roles.cross_account_viewer = { name: view.crossAccountRoleName, assume_role_policy: terraformLiteral(JSON.stringify(built.crossAccount.trustPolicy)) };
  const resource: Record<string, unknown> = { aws_iam_policy: policies, aws_iam_role: roles, aws_iam_role_policy: rolePolicies };
  if (Object.keys(userAttachments).length) resource.aws_iam_user_policy_attachment = userAttachments;
  if (Object.keys(roleAttachments).length) resource.aws_iam_role_policy_attachment = roleAttachments;
  return { '//': `codestar-policy: the IAM policies of project ${project.id}`, resource };
}
