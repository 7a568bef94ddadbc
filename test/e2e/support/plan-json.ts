// The parts of `plan --format json` (controller/report/json.ts, formatVersion "2") the tests read.

export interface PinJson {
  key: string;
  accountId: string;
  runtimeName: string;
  kind: 'runtime' | 'connector' | 'pack';
  name: string;
  wanted: string;
  current?: string;
  target?: string;
  outcome: string;
  reason?: string;
  message?: string;
  advice?: string;
  manualSteps?: string[];
}

export interface RequestJson {
  wave: number;
  accountId: string;
  runtimeName: string;
  classification: 'PROD' | 'TEST';
  kind: string;
  action?: string;
  components: string[];
  keys: string[];
}

export interface DriftJson {
  key: string;
  runtimeName: string;
  kind: string;
  name: string;
  outcome: string;
  reason?: string;
}

export interface PlanJson {
  formatVersion: string;
  /** The wall time the plan was made at. */
  generatedAt: string;
  /** The platform's time (its Date header) the plan was made by. */
  platformTime: string;
  summary: Record<string, number>;
  drift: DriftJson[];
  changes: RequestJson[];
  pins: PinJson[];
  blocked: PinJson[];
  manual: PinJson[];
}

export function parsePlanJson(text: string): PlanJson {
  return JSON.parse(text) as PlanJson;
}

/**
 * The JSON text with its moving parts replaced (for golden files): the wall and platform times, and the
 * config's hash (any edit of the example config, a comment included, changes it).
 */
export function withoutGeneratedAt(text: string): string {
  return text
    .replace(/^ {2}"generatedAt": "[^"]*",$/m, '  "generatedAt": "<generatedAt>",')
    .replace(/^ {2}"platformTime": "[^"]*",$/m, '  "platformTime": "<platformTime>",')
    .replace(/"sha256:[0-9a-f]{64}"/g, '"sha256:<hash>"');
}

/** "runtime name / pin name — outcome[: reason]", one per pin, to compare plans at a glance. */
export function pinOutcomes(pins: readonly PinJson[]): string[] {
  return pins.map(
    (pin) =>
      `${pin.runtimeName} / ${pin.kind} ${pin.name} — ${pin.outcome}${pin.reason ? `: ${pin.reason}` : ''}`,
  );
}
