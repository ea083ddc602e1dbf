// One answer's attribution as the pages show it: the answer with its verbatim spans marked, the contributors with
// their shares, and the most influential training examples.
import { h } from './dom.js';
import { short, share, fixed } from './format.js';
import { palette, swatch } from './charts.js';
import { highlighted } from './highlight.js';

/** A colour per contributor, in the order of the record's contributors (largest share first). */
export function contributorColors(record) {
  const colors = new Map((record.contributors || []).map((c, i) => [c.contributor, palette[i % palette.length]]));
  return address => colors.get(address) ?? '#888';
}

/** The record's status in words. */
export function statusText(record) {
  switch (record.status) {
    case 'pending': return 'Attribution pending…';
    case 'complete': return record.contributors.length ? 'Attributed' : 'Attributed to nobody (nothing in the training data shaped this answer)';
    case 'not_attributable': return 'Not attributable: ' + (record.error || 'no attribution index');
    case 'failed': return 'Attribution failed: ' + (record.error || 'unknown error');
    default: return record.status;
  }
}

/** The answer text with its spans marked (output defaults to the record's own). */
export function answerView(record, output) {
  const text = output ?? record.output ?? '';
  return highlighted(text, record.spans || [], contributorColors(record));
}

/** Contributors with share bars, spans found, and the most influential examples. */
export function attributionView(record) {
  const colorOf = contributorColors(record);
  const contributors = record.contributors || [];
  const parts = [h('p', { class: 'attribution-status', 'data-status': record.status, text: statusText(record) })];
  if (contributors.length) {
    parts.push(h('table', { class: 'contributors' },
      h('thead', {}, h('tr', {}, h('th', { text: 'Contributor' }), h('th', { text: 'Share' }), h('th', { text: '' }), h('th', { text: 'Influence' }), h('th', { text: 'Span weight' }))),
      h('tbody', {}, contributors.map(c => {
        const bar = h('span', { class: 'bar-fill' });
        bar.style.width = (c.parts_per_billion / 1e7) + '%';
        bar.style.backgroundColor = colorOf(c.contributor);
        return h('tr', { class: 'contributor', 'data-contributor': c.contributor, 'data-ppb': c.parts_per_billion },
          h('td', { class: 'mono' }, swatch(colorOf(c.contributor)), ' ', h('span', { title: c.contributor, text: short(c.contributor) })),
          h('td', { class: 'num share', text: share(c.parts_per_billion) }),
          h('td', { class: 'bar' }, h('span', { class: 'bar-track' }, bar)),
          h('td', { class: 'num', text: fixed(c.influence, 4) }),
          h('td', { class: 'num', text: fixed(c.span_weight, 3) }));
      }))));
  }
  const spans = record.spans || [];
  parts.push(h('p', { class: 'note', text: spans.length
    ? `${spans.length} verbatim span(s) found in the training data, marked in the answer.`
    : 'No verbatim spans: the answer repeats no stretch of the training data.' }));
  const examples = record.top_examples || [];
  if (examples.length) {
    parts.push(h('details', { class: 'examples' },
      h('summary', { text: `Most influential training examples (${examples.length})` }),
      h('ol', {}, examples.map(e => h('li', {},
        swatch(colorOf(e.contributor)), ' ',
        h('span', { class: 'mono', text: `example ${e.example_id}` }), ' · contribution ',
        h('span', { class: 'mono', title: e.contribution_id, text: short(e.contribution_id, 4) }), ' · score ', fixed(e.score, 4))))));
  }
  if (record.method) {
    parts.push(h('p', { class: 'note mono', text: `${record.method} · ${record.shards} shard(s) · ${fixed(record.elapsed_ms, 0)} ms` + (record.index_hash ? ` · index ${short(record.index_hash)}` : '') }));
  }
  return h('div', { class: 'attribution' }, parts);
}
