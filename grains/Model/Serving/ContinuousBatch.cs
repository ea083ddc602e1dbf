using System.Diagnostics;
using OpenLedger.Model.Lora;
using OpenLedger.Model.Tokenization;
using static TorchSharp.torch;

namespace OpenLedger.Model.Serving;

/// <summary>
/// Iteration-level batching of generation requests for many adapters on one shared model. Each <see cref="Step"/>
/// retires cancelled and expired requests, admits waiting ones into free rows (prefilling each prompt), then decodes
/// one token for every running request in a single forward in which each row has its own adapter and history.
/// <para>
/// Admission is fair across adapters: every adapter with waiting requests has its own queue and the queues take
/// turns, so a hot adapter under Zipf traffic cannot crowd out the tail. A request's adapter must be resident to
/// run; when the pool cannot make room (everything resident is in use), the oldest waiting request is the next to
/// get room: other adapters' requests wait until running ones finish and free it. Adapters that waiting requests
/// will need are prefetched into free pool bytes ahead of their turn.
/// </para>
/// Not thread-safe: one worker owns it.
/// </summary>
public sealed class ContinuousBatch : IDisposable
{
    private const string BaseModelQueue = "";
    private const int PrefetchAhead = 8;

    private readonly LlamaModel _model;
    private readonly TextTokenizer _tokenizer;
    private readonly ResidentPool _pool;
    private readonly Func<string, PeftAdapter?> _hostAdapters;
    private readonly int _maxBatch;
    private readonly Dictionary<string, Queue<Sequence>> _queues = new(StringComparer.Ordinal);
    private readonly LinkedList<string> _turns = new();
    private readonly List<Sequence> _active = [];
    private readonly List<Sequence> _admitting = [];   // leased and out of their queues, not yet in rows
    private readonly BatchKvCache _cache;
    private readonly Device _device;
    private long _arrivals;  // advanced by callers preparing requests on their own threads
    private string? _starving;

