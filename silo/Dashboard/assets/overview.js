// The overview page: the cluster, the live inference rate, Datanets, models with provenance, recent answers with
// their attribution, epochs and payouts, and earnings over time. Each panel reads its own routes and shows its own
// error, so one missing API (the earnings read model, say) never blanks the others.
import { h, fill, byId, panelState } from './dom.js';
import { getJson, ApiError } from './api.js';
import { mountShell, every } from './shell.js';
import { lineChart, palette } from './charts.js';
import * as f from './format.js';
import { answerView, attributionView } from './attribution.js';

mountShell('overview');

const records = new Map();      // inference id -> final attribution record (they never change once final)
let datanetIds = [];
let selectedDatanet = null;
let chosenAccount = '';

function failed(panel, error) {
  const message = error.status === 401
    ? 'The API refused the key: enter an operator or agent key above. (' + error.message + ')'
    : error.message;
  panelState(panel, 'error', message);
}

function stat(id, value, text = f.count(value)) {
  const element = byId(id);
  element.dataset.value = String(value);
  element.textContent = text;
}

async function refreshCluster() {
  const panel = byId('cluster');
  const ratePanel = byId('rate');
  let cluster;
  try {
    cluster = await getJson('/v1/grid/cluster');
  } catch (e) {
    failed(panel, e);
    failed(ratePanel, e);
    return;
  }
  const devices = cluster.devices.reduce((sum, d) => sum + d.silos, 0);
  stat('stat-silos', cluster.silos.length);
  stat('stat-devices', devices);
  byId('stat-devices').title = cluster.devices.map(d => `${d.device} × ${d.silos}`).join(', ');
  stat('stat-base-models', cluster.base_models);
  stat('stat-adapters', cluster.adapters.deployed);
  stat('stat-resident', cluster.adapters.device);
  byId('stat-resident').title = `${cluster.adapters.device} on device, ${cluster.adapters.host} in host memory, ${cluster.adapters.storage} only in storage; ${cluster.adapters.pinned} pinned`;
  stat('stat-datanets', cluster.datanets);
  stat('stat-models', cluster.models);
  stat('stat-rate', cluster.rate.inferences_per_second, f.fixed(cluster.rate.inferences_per_second, 2));
  fill(byId('silos').tBodies[0], cluster.silos.map(silo => h('tr', {},
    h('td', { class: 'mono', title: silo.address, text: silo.name || silo.address }),
    h('td', { text: silo.status }),
    h('td', { text: silo.device ?? 'not serving yet' }),
    h('td', { text: silo.base_models.length ? silo.base_models.join(', ') : '–' }),
    h('td', { class: 'num', text: f.count(silo.adapters) }),
    h('td', { class: 'num', text: f.bytes(silo.free_adapter_bytes) }),
    h('td', { class: 'num', text: f.bytes(silo.free_host_bytes) }))));
  panelState(panel, 'ready');

  const rate = cluster.rate;
  const seconds = rate.inferences_by_second.length;
  lineChart(byId('rate-chart'), [
    { name: 'inferences / s', points: rate.inferences_by_second.map((v, i) => ({ x: i - seconds, y: v })) },
  ], { area: true, width: 560, height: 200, xFormat: v => v + ' s', label: 'inferences per second over the last minute' });
  byId('rate-note').textContent =
    `${f.fixed(rate.inferences_per_second, 2)} inferences/s and ${f.fixed(rate.tokens_per_second, 1)} tokens/s on average over the last ${rate.window_seconds} s, as served by this silo's HTTP API.`;
  panelState(ratePanel, 'ready');
}

async function refreshInferences() {
  const panel = byId('inferences');
  let list;
  try {
    list = await getJson('/v1/grid/inferences?limit=6');
  } catch (e) {
    failed(panel, e);
    return;
  }
  if (list.data.length === 0) {
    fill(byId('inference-list'));
    panelState(panel, 'empty', 'No answers served through this silo yet. Ask a model on the Chat page.');
    return;
  }
  const items = await Promise.all(list.data.map(async served => {
    let record = records.get(served.id);
    let problem = null;
    if (!record) {
      try {
        record = await getJson('/v1/attributions/' + encodeURIComponent(served.id));
        if (record.status !== 'pending') {
          records.set(served.id, record);
        }
      } catch (e) {
        problem = e;
      }
    }
    return h('li', { class: 'inference', 'data-inference': served.id },
      h('div', { class: 'inference-head' },
        h('span', { class: 'pill', text: served.model }),
        h('span', { class: 'mono', title: served.id, text: f.short(served.id, 8) }),
        h('span', { class: 'note', text: `${f.time(served.created)} · ${served.completion_tokens} tokens` })),
      record ? answerView(record) : h('p', { class: 'error', text: 'Attribution not available: ' + problem.message }),
      record ? attributionView(record) : null);
  }));
  fill(byId('inference-list'), items);
  panelState(panel, 'ready');
}

