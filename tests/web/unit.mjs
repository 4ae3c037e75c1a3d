// Unit tests of the page's pure logic (node:test, no browser): the line diff
// of file edits, plain-text titles, date labels, the `@` token at the caret,
// the support banner's view of a pending prompt.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lineDiff } from '../../web/js/diff.js';
import { mentionAt } from '../../web/js/mentions.js';
import { dateLabel, plainTitle, timeMs } from '../../web/js/text.js';
import { answeredLabel, chunkOf } from '../../web/js/support-asks.js';

const ops = (rows) => rows.map((r) => `${r.op}${r.line}`);

test('lineDiff: an edit in the middle keeps the lines around it', () => {
  assert.deepEqual(ops(lineDiff('a\nb\nc\n', 'a\nB\nc\n')), [' a', '-b', '+B', ' c']);
});

test('lineDiff: a new file is all additions, a deletion all removals', () => {
  assert.deepEqual(ops(lineDiff('', 'x\ny\n')), ['+x', '+y']);
  assert.deepEqual(ops(lineDiff('x\ny', 'x')), [' x', '-y']);
});

test('lineDiff: inserted lines between kept ones', () => {
  assert.deepEqual(ops(lineDiff('1\n2\n3', '1\n1.5\n2\n3\n4')), [' 1', '+1.5', ' 2', ' 3', '+4']);
});

test('lineDiff: huge inputs fall back to old out, new in', () => {
  const a = Array.from({ length: 1000 }, (_, i) => `a${i}`).join('\n');
  const b = Array.from({ length: 1000 }, (_, i) => `b${i}`).join('\n');
  const rows = lineDiff(a, b);
  assert.equal(rows.filter((r) => r.op === '-').length, 1000);
  assert.equal(rows.filter((r) => r.op === '+').length, 1000);
});

test('plainTitle drops Markdown marks', () => {
  assert.equal(plainTitle('Please **summarise** this `file`'), 'Please summarise this file');
  assert.equal(plainTitle('# Fix [the bug](https://x.invalid) in _parser_'), 'Fix the bug in parser');
  assert.equal(plainTitle('snake_case_name stays'), 'snake_case_name stays');
  assert.equal(plainTitle('2 * 3 * 4'), '2 * 3 * 4');
  assert.equal(plainTitle(''), '');
});

test('dateLabel: today, yesterday, this week, this year, other years', () => {
  const now = new Date(2026, 11, 1, 15, 0);
  assert.equal(dateLabel(new Date(2026, 11, 1, 9, 5).getTime(), now), 'today 09:05');
  assert.equal(dateLabel(new Date(2026, 10, 30, 23, 59).getTime(), now), 'yesterday 23:59');
  assert.match(dateLabel(new Date(2026, 10, 27, 8, 0).getTime(), now), /^Fri 08:00$/);
  assert.equal(dateLabel(new Date(2026, 2, 3).getTime(), now), '3 Mar');
  assert.equal(dateLabel(new Date(2025, 10, 3).getTime(), now), '3 Nov 2025');
  assert.equal(dateLabel(0, now), '');
});

test('timeMs: ISO 8601 times of the API, stored ms, and none', () => {
  assert.equal(timeMs('2026-12-01T08:27:59.123Z'), Date.UTC(2026, 11, 1, 8, 27, 59, 123));
  assert.equal(timeMs(1764577679123), 1764577679123); // a stored line (transcript, recording)
  assert.equal(timeMs(null), 0);
  assert.equal(timeMs(undefined), 0);
  assert.equal(timeMs(''), 0);
  assert.equal(timeMs('not a time'), 0);
  assert.equal(timeMs(NaN), 0);
  const now = new Date(2026, 11, 1, 12, 0);
  const iso = new Date(2026, 11, 1, 9, 5).toISOString();
  assert.equal(dateLabel(iso, now), 'today 09:05'); // the conversation list's updatedAt
  assert.equal(dateLabel(null, now), '');
});

test('mentionAt: the @token that ends at the caret', () => {
  assert.deepEqual(mentionAt('look at @src/ma', 15), { start: 8, query: 'src/ma' });
  assert.deepEqual(mentionAt('@', 1), { start: 0, query: '' });
  assert.equal(mentionAt('mail me@example.com', 19), null); // not after a space
  assert.equal(mentionAt('@a b', 4), null);
});

test('chunkOf: a pending support prompt becomes the card a chat prompt has', () => {
  const permission = chunkOf({ requestId: 'r1', kind: 'permission', tool: 'Bash', title: 'Claude wants to run Bash', input: { command: 'npm test' }, taskId: 't', askedAt: 1, deadline: 2 });
  assert.deepEqual(permission, { type: 'permission', requestId: 'r1', tool: 'Bash', title: 'Claude wants to run Bash', input: { command: 'npm test' }, questions: [] });
  const questions = [{ question: 'Which colour?', header: 'Colour', options: [{ label: 'Red' }], multiSelect: false }];
  const question = chunkOf({ requestId: 'r2', kind: 'question', tool: 'AskUserQuestion', title: 'The support agent asks you', input: { questions } });
  assert.equal(question.type, 'question');
  assert.deepEqual(question.questions, questions);
  assert.equal(question.title, '');
  // a null input (the status could not parse it) is an empty one
  assert.deepEqual(chunkOf({ requestId: 'r3', kind: 'permission', tool: 'Read', input: null }).input, {});
});

test('answeredLabel: what the owner sent, in words', () => {
  const bash = { kind: 'permission', tool: 'Bash' };
  assert.equal(answeredLabel(bash, { decision: 'allow', scope: 'once' }, 'ticket-7'), '✓ You allowed Bash once (task ticket-7).');
  assert.equal(answeredLabel(bash, { decision: 'allow', scope: 'session' }, 'ticket-7'), '✓ You allowed Bash for the rest of this task (task ticket-7).');
  assert.equal(answeredLabel(bash, { decision: 'deny', message: 'not today' }, ''), '✗ You denied Bash: not today.');
  const q = { kind: 'question', tool: 'AskUserQuestion' };
  assert.equal(answeredLabel(q, { decision: 'allow', answers: { 'Which colour?': 'Blue' } }, 't'), "✓ You answered support's agent (task t).");
  assert.equal(answeredLabel(q, { decision: 'deny' }, 't'), "✗ You declined the question of support's agent (task t).");
});

test('resolvedNote: operate.resolved says what became of a prompt this page did not answer', async () => {
  const { resolvedNote } = await import('../../web/js/support-asks.js');
  const bash = { kind: 'permission', tool: 'Bash', requestId: 'r1' };
  assert.equal(resolvedNote(bash, undefined, 't'), '');
  assert.equal(resolvedNote(bash, { decision: 'allow', scope: 'session', by: 'owner' }, 't'), '✓ Bash was allowed for the rest of the task elsewhere (another tab or `wildws support answer`) (task t).');
  assert.equal(resolvedNote(bash, { decision: 'deny', scope: 'once', by: 'timeout' }, 't'), '✗ Bash was denied: nobody answered in time (task t).');
  assert.equal(resolvedNote(bash, { decision: 'deny', by: 'agent' }, ''), 'Bash no longer waits: the agent withdrew it.');
  assert.equal(resolvedNote({ kind: 'question', requestId: 'q' }, { decision: 'deny', by: 'owner' }, 't'), "✗ Support's agent's question was declined elsewhere (another tab or `wildws support answer`) (task t).");
});
