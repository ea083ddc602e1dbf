// The chat page: talk to any served adapter (or base model) over the OpenAI-compatible streaming API; each answer
// then shows its attribution, read from /v1/attributions/{id} once computed, and its proof of inclusion from
// /v1/attributions/{id}/inclusion, which stays pending until the answer's epoch closes.
import { h, fill, byId, panelState } from './dom.js';
import { getJson, authHeaders, errorOf } from './api.js';
import { mountShell } from './shell.js';
import { short, open } from './format.js';
import { answerView, attributionView } from './attribution.js';

mountShell('chat');

const panel = byId('chat');
let history = [];
let models = [];

async function loadModels() {
  try {
    const list = await getJson('/v1/models');
    models = list.data;
  } catch (e) {
    panelState(panel, 'error', e.status === 401 ? 'Enter an API key above to chat. (' + e.message + ')' : e.message);
    return;
  }
  const wanted = new URLSearchParams(location.hash.slice(1)).get('model') || byId('chat-model').value;
  const adapters = models.filter(m => m.base_model);
  const bases = models.filter(m => !m.base_model);
  fill(byId('chat-model'),
    h('optgroup', { label: 'Adapters' }, adapters.map(m => h('option', { value: m.id, text: `${m.id} (${m.residency}, on ${m.base_model})` }))),
    h('optgroup', { label: 'Base models' }, bases.map(m => h('option', { value: m.id, text: m.id }))));
  if (wanted && models.some(m => m.id === wanted)) {
    byId('chat-model').value = wanted;
  }
  describeModel();
  panelState(panel, models.length ? 'ready' : 'empty', models.length ? '' : 'No model is served yet. Publish one from the ModelFactory page.');
}

function describeModel() {
  const model = models.find(m => m.id === byId('chat-model').value);
  byId('chat-model-note').textContent = !model ? ''
    : model.base_model
      ? `Adapter of rank ${model.rank} on ${model.base_model}, ${model.residency}${model.silo ? ' on ' + model.silo : ''}; ` +
        (model.price_per_1k_tokens_wei ? `${open(model.price_per_1k_tokens_wei)} per 1,000 tokens (${model.price_per_1k_tokens_wei} wei).` : 'free.')
      : 'A base model alone: its answers are recorded but not attributable to any Datanet.';
}

async function send(event) {
  event.preventDefault();
  const input = byId('chat-input');
  const text = input.value.trim();
  const model = byId('chat-model').value;
  if (!text || !model) {
    return;
  }
  input.value = '';
  history.push({ role: 'user', content: text });
  const conversation = byId('conversation');
  conversation.append(h('li', { class: 'turn user' }, h('div', { class: 'who', text: 'You' }), h('p', { class: 'answer-text', text })));
  const body = h('p', { class: 'answer-text' });
  const meta = h('div', { class: 'meta' });
  const turn = h('li', { class: 'turn assistant', 'data-state': 'streaming' }, h('div', { class: 'who', text: model }), body, meta);
  conversation.append(turn);
  byId('chat-send').disabled = true;
  try {
    const { answer, inferenceId } = await stream(model, body);
    history.push({ role: 'assistant', content: answer });
    if (!inferenceId) {
      turn.dataset.state = 'done';
      return;
    }
    turn.dataset.inference = inferenceId;
    turn.dataset.state = 'attributing';
    fill(meta, h('p', { class: 'note mono', text: 'inference ' + inferenceId + ' · attributing…' }));
    const record = await attribution(inferenceId);
    fill(body, ...answerView(record, answer).childNodes);
    const proof = h('div', { class: 'proof', 'data-status': 'loading' });
    fill(meta, h('p', { class: 'note mono', text: 'inference ' + inferenceId }), attributionView(record), proof);
    turn.dataset.state = 'done';
    await inclusion(inferenceId, proof);
  } catch (e) {
    turn.dataset.state = 'error';
    meta.append(h('p', { class: 'error', text: e.message }));
  } finally {
    byId('chat-send').disabled = false;
  }
}