async function refreshDatanets() {
  const panel = byId('datanets');
  let list;
  try {
    list = await getJson('/v1/grid/datanets?limit=50');
  } catch (e) {
    failed(panel, e);
    return;
  }
  datanetIds = list.data.map(d => d.id);
  panel.dataset.total = String(list.total);
  fill(byId('datanet-table').tBodies[0], list.data.map(d => {
    const latest = d.snapshots[d.snapshots.length - 1];
    return h('tr', { class: 'clickable' + (d.id === selectedDatanet ? ' selected' : ''), 'data-datanet': d.id, onclick: () => showDatanet(d.id) },
      h('td', {}, h('strong', { text: d.name }), h('br'), h('span', { class: 'mono note', text: d.id })),
      h('td', { text: d.domain }),
      h('td', { class: 'num', text: f.count(d.contributions.approved) }),
      h('td', { class: 'num', text: f.count(d.contributions.pending) }),
      h('td', { class: 'num', text: f.count(d.contributions.rejected) }),
      h('td', { class: 'num', text: f.count(d.contributions.records) }),
      h('td', { class: 'mono', title: latest?.root ?? '', text: latest ? `#${latest.number} · ${f.short(latest.root)}` : 'none yet' }));
  }));
  if (list.total === 0) {
    panelState(panel, 'empty', 'No Datanets yet. Create one with `openledger datanet create`.');
  } else {
    panelState(panel, 'ready', list.total > list.data.length ? `Showing ${list.data.length} of ${list.total}.` : '');
  }
  if (selectedDatanet) {
    await showDatanet(selectedDatanet);
  }
}

async function showDatanet(id) {
  selectedDatanet = id;
  for (const row of byId('datanet-table').tBodies[0].rows) {
    row.classList.toggle('selected', row.dataset.datanet === id);
  }
  const box = byId('datanet-detail');
  try {
    const detail = await getJson('/v1/grid/datanets/' + encodeURIComponent(id) + '?limit=8');
    fill(box,
      h('h3', { text: `${detail.datanet.name}: latest of ${f.count(detail.contributions_total)} contributions` }),
      h('table', { class: 'table compact' },
        h('thead', {}, h('tr', {}, ['#', 'Contributor', 'Status', 'Records', 'Size', 'Payload hash', 'Submitted'].map(t => h('th', { text: t })))),
        h('tbody', {}, detail.latest_contributions.map(c => h('tr', {},
          h('td', { class: 'num', text: c.sequence }),
          h('td', { class: 'mono', title: c.contributor, text: f.short(c.contributor) }),
          h('td', {}, h('span', { class: 'pill ' + c.status, title: c.reason ?? '', text: c.status })),
          h('td', { class: 'num', text: f.count(c.record_count) }),
          h('td', { class: 'num', text: f.bytes(c.size_bytes) }),
          h('td', { class: 'mono', title: c.payload_hash, text: f.short(c.payload_hash) }),
          h('td', { text: f.time(c.submitted_at) }))))));
  } catch (e) {
    fill(box, h('p', { class: 'error', text: e.message }));
  }
}

