// Turns the JSON of the child processes into rows, checks targets, and prints text or markdown.
import { implementations } from './discover.mjs';
import { median } from './measure.mjs';

/**
 * One row per (scenario, implementation): medians over processes of each process's medians over
 * rounds, the range of the per-process ratios, bytes per call, and target checks (crackstop rows).
 * `runs` holds each process's output of timeRounds, `alloc` the output of allocations.
 */
export function aggregate(scenarios, runs, alloc) {
  const rows = [];
  for (const scenario of scenarios) {
    const rawNs = median(runs.map((run) => run[scenario.name].raw.ns));
    const rawBytes = alloc?.[scenario.name]?.raw ?? NaN;
    for (const [impl] of implementations(scenario)) {
      // Below 1 ns the baseline is the timer's floor, and a ratio to it means nothing: shown as –.
      const ratios = rawNs < 1 ? [NaN] : runs.map((run) => run[scenario.name][impl].ratio);
      const ns = median(runs.map((run) => run[scenario.name][impl].ns));
      const bytes = alloc?.[scenario.name]?.[impl] ?? NaN;
      const row = { scenario: scenario.name, impl, ns, extraNs: ns - rawNs, ratio: median(ratios) };
      Object.assign(row, { low: Math.min(...ratios), high: Math.max(...ratios), bytes, extraBytes: bytes - rawBytes });
      if (impl === 'crackstop' && scenario.target !== undefined) row.checks = checks(scenario.target, row);
      rows.push(row);
    }
  }
  return rows;
}

function checks(target, row) {
  const out = [];
  if (target.ratio !== undefined) out.push({ text: `≤ ${target.ratio}x`, met: row.ratio <= target.ratio });
  if (target.extraNs !== undefined) out.push({ text: `≤ +${target.extraNs} ns`, met: row.extraNs <= target.extraNs });
  if (target.extraBytes !== undefined) out.push({ text: `≤ +${target.extraBytes} B`, met: row.extraBytes <= target.extraBytes });
  return out;
}

const HEAD = ['scenario', 'implementation', 'ns/call', '+ns vs raw', '× raw', '× raw, range', 'B/call', '+B vs raw', 'target'];

function cells(row, previous) {
  const target = row.checks?.map((c) => `${c.text} ${c.met ? 'met' : 'MISSED'}`).join('; ') ?? '';
  return [
    row.scenario === previous ? '' : row.scenario,
    row.impl,
    num(row.ns),
    row.impl === 'raw' ? '' : signed(row.extraNs),
    row.impl === 'raw' ? '1' : ratio(row.ratio),
    row.impl === 'raw' || Number.isNaN(row.ratio) ? '' : `${ratio(row.low)}–${ratio(row.high)}`,
    num(Math.round(row.bytes)),
    row.impl === 'raw' ? '' : signed(Math.round(row.extraBytes)),
    target,
  ];
}

/** A plain-text table for the terminal. */
export function textTable(rows) {
  const lines = [HEAD, ...rows.map((row, i) => cells(row, rows[i - 1]?.scenario))];
  const widths = HEAD.map((_, c) => Math.max(...lines.map((l) => l[c].length)));
  const format = (l) => l.map((cell, c) => (c >= 2 && c <= 7 ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ').trimEnd();
  return [format(lines[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...lines.slice(1).map(format)].join('\n');
}

/** The same table in markdown, numbers right-aligned. */
export function markdownTable(rows) {
  const align = HEAD.map((_, c) => (c >= 2 && c <= 7 ? '--:' : '---'));
  const line = (l) => `| ${l.join(' | ')} |`;
  return [line(HEAD), line(align), ...rows.map((row, i) => line(cells(row, rows[i - 1]?.scenario).map((c, k) => (k === 0 && c ? `**${c}**` : c))))].join('\n');
}

/** One line per crackstop target, "met" or "MISSED", as text or as a markdown list. */
export function targetSummary(rows, markdown = false) {
  return rows.flatMap((row) =>
    (row.checks ?? []).map((c) => {
      const line = `${row.scenario}: ${c.text} (${describe(c, row)})`;
      if (markdown) return `- ${c.met ? 'met' : '**MISSED**'}: ${line}`;
      return `${c.met ? 'met   ' : 'MISSED'}  ${line}`;
    }),
  );
}

function describe(check, row) {
  if (check.text.endsWith('x')) return `${ratio(row.ratio)}`;
  if (check.text.endsWith('ns')) return `${signed(row.extraNs)} ns`;
  return `${signed(Math.round(row.extraBytes))} B`;
}

function num(value) {
  if (Number.isNaN(value)) return '?';
  return value < 10 && !Number.isInteger(value) ? value.toFixed(1) : Math.round(value).toLocaleString('en-US');
}

function signed(value) {
  if (Number.isNaN(value)) return '?';
  return `${value < 0 ? '−' : '+'}${num(Math.abs(value))}`;
}

function ratio(value) {
  if (Number.isNaN(value)) return '–';
  return `${value < 10 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : Math.round(value)}x`;
}
