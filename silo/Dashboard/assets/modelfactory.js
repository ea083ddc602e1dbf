// ModelFactory without code: pick a base model, Datanet snapshots and hyperparameters, launch a fine-tuning job,
// watch its loss fall as it trains, then publish its adapter for serving. The job id is kept in the address
// (#job=…), so a reload goes on watching the same job.
import { h, fill, byId, panelState } from './dom.js';
import { getJson, postJson } from './api.js';
import { mountShell } from './shell.js';
import { lineChart } from './charts.js';
import * as f from './format.js';

mountShell('modelfactory');

const targets = ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'];
const defaultTargets = new Set(['q_proj', 'k_proj', 'v_proj', 'o_proj']);
let watching = null;
let job = null;

async function loadChoices() {
  const panel = byId('factory-form');
  let bases;
  let datanets;
  try {
    [bases, datanets] = await Promise.all([getJson('/v1/grid/base_models'), getJson('/v1/grid/datanets?limit=200')]);
  } catch (e) {
    panelState(panel, 'error', e.status === 401 ? 'Enter an operator key above to launch jobs. (' + e.message + ')' : e.message);
    return;
  }
  fill(byId('mf-base'), bases.data.map(b => h('option', { value: b.id, text: `${b.id} (${f.count(b.parameters)} parameters)` })));
  const usable = datanets.data.filter(d => d.snapshots.length > 0);
  fill(byId('mf-datanets'), usable.length ? usable.map(d => h('label', { 'data-datanet': d.id },
    h('input', { type: 'checkbox', class: 'mf-datanet', value: d.id }),
    h('span', { text: `${d.name} (${d.id})` }),
    h('select', { class: 'mf-snapshot', 'aria-label': 'snapshot of ' + d.id },
      [...d.snapshots].reverse().map(s => h('option', { value: s.number, text: `snapshot ${s.number}: ${s.contributions} contributions, ${s.records} records` })))))
    : h('p', { class: 'note', text: 'No Datanet has a snapshot yet; take one with `openledger datanet snapshot`.' }));
  fill(byId('mf-targets'), targets.map(t => h('label', {}, h('input', { type: 'checkbox', class: 'mf-target', value: t, checked: defaultTargets.has(t) }), t)));
  if (!byId('mf-model-id').value) {
    byId('mf-model-id').value = 'mf-' + new Date().toISOString().replace(/[^0-9]/g, '').slice(0, 14);
  }
  panelState(panel, bases.data.length ? 'ready' : 'empty', bases.data.length ? '' : 'No base model in the grid yet: import one with `openledger model base import`.');
}

function number(id) {
  return Number(byId(id).value);
}

async function launch(event) {
  event.preventDefault();
  const panel = byId('factory-form');
  const datanets = [...document.querySelectorAll('#mf-datanets label')]
    .filter(label => label.querySelector('.mf-datanet').checked)
    .map(label => `${label.dataset.datanet}@${label.querySelector('.mf-snapshot').value}`);
  const request = {
    base_model: byId('mf-base').value,
    model_id: byId('mf-model-id').value.trim(),
    datanets,
    hyperparameters: {
      epochs: number('mf-epochs'),
      learning_rate: number('mf-lr'),
      batch_size: number('mf-batch'),
      sequence_length: number('mf-seq'),
      seed: number('mf-seed'),
      lora_rank: number('mf-rank'),
      lora_alpha: number('mf-alpha'),
      lora_dropout: number('mf-dropout'),
      target_modules: [...document.querySelectorAll('.mf-target:checked')].map(c => c.value),
      checkpoint_every: number('mf-checkpoint'),
      validation_fraction: number('mf-validation'),
    },
  };
  byId('mf-launch').disabled = true;
  try {
    const started = await postJson('/v1/fine_tuning/jobs', request);
    panelState(panel, 'ready', `Launched job ${started.id}.`);
    location.hash = 'job=' + encodeURIComponent(started.id);
    watch(started.id);
  } catch (e) {
    panelState(panel, 'error', (e.code ? e.code + ': ' : '') + e.message);
  } finally {
    byId('mf-launch').disabled = false;
  }
}

function watch(id) {
  clearTimeout(watching);
  const poll = async () => {
    const panel = byId('factory-job');
    try {
      job = await getJson('/v1/fine_tuning/jobs/' + encodeURIComponent(id));
    } catch (e) {
      panelState(panel, 'error', e.message);
      watching = setTimeout(poll, 2000);
      return;
    }
    show(job);
    if (!job.finished) {
      watching = setTimeout(poll, 500);
    }
  };
  poll();
}

