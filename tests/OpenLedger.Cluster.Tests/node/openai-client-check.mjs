// Drives the grid's OpenAI-compatible API with the stock `openai` npm client, as an agent's existing code would:
// lists the models, asks for a whole completion and streams a chat reply from an adapter, and checks that a wrong key
// is the library's AuthenticationError. Prints one JSON summary on stdout; exits non-zero when any step fails.
//
//   OPENAI_API_KEY=<agent key> node openai-client-check.mjs http://127.0.0.1:8080/v1 [model]
//
// `openai` comes from deploy/node_modules (pinned in deploy/package.json); ES modules ignore NODE_PATH, so the test
// links that folder next to its copy of this script.
import OpenAI from 'openai';
import { VERSION } from 'openai/version';

const [baseURL, wanted] = process.argv.slice(2);
if (!baseURL || !process.env.OPENAI_API_KEY) {
  console.error('usage: OPENAI_API_KEY=<agent key> node openai-client-check.mjs <base URL ending in /v1> [model]');
  process.exit(2);
}

// The library's own retries would hide how the grid answers; the grid's refusals are checked as they come.
const client = new OpenAI({ baseURL, apiKey: process.env.OPENAI_API_KEY, maxRetries: 0, timeout: 120_000 });
const summary = { library: VERSION };

try {
  const models = [];
  for await (const model of client.models.list()) {
    models.push({ id: model.id, base_model: model.base_model ?? null, residency: model.residency ?? null });
  }
  summary.models = models;
  const model = wanted ?? models.find((m) => m.base_model)?.id;
  if (!model) {
    throw new Error('the grid lists no adapter to ask');
  }
  summary.model = model;

  const completion = await client.completions.create({ model, prompt: 'Shift notes: the conveyor', max_tokens: 8, temperature: 0 });
  summary.completion = { id: completion.id, text: completion.choices[0]?.text ?? '', finish_reason: completion.choices[0]?.finish_reason ?? null, usage: completion.usage ?? null };

  const stream = await client.chat.completions.create({
    model,
    messages: [{ role: 'user', content: 'Summarise the shift.' }],
    max_tokens: 8,
    temperature: 0,
    stream: true,
  });
  let text = '';
  let chunks = 0;
  let last = null;
  for await (const chunk of stream) {
    chunks += 1;
    text += chunk.choices[0]?.delta?.content ?? '';
    last = chunk;
  }
  summary.chat = { id: last?.id ?? null, text, chunks, finish_reason: last?.choices[0]?.finish_reason ?? null, usage: last?.usage ?? null };

  const stranger = new OpenAI({ baseURL, apiKey: 'olk_not-a-key', maxRetries: 0 });
  try {
    await stranger.models.list();
    summary.wrong_key = { error: null };
  } catch (error) {
    summary.wrong_key = {
      error: error?.constructor?.name ?? String(error),
      authentication_error: error instanceof OpenAI.AuthenticationError,
      status: error?.status ?? null,
      code: error?.code ?? null,
    };
  }
  if (!summary.wrong_key.authentication_error) {
    throw new Error(`a wrong key should be an AuthenticationError, got ${JSON.stringify(summary.wrong_key)}`);
  }
} catch (error) {
  summary.failure = `${error?.constructor?.name ?? 'Error'}: ${error?.message ?? error}`;
  console.log(JSON.stringify(summary, null, 2));
  process.exit(1);
}
console.log(JSON.stringify(summary, null, 2));
