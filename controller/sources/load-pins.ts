// Loads AtomVersion pins from directories of YAML files. One bad file or document never hides the
// others: every problem is reported with file:line:col, and every valid document still loads.

import { basename, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { DesiredAtomVersion, Origin } from '../domain/types.js';
import type { DesiredPackRelease } from '../domain/pack-release-types.js';
import { isReleaseDocument, readReleaseDocument, type ReleaseDocument } from './release-document.js';
import { refuseDuplicateReleases } from './release-duplicates.js';
import { findDuplicates, type LoadedPin } from './pin-duplicates.js';
import { readPinDocument, type PinDocument } from './pin-document.js';
import { listPinFiles, type PinFile } from './pin-files.js';
import type { PinProblem } from './pin-problem.js';
import {
  insideSource,
  namespaceMismatch,
  namespaceOfFile,
  type FileNamespace,
  type SourceNamespaces,
} from './source-namespaces.js';
import { compareProblems } from '../yaml/problem.js';
import { specGeneration } from './spec-generation.js';
import {
  DEFAULT_MAX_ALIAS_COUNT,
  DEFAULT_MAX_FILE_BYTES,
  parseYamlBytes,
  readYamlFile,
  tooLarge,
  type YamlFileResult,
} from '../yaml/yaml-file.js';

export type { PinProblem, PinProblemCode } from './pin-problem.js';
export { formatProblem } from '../yaml/problem.js';
export { DEFAULT_MAX_FILE_BYTES } from '../yaml/yaml-file.js';

export interface LoadPinsOptions {
  /** Files larger than this are refused unparsed. Default 1 MiB. */
  maxFileBytes?: number;
  /** Alias expansions allowed per document before it counts as an alias bomb. Default 100. */
  maxAliasCount?: number;
  /** Merged into every origin (e.g. `{ source: 'git', revision }`); file and line are always set here. */
  origin?: Partial<Origin>;
  /**
   * Show files relative to this folder. By default a file is shown under the directory as it was given
   * (`examples/pins/prod.yaml` for `examples/pins`), or, for an absolute directory, relative to the
   * directory's parent (`pins/prod.yaml` for `/srv/repo/pins`).
   */
  relativeTo?: string;
  /**
   * Two documents on one runtime: 'refuse' (default) loads neither and reports both; 'keep' loads both
   * for a consumer that refuses them itself with a status on each (the controller, via
   * domain/pin-refusals.ts). Two documents with one namespace/name are always refused.
   */
  duplicateRuntimes?: 'refuse' | 'keep';
}

/**
 * A pins folder (or file) and the source rules that give its files their namespace. Without `namespaces`,
 * a file's own metadata.namespace is used (`validate`, tests); every configured source passes its rules.
 */
export interface PinRoot {
  path: string;
  namespaces?: SourceNamespaces;
  /** Where `path` is inside the source's folder, when it is a folder below it ('' = the source's own). */
  folderInSource?: string;
}

export interface LoadPinsResult {
  /** Valid AtomVersions, in file order then document order. */
  desired: DesiredAtomVersion[];
  /** Valid IntegrationPackReleases (docs/publisher.md), in file order then document order. */
  releases: DesiredPackRelease[];
  /** Every problem found, ordered by file, line and column. */
  problems: PinProblem[];
}

interface Loaded extends LoadedPin {
  desired: DesiredAtomVersion;
}

/**
 * Reads every *.yaml / *.yml file under the given directories (recursively, in name order), every
 * document in each file, and returns the valid AtomVersions and all problems found. Documents of other
 * API groups (a ConfigMap, a kustomization) are skipped silently; empty documents are ignored.
 */
export async function loadPins(
  dir: string | PinRoot | (string | PinRoot)[],
  opts: LoadPinsOptions = {},
): Promise<LoadPinsResult> {
  const loaded: Loaded[] = [];
  const releases: DesiredPackRelease[] = [];
  const problems: PinProblem[] = [];
  const seen = new Set<string>();
  for (const { path: root, namespaces, folderInSource = '' } of uniqueRoots(
    Array.isArray(dir) ? dir : [dir],
  )) {
    const listing = await listPinFiles(root);
    if (!listing.ok) {
      problems.push({
        file: opts.relativeTo === undefined ? toPosix(root) : displayRoot(root, opts),
        line: 1,
        col: 1,
        code: 'DirectoryNotFound',
        message: listing.reason,
      });
      continue;
    }
    for (const file of listing.files) {
      // A file reached twice (a folder and a file in it, overlapping folders) is the same pins, read once.
      if (seen.has(resolve(file.path))) continue;
      seen.add(resolve(file.path));
      const shownAs = displayFile(root, file, opts);
      if (file.linksOutsideTo !== undefined) {
        problems.push(linkOutsideProblem(shownAs, file.linksOutsideTo));
        continue;
      }
      const read = await readYamlFile(file.path, opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES);
      const namespace =
        namespaces && namespaceOfFile(namespaces, insideSource(folderInSource, file.relative));
      const result = pinsOfFile(read, shownAs, opts, namespace);
      loaded.push(...result.loaded);
      releases.push(...result.releases);
      problems.push(...result.problems);
    }
  }
  return settle(loaded, releases, problems, opts);
}

function linkOutsideProblem(file: string, target: string): PinProblem {
  const message = `is a symbolic link to ${target}, outside the pins folder; it is not read (copy the file into the folder or link inside it)`;
  return { file, line: 1, col: 1, code: 'LinkOutsideFolder', message };
}

/** A file's content already in memory (a git blob), or only its size when it is too large to read. */
export interface PinFileContent {
  /** As shown in problems and origins (`pins/prod.yaml`). */
  file: string;
  /** The git blob id: with a ParsedPinFiles, a blob parsed before is not parsed again. */
  oid?: string;
  content: Uint8Array | { size: number };
  /** The namespace the source gives this file; without it, the file's metadata.namespace is used. */
  namespace?: FileNamespace;
}

interface FileLoad {
  loaded: Loaded[];
  releases: DesiredPackRelease[];
  problems: PinProblem[];
}

/** Pin files parsed before, by blob id and path: a file that did not change is not parsed again. */
export class ParsedPinFiles {
  private readonly entries = new Map<string, FileLoad>();
  private readonly used = new Set<string>();

  lookup(key: string): FileLoad | undefined {
    this.used.add(key);
    return this.entries.get(key);
  }

  store(key: string, load: FileLoad): void {
    this.used.add(key);
    this.entries.set(key, load);
  }

  /** Forgets the files the loads since the last prune did not use. */
  prune(): void {
    for (const key of this.entries.keys()) if (!this.used.has(key)) this.entries.delete(key);
    this.used.clear();
  }
}

/** loadPins for files already read (from git objects): the same checks, problems and order. */
export function loadPinContents(
  files: readonly PinFileContent[],
  opts: LoadPinsOptions = {},
  parsed?: ParsedPinFiles,
): LoadPinsResult {
  const loaded: Loaded[] = [];
  const releases: DesiredPackRelease[] = [];
  const problems: PinProblem[] = [];
  for (const file of files) {
    const key =
      file.oid === undefined ? undefined : `${file.oid}\0${file.file}\0${file.namespace?.namespace ?? ''}`;
    const earlier = key === undefined ? undefined : parsed?.lookup(key);
    const result = earlier ? restamped(earlier, opts.origin) : parseContent(file, opts);
    if (key !== undefined && !earlier) parsed?.store(key, result);
    loaded.push(...result.loaded);
    releases.push(...result.releases);
    problems.push(...result.problems);
  }
  return settle(loaded, releases, problems, opts);
}

function parseContent({ file, content, namespace }: PinFileContent, opts: LoadPinsOptions): FileLoad {
  const limit = opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const read: YamlFileResult =
    content instanceof Uint8Array
      ? parseYamlBytes(content, limit)
      : { ok: false, problem: tooLarge(content.size, limit) };
  return pinsOfFile(read, file, opts, namespace);
}

/** The same file's pins under this load's origin (the revision differs from commit to commit). */
function restamped(load: FileLoad, origin: Partial<Origin> = {}): FileLoad {
  return {
    problems: load.problems,
    loaded: load.loaded.map((pin) => ({
      ...pin,
      desired: { ...pin.desired, origin: { ...pin.desired.origin, ...origin } },
    })),
    releases: load.releases.map((release) => ({ ...release, origin: { ...release.origin, ...origin } })),
  };
}

/** Drops pins that conflict with each other (reported), and orders the problems. */
function settle(
  loaded: Loaded[],
  releases: DesiredPackRelease[],
  problems: PinProblem[],
  opts: LoadPinsOptions,
): LoadPinsResult {
  const duplicates = findDuplicates(loaded, { runtimes: opts.duplicateRuntimes !== 'keep' });
  problems.push(...duplicates.problems);
  const distinctReleases = refuseDuplicateReleases(releases);
  problems.push(...distinctReleases.problems);
  return {
    desired: loaded.filter((_, index) => !duplicates.conflicted.has(index)).map((pin) => pin.desired),
    releases: distinctReleases.releases,
    problems: problems.sort(compareProblems),
  };
}

function pinsOfFile(
  read: YamlFileResult,
  shownAs: string,
  opts: LoadPinsOptions,
  namespace?: FileNamespace,
): FileLoad {
  if (!read.ok) return { loaded: [], releases: [], problems: [{ file: shownAs, ...read.problem }] };
  const loaded: Loaded[] = [];
  const releases: DesiredPackRelease[] = [];
  const problems: PinProblem[] = [];
  const maxAliasCount = opts.maxAliasCount ?? DEFAULT_MAX_ALIAS_COUNT;
  for (const doc of read.yaml.documents) {
    if (isReleaseDocument(doc)) {
      const result = readReleaseDocument(doc, read.yaml.lineCounter, maxAliasCount);
      if (result.kind === 'invalid') problems.push(...result.problems.map((p) => ({ file: shownAs, ...p })));
      if (result.kind !== 'valid') continue;
      const placed = namespace ? placeInNamespace(result.release, namespace, shownAs) : result.release;
      if ('code' in placed) problems.push(placed);
      else releases.push(toDesiredRelease(placed, shownAs, opts.origin));
      continue;
    }
    const result = readPinDocument(doc, read.yaml.lineCounter, opts.maxAliasCount ?? DEFAULT_MAX_ALIAS_COUNT);
    if (result.kind === 'invalid') problems.push(...result.problems.map((p) => ({ file: shownAs, ...p })));
    if (result.kind !== 'valid') continue;
    const placed = namespace ? placeInNamespace(result.pin, namespace, shownAs) : result.pin;
    if ('code' in placed) problems.push(placed);
    else loaded.push(toLoaded(placed, shownAs, opts.origin));
  }
  return { loaded, releases, problems };
}

/** The pin in the namespace its source gives it, or the problem when the file claims another one. */
function placeInNamespace<T extends PinDocument | ReleaseDocument>(
  pin: T,
  namespace: FileNamespace,
  file: string,
): T | PinProblem {
  const declared = pin.declaredNamespace;
  if (declared === undefined || declared === namespace.namespace) {
    return { ...pin, namespace: namespace.namespace };
  }
  return {
    file,
    line: pin.namespaceAt.line,
    col: pin.namespaceAt.col,
    path: 'metadata.namespace',
    code: 'NamespaceMismatch',
    message: namespaceMismatch(declared, namespace),
  };
}

function toLoaded(pin: PinDocument, file: string, origin: Partial<Origin> = {}): Loaded {
  const key = `${pin.namespace}/${pin.name}`;
  const desired: DesiredAtomVersion = {
    key,
    name: pin.name,
    namespace: pin.namespace,
    generation: specGeneration(pin.spec),
    spec: pin.spec,
    origin: {
      source: 'file',
      ...origin,
      file,
      line: pin.start.line,
      at: { account: pin.accountAt, runtime: pin.runtimeAt },
    },
  };
  return {
    key,
    account: pin.spec.account,
    runtime: pin.spec.runtime,
    file,
    runtimeAt: pin.runtimeAt,
    nameAt: pin.nameAt,
    desired,
  };
}

function toDesiredRelease(
  release: ReleaseDocument,
  file: string,
  origin: Partial<Origin> = {},
): DesiredPackRelease {
  return {
    key: `${release.namespace}/${release.name}`,
    name: release.name,
    namespace: release.namespace,
    generation: specGeneration(release.spec),
    spec: release.spec,
    origin: {
      source: 'file',
      ...origin,
      file,
      line: release.start.line,
      at: { account: release.accountAt, runtime: release.packAt },
    },
  };
}

function displayFile(root: string, file: PinFile, opts: LoadPinsOptions): string {
  if (opts.relativeTo !== undefined) return toPosix(relative(resolve(opts.relativeTo), resolve(file.path)));
  if (file.relative === '') return toPosix(isAbsolute(root) ? basename(root) : root);
  return toPosix(join(isAbsolute(root) ? basename(root) : root, file.relative));
}

function displayRoot(root: string, opts: LoadPinsOptions): string {
  return displayFile(root, { path: root, relative: '' }, opts);
}

/** The folders as given, each once (`validate pins pins` reads pins once). */
function uniqueRoots(roots: readonly (string | PinRoot)[]): PinRoot[] {
  const byPath = new Map<string, PinRoot>();
  for (const given of roots) {
    const root = typeof given === 'string' ? { path: given } : given;
    if (!byPath.has(resolve(root.path))) byPath.set(resolve(root.path), root);
  }
  return [...byPath.values()];
}

function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}
