import { spawnSync } from 'child_process';
import * as path from 'path';

/**
 * `--help` and `--version` print and return before the commands, the templates and IAM's data load:
 * what a process has required is the measure (a timing would be a timed test).
 */
const MAIN = path.resolve(__dirname, '..', '..', 'dist', 'cli', 'main.js');

function loadedBy(args: string[]): string[] {
  const script = `require(${JSON.stringify(MAIN)}).main(${JSON.stringify(args)}).then((code) => process.stderr.write(JSON.stringify({ code, loaded: Object.keys(require.cache) })))`;
  const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  const report = JSON.parse(run.stderr) as { code: number; loaded: string[] };
  expect(report.code).toBe(0);
  return report.loaded;
}

describe('codestar-policy --help', () => {
  const heavy = (loaded: string[]) => loaded.filter((f) => /[\\/]dist[\\/](index|cli[\\/]commands)\.js$|[\\/]node_modules[\\/](@cloud-copilot|handlebars|js-yaml|deep-diff)[\\/]/.test(f));

  it.each([[['--help']], [['--version']], [['generate', '--help']]])('%j loads no command, template engine or IAM data', (args) => {
    expect(heavy(loadedBy(args))).toEqual([]);
  });

  it('is told apart from a command, which does load them', () => {
    expect(heavy(loadedBy(['schema'])).length).toBeGreaterThan(0);
  });
});
