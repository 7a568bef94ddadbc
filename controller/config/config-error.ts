// The one error loadConfig throws: every problem of the file, each with file:line:col.

import { formatProblem, type SourceProblem } from '../yaml/problem.js';
import type { YamlProblemCode } from '../yaml/yaml-file.js';
import type { RuleCode } from './config-rules.js';

export type ConfigProblemCode =
  | YamlProblemCode
  | RuleCode
  | 'EmptyConfig'
  | 'MultipleDocuments'
  | 'NotAMapping'
  | 'UnknownField'
  /** An inline token, password or secret: use tokenEnv/tokenFile (secretEnv for the webhook). */
  | 'InlineSecret'
  | 'WrongType';

export type ConfigProblem = SourceProblem<ConfigProblemCode>;

export class ConfigError extends Error {
  readonly code = 'InvalidConfig';

  constructor(
    /** The config file as given. */
    readonly file: string,
    readonly problems: ConfigProblem[],
  ) {
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    super(`${file}: ${count}\n${problems.map((p) => `  ${formatProblem(p)}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}