    /// <summary>
    /// A batcher over <paramref name="model"/> running at most <paramref name="maxBatch"/> requests at once, with
    /// adapters made resident in <paramref name="pool"/> from the host copies <paramref name="hostAdapters"/> returns.
    /// </summary>
    public ContinuousBatch(LlamaModel model, TextTokenizer tokenizer, ResidentPool pool, Func<string, PeftAdapter?> hostAdapters, int maxBatch)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        _model = model;
        _tokenizer = tokenizer;
        _pool = pool;
        _hostAdapters = hostAdapters;
        _maxBatch = maxBatch;
        var weight = model.BaseParameters()[0].Parameter;
        _device = weight.device;
        _cache = new BatchKvCache(model.Config, maxBatch, weight.dtype, _device);
        model.eval();
    }

    /// <summary>Requests decoding now.</summary>
    public int Active => _active.Count;

    /// <summary>Requests waiting for a row.</summary>
    public int Waiting { get; private set; }

    /// <summary>Admissions that found their adapter resident.</summary>
    public long CacheHits { get; private set; }

    /// <summary>Admissions that had to make their adapter resident.</summary>
    public long CacheMisses { get; private set; }

    /// <summary>
    /// Queues a request for <paramref name="adapterId"/> (null: the base model alone) that must finish within
    /// <paramref name="timeout"/>. Bad parameters throw <see cref="InvalidGenerationException"/> and queue nothing.
    /// </summary>
    public Sequence Submit(string prompt, string? adapterId, SamplingParameters parameters, TimeSpan? timeout = null)
    {
        var sequence = Prepare(prompt, adapterId, parameters, timeout);
        Enqueue(sequence);
        return sequence;
    }

    /// <summary>
    /// Tokenizes and checks a request without queueing it, so callers on other threads learn of bad input at once;
    /// <see cref="Enqueue"/> (on the batch's own thread) queues it.
    /// </summary>
    public Sequence Prepare(string prompt, string? adapterId, SamplingParameters parameters, TimeSpan? timeout = null)
    {
        var tokens = _tokenizer.Encode(prompt);
        try
        {
            parameters.Validate(_model.Config.MaxPositionEmbeddings, tokens.Count);
        }
        catch (InvalidGenerationException)
        {
            ServingMetrics.Ended("invalid", Stopwatch.GetTimestamp());
            throw;
        }
        return new Sequence(Interlocked.Increment(ref _arrivals), tokens, adapterId, parameters, timeout);
    }

    /// <summary>Queues a prepared request behind its adapter's earlier ones.</summary>
    public void Enqueue(Sequence sequence)
    {
        var key = sequence.AdapterId ?? BaseModelQueue;
        if (!_queues.TryGetValue(key, out var queue))
        {
            queue = new Queue<Sequence>();
            _queues[key] = queue;
            _turns.AddLast(key);
        }
        queue.Enqueue(sequence);
        Waiting++;
    }

    /// <summary>Retires, admits, then decodes one token for every running request. False when there is nothing left to do.</summary>
    public bool Step()
    {
        using var noGrad = no_grad();
        var now = Stopwatch.GetTimestamp();
        for (var row = _active.Count - 1; row >= 0; row--)
        {
            var sequence = _active[row];
            if (sequence.CancelRequested || sequence.ExpiredAt(now))
            {
                sequence.Stop(sequence.CancelRequested ? "cancelled" : "deadline");
                Retire(row);
            }
        }
        DropAbandoned(now);
        Admit();
        Prefetch();
        if (_active.Count == 0)
        {
            // Nothing could run: more steps would spin. The next arrival, command or release wakes the worker.
            return false;
        }
        Decode();
        return _active.Count > 0 || Waiting > 0;
    }

    /// <summary>
    /// Ends every running and waiting request with <paramref name="failure"/> and releases their adapters, leaving
    /// the batch empty and usable: what a step that threw leaves behind must not poison the next one.
    /// </summary>
    public void FailAll(Exception failure)
    {
        foreach (var sequence in _active.Concat(_admitting).Concat(_queues.Values.SelectMany(q => q)).Distinct().ToList())
        {
            if (sequence.AdapterId is { } id && sequence.Adapter is { } adapter)
            {
                _pool.Release(id, adapter);
            }
            if (!sequence.Finished)
            {
                sequence.Fail(failure);
            }
        }
        for (var row = 0; row < _active.Count; row++)
        {
            _cache.Clear(row);
        }
        _active.Clear();
        _admitting.Clear();
        _queues.Clear();
        _turns.Clear();
        Waiting = 0;
        _starving = null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var sequence in _active.Concat(_queues.Values.SelectMany(q => q)))
        {
            sequence.Sampler.Dispose();
        }
        _cache.Dispose();
    }

    private void Decode()
    {
        using var scope = NewDisposeScope();
        var tokens = tensor(_active.Select(s => (long)s.Tokens[^1]).ToArray(), new long[] { _active.Count, 1 }, device: _device);
        using (_model.ServeAdapters(_active.Select(s => s.Adapter).ToList()))
        {
            var logits = _model.ForwardRows(tokens, _cache);
            ServingMetrics.BatchSize.Record(_active.Count);
            var next = TokenSampler.NextBatch(logits.squeeze(1), _active.Select(s => s.Sampler).ToList());
            for (var row = 0; row < _active.Count; row++)
            {
                Accept(_active[row], next[row]);
            }
        }
        for (var row = _active.Count - 1; row >= 0; row--)
        {
            if (_active[row].Finished)
            {
                Retire(row);
            }
        }
    }

    // Queues take turns, one admission per turn, until the rows are full or no queue can run now.
    private void Admit()
    {
        var admissions = new List<(Sequence Sequence, ResidentAdapter? Adapter)>();
        var admitted = true;
        while (admitted && _active.Count + admissions.Count < _maxBatch && _turns.Count > 0)
        {
            admitted = false;
            for (var turn = _turns.Count; turn > 0 && _active.Count + admissions.Count < _maxBatch && _turns.Count > 0; turn--)
            {
                var key = _turns.First!.Value;
                _turns.RemoveFirst();
                var queue = _queues[key];
                var head = queue.Peek();
                // While the oldest request waits for room, nothing else takes a new lease that could keep it waiting.
                var held = _starving is not null && _starving != key && key != BaseModelQueue;
                if (held || !TryLease(head, out var adapter))
                {
                    if (!head.Finished)
                    {
                        if (!held && head.Number == OldestWaiting())
                        {
                            _starving = key;
                        }
                        _turns.AddLast(key);
                        continue;
                    }
                    adapter = null;     // refused for good (unknown or too large): it leaves the queue below
                }
                if (_starving == key)
                {
                    _starving = null;
                }
                queue.Dequeue();
                Waiting--;
                if (queue.Count > 0)
                {
                    _turns.AddLast(key);
                }
                else
                {
                    _queues.Remove(key);
                }
                if (!head.Finished)
                {
                    head.Adapter = adapter;
                    _admitting.Add(head);
                    admissions.Add((head, adapter));
                    admitted = true;
                }
            }
        }
        if (admissions.Count > 0)
        {
            Prefill(admissions);
        }
    }

    private long OldestWaiting() => _queues.Values.Min(q => q.Peek().Number);

    // Leases the request's adapter, loading it from the host copy if needed. False when there is no room now, or
    // (with the request finished with its error) when the adapter is unknown or can never fit.
    private bool TryLease(Sequence sequence, out ResidentAdapter? adapter)
    {
        adapter = null;
        if (sequence.AdapterId is not { } id)
        {
            return true;
        }
        adapter = _pool.TryLease(id);
        if (adapter is not null)
        {
            CacheHits++;
            ServingMetrics.AdapterCache.Add(1, new KeyValuePair<string, object?>("outcome", "hit"));
            return true;
        }
        try
        {
            if (!Load(id, evict: true))
            {
                return false;
            }
        }
        catch (Exception ex) when (ex is UnknownAdapterException or AdapterTooLargeException or Checkpoints.CheckpointException)
        {
            sequence.Fail(ex);
            return false;
        }
        CacheMisses++;
        ServingMetrics.AdapterCache.Add(1, new KeyValuePair<string, object?>("outcome", "miss"));
        adapter = _pool.TryLease(id);
        return true;
    }

    // Brings an adapter from its host copy onto the device (the pool counts the load and any evictions).
    private bool Load(string id, bool evict)
    {
        var peft = _hostAdapters(id) ?? throw new UnknownAdapterException(id);
        return _pool.TryLoad(id, ResidentAdapter.BytesFor(peft, _model), () => ResidentAdapter.Create(peft, _model), evict);
    }

    // Adapters the next waiting requests need go into free pool bytes now, so their turn does not wait on a load.
    private void Prefetch()
    {
        foreach (var key in _turns.Take(PrefetchAhead))
        {
            if (key == BaseModelQueue || _pool.Contains(key) || _hostAdapters(key) is null)
            {
                continue;
            }
            try
            {
                Load(key, evict: false);
            }
            catch (Exception ex) when (ex is UnknownAdapterException or AdapterTooLargeException or Checkpoints.CheckpointException)
            {
                // Reported to the request when its turn comes.
            }
        }
    }

    // Runs the admitted prompts through the model together, into fresh rows, and samples each one's first token.
    private void Prefill(List<(Sequence Sequence, ResidentAdapter? Adapter)> admissions)
    {
        using var scope = NewDisposeScope();
        var width = admissions.Max(a => a.Sequence.Prompt.Count);
        var padded = new long[admissions.Count * width];
        for (var i = 0; i < admissions.Count; i++)
        {
            var prompt = admissions[i].Sequence.Prompt;
            for (var t = 0; t < prompt.Count; t++)
            {
                padded[(i * width) + t] = prompt[t];
            }
        }
        var firstRow = _active.Count;
        Tensor logits;
        using (_model.ServeAdapters(admissions.Select(a => a.Adapter).ToList()))
        {
            logits = _model.PrefillRows(tensor(padded, new long[] { admissions.Count, width }, device: _device),
                admissions.Select(a => (long)a.Sequence.Prompt.Count).ToArray(), _cache, firstRow);
        }
        var first = TokenSampler.NextBatch(logits, admissions.Select(a => a.Sequence.Sampler).ToList());
        _admitting.Clear();
        for (var i = 0; i < admissions.Count; i++)
        {
            var sequence = admissions[i].Sequence;
            _active.Add(sequence);
            Accept(sequence, first[i]);
        }
        for (var row = _active.Count - 1; row >= firstRow; row--)
        {
            if (_active[row].Finished)
            {
                Retire(row);
            }
        }
    }

    // Finishes waiting requests that were cancelled or ran out of time, and forgets their queues' turns if emptied.
    private void DropAbandoned(long now)
    {
        foreach (var (key, queue) in _queues.ToList())
        {
            if (!queue.Any(s => s.CancelRequested || s.ExpiredAt(now)))
            {
                continue;
            }
            var kept = new Queue<Sequence>();
            foreach (var sequence in queue)
            {
                if (sequence.CancelRequested || sequence.ExpiredAt(now))
                {
                    sequence.Stop(sequence.CancelRequested ? "cancelled" : "deadline");
                    Waiting--;
                }
                else
                {
                    kept.Enqueue(sequence);
                }
            }
            if (kept.Count == 0)
            {
                _queues.Remove(key);
                _turns.Remove(key);
                if (_starving == key)
                {
                    _starving = null;
                }
            }
            else
            {
                _queues[key] = kept;
            }
        }
    }

    // Removes a row, releasing its adapter; the last row moves into its place so rows stay packed.
    private void Retire(int row)
    {
        var sequence = _active[row];
        if (sequence.AdapterId is { } id && sequence.Adapter is { } adapter)
        {
            _pool.Release(id, adapter);
        }
        var last = _active.Count - 1;
        _cache.Move(last, row);
        _active[row] = _active[last];
        _active.RemoveAt(last);
        _cache.Clear(last);
    }

    private void Accept(Sequence sequence, int token)
    {
        var now = Stopwatch.GetTimestamp();
        if (sequence.LastTokenAt == 0)
        {
            ServingMetrics.TimeToFirstToken.Record(Stopwatch.GetElapsedTime(sequence.SubmittedAt, now).TotalSeconds);
        }
        else
        {
            ServingMetrics.TimeBetweenTokens.Record(Stopwatch.GetElapsedTime(sequence.LastTokenAt, now).TotalSeconds);
        }
        sequence.LastTokenAt = now;
        if (token == _tokenizer.EndOfText)
        {
            sequence.Stop("stop");
            return;
        }
        sequence.Tokens.Add(token);
        ServingMetrics.Tokens.Add(1);
        var text = _tokenizer.Decode(sequence.Tokens);
        var stopAt = StreamedText.StopIndex(text, sequence.Parameters.Stop);
        if (stopAt >= 0)
        {
            sequence.Text = text[..stopAt];
            sequence.Stop("stop");
            return;
        }
        sequence.Text = text;
        if (sequence.Tokens.Count >= sequence.Parameters.MaxTokens)
        {
            sequence.Stop("length");
        }
    }

    /// <summary>One request's progress: the tokens and text so far, and why it finished.</summary>
    public sealed class Sequence
    {
        private readonly long _deadline;

        internal Sequence(long number, IReadOnlyList<int> prompt, string? adapterId, SamplingParameters parameters, TimeSpan? timeout)
        {
            Number = number;
            Prompt = prompt;
            AdapterId = adapterId;
            Parameters = parameters;
            Sampler = new TokenSampler(parameters);
            SubmittedAt = Stopwatch.GetTimestamp();
            _deadline = timeout is { } t ? SubmittedAt + (long)(t.TotalSeconds * Stopwatch.Frequency) : long.MaxValue;
        }

        /// <summary>Arrival order.</summary>
        public long Number { get; }

        /// <summary>The prompt's tokens.</summary>
        public IReadOnlyList<int> Prompt { get; }

        /// <summary>The adapter, or null for the base model alone.</summary>
        public string? AdapterId { get; }

        /// <summary>How tokens are picked and when to stop.</summary>
        public SamplingParameters Parameters { get; }

        /// <summary>Generated tokens.</summary>
        public List<int> Tokens { get; } = [];

        /// <summary>Generated text (cut at a stop sequence).</summary>
        public string Text { get; internal set; } = "";

        /// <summary>Whether generation ended.</summary>
        public bool Finished => FinishReason is not null;

        /// <summary>"stop" (end of text or a stop sequence) or "length" (max tokens), as OpenAI names them; or "cancelled", "deadline", "error".</summary>
        public string? FinishReason { get; private set; }

        /// <summary>Why the request failed ("deadline" or "error"), or null.</summary>
        public Exception? Failure { get; private set; }

        /// <summary>When the request arrived (a <see cref="Stopwatch"/> timestamp).</summary>
        public long SubmittedAt { get; }

        /// <summary>When its latest token was produced (0 before the first).</summary>
        public long LastTokenAt { get; internal set; }

        internal bool CancelRequested { get; private set; }

        internal TokenSampler Sampler { get; }

        internal ResidentAdapter? Adapter { get; set; }

        /// <summary>Asks the batch to drop this request at its next step.</summary>
        public void Cancel() => CancelRequested = true;

        internal bool ExpiredAt(long now) => now >= _deadline;

        internal void Stop(string reason)
        {
            if (reason == "deadline")
            {
                Failure = new DeadlineExceededException(Stopwatch.GetElapsedTime(SubmittedAt));
            }
            End(reason);
        }

        internal void Fail(Exception failure)
        {
            Failure = failure;
            End("error");
        }

        // Every request ends here exactly once, so completions are counted once whatever ended them.
        private void End(string reason)
        {
            if (FinishReason is null)
            {
                ServingMetrics.Ended(reason, SubmittedAt);
            }
            FinishReason = reason;
            Sampler.Dispose();
        }
    }
}
