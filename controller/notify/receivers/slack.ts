// A Slack incoming webhook: Block Kit — a header, the message, the UI steps as a numbered list, and a
// context line naming the AtomVersion. `text` is the fallback Slack shows in notifications.
import type { NotifyEventKind } from '../../config/types.js';
import type { Notification } from '../notifications.js';
import { httpDeliver } from './http-delivery.js';
import { DELIVERY_TIMEOUT_MS, type Receiver } from './receiver.js';

const HEADER_LIMIT = 150;
const SECTION_LIMIT = 3000;

export function slackReceiver(options: {
  name: string;
  url: string;
  events: readonly NotifyEventKind[];
}): Receiver {
  return {
    name: options.name,
    kind: 'slack',
    events: new Set(options.events),
    deliver: (notification: Notification) =>
      httpDeliver({
        method: 'POST',
        url: options.url,
        body: JSON.stringify(slackMessage(notification)),
        timeoutMs: DELIVERY_TIMEOUT_MS,
        secrets: [options.url],
      }),
  };
}

function slackMessage(notification: Notification): { text: string; blocks: object[] } {
  const { event, change, title, text, steps, subject } = notification;
  const label = change === 'resolved' ? `${event} resolved` : event;
  const blocks: object[] = [
    { type: 'header', text: { type: 'plain_text', text: cut(`${label}: ${title}`, HEADER_LIMIT) } },
    { type: 'section', text: { type: 'mrkdwn', text: cut(escape(text), SECTION_LIMIT) } },
  ];
  if (steps && steps.length > 0) {
    const list = steps.map((step, index) => `${index + 1}. ${escape(step)}`).join('\n');
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: cut(`*Steps in the UI*\n${list}`, SECTION_LIMIT) },
    });
  }
  blocks.push({
    type: 'context',
    elements: [
      { type: 'mrkdwn', text: escape(`${subject.key} · account ${subject.accountId} · ${notification.at}`) },
    ],
  });
  return { text: `${label}: ${title}`, blocks };
}

/** Slack's mrkdwn treats &, < and > as markup. */
function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function cut(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}
