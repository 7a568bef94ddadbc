// Posts plan reports to a GitHub pull request: one comment per part, found again by its hidden marker
// and updated in place on every run, plus a commit status. Talks to the GitHub REST API with fetch.

import { readMarker } from './comment-markers.js';
import { GithubApiError } from './errors.js';
import { GithubApi, invalid, type GithubApiOptions } from './github-api.js';
import { nextPageUrl } from './link.js';

export { GithubApiError, type GithubErrorCode } from './errors.js';

export type CommitState = 'success' | 'failure' | 'error' | 'pending';

export type GithubReporterOptions = GithubApiOptions;

export interface UpsertedComment {
  /** 1-based part number. */
  part: number;
  id: number;
  action: 'created' | 'updated' | 'unchanged';
}

export interface UpsertResult {
  comments: UpsertedComment[];
  /** Ids of older parts deleted because the report now has fewer parts. */
  deleted: number[];
}

interface IssueComment {
  id: number;
  body: string;
}

const DESCRIPTION_LIMIT = 140;
const COMMIT_STATES: readonly CommitState[] = ['success', 'failure', 'error', 'pending'];
const READ_COMMENTS = 'issues:read (or pull-requests:read)';
const WRITE_COMMENTS = 'issues:write (or pull-requests:write)';

export class GithubReporter {
  private readonly api: GithubApi;
  private readonly repo: string;

  constructor(options: GithubReporterOptions) {
    if (!options.token) throw invalid('No GitHub token was given; set one to post plan reports.');
    if (!/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(options.repo)) {
      throw invalid(`The repository must be written owner/name, not "${options.repo}".`);
    }
    this.api = new GithubApi(options);
    this.repo = options.repo;
  }

  /**
   * Makes the PR's atomsync comments equal `parts` (as made by splitForGithub): existing parts are
   * updated in place, missing ones created, and parts left over from a longer report deleted. An empty
   * `parts` removes atomsync's comments.
   */
  async upsertComments(pr: number, parts: readonly string[]): Promise<UpsertResult> {
    checkPullRequest(pr);
    checkParts(parts);
    const existing = await this.listPlanComments(pr);
    const comments: UpsertedComment[] = [];
    for (const [index, body] of parts.entries()) {
      const part = index + 1;
      const old = existing.get(part)?.shift();
      comments.push(
        old ? await this.updateComment(pr, part, old, body) : await this.createComment(pr, part, body),
      );
    }
    const deleted: number[] = [];
    for (const surplus of [...existing.values()].flat()) {
      await this.deleteComment(pr, surplus.id);
      deleted.push(surplus.id);
    }
    return { comments, deleted };
  }

  /** Sets the commit status `context` on `sha`; the description is cut to one line of 140 characters. */
  async setStatus(
    sha: string,
    state: CommitState,
    description: string,
    context = 'atomsync/plan',
    targetUrl?: string,
  ): Promise<void> {
    if (!/^[0-9a-f]{40}([0-9a-f]{24})?$/i.test(sha)) throw invalid(`"${sha}" is not a full commit SHA.`);
    if (!COMMIT_STATES.includes(state))
      throw invalid(`Commit state must be one of ${COMMIT_STATES.join(', ')}.`);
    const body: Record<string, string> = { state, description: statusDescription(description), context };
    if (targetUrl) body.target_url = targetUrl;
    await this.api.call({
      method: 'POST',
      path: `/repos/${this.repo}/statuses/${sha}`,
      body,
      doing: `set the ${context} status on commit ${sha.slice(0, 12)}`,
      permission: 'statuses:write',
    });
  }

  /** atomsync's comments on the PR by part number, oldest first, following every page. */
  private async listPlanComments(pr: number): Promise<Map<number, IssueComment[]>> {
    const byPart = new Map<number, IssueComment[]>();
    let path: string | undefined = `/repos/${this.repo}/issues/${pr}/comments?per_page=100`;
    while (path) {
      const answer = await this.api.call({
        method: 'GET',
        path,
        doing: `list the comments on pull request #${pr}`,
        permission: READ_COMMENTS,
      });
      for (const comment of commentList(answer.json)) {
        const marker = readMarker(comment.body);
        if (marker) byPart.set(marker.part, [...(byPart.get(marker.part) ?? []), comment]);
      }
      path = nextPageUrl(answer.headers.get('link'));
    }
    return byPart;
  }

  private async createComment(pr: number, part: number, body: string): Promise<UpsertedComment> {
    const answer = await this.api.call({
      method: 'POST',
      path: `/repos/${this.repo}/issues/${pr}/comments`,
      body: { body },
      doing: `comment on pull request #${pr}`,
      permission: WRITE_COMMENTS,
    });
    return { part, id: commentId(answer.json), action: 'created' };
  }

  private async updateComment(
    pr: number,
    part: number,
    old: IssueComment,
    body: string,
  ): Promise<UpsertedComment> {
    if (old.body === body) return { part, id: old.id, action: 'unchanged' };
    await this.api.call({
      method: 'PATCH',
      path: `/repos/${this.repo}/issues/comments/${old.id}`,
      body: { body },
      doing: `update comment ${old.id} on pull request #${pr}`,
      permission: WRITE_COMMENTS,
    });
    return { part, id: old.id, action: 'updated' };
  }

  private async deleteComment(pr: number, id: number): Promise<void> {
    await this.api.call({
      method: 'DELETE',
      path: `/repos/${this.repo}/issues/comments/${id}`,
      doing: `delete the surplus comment ${id} on pull request #${pr}`,
      permission: WRITE_COMMENTS,
    });
  }
}

function statusDescription(description: string): string {
  const line = description.replace(/\s+/g, ' ').trim();
  return line.length <= DESCRIPTION_LIMIT ? line : `${line.slice(0, DESCRIPTION_LIMIT - 1)}…`;
}

function checkPullRequest(pr: number): void {
  if (!Number.isInteger(pr) || pr <= 0) throw invalid(`"${pr}" is not a pull request number.`);
}

function checkParts(parts: readonly string[]): void {
  parts.forEach((body, index) => {
    const marker = readMarker(body);
    const expected = parts.length === 1 ? 1 : index + 1;
    const totalOk = parts.length === 1 || marker?.total === parts.length;
    if (!marker || marker.part !== expected || !totalOk) {
      throw invalid(
        `Part ${index + 1} of ${parts.length} does not start with its atomsync marker; build the parts with ` +
          'splitForGithub(renderMarkdown(plan)).',
      );
    }
  });
}

function commentList(json: unknown): IssueComment[] {
  if (!Array.isArray(json)) {
    throw new GithubApiError('GITHUB_BAD_RESPONSE', 'GitHub answered the comment list with something else.');
  }
  return json.flatMap((item: unknown) => {
    const { id, body } = (item ?? {}) as { id?: unknown; body?: unknown };
    return typeof id === 'number' ? [{ id, body: typeof body === 'string' ? body : '' }] : [];
  });
}

function commentId(json: unknown): number {
  const id = (json as { id?: unknown } | null)?.id;
  if (typeof id !== 'number') {
    throw new GithubApiError('GITHUB_BAD_RESPONSE', 'GitHub created the comment but did not say its id.');
  }
  return id;
}
