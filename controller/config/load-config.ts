// Loads atomsync.yaml: one YAML document, checked against the config schema and its cross-field rules,
// with defaults applied and every path made absolute against the config file's folder.

import { dirname, resolve, sep } from 'node:path';
import {
  compileSchema,
  formatPath,
  type PathSegment,
  type SchemaIssue,
} from '../schema/atomversion-schema.js';
import { compareProblems } from '../yaml/problem.js';
import { documentSyntaxProblems, documentValue, readYamlFile, type ParsedYaml } from '../yaml/yaml-file.js';
import { documentStart, locate } from '../yaml/yaml-positions.js';
import { ConfigError, type ConfigProblem, type ConfigProblemCode } from './config-error.js';
import { checkConfigRules } from './config-rules.js';
import { configSchema } from './config-schema.js';
import type { AccountConfig, AtomsyncConfig, GitAuthConfig, SourceConfig } from './types.js';

export { ConfigError, type ConfigProblem, type ConfigProblemCode } from './config-error.js';

const validateConfig = compileSchema<RawConfig>(configSchema);

/** The config as written, once the schema accepted it (paths still relative, no aliases on accounts). */
type RawConfig = Omit<AtomsyncConfig, 'configFile' | 'baseDir'>;

const SECRET_FIELDS = new Set(['token', 'password', 'apiToken', 'secret']);

/** Loads and checks a config file. Throws ConfigError (with every problem found) when it is not valid. */
export async function loadConfig(file: string): Promise<AtomsyncConfig> {
  const shown = file.split(sep).join('/');
  const read = await readYamlFile(file);
  if (!read.ok) throw new ConfigError(shown, [{ file: shown, ...read.problem }]);
  const checked = checkDocument(read.yaml);
  if (!checked.ok)
    throw new ConfigError(shown, checked.problems.map((p) => ({ file: shown, ...p })).sort(compareProblems));
  const configFile = resolve(file);
  return resolvePaths(checked.value, configFile);
}

type Located = Omit<ConfigProblem, 'file'>;
type Checked = { ok: true; value: RawConfig } | { ok: false; problems: Located[] };

function checkDocument(yaml: ParsedYaml): Checked {
  const { documents, lineCounter } = yaml;
  const [doc, second] = documents.filter((d) => d.contents !== null || d.errors.length > 0);
  if (!doc) return fail({ line: 1, col: 1, code: 'EmptyConfig', message: 'the config file is empty' });
  if (second) {
    const message = 'a config file holds one YAML document; remove the second one (or the --- marker)';
    return fail({ ...documentStart(second, lineCounter), code: 'MultipleDocuments', message });
  }
  const syntax = documentSyntaxProblems(doc, lineCounter);
  if (syntax.length > 0) return { ok: false, problems: syntax };
  const data = documentValue(doc, lineCounter);
  if (!data.ok) return fail(data.problem);
  if (typeof data.value !== 'object' || data.value === null || Array.isArray(data.value)) {
    const message =
      'expected a mapping (apiVersion: atomsync.io/v1alpha1, kind: Config, platform, accounts, …)';
    return fail({ ...documentStart(doc, lineCounter), code: 'NotAMapping', message });
  }
  const at = (segments: PathSegment[], target: 'key' | 'node' = 'node') =>
    locate(doc, segments, lineCounter, target);
  const validation = validateConfig(data.value);
  const issues = validation.ok ? [] : validation.errors;
  const schemaProblems = issues.map((issue) => schemaProblem(issue, at));
  const windowsValid = !issues.some((issue) => issue.segments[0] === 'defaultWindows');
  const ruleProblems = checkConfigRules(validation.ok ? validation.value : data.value, windowsValid)
    .filter((rule) => !coveredBySchema(rule.segments, issues))
    .map((rule) => ({
      ...at(rule.segments),
      path: formatPath(rule.segments),
      code: rule.code,
      message: rule.message,
    }));
  const problems = [...schemaProblems, ...ruleProblems];
  return validation.ok && problems.length === 0 ? validation : { ok: false, problems };
}

/** A rule about a part the schema already rejected would only repeat it. */
function coveredBySchema(segments: PathSegment[], issues: SchemaIssue[]): boolean {
  const path = formatPath(segments);
  return issues.some((issue) => issue.path === path && issue.keyword !== 'additionalProperties');
}

function fail(problem: Located): Checked {
  return { ok: false, problems: [problem] };
}

function schemaProblem(
  issue: SchemaIssue,
  at: (s: PathSegment[], t: 'key' | 'node') => { line: number; col: number },
): Located {
  return {
    ...at(issue.segments, issue.target),
    ...(issue.path ? { path: issue.path } : {}),
    code: codeOf(issue),
    message: issue.message,
  };
}

function codeOf(issue: SchemaIssue): ConfigProblemCode {
  if (issue.keyword === 'additionalProperties') {
    return SECRET_FIELDS.has(String(issue.segments.at(-1))) ? 'InlineSecret' : 'UnknownField';
  }
  if (issue.keyword === 'type') return 'WrongType';
  if (issue.keyword === 'required') return 'MissingField';
  return 'InvalidValue';
}

// ---------------------------------------------------------------------------------------------------

function resolvePaths(config: RawConfig, configFile: string): AtomsyncConfig {
  const baseDir = dirname(configFile);
  const at = (path: string): string => resolve(baseDir, path);
  const platform = config.platform.embedded
    ? { ...config.platform, embedded: { scenario: at(config.platform.embedded.scenario) } }
    : config.platform;
  const accounts = Object.fromEntries(
    Object.entries(config.accounts).map(([alias, account]): [string, AccountConfig] => [
      alias,
      { ...account, alias, ...(account.tokenFile !== undefined ? { tokenFile: at(account.tokenFile) } : {}) },
    ]),
  );
  return {
    ...config,
    configFile,
    baseDir,
    platform,
    accounts,
    sources: config.sources.map((source) => resolveSource(source, at)),
    server: {
      ...config.server,
      ...(config.server.tokenFile !== undefined ? { tokenFile: at(config.server.tokenFile) } : {}),
    },
    stateDir: at(config.stateDir),
  };
}

function resolveSource(source: SourceConfig, at: (path: string) => string): SourceConfig {
  if (source.kind === 'directory') return { ...source, path: at(source.path) };
  if (source.kind === 'git' && source.auth?.tokenFile !== undefined) {
    const auth: GitAuthConfig = { ...source.auth, tokenFile: at(source.auth.tokenFile) };
    return { ...source, auth };
  }
  return source;
}