function show(status) {
  const panel = byId('factory-job');
  panel.dataset.job = status.id;
  panel.dataset.status = status.status;
  const progress = status.total_steps ? status.step / status.total_steps : 0;
  byId('job-progress').style.width = (100 * (status.status === 'completed' ? 1 : progress)).toFixed(1) + '%';
  const validation = status.base_validation_loss !== null && status.base_validation_loss !== undefined
    ? `base model ${f.fixed(status.base_validation_loss, 3)} (perplexity ${f.fixed(Math.exp(status.base_validation_loss), 1)})` +
      (status.validation_loss !== null && status.validation_loss !== undefined
        ? ` → adapter ${f.fixed(status.validation_loss, 3)} (perplexity ${f.fixed(Math.exp(status.validation_loss), 1)})` : '')
    : 'measured when training ends';
  fill(byId('job-summary'), h('dl', { class: 'provenance' },
    h('dt', { text: 'Job' }), h('dd', { class: 'mono', id: 'job-id', text: status.id }),
    h('dt', { text: 'Status' }), h('dd', {}, h('span', { id: 'job-status', class: 'pill ' + status.status, 'data-status': status.status, text: status.status })),
    h('dt', { text: 'Model' }), h('dd', { text: `${status.model_id} on ${status.base_model}, owner ${status.owner}` }),
    h('dt', { text: 'Trained on' }), h('dd', { text: status.datanets.map(d => `${d.datanet}@${d.snapshot}`).join(', ') }),
    h('dt', { text: 'Progress' }), h('dd', { id: 'job-step', text: `step ${status.step} of ${status.total_steps || '?'} · epoch ${status.epoch + 1} · ${f.fixed(status.tokens_per_second, 0)} tokens/s on ${status.device} · checkpoint at step ${status.checkpoint_step}` }),
    h('dt', { text: 'Loss' }), h('dd', { id: 'job-loss', text: f.fixed(status.loss, 4) }),
    h('dt', { text: 'Validation loss' }), h('dd', { id: 'job-validation', text: validation }),
    status.error ? h('dt', { text: 'Error' }) : null, status.error ? h('dd', { class: 'error', text: status.error }) : null));
  lineChart(byId('loss-chart'), [{ name: 'training loss', points: status.loss_curve.map(p => ({ x: p.step, y: p.loss })) }],
    { markers: true, fitY: true, width: 900, height: 260, xLabel: 'step', xFormat: v => String(v), yFormat: v => v.toFixed(2), label: 'training loss by step', empty: 'Waiting for the first step…' });
  panelState(panel, status.status === 'failed' ? 'error' : 'ready', status.status === 'failed' ? 'The job failed: ' + status.error : '');

  const publish = byId('factory-publish');
  byId('pub-go').disabled = status.status !== 'completed';
  if (!byId('pub-adapter').value || byId('pub-adapter').dataset.job !== status.id) {
    byId('pub-adapter').value = status.model_id;
    byId('pub-adapter').dataset.job = status.id;
  }
  if (publish.dataset.state !== 'ready') {
    panelState(publish, 'empty',
      status.status === 'completed' ? 'Training completed and the model is published with its provenance: deploy its adapter to serve it.' : 'Publishing opens when training completes.');
  }
}

async function publish(event) {
  event.preventDefault();
  if (!job) {
    return;
  }
  const panel = byId('factory-publish');
  const body = { adapter_id: byId('pub-adapter').value.trim() || undefined, pinned: byId('pub-pinned').checked };
  const price = byId('pub-price').value.trim();
  if (price) {
    body.price_per_1k_tokens_wei = price;
  }
  byId('pub-go').disabled = true;
  try {
    const result = await postJson('/v1/fine_tuning/jobs/' + encodeURIComponent(job.id) + '/publish', body);
    fill(byId('pub-result'), h('dl', { class: 'provenance' },
      h('dt', { text: 'Adapter' }), h('dd', { id: 'pub-adapter-id', text: result.adapter.id }),
      h('dt', { text: 'Where' }), h('dd', { text: `${result.adapter.residency} on ${result.adapter.silo ?? 'no silo yet'}, rank ${result.adapter.rank}, ${f.bytes(result.adapter.device_bytes)}` }),
      h('dt', { text: 'Adapter hash' }), h('dd', { class: 'mono', text: result.model.adapter_hash }),
      h('dt', { text: 'Price' }), h('dd', { text: `${f.open(result.model.price_per_1k_tokens_wei)} per 1,000 tokens (${result.model.price_per_1k_tokens_wei} wei)` })),
      h('p', {}, h('a', { id: 'pub-chat-link', href: '/dashboard/chat#model=' + encodeURIComponent(result.adapter.id), text: 'Chat with it →' })));
    panelState(panel, 'ready', 'Published: the adapter is served behind /v1/completions and /v1/chat/completions.');
  } catch (e) {
    panelState(panel, 'error', (e.code ? e.code + ': ' : '') + e.message);
  } finally {
    byId('pub-go').disabled = job.status !== 'completed';
  }
}

byId('launch-form').addEventListener('submit', launch);
byId('publish-form').addEventListener('submit', publish);
window.addEventListener('openledger:key', loadChoices);
loadChoices();
const resumed = new URLSearchParams(location.hash.slice(1)).get('job');
if (resumed) {
  watch(resumed);
}
