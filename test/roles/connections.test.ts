import { generateFixture } from '../support/fixtures';

/** The CodeConnections rules of shared/seeds 000, on the real policies of the connections-app case. */
const { projects } = generateFixture('connections-app');
const docs = projects[0].documents;
const statements = (role: keyof typeof docs) => docs[role].Statement;
const HANDSHAKE = /:(GetIndividualAccessToken|GetInstallationUrl|ListInstallationTargets|StartOAuthHandshake|RegisterAppCode|StartAppRegistrationHandshake)$/;

describe('CodeConnections policies', () => {
  it('use, on each connection and host, the service prefix of its own ARN', () => {
    for (const doc of Object.values(docs)) {
      for (const s of doc.Statement) {
        for (const arn of s.Resource.filter((r) => /^arn:[^:]+:(codeconnections|codestar-connections):/.test(r) && !r.includes('*'))) {
          expect([s.Sid, s.Action.map((a) => a.split(':')[0])]).toEqual([s.Sid, s.Action.map(() => arn.split(':')[2])]);
        }
      }
    }
  });

  it('give the service role UseConnection, limited to the named repository', () => {
    expect(statements('serviceRole').filter((s) => s.Action.some((a) => a.endsWith(':UseConnection')))).toEqual([
      expect.objectContaining({ Action: ['codeconnections:UseConnection'], Condition: { StringEquals: { 'codeconnections:FullRepositoryId': ['acme/web'] } } }),
      expect.objectContaining({ Action: ['codestar-connections:UseConnection'] }),
    ]);
  });

  it('let Owner and Contributor pass a connection to CodePipeline only, and Viewer not at all', () => {
    for (const role of ['owner', 'contributor'] as const) {
      const pass = statements(role).filter((s) => s.Action.some((a) => a.endsWith(':PassConnection')));
      expect(pass).toHaveLength(2);
      for (const s of pass) expect(Object.values(s.Condition!.StringEquals)).toEqual([['codepipeline.amazonaws.com']]);
    }
    expect(statements('viewer').flatMap((s) => s.Action).filter((a) => /Connection/.test(a) && !/:(GetConnection|ListConnections)$/.test(a))).toEqual([]);
  });

  it('give only Owner the console handshake of completing connections and setting up hosts', () => {
    expect(statements('owner').flatMap((s) => s.Action).filter((a) => HANDSHAKE.test(a)).length).toBe(10);
    for (const role of ['contributor', 'viewer', 'serviceRole'] as const) expect(statements(role).flatMap((s) => s.Action).filter((a) => HANDSHAKE.test(a))).toEqual([]);
  });
});
