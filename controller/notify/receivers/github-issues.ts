// GitHub issues as a task list: one open issue per runtime with manual work, its body listing every open
// task with its UI steps. Created when the first task appears, updated when the plan changes, closed with
// a comment once atomsync verified the last task. The issue number is remembered in the state folder; a
// hidden marker in the body finds the issue again when that memory is lost.
import type { Notification, Subject, TaskSummary } from '../notifications.js';
import { runtimeKey } from '../notifications.js';
import { httpDeliver, type DeliveryResult, type HttpCall } from './http-delivery.js';
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

const API_VERSION = '2022-11-28';

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
  private readonly root: string;

  constructor(private readonly options: GithubIssuesOptions) {
    this.root = `${options.apiUrl.replace(/\/+$/, '')}/repos/${options.repository}`;
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

  private call(method: HttpCall['method'], path: string, body?: object): Promise<DeliveryResult> {
    return httpDeliver({
      method,
      url: `${this.root}${path}`,
      headers: {
        Accept: 'application/vnd.github+json',
        Authorization: `Bearer ${this.options.token}`,
        'X-GitHub-Api-Version': API_VERSION,
        'User-Agent': 'atomsync',
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      timeoutMs: DELIVERY_TIMEOUT_MS,
      secrets: [this.options.token],
    });
  }
}

function issueTitle(subject: Subject): string {
  return `atomsync: manual work on ${subject.runtimeName} (${subject.accountId})`;
}

function issueBody(subject: Subject, tasks: readonly TaskSummary[]): string {
  const sections = tasks.map((task, index) =>
    [`### ${index + 1}. ${task.title}`, '', ...task.steps.map((step, n) => `${n + 1}. ${step}`)].join('\n'),
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
