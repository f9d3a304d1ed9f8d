import { PROGRESS_FROM, progressBar, progressLine } from '../../src/cli/progress';

function terminal(isTTY: boolean) {
  const written: string[] = [];
  return { stream: { isTTY, columns: 80, write: (text: string) => written.push(text) > 0 }, written };
}

describe('the progress bar', () => {
  it('shows a bar, a count and the time left on a terminal, for a large run, and clears it at the end', () => {
    const { stream, written } = terminal(true);
    let clock = 0;
    const bar = progressBar(stream, { env: {}, now: () => clock });
    for (let done = 1; done <= 1000; done++) {
      clock += 10;
      bar.update(done, 1000);
    }
    bar.end();
    expect(written.length).toBeGreaterThan(50);
    expect(written.length).toBeLessThan(120); // redrawn at most ten times a second, not once per project
    expect(written[written.length - 2]).toBe(`\r[####################] 1000/1000 projects, done`);
    expect(written[written.length - 1]).toBe('\r\x1b[K');
  });

  it('draws at full width on a terminal that reports no width (a pseudo-terminal may say 0 columns)', () => {
    const written: string[] = [];
    const bar = progressBar({ isTTY: true, columns: 0, write: (text: string) => written.push(text) > 0 }, { env: {} });
    bar.update(1000, 1000);
    expect(written).toEqual(['\r[####################] 1000/1000 projects, done']);
  });

  it('says nothing when piped, in CI, with --quiet, or for a small run', () => {
    for (const [isTTY, options] of [
      [false, { env: {} }],
      [true, { env: { CI: 'true' } }],
      [true, { env: {}, quiet: true }],
    ] as const) {
      const { stream, written } = terminal(isTTY);
      const bar = progressBar(stream, options);
      for (let done = 1; done <= 1000; done++) bar.update(done, 1000);
      bar.end();
      expect(written).toEqual([]);
    }
    const { stream, written } = terminal(true);
    const bar = progressBar(stream, { env: {} });
    for (let done = 1; done <= PROGRESS_FROM; done++) bar.update(done, PROGRESS_FROM);
    bar.end();
    expect(written).toEqual([]);
  });

  it('estimates the time left from the pace so far (not from the first, slowest projects), and fits the terminal', () => {
    expect(progressLine(250, 1000, 2000, 80)).toBe('[#####---------------]  250/1000 projects, about 6 s left');
    expect(progressLine(0, 1000, 0, 80)).toBe('[--------------------]    0/1000 projects, starting');
    expect(progressLine(5, 1000, 900, 80)).toBe('[--------------------]    5/1000 projects, estimating the time left');
    expect(progressLine(250, 1000, 2000, 20)).toHaveLength(19);
    expect(progressLine(250, 1000, 2000, 0)).toHaveLength(0);
  });
});
