// GitHub issues as a task list: one open issue per runtime with manual work, its body listing every open
// task with its UI steps. Created when the first task appears, updated when the plan changes, closed with
// a comment once atomsync verified the last task. The issue number is remembered in the state folder; a
// hidden marker in the body finds the issue again when that memory is lost.
import type { Notification, Subject, TaskSummary } from '../notifications.js';
import { runtimeKey } from '../notifications.js';
import { GithubApiError } from '../../github/errors.js';
import { GithubApi, type Operation } from '../../github/github-api.js';
import type { DeliveryResult } from './http-delivery.js';
import { DELIVERY_TIMEOUT_MS, type Receiver, type ReceiverMemory } from './receiver.js';

export interface GithubIssuesOptions {
  name: string;
  apiUrl: string;
  repository: string;
  token: string;
  labels: readonly string[];
  /** Issue number by runtime key; changed in place, persisted by the caller after each delivery. */
  memory: ReceiverMemory;
}

export function githubIssuesReceiver(options: GithubIssuesOptions): Receiver {
  const api = new IssuesApi(options);
  return {
    name: options.name,
    kind: 'github',
    events: new Set(['Manual']),
    deliver: (notification) => api.apply(notification),
  };
}

function issueMarker(subject: Subject): string {
  return `<!-- atomsync:runtime ${runtimeKey(subject)} -->`;
}

class IssuesApi {
  private readonly api: GithubApi;

  constructor(private readonly options: GithubIssuesOptions) {
    // Rate limits are not waited out here: the dispatcher retries with GitHub's wait, so one slow
    // receiver never holds the others.
    this.api = new GithubApi({
      apiUrl: options.apiUrl,
      token: options.token,
      repo: options.repository,
      timeoutMs: DELIVERY_TIMEOUT_MS,
      maxRateLimitRetries: 0,
    });
  }

  async apply(notification: Notification): Promise<DeliveryResult> {
    const key = runtimeKey(notification.subject);
    const found = await this.issueNumber(notification.subject);
    if (!found.ok) return found.result;
    const tasks = notification.openTasks ?? [];
    if (tasks.length > 0) return this.upsert(notification, found.number, tasks);
    if (found.number === undefined) return { ok: true, status: 200 };
    const comment = await this.comment(found.number, closingComment(notification));
    if (!comment.ok) return comment;
    const closed = await this.call('PATCH', `/issues/${found.number}`, {
      state: 'closed',
      state_reason: 'completed',
    });
    if (closed.ok) delete this.options.memory[key];
    return closed;
  }

  private async upsert(
    notification: Notification,
    number: number | undefined,
    tasks: TaskSummary[],
  ): Promise<DeliveryResult> {
    const { subject } = notification;
    const content = { title: issueTitle(subject), body: issueBody(subject, tasks) };
    if (number === undefined) {
      const created = await this.call('POST', '/issues', { ...content, labels: this.options.labels });
      const createdNumber = (created.ok && (created.json as { number?: unknown })?.number) || undefined;
      if (typeof createdNumber === 'number') this.options.memory[runtimeKey(subject)] = createdNumber;
      return created;
    }
    const updated = await this.call('PATCH', `/issues/${number}`, { ...content, state: 'open' });
    if (!updated.ok || notification.change !== 'resolved') return updated;
    return this.comment(number, notification.text);
  }

  private comment(number: number, body: string): Promise<DeliveryResult> {
    return this.call('POST', `/issues/${number}/comments`, { body });
  }

  /** The remembered number, else an open atomsync issue carrying the runtime's marker. */
  private async issueNumber(
    subject: Subject,
  ): Promise<{ ok: true; number?: number } | { ok: false; result: DeliveryResult }> {
    const remembered = this.options.memory[runtimeKey(subject)];
    if (remembered !== undefined) return { ok: true, number: remembered };
    const label = encodeURIComponent(this.options.labels[0] ?? 'atomsync');
    const listed = await this.call('GET', `/issues?state=open&labels=${label}&per_page=100`);
    if (!listed.ok) return { ok: false, result: listed };
    const marker = issueMarker(subject);
    const issues = Array.isArray(listed.json) ? (listed.json as { number?: number; body?: string }[]) : [];
    const match = issues.find((issue) => typeof issue.body === 'string' && issue.body.includes(marker));
    if (match?.number !== undefined) this.options.memory[runtimeKey(subject)] = match.number;
    return { ok: true, ...(match?.number !== undefined ? { number: match.number } : {}) };
  }

  private async call(method: Operation['method'], path: string, body?: object): Promise<DeliveryResult> {
    const op: Operation = {
      method,
      path: `/repos/${this.options.repository}${path}`,
      doing: `${method} ${path.replace(/\?.*/, '')} (manual-work issues)`,
      permission: method === 'GET' ? 'issues:read' : 'issues:write',
      ...(body !== undefined ? { body } : {}),
    };
    try {
      const answer = await this.api.call(op);
      return { ok: true, status: answer.status, json: answer.json };
    } catch (error) {
      if (!(error instanceof GithubApiError)) throw error;
      return {
        ok: false,
        retry: RETRIED.has(error.code),
        message: error.message,
        ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}),
      };
    }
  }
}

/** Failures worth another delivery later; the others (401, 403, 404, 422…) need a person. */
const RETRIED = new Set(['GITHUB_RATE_LIMITED', 'GITHUB_SERVER_ERROR', 'GITHUB_UNREACHABLE']);

function issueTitle(subject: Subject): string {
  return `atomsync: manual work on ${subject.runtimeName} (${subject.accountId})`;
}

function issueBody(subject: Subject, tasks: readonly TaskSummary[]): string {
  const sections = tasks.map((task, index) =>
    [
      `### ${index + 1}. ${task.title}`,
      '',
      ...(task.changedBy ? [`Changed on the platform: ${task.changedBy}.`, ''] : []),
      ...task.steps.map((step, n) => `${n + 1}. ${step}`),
    ].join('\n'),
  );
  return [
    issueMarker(subject),
    `The platform's API cannot make these changes on **${subject.runtimeName}**; a person can, in the UI.`,
    'atomsync checks the runtime on every run and closes this issue once every task is verified.',
    '',
    ...sections,
  ].join('\n');
}

function closingComment(notification: Notification): string {
  return `${notification.text}\n\nEvery manual task on ${notification.subject.runtimeName} is verified; closing.`;
}
