import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: {
    readonly functionName: string;
    readonly url: string;
    readonly lineNumber: number;
  };
  readonly children?: readonly number[];
}

interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface ProfileSummary {
  readonly file: string;
  /** The process it came from (`orders#1`), by the pid in the file name. */
  readonly process: string;
  /** Sampled time that was not idle, in ms. */
  readonly busyMs: number;
  /** Self time per origin (a package, node internals, the app bundle, GC), share of busy time. */
  readonly byOrigin: Array<{
    readonly origin: string;
    readonly ms: number;
    readonly share: number;
  }>;
  /**
   * Time of the samples whose stack passes through an origin: this charges a
   * socket or pipe write to the library that asked for it (pino, pg, NATS).
   */
  readonly throughOrigin: Array<{
    readonly origin: string;
    readonly ms: number;
    readonly share: number;
  }>;
  /** The functions with the most self time. */
  readonly topFunctions: Array<{
    readonly name: string;
    readonly ms: number;
    readonly share: number;
  }>;
}

/**
 * Where an app's CPU went, from the V8 profiles cpu-profiler.mjs wrote: self time
 * grouped by where the code comes from, which is what says whether the time is
 * the platform's own or a library's (ORM, driver, logger, NATS client...).
 */
export function summarizeProfiles(
  dir: string,
  names: ReadonlyMap<number, string>,
): ProfileSummary[] {
  let files: string[];
  try {
    files = readdirSync(dir).filter((file) => file.endsWith('.cpuprofile'));
  } catch {
    return [];
  }
  return files.map((file) => {
    // Node names them CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile.
    const pid = Number(/^CPU\.\d+\.\d+\.(\d+)\./.exec(file)?.[1]);
    const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Profile;
    return summarize(file, names.get(pid) ?? `pid ${pid}`, profile);
  });
}

function summarize(file: string, process: string, profile: Profile): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, index) => {
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0));
  });
  const parents = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parents.set(child, node.id);
  const origins = new Map<string, number>();
  const through = new Map<string, number>();
  const functions = new Map<string, number>();
  let busyUs = 0;
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)?.callFrame;
    if (!frame || frame.functionName === '(idle)') continue;
    busyUs += us;
    for (const origin of stackOrigins(id, byId, parents))
      through.set(origin, (through.get(origin) ?? 0) + us);
    const origin = originOf(frame.url, frame.functionName);
    origins.set(origin, (origins.get(origin) ?? 0) + us);
    const name = `${frame.functionName || '(anonymous)'} ${shortUrl(frame.url)}:${frame.lineNumber + 1}`;
    functions.set(name, (functions.get(name) ?? 0) + us);
  }
  const ranked = (entries: Map<string, number>, limit: number) =>
    [...entries]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([key, us]) => ({ key, ms: us / 1_000, share: busyUs ? us / busyUs : 0 }));
  return {
    file,
    process,
    busyMs: busyUs / 1_000,
    byOrigin: ranked(origins, 15).map(({ key, ms, share }) => ({ origin: key, ms, share })),
    throughOrigin: ranked(through, 15).map(({ key, ms, share }) => ({ origin: key, ms, share })),
    topFunctions: ranked(functions, 20).map(({ key, ms, share }) => ({ name: key, ms, share })),
  };
}

function stackOrigins(
  id: number,
  byId: ReadonlyMap<number, ProfileNode>,
  parents: ReadonlyMap<number, number>,
): Set<string> {
  const found = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parents.get(at)) {
    const frame = byId.get(at)?.callFrame;
    if (frame?.url) found.add(originOf(frame.url, frame.functionName));
  }
  return found;
}

function originOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const inModules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (inModules) return inModules[1] as string;
  if (url.startsWith('node:')) return 'node internals';
  if (url.includes('/dist/apps/')) return 'app bundle (apps + libs)';
  return url;
}

function shortUrl(url: string): string {
  const inModules = /node_modules\/(.*)$/.exec(url);
  if (inModules) return inModules[1] as string;
  return url.replace(/^.*\/dist\//, 'dist/');
}
