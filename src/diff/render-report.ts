import { DiffReport, GrantChange, ProjectDiff, RoleDiff } from './diff';

const ROLE_NAMES: Record<string, string> = { owner: 'Owner', contributor: 'Contributor', viewer: 'Viewer', serviceRole: 'Service role' };

/**
 * Gains or losses as a reviewer reads them: by cause, then service and access level, then resource,
 * with the actions on one line.
 */
function grouped(grants: GrantChange[]): { cause: string; lines: string[] }[] {
  const byCause = new Map<string, Map<string, string[]>>();
  for (const g of grants) {
    const line = `${g.service} · ${g.levels.join(', ')}${g.risk ? ` [risk: ${g.risk}]` : ''} on ${g.resource}${g.condition ? ` when ${g.condition}` : ''}`;
    const lines = byCause.get(g.cause) ?? new Map<string, string[]>();
    lines.set(line, [...(lines.get(line) ?? []), g.action.split(':')[1]]);
    byCause.set(g.cause, lines);
  }
  return [...byCause].map(([cause, lines]) => ({
    cause,
    lines: [...lines].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([line, actions]) => `${line}: ${actions.sort().join(', ')}`),
  }));
}

function statementsText(role: RoleDiff): string[] {
  const s = role.structural;
  return [
    ...s.added.map((sid) => `statement ${sid} added`),
    ...s.removed.map((sid) => `statement ${sid} removed`),
    ...s.changed.map((c) => `statement ${c.sid} changed: ${c.changes.join('; ')}`),
  ];
}

function flags(role: RoleDiff): string {
  return [role.broadens ? 'broadens' : '', role.risk ? 'risk' : ''].filter(Boolean).join(', ');
}

export function renderMarkdown(report: DiffReport): string {
  const out: string[] = [`## codestar-policy diff against ${report.base}`, ''];
  if (report.projects.length === 0) return `${out.join('\n')}No change.\n`;
  out.push('| Project | Role | Gained | Lost | Broadens | Risk |', '| --- | --- | ---: | ---: | :---: | :---: |');
  for (const p of report.projects) {
    for (const r of p.roles) out.push(`| ${p.project} | ${ROLE_NAMES[r.role]} | ${r.gained.length} | ${r.lost.length} | ${r.broadens ? 'yes' : ''} | ${r.risk ? '⚠️' : ''} |`);
    if (p.roles.length === 0) out.push(`| ${p.project} | (manifest only) | 0 | 0 | | |`);
  }
  for (const p of report.projects) {
    out.push('', `### ${p.project} (${p.status})`, '', ...p.causes.map((c) => `- ${c}`));
    for (const r of p.roles) {
      out.push('', `<details><summary>${ROLE_NAMES[r.role]}: +${r.gained.length} −${r.lost.length}${flags(r) ? ` (${flags(r)})` : ''}</summary>`, '');
      for (const [label, grants] of [['Gained', r.gained], ['Lost', r.lost]] as const) {
        if (grants.length === 0) continue;
        out.push(`**${label}**`, '');
        for (const g of grouped(grants)) out.push(`- because ${g.cause}:`, ...g.lines.map((l) => `  - ${l}`));
        out.push('');
      }
      const statements = statementsText(r);
      if (statements.length > 0) out.push('**Statements**', '', ...statements.map((s) => `- ${s}`), '');
      out.push('</details>');
    }
  }
  return `${out.join('\n')}\n`;
}

export interface Colours {
  red(s: string): string;
  green(s: string): string;
  bold(s: string): string;
}

export const NO_COLOURS: Colours = { red: (s) => s, green: (s) => s, bold: (s) => s };
export const ANSI: Colours = { red: (s) => `\x1b[31m${s}\x1b[0m`, green: (s) => `\x1b[32m${s}\x1b[0m`, bold: (s) => `\x1b[1m${s}\x1b[0m` };

export function renderText(report: DiffReport, c: Colours = NO_COLOURS): string {
  if (report.projects.length === 0) return `No change against ${report.base}.\n`;
  const out: string[] = [];
  for (const p of report.projects) out.push(...projectText(p, c));
  const s = report.summary;
  out.push(`${s.projects} project${s.projects === 1 ? '' : 's'} changed: ${s.gained} grants gained, ${s.lost} lost${s.broadens ? '; broadens' : ''}${s.risk ? '; risk' : ''} (against ${report.base})`);
  return `${out.join('\n')}\n`;
}

function projectText(p: ProjectDiff, c: Colours): string[] {
  const out = [c.bold(`${p.project} (${p.status})`), ...p.causes.map((x) => `  cause: ${x}`)];
  for (const r of p.roles) {
    out.push(`  ${c.bold(ROLE_NAMES[r.role])}: +${r.gained.length} -${r.lost.length}${flags(r) ? ` (${flags(r)})` : ''}`);
    for (const g of grouped(r.gained)) out.push(`    because ${g.cause}:`, ...g.lines.map((l) => `      ${c.green(`+ ${l}`)}`));
    for (const g of grouped(r.lost)) out.push(`    because ${g.cause}:`, ...g.lines.map((l) => `      ${c.red(`- ${l}`)}`));
    out.push(...statementsText(r).map((s) => `    ${s}`));
  }
  return out;
}