// Reads the server-sent events of a streamed chat completion into `body`; returns the text and the inference id.
async function stream(model, body) {
  const request = {
    model,
    messages: history,
    max_tokens: Number(byId('chat-max-tokens').value) || 48,
    temperature: Number(byId('chat-temperature').value) || 0,
    stream: true,
  };
  const response = await fetch('/v1/chat/completions', {
    method: 'POST', headers: authHeaders({ 'Content-Type': 'application/json', Accept: 'text/event-stream' }), body: JSON.stringify(request),
  });
  if (!response.ok) {
    throw await errorOf(response);
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let answer = '';
  let inferenceId = null;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) {
      break;
    }
    buffer += value;
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const event = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = event.split('\n').filter(l => l.startsWith('data: ')).map(l => l.slice(6)).join('\n');
      if (!data || data === '[DONE]') {
        continue;
      }
      const chunk = JSON.parse(data);
      if (chunk.error) {
        throw new Error(chunk.error.message);
      }
      if (typeof chunk.id === 'string' && chunk.id.startsWith('inf-')) {
        inferenceId = chunk.id;
      }
      const piece = chunk.choices?.[0]?.delta?.content ?? '';
      answer += piece;
      body.textContent = answer;
    }
  }
  return { answer, inferenceId };
}

// Attribution runs after the answer; its record is pending until then.
async function attribution(id) {
  const deadline = Date.now() + 180_000;
  for (;;) {
    const record = await getJson('/v1/attributions/' + encodeURIComponent(id));
    if (record.status !== 'pending' || Date.now() > deadline) {
      return record;
    }
    await new Promise(resolve => setTimeout(resolve, 400));
  }
}

// Shows the proof of inclusion, checking again every 5 s (or on request) while the epoch is open.
async function inclusion(id, box) {
  let timer = null;
  const check = async () => {
    clearTimeout(timer);
    let proof;
    try {
      proof = await getJson('/v1/attributions/' + encodeURIComponent(id) + '/inclusion');
    } catch (e) {
      box.dataset.status = 'error';
      fill(box, h('strong', { text: 'Proof of inclusion: ' }), e.message);
      return;
    }
    box.dataset.status = proof.status;
    if (proof.status === 'pending') {
      fill(box,
        h('strong', { text: 'Proof of inclusion: pending until the epoch closes. ' }),
        proof.reason, ' ',
        h('button', { type: 'button', class: 'secondary check-again', text: 'Check again', onclick: check }));
      timer = setTimeout(check, 5000);
      return;
    }
    fill(box,
      h('strong', { text: `Included in epoch ${proof.epoch} (${proof.stage}).` }),
      h('dl', { class: 'provenance' },
        h('dt', { text: 'Record hash' }), h('dd', { class: 'mono record-hash', text: proof.record_hash }),
        h('dt', { text: 'Leaf' }), h('dd', { class: 'mono', text: proof.leaf }),
        h('dt', { text: 'Batch root' }), h('dd', { class: 'mono root', text: proof.root }),
        h('dt', { text: 'Anchored by' }), h('dd', { class: 'mono anchor', text: proof.anchor_transaction ?? 'not anchored yet' }),
        h('dt', { text: 'Merkle proof' }), h('dd', {}, h('ol', { class: 'mono' }, proof.proof.map(p => h('li', { title: p, text: short(p, 10) }))))));
    if (proof.stage !== 'anchored') {
      timer = setTimeout(check, 5000);
    }
  };
  await check();
}

byId('composer').addEventListener('submit', send);
byId('chat-input').addEventListener('keydown', event => {
  if (event.key === 'Enter' && !event.shiftKey) {
    send(event);
  }
});
byId('chat-model').addEventListener('change', () => {
  describeModel();
  history = [];
  fill(byId('conversation'));
});
byId('chat-clear').addEventListener('click', () => {
  history = [];
  fill(byId('conversation'));
});
window.addEventListener('openledger:key', loadModels);
loadModels();
