import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The dependency rule of ARCHITECTURE.md, read from the import statements of every source file:
 * main → app → {wecom, http, console, jobs-runtime, fake-wecom} → commands/jobs → chat → domain → {protocol, faq, db, clock, calendar, …}.
 * A file may import its own layer or a lower one; nothing may form a cycle.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SOURCE_DIRS = ['src', 'commands', 'jobs', 'fake-wecom'];

/** Layers, lowest first; a path belongs to the first layer with a matching prefix. */
const LAYERS: { name: string; prefixes: string[] }[] = [
  // The wire types (src/protocol) sit with the base: they name a database transaction, and everything above reads them.
  {
    name: 'base',
    prefixes: ['src/protocol/', 'src/clock.ts', 'src/log.ts', 'src/log-throttle.ts', 'src/config.ts', 'src/secrets.ts', 'src/calendar/', 'src/db/', 'src/faq/', 'src/backup/', 'src/admin-token.ts'],
  },
  { name: 'domain', prefixes: ['src/domain/'] },
  { name: 'chat', prefixes: ['src/chat/'] },
  { name: 'commands/jobs', prefixes: ['commands/', 'jobs/'] },
  // The simulated WeCom is a peer of the transport: the sandbox runs it, the tests talk to it.
  { name: 'edge', prefixes: ['src/wecom/', 'src/http/', 'src/console/', 'src/marketing/', 'src/jobs-runtime.ts', 'fake-wecom/'] },
  { name: 'app', prefixes: ['src/app.ts'] },
  // Entry points: the service, and the operator's commands (npm run backup, restore, token).
  { name: 'main', prefixes: ['src/main.ts', 'src/cli/'] },
];

function layerOf(file: string): number {
  const index = LAYERS.findIndex((layer) => layer.prefixes.some((prefix) => file.startsWith(prefix)));
  if (index < 0) throw new Error(`${file} belongs to no layer of the dependency rule: add it to ARCHITECTURE.md and this test`);
  return index;
}

function sourceFiles(dir: string): string[] {
  const full = path.join(root, dir);
  if (!existsSync(full)) return [];
  return readdirSync(full).flatMap((name) => {
    const relative = path.posix.join(dir, name);
    if (statSync(path.join(root, relative)).isDirectory()) return sourceFiles(relative);
    return /\.ts$/.test(name) && !/\.(test|d)\.ts$/.test(name) ? [relative] : [];
  });
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

/** The relative imports of a file, resolved to repository paths. Type-only imports count: they tie modules together too. */
function importsOf(file: string): string[] {
  const text = readFileSync(path.join(root, file), 'utf8');
  const found: string[] = [];
  for (const match of text.matchAll(IMPORT)) {
    const specifier = match[1] ?? match[2]!;
    if (!specifier.startsWith('.')) continue;
    const base = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
    const candidates = [base, `${base}.ts`, `${base}/index.ts`, base.replace(/\.js$/, '.ts')];
    found.push(candidates.find((candidate) => existsSync(path.join(root, candidate)) && statSync(path.join(root, candidate)).isFile()) ?? base);
  }
  return found;
}

interface Violation {
  file: string;
  imports: string;
  why: string;
}

/** Every import that breaks the rule, and every cycle (as the chain of files that forms it). */
function checkArchitecture(graph: Map<string, string[]>): { violations: Violation[]; cycles: string[][] } {
  const violations: Violation[] = [];
  for (const [file, targets] of graph) {
    for (const target of targets) {
      if (target.startsWith('test/') || target.startsWith('bench/')) {
        violations.push({ file, imports: target, why: 'product code never imports tests or benchmarks' });
      } else if (target === 'src/app.ts' && file !== 'src/main.ts') {
        violations.push({ file, imports: target, why: 'only main.ts (and tests) import the composition root' });
      } else if (target.startsWith('src/wecom/') && !file.startsWith('src/wecom/') && file !== 'src/app.ts') {
        violations.push({ file, imports: target, why: 'only app.ts reaches the WeCom transport; share wire types through src/protocol' });
      } else if (graph.has(target) && layerOf(target) > layerOf(file)) {
        violations.push({
          file,
          imports: target,
          why: `${LAYERS[layerOf(file)]!.name} may not import ${LAYERS[layerOf(target)]!.name} (dependencies point down)`,
        });
      }
    }
  }
  return { violations, cycles: findCycles(graph) };
}

/** Strongly connected components with more than one file (or a file importing itself), by Tarjan's algorithm. */
function findCycles(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (node: string) => {
    index.set(node, counter);
    low.set(node, counter++);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue;
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || (graph.get(node) ?? []).includes(node)) cycles.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return cycles;
}

function projectGraph(): Map<string, string[]> {
  return new Map(SOURCE_DIRS.flatMap(sourceFiles).map((file) => [file, importsOf(file)]));
}

const describeViolation = (v: Violation) => `${v.file} imports ${v.imports}: ${v.why}`;

describe('dependency rule', () => {
  const graph = projectGraph();

  it('every source file is in a layer and imports only its own layer or lower ones', () => {
    expect(graph.size).toBeGreaterThan(100);
    expect(checkArchitecture(graph).violations.map(describeViolation)).toEqual([]);
  });

  it('has no import cycles', () => {
    expect(checkArchitecture(graph).cycles.map((cycle) => cycle.join(' ⇄ '))).toEqual([]);
  });

  it('names the file and the import when a forbidden one is added', () => {
    const broken = new Map(graph);
    broken.set('src/domain/tickets/flow.ts', [...(graph.get('src/domain/tickets/flow.ts') ?? []), 'src/chat/format.ts']);
    broken.set('src/chat/format.ts', [...(graph.get('src/chat/format.ts') ?? []), 'src/app.ts']);
    broken.set('src/console/sandbox.ts', [...(graph.get('src/console/sandbox.ts') ?? []), 'test/support/app.ts']);
    const { violations, cycles } = checkArchitecture(broken);
    expect(violations.map(describeViolation)).toEqual(
      expect.arrayContaining([
        'src/domain/tickets/flow.ts imports src/chat/format.ts: domain may not import chat (dependencies point down)',
        'src/chat/format.ts imports src/app.ts: only main.ts (and tests) import the composition root',
        'src/console/sandbox.ts imports test/support/app.ts: product code never imports tests or benchmarks',
      ]),
    );
    expect(cycles.some((cycle) => cycle.includes('src/domain/tickets/flow.ts') && cycle.includes('src/chat/format.ts'))).toBe(true);
  });
});

describe('pieces registered one way', () => {
  const graph = projectGraph();

  it.each(['commands', 'jobs'])('%s/index.ts imports every file of its folder, so the service and this test see each one', (dir) => {
    const pieces = sourceFiles(dir).filter((file) => file !== `${dir}/index.ts` && file !== 'jobs/spec.ts');
    expect(pieces.length).toBeGreaterThan(5);
    expect(pieces.filter((file) => !graph.get(`${dir}/index.ts`)!.includes(file))).toEqual([]);
  });

  it('nothing finds a piece by a computed import the graph cannot see', () => {
    // `await import(x)` with anything but a string literal (a method named import is no import).
    const computed = [...graph.keys()].filter((file) => /(?:await|return|=)\s*import\(\s*[^'"\s]/.test(readFileSync(path.join(root, file), 'utf8')));
    expect(computed).toEqual([]);
  });
});
