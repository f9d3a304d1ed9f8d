import { attachedTo, BuiltProject, partFile } from '../policy/build-policies';
import { POLICY_KEYS } from '../render/render-project';

/** The services a project's service role is for: CloudFormation deploys its stacks, CodePipeline runs it. */
const SERVICE_ROLE_PRINCIPALS = ['cloudformation.amazonaws.com', 'codepipeline.amazonaws.com'];

const LOGICAL: Record<string, string> = { owner: 'OwnerPolicy', contributor: 'ContributorPolicy', viewer: 'ViewerPolicy' };

/**
 * One CloudFormation template per project: each managed policy (each part) as an AWS::IAM::ManagedPolicy
 * attached to the team's users and federated roles, the service role as an AWS::IAM::Role with its
 * policy inline, and the cross-account viewer role when the project has one.
 */
export function cloudFormationTemplate(built: BuiltProject): unknown {
  const { project, view } = built;
  const resources: Record<string, unknown> = {};
  const crossAccount = built.crossAccount ? 'CrossAccountViewerRole' : undefined;
  for (const role of POLICY_KEYS.filter((k) => k !== 'serviceRole')) {
    built.parts[role].forEach((doc, i) => {
      const { users, iamRoles } = attachedTo(built, role);
      // The cross-account role is created by this template: a Ref orders the attachment after it.
      const roles = iamRoles.map((r) => (crossAccount && r === view.crossAccountRoleName ? { Ref: crossAccount } : r));
      resources[`${LOGICAL[role]}${i === 0 ? '' : i + 1}`] = {
        Type: 'AWS::IAM::ManagedPolicy',
        Properties: {
          ManagedPolicyName: i === 0 ? view.policyNames[role] : `${view.policyNames[role]}_${i + 1}`,
          Description: `codestar-policy: ${role} of project ${project.id}${built.parts[role].length > 1 ? `, part ${i + 1} of ${built.parts[role].length}` : ''}`,
          PolicyDocument: doc,
          ...(users.length ? { Users: users } : {}),
          ...(roles.length ? { Roles: roles } : {}),
        },
      };
    });
  }
  resources.ServiceRole = {
    Type: 'AWS::IAM::Role',
    Properties: {
      RoleName: `CodeStarServiceRole-${project.id}`,
      AssumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: SERVICE_ROLE_PRINCIPALS }, Action: 'sts:AssumeRole' }],
      },
      Policies: built.parts.serviceRole.map((doc, i) => ({ PolicyName: partFile('serviceRole', i + 1).replace(/\.json$/, ''), PolicyDocument: doc })),
    },
  };
  if (built.crossAccount && crossAccount) {
    resources[crossAccount] = {
      Type: 'AWS::IAM::Role',
      Properties: { RoleName: view.crossAccountRoleName, AssumeRolePolicyDocument: built.crossAccount.trustPolicy },
    };
  }
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `codestar-policy: the IAM policies of project ${project.id}`,
    Resources: resources,
  };
}
