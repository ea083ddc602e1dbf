// An answer cut at the verbatim spans its attribution found, so they can be marked in the text. The same rule as the
// SDK's AttributedText: a span goes at its offsets when the text there is the span's text, otherwise at the
// occurrence of its text nearest those offsets (decoded offsets can drift by a character), or at the offsets alone
// when they fit; where spans overlap, the one that starts first keeps the overlap.
import { h } from './dom.js';
import { short } from './format.js';

/** [{text, span}] pieces that join back to output; span is the index of the span a piece lies in, or null. */
export function segments(output, spans) {
  const placed = spans
    .map((span, index) => ({ range: place(output, span), index }))
    .filter(p => p.range)
    .map(p => ({ start: p.range[0], end: p.range[1], index: p.index }))
    .sort((a, b) => a.start - b.start || b.end - a.end || a.index - b.index);
  const pieces = [];
  let at = 0;
  for (const { start, end, index } of placed) {
    if (end <= at) {
      continue;
    }
    const from = Math.max(start, at);
    if (from > at) {
      pieces.push({ text: output.slice(at, from), span: null });
    }
    pieces.push({ text: output.slice(from, end), span: index });
    at = end;
  }
  if (at < output.length) {
    pieces.push({ text: output.slice(at), span: null });
  }
  return pieces;
}

/** The answer as a paragraph with each verbatim span in a <mark> naming where it was found. */
export function highlighted(output, spans, colorOf) {
  return h('p', { class: 'answer-text' }, segments(output, spans).map(piece => {
    if (piece.span === null) {
      return piece.text;
    }
    const span = spans[piece.span];
    const sources = (span.sources || []).map(o => `${short(o.contributor)} (contribution ${short(o.contribution_id, 4)})`);
    const mark = h('mark', {
      class: 'span',
      'data-span': piece.span,
      title: `Found verbatim ${span.occurrences} time(s) in the training data` + (sources.length ? ': ' + sources.join(', ') : ''),
      text: piece.text,
    });
    const first = (span.sources || [])[0];
    if (first && colorOf) {
      mark.style.borderBottomColor = colorOf(first.contributor);
    }
    return mark;
  }));
}

function place(output, span) {
  const text = span.text || '';
  const fits = span.start >= 0 && span.start < span.end && span.end <= output.length;
  if (fits && (text.length === 0 || output.slice(span.start, span.end) === text)) {
    return [span.start, span.end];
  }
  if (text.length > 0) {
    let best = null;
    for (let at = output.indexOf(text); at >= 0; at = output.indexOf(text, at + 1)) {
      if (best === null || Math.abs(at - span.start) < Math.abs(best - span.start)) {
        best = at;
      }
    }
    if (best !== null) {
      return [best, best + text.length];
    }
  }
  return fits ? [span.start, span.end] : null;
}
