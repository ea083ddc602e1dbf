using OpenLedger.Model.Tokenization;
using static TorchSharp.torch;

namespace OpenLedger.Model.Serving;

/// <summary>
/// Iteration-level batching of generation requests for many adapters on one shared model: each <see cref="Step"/>
/// admits waiting requests (running each prompt once into its own KV cache) up to the batch limit, then decodes one
/// token for every active request in a single forward, each row with its own adapter and cache. Finished requests
/// leave at once and waiting ones take their place, so the batch never waits for its slowest member.
/// </summary>
public sealed class ContinuousBatch : IDisposable
{
    private readonly LlamaModel _model;
    private readonly TextTokenizer _tokenizer;
    private readonly int _maxBatch;
    private readonly Queue<Sequence> _waiting = new();
    private readonly List<Sequence> _active = [];
    private readonly Device _device;

    /// <summary>A batcher over <paramref name="model"/> serving the adapters stacked in <paramref name="stacks"/>.</summary>
    public ContinuousBatch(LlamaModel model, IReadOnlyDictionary<string, AdapterStack> stacks, TextTokenizer tokenizer, int maxBatch)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        _model = model;
        Stacks = stacks;
        _tokenizer = tokenizer;
        _maxBatch = maxBatch;
        _device = model.BaseParameters()[0].Parameter.device;
        model.eval();
    }

    /// <summary>The adapters by slot; may be replaced between steps as long as slots in use keep their adapters.</summary>
    public IReadOnlyDictionary<string, AdapterStack> Stacks { get; set; }

    /// <summary>Requests decoding now.</summary>
    public int Active => _active.Count;

    /// <summary>Requests waiting for a place in the batch.</summary>
    public int Waiting => _waiting.Count;

    /// <summary>Queues a request for adapter slot <paramref name="slot"/> (0: the base model alone).</summary>
    public Sequence Submit(string prompt, long slot, SamplingParameters parameters)
    {
        var tokens = _tokenizer.Encode(prompt);
        parameters.Validate(_model.Config.MaxPositionEmbeddings, tokens.Count);
        var sequence = new Sequence(tokens, slot, parameters, _model.Config.NumHiddenLayers);
        _waiting.Enqueue(sequence);
        return sequence;
    }

    /// <summary>Admits, then decodes one token for every active request. Returns false when there is nothing left to do.</summary>
    public bool Step()
    {
        using var noGrad = no_grad();
        // Cancelled requests leave before any work is spent on them.
        foreach (var cancelled in _active.Where(s => s.CancelRequested).ToList())
        {
            _active.Remove(cancelled);
            cancelled.Cache.Dispose();
            cancelled.Finish("cancelled");
        }

        while (_active.Count < _maxBatch && _waiting.Count > 0)
        {
            var sequence = _waiting.Dequeue();
            if (sequence.CancelRequested)
            {
                sequence.Cache.Dispose();
                sequence.Finish("cancelled");
                continue;
            }
            using var scope = NewDisposeScope();
            using var slot = tensor(new[] { sequence.Slot }, device: _device);
            using (_model.ServeAdapters(Stacks, slot))
            {
                var prompt = tensor(sequence.Prompt.Select(t => (long)t).ToArray(), new long[] { 1, sequence.Prompt.Count }, device: _device);
                var logits = _model.Forward(prompt, sequence.Cache);
                Accept(sequence, sequence.Sampler.Next(logits[0, -1]));
            }
            if (sequence.Finished)
            {
                sequence.Cache.Dispose();
            }
            else
            {
                _active.Add(sequence);
            }
        }
        if (_active.Count == 0)
        {
            return _waiting.Count > 0;
        }
        using (var scope = NewDisposeScope())
        {
            var tokens = tensor(_active.Select(s => (long)s.Tokens[^1]).ToArray(), new long[] { _active.Count, 1 }, device: _device);
            var slots = tensor(_active.Select(s => s.Slot).ToArray(), device: _device);
            using (_model.ServeAdapters(Stacks, slots))
            {
                var logits = _model.ForwardRows(tokens, _active.Select(s => s.Cache).ToList());
                for (var row = 0; row < _active.Count; row++)
                {
                    Accept(_active[row], _active[row].Sampler.Next(logits[row, 0]));
                }
            }
        }
        foreach (var done in _active.Where(s => s.Finished).ToList())
        {
            _active.Remove(done);
            done.Cache.Dispose();
        }
        return _active.Count > 0 || _waiting.Count > 0;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var sequence in _active.Concat(_waiting))
        {
            sequence.Cache.Dispose();
            sequence.Sampler.Dispose();
        }
    }

    private void Accept(Sequence sequence, int token)
    {
        if (token == _tokenizer.EndOfText)
        {
            sequence.Finish("stop");
            return;
        }
        sequence.Tokens.Add(token);
        var text = _tokenizer.Decode(sequence.Tokens);
        var stopAt = StreamedText.StopIndex(text, sequence.Parameters.Stop);
        if (stopAt >= 0)
        {
            sequence.Text = text[..stopAt];
            sequence.Finish("stop");
            return;
        }
        sequence.Text = text;
        if (sequence.Tokens.Count >= sequence.Parameters.MaxTokens)
        {
            sequence.Finish("length");
        }
    }

    /// <summary>One request's progress: the tokens and text so far, and why it finished.</summary>
    public sealed class Sequence
    {
        internal Sequence(IReadOnlyList<int> prompt, long slot, SamplingParameters parameters, int layers)
        {
            Prompt = prompt;
            Slot = slot;
            Parameters = parameters;
            Cache = new KvCache(layers);
            Sampler = new TokenSampler(parameters);
        }

        /// <summary>The prompt's tokens.</summary>
        public IReadOnlyList<int> Prompt { get; }

        /// <summary>The adapter slot.</summary>
        public long Slot { get; }

        /// <summary>How tokens are picked and when to stop.</summary>
        public SamplingParameters Parameters { get; }

        /// <summary>Generated tokens.</summary>
        public List<int> Tokens { get; } = [];

        /// <summary>Generated text (cut at a stop sequence).</summary>
        public string Text { get; internal set; } = "";

        /// <summary>Asks the batch to drop this request at its next step.</summary>
        public void Cancel() => CancelRequested = true;

        internal bool CancelRequested { get; private set; }

        /// <summary>Whether generation ended.</summary>
        public bool Finished => FinishReason is not null;

        /// <summary>"stop" (end of text or a stop sequence) or "length" (max tokens), as OpenAI names them; or "cancelled".</summary>
        public string? FinishReason { get; private set; }

        internal KvCache Cache { get; }

        internal TokenSampler Sampler { get; }

        internal void Finish(string reason)
        {
            FinishReason = reason;
            Sampler.Dispose();
        }
    }
}
