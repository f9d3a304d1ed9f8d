/**
 * `npm run bench [-- --sizes 1000,10000 --seed 1 --runs 3]`: wall time, CPU time and peak memory of
 * each command on the synthetic workload, as whole processes, without `--cache` and with it. Each command runs `runs` times: the table
 * gives the median time and the highest peak, as this machine's noise is ±20% from one run to the
 * next. Prints a table and writes bench/results.json, with every run's time.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { projectYaml, writeWorkload } from './workload';

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli', 'main.js');

interface Measure {
  command: string;
  projects: number;
  /** The median of the runs. */
  seconds: number;
  /** Each run's, in order. */
  runs: number[];
  /** User and system time of all the process's threads: steadier than wall time on a shared machine. */
  cpuSeconds: number;
  /** The highest of the runs. */
  peakRssMb: number;
  exitCode: number;
}

type Run = Omit<Measure, 'runs'>;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : Math.round(((sorted[mid - 1] + sorted[mid]) / 2) * 100) / 100;
}

/** The command `runs` times, with the arguments `args(k)` for the k-th run (from 0). */
function measureRuns(runs: number, label: string, projects: number, args: (k: number) => string[], cwd: string): Measure {
  const each = Array.from({ length: runs }, (_, k) => measure(label, projects, args(k), cwd));
  const failed = each.find((r) => r.exitCode !== each[0].exitCode);
  return {
    command: label,
    projects,
    seconds: median(each.map((r) => r.seconds)),
    runs: each.map((r) => r.seconds),
    cpuSeconds: median(each.map((r) => r.cpuSeconds)),
    peakRssMb: Math.max(...each.map((r) => r.peakRssMb)),
    exitCode: failed?.exitCode ?? each[0].exitCode,
  };
}

/** Runs the CLI in a child process that reports its own peak RSS when it ends. */
function measure(label: string, projects: number, args: string[], cwd: string): Run {
  const script = `require(${JSON.stringify(CLI.replace(/main\.js$/, 'main'))}).main(${JSON.stringify(args)}).then((code) => { const usage = process.resourceUsage(); process.stderr.write('\\nBENCH ' + JSON.stringify({ code, rss: usage.maxRSS, cpu: usage.userCPUTime + usage.systemCPUTime }) + '\\n'); process.exitCode = code; });`;
  const start = process.hrtime.bigint();
  const run = spawnSync(process.execPath, ['-e', script], { cwd, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const line = (run.stderr ?? '').split('\n').find((l) => l.startsWith('BENCH '));
  const reported = line ? (JSON.parse(line.slice(6)) as { code: number; rss: number; cpu: number }) : { code: run.status ?? -1, rss: 0, cpu: 0 };
  return { command: label, projects, seconds: Math.round(seconds * 100) / 100, cpuSeconds: Math.round(reported.cpu / 1e4) / 100, peakRssMb: Math.round(reported.rss / 1024), exitCode: reported.code };
}

function main(): void {
  const arg = (name: string, fallback: string) => {
    const at = process.argv.indexOf(`--${name}`);
    return at > 0 ? process.argv[at + 1] : fallback;
  };
  const sizes = arg('sizes', '1000,10000').split(',').map(Number);
  const seed = Number(arg('seed', '1'));
  const runs = Number(arg('runs', '3'));
  if (!Number.isInteger(runs) || runs < 1 || !sizes.every((n) => Number.isInteger(n) && n > 0)) {
    process.stderr.write('bench: --sizes takes whole numbers of projects, comma-separated (1000,10000); --runs a whole number, 1 or more\n');
    process.exit(2);
  }
  const results: Measure[] = [];
  // Removed only once everything is measured: right after a mass delete, creating files is slower. So
  // each run of a fresh generate writes a folder of its own, and the last one is the output after.
  const works: string[] = [];
  for (const n of sizes) {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), `bench-${n}-`));
    works.push(work);
    writeWorkload(path.join(work, 'projects'), n, seed);
    const common = (out: string) => ['--projects', 'projects', '--out', out, '--templates', path.join(ROOT, 'templates')];
    results.push(measureRuns(runs, 'generate (empty output)', n, (k) => ['generate', ...common(`fresh-${k}`)], work));
    // (A failed generate may have written nothing: the commands after it then say so.)
    if (fs.existsSync(path.join(work, `fresh-${runs - 1}`))) fs.renameSync(path.join(work, `fresh-${runs - 1}`), path.join(work, 'output'));
    results.push(measureRuns(runs, 'generate (nothing changed)', n, () => ['generate', ...common('output')], work));
    results.push(measureRuns(runs, 'check', n, () => ['check', ...common('output')], work));
    results.push(measureRuns(runs, 'lint', n, () => ['lint', ...common('output')], work));
    // --cache: each first run fills a cache of its own; the runs after take from the first one's.
    results.push(measureRuns(runs, 'check --cache (cache empty)', n, (k) => ['check', ...common('output'), '--cache-dir', `cache-${k}`], work));
    const cached = ['--cache-dir', 'cache-0'];
    results.push(measureRuns(runs, 'generate --cache (nothing changed)', n, () => ['generate', ...common('output'), ...cached], work));
    results.push(measureRuns(runs, 'check --cache', n, () => ['check', ...common('output'), ...cached], work));
    results.push(measureRuns(runs, 'lint --cache', n, () => ['lint', ...common('output'), ...cached], work));
    fs.writeFileSync(path.join(work, 'projects', 'p0.yaml'), projectYaml(0, seed + 1).replace(/^id: .*$/m, 'id: p0'));
    results.push(measureRuns(runs, 'diff (one project changed)', n, () => ['diff', ...common('output')], work));
    results.push(measureRuns(runs, 'diff --cache (one project changed)', n, () => ['diff', ...common('output'), ...cached], work));
  }
  const help = measureRuns(runs, '--help', 0, () => ['--help'], ROOT);
  results.push(help);
  for (const work of works) fs.rmSync(work, { recursive: true, force: true });
  const range = (r: Measure) => (r.runs.length > 1 ? `${Math.min(...r.runs).toFixed(2)} to ${Math.max(...r.runs).toFixed(2)}` : '');
  const rows = results.map((r) => `| ${r.command} | ${r.projects} | ${r.seconds.toFixed(2)} | ${range(r)} | ${r.cpuSeconds.toFixed(2)} | ${r.projects ? Math.round(r.projects / r.seconds) : ''} | ${r.peakRssMb} | ${r.exitCode} |`);
  const ratio = (command: string) => {
    const at = (n: number) => results.find((r) => r.command === command && r.projects === n)?.seconds;
    const [a, b] = [at(sizes[0]), at(sizes[sizes.length - 1])];
    return a && b && sizes.length > 1 ? `${command}: ${(b / a).toFixed(1)}x` : undefined;
  };
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  const table = [`| command | projects | seconds (median of ${runs}) | range | CPU seconds | projects/s | peak RSS (MB) | exit |`, '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |', ...rows].join('\n');
  const ratios = [...new Set(results.filter((r) => r.projects > 0).map((r) => r.command))].map(ratio).filter(Boolean);
  process.stdout.write(`${table}\n\nmachine: ${machine}\n${ratios.length ? `time at ${sizes[sizes.length - 1]} / time at ${sizes[0]}: ${ratios.join(', ')}\n` : ''}`);
  fs.writeFileSync(path.join(ROOT, 'bench', 'results.json'), `${JSON.stringify({ date: new Date().toISOString(), machine, seed, sizes, runs, results }, null, 2)}\n`);
}

main();