async function refreshModels() {
  const panel = byId('models');
  let list;
  try {
    list = await getJson('/v1/grid/models?limit=50');
  } catch (e) {
    failed(panel, e);
    return;
  }
  panel.dataset.total = String(list.total);
  fill(byId('model-list'), list.data.map(m => {
    const hp = m.hyperparameters;
    return h('article', { class: 'model', 'data-model': m.id },
      h('h3', {}, m.id, ' ', h('span', { class: 'pill', text: m.price_per_1k_tokens_wei === '0' ? 'free' : f.open(m.price_per_1k_tokens_wei) + ' / 1k tokens' })),
      h('dl', { class: 'provenance' },
        h('dt', { text: 'Owner' }), h('dd', { class: 'mono', text: m.owner }),
        h('dt', { text: 'Base model' }), h('dd', {}, m.base_model, ' ', h('span', { class: 'mono note', title: m.base_model_hash, text: f.short(m.base_model_hash) })),
        h('dt', { text: 'Trained on' }), h('dd', {}, m.snapshots.map(s => h('div', {},
          `${s.datanet} snapshot ${s.snapshot} (${s.contributions} contributions) `, h('span', { class: 'mono note', title: s.root, text: 'root ' + f.short(s.root) })))),
        h('dt', { text: 'Hyperparameters' }), h('dd', { text: `${hp.epochs} epochs · lr ${hp.learning_rate} · batch ${hp.batch_size} · seq ${hp.sequence_length} · LoRA r ${hp.lora_rank} α ${hp.lora_alpha} · seed ${hp.seed}` }),
        h('dt', { text: 'Adapter' }), h('dd', { class: 'mono', title: m.adapter_hash, text: f.short(m.adapter_hash, 10) }),
        h('dt', { text: 'Validation' }), h('dd', { text: `perplexity ${f.fixed(m.metrics.validation_perplexity, 1)} (base model ${f.fixed(m.metrics.base_validation_perplexity, 1)}) · ${m.metrics.training_examples} training examples` }),
        h('dt', { text: 'Published' }), h('dd', { text: `${f.time(m.published_at)} by job ${m.job_id}` })));
  }));
  if (list.total === 0) {
    panelState(panel, 'empty', 'No models published yet. Fine-tune one on the ModelFactory page.');
  } else {
    panelState(panel, 'ready');
  }
}

async function refreshEpochs() {
  const panel = byId('epochs');
  const [grid, earnings] = await Promise.allSettled([getJson('/v1/grid/epochs'), getJson('/v1/earnings/epochs')]);
  if (grid.status === 'rejected') {
    failed(panel, grid.reason);
    return;
  }
  const byEpoch = new Map();
  for (const e of grid.value.data) {
    byEpoch.set(e.epoch_id, { epoch: e.epoch_id, chain: e });
  }
  const read = earnings.status === 'fulfilled' && Array.isArray(earnings.value) ? earnings.value : [];
  for (const e of read) {
    byEpoch.set(e.epoch, { ...(byEpoch.get(e.epoch) ?? { epoch: e.epoch }), earnings: e });
  }
  const rows = [...byEpoch.values()].sort((a, b) => b.epoch - a.epoch);
  fill(byId('epoch-table').tBodies[0], rows.map(({ epoch, chain, earnings: e }) => {
    const tx = chain ? Object.entries(chain.transactions) : [];
    return h('tr', { 'data-epoch': epoch },
      h('td', { class: 'num', text: epoch }),
      h('td', {}, h('span', { class: 'pill ' + (chain?.stage ?? 'open'), text: chain?.stage ?? 'open' })),
      h('td', { class: 'num', text: f.count(chain?.inferences ?? e?.inferences) }),
      h('td', { class: 'num', text: e ? f.open(e.feesWei) : (chain ? f.open(chain.debited_wei) : '–') }),
      h('td', { class: 'num', text: chain ? f.open(chain.total_wei) : (e ? f.open(e.accruedWei) : '–') }),
      h('td', { class: 'num', text: chain ? f.open(chain.burn_wei) : (e ? f.open(e.burnedWei) : '–') }),
      h('td', { class: 'num', text: e?.postedWei ? f.open(e.postedWei) : (chain && ['posted', 'anchored'].includes(chain.stage) ? 'yes' : '–') }),
      h('td', { class: 'mono', title: chain?.root ?? '', text: f.short(chain?.root) }),
      h('td', { class: 'mono' }, tx.map(([step, hash]) => h('div', { title: hash, text: `${step} ${f.short(hash, 4)}` }))));
  }));
  byId('epochs-earnings-note').textContent = earnings.status === 'rejected'
    ? `Fees and postings from the earnings read model: not available yet (${earnings.reason.message}).`
    : '';
  if (!grid.value.economy) {
    panelState(panel, 'empty', 'This grid has no chain configured, so there are no epochs or payouts.');
  } else if (rows.length === 0) {
    panelState(panel, 'empty', 'No epochs yet: the first closes when the operator settles (`openledger economy close`).');
  } else {
    panelState(panel, 'ready');
  }
}

async function refreshEarnings() {
  const panel = byId('earnings');
  const problems = [];
  let any = false;

  // Per Datanet: each Datanet's earnings over epochs.
  const datanetSeries = [];
  for (const id of datanetIds.slice(0, palette.length)) {
    try {
      const series = await getJson('/v1/earnings/datanets/' + encodeURIComponent(id) + '/epochs');
      datanetSeries.push({ name: id, points: series.map(t => ({ x: t.epoch, y: f.openNumber(t.wei) })) });
    } catch (e) {
      problems.push(e);
    }
  }
  if (datanetSeries.some(s => s.points.length)) {
    any = true;
    lineChart(byId('earnings-datanets-chart'), datanetSeries, { markers: true, legend: true, xFormat: v => 'epoch ' + v, yFormat: v => v + ' OPEN', label: 'earnings per Datanet per epoch' });
    byId('earnings-datanets-state').textContent = '';
  } else {
    fill(byId('earnings-datanets-chart'));
    byId('earnings-datanets-state').textContent = 'No earnings yet' + (problems.length ? ': ' + problems[0].message : '.');
  }

  // Per contributor: the chosen account (or the first Datanet's top earner) and that Datanet's top contributors.
  let top = [];
  if (datanetIds.length) {
    try {
      top = await getJson('/v1/earnings/datanets/' + encodeURIComponent(datanetIds[0]) + '/top?count=5');
    } catch (e) {
      problems.push(e);
    }
  }
  const account = chosenAccount || top[0]?.contributor || '';
  if (account && !byId('earnings-account').value) {
    byId('earnings-account').value = account;
  }
  const accountState = byId('earnings-account-state');
  if (account) {
    try {
      const totals = await getJson('/v1/earnings/accounts/' + encodeURIComponent(account));
      for (const [id, wei] of [['earn-accrued', totals.accruedWei], ['earn-posted', totals.postedWei], ['earn-claimed', totals.claimedWei], ['earn-claimable', totals.claimableWei]]) {
        byId(id).dataset.wei = wei;
        byId(id).textContent = f.open(wei);
      }
      byId('earn-accrued').dataset.account = account;
      accountState.textContent = '';
      any = true;
    } catch (e) {
      problems.push(e);
      // A refresh that fails keeps the figures last read for the same account (they only grow); another account's go.
      if (byId('earn-accrued').dataset.account !== account) {
        for (const id of ['earn-accrued', 'earn-posted', 'earn-claimed', 'earn-claimable']) {
          delete byId(id).dataset.wei;
          byId(id).textContent = '–';
        }
        delete byId('earn-accrued').dataset.account;
      }
      accountState.textContent = 'No earnings yet for ' + f.short(account) + ': ' + e.message;
    }
  } else {
    accountState.textContent = 'No earnings yet: enter an account to see its earnings.';
  }
  const accounts = [...new Set([account, ...top.map(t => t.contributor)].filter(Boolean))].slice(0, palette.length);
  const contributorSeries = [];
  for (const a of accounts) {
    try {
      const history = await getJson('/v1/earnings/accounts/' + encodeURIComponent(a) + '/epochs');
      contributorSeries.push({ name: f.short(a), points: history.map(e => ({ x: e.epoch, y: f.openNumber(e.accruedWei) })) });
    } catch (e) {
      problems.push(e);
    }
  }
  if (contributorSeries.some(s => s.points.length)) {
    any = true;
    lineChart(byId('earnings-contributors-chart'), contributorSeries, { markers: true, legend: true, xFormat: v => 'epoch ' + v, yFormat: v => v + ' OPEN', label: 'earnings per contributor per epoch' });
  } else {
    fill(byId('earnings-contributors-chart'));
  }

  if (any) {
    panelState(panel, 'ready');
  } else {
    const first = problems[0];
    panelState(panel, first && !(first instanceof ApiError && first.status === 404) ? 'error' : 'empty',
      'No earnings yet' + (first ? ' (' + first.message + ')' : '') + '.');
  }
}

byId('earnings-account-form').addEventListener('submit', event => {
  event.preventDefault();
  chosenAccount = byId('earnings-account').value.trim();
  refreshEarnings();
});

every(2, async () => {
  await refreshCluster();
  await refreshInferences();
});
// Earnings read the Datanet list, so they follow it, at half its pace.
let tick = 0;
every(5, async () => {
  await refreshDatanets();
  await refreshModels();
  await refreshEpochs();
  if (tick++ % 2 === 0) {
    await refreshEarnings();
  }
});
