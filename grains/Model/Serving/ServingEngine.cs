using System.Runtime.CompilerServices;
using System.Threading.Channels;
using OpenLedger.Model.Lora;
using OpenLedger.Model.Tokenization;

namespace OpenLedger.Model.Serving;

/// <summary>
/// One shared base model serving many adapters: callers stream completions while a single worker thread runs the
/// continuous batch, so requests for different adapters share every forward. Adapters keep a stable slot from
/// deployment to removal; the stacked factors are rebuilt only when the set of adapters changes.
/// </summary>
public sealed class ServingEngine : IAsyncDisposable
{
    private readonly LlamaModel _model;
    private readonly TextTokenizer _tokenizer;
    private readonly ContinuousBatch _batch;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (int Slot, PeftAdapter Adapter)> _adapters = new(StringComparer.Ordinal);
    private readonly List<string?> _slots = [null];  // slot 0 is the base model alone
    private readonly List<(ContinuousBatch.Sequence Sequence, Channel<string> Output, CancellationToken Cancellation)> _incoming = [];
    private readonly List<(ContinuousBatch.Sequence Sequence, Channel<string> Output, int Emitted)> _running = [];
    private readonly SemaphoreSlim _work = new(0);
    private readonly CancellationTokenSource _shutdown = new();
    private readonly Thread _worker;
    private readonly Dictionary<string, (int Slot, PeftAdapter Adapter)> _retiring = new(StringComparer.Ordinal);
    private Dictionary<string, AdapterStack> _stacks = new(StringComparer.Ordinal);
    private bool _stacksStale;

    /// <summary>Starts the worker for <paramref name="model"/>, batching up to <paramref name="maxBatch"/> requests.</summary>
    public ServingEngine(LlamaModel model, TextTokenizer tokenizer, int maxBatch)
    {
        _model = model;
        _tokenizer = tokenizer;
        _batch = new ContinuousBatch(model, _stacks, tokenizer, maxBatch);
        _worker = new Thread(Work) { IsBackground = true, Name = "openledger-serving" };
        _worker.Start();
    }

    /// <summary>Deployed adapter ids.</summary>
    public IReadOnlyList<string> Adapters
    {
        get
        {
            lock (_lock)
            {
                return _adapters.Keys.Order(StringComparer.Ordinal).ToList();
            }
        }
    }

    /// <summary>Makes <paramref name="adapter"/> servable as <paramref name="adapterId"/> (checked against the base model now).</summary>
    public void Deploy(string adapterId, PeftAdapter adapter)
    {
        adapter.Factors(_model).Values.ToList().ForEach(f => { f.A.Dispose(); f.B.Dispose(); });
        lock (_lock)
        {
            if (_adapters.ContainsKey(adapterId))
            {
                return;
            }
            if (_retiring.Remove(adapterId, out var retiring))
            {
                // Deployed again before its last requests finished: it takes its old slot back.
                _adapters[adapterId] = (retiring.Slot, adapter);
                _stacksStale = true;
                return;
            }
            var free = _slots.IndexOf(null, 1);
            var slot = free > 0 ? free : _slots.Count;
            if (slot == _slots.Count)
            {
                _slots.Add(adapterId);
            }
            else
            {
                _slots[slot] = adapterId;
            }
            _adapters[adapterId] = (slot, adapter);
            _stacksStale = true;
        }
    }

    /// <summary>Stops serving an adapter; requests already running on it finish first.</summary>
    public bool Remove(string adapterId)
    {
        lock (_lock)
        {
            if (!_adapters.Remove(adapterId, out var entry))
            {
                return false;
            }
            // The slot is freed for reuse only when no request still runs on it (checked when stacks are rebuilt).
            _retiring[adapterId] = entry;
            _stacksStale = true;
            return true;
        }
    }

    /// <summary>
    /// Streams the continuation of <paramref name="prompt"/> on adapter <paramref name="adapterId"/> (null: the base
    /// model). Bad sampling parameters and unknown adapters throw before anything is queued.
    /// </summary>
    public async IAsyncEnumerable<string> GenerateAsync(string? adapterId, string prompt, SamplingParameters parameters,
        [EnumeratorCancellation] CancellationToken cancellation = default)
    {
        var output = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        ContinuousBatch.Sequence sequence;
        lock (_lock)
        {
            var slot = 0;
            if (adapterId is not null)
            {
                slot = _adapters.TryGetValue(adapterId, out var entry) ? entry.Slot : throw new UnknownAdapterException(adapterId);
            }
            sequence = _batch.Submit(prompt, slot, parameters);
            _incoming.Add((sequence, output, cancellation));
        }
        _work.Release();
        using var registration = cancellation.Register(() =>
        {
            sequence.Cancel();
            _work.Release();
        });
        await foreach (var piece in output.Reader.ReadAllAsync(cancellation))
        {
            yield return piece;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _shutdown.CancelAsync();
        _work.Release();
        await Task.Run(_worker.Join);
        _batch.Dispose();
        foreach (var stack in _stacks.Values)
        {
            stack.Dispose();
        }
        _shutdown.Dispose();
        _work.Dispose();
    }

    private void Work()
    {
        while (!_shutdown.IsCancellationRequested)
        {
            _work.Wait();
            bool more;
            do
            {
                lock (_lock)
                {
                    foreach (var (sequence, output, _) in _incoming)
                    {
                        _running.Add((sequence, output, 0));
                    }
                    _incoming.Clear();
                    RebuildStacksIfStale();
                }
                try
                {
                    more = _batch.Step();
                }
                catch (Exception ex)
                {
                    foreach (var (_, output, _) in _running)
                    {
                        output.Writer.TryComplete(ex);
                    }
                    _running.Clear();
                    more = false;
                }
                Publish();
            }
            while (more && !_shutdown.IsCancellationRequested);
        }
        foreach (var (_, output, _) in _running)
        {
            output.Writer.TryComplete(new OperationCanceledException("The serving engine is shutting down."));
        }
    }

    // Sends each request the text it has gained since the last step, holding back a tail that might still turn out
    // to be the start of a stop sequence; closes finished streams.
    private void Publish()
    {
        for (var i = _running.Count - 1; i >= 0; i--)
        {
            var (sequence, output, emitted) = _running[i];
            var text = sequence.Text;
            var ready = StreamedText.ReadyLength(text, sequence.Parameters.Stop, sequence.Finished);
            if (ready > emitted)
            {
                output.Writer.TryWrite(text[emitted..ready]);
                emitted = ready;
            }
            if (sequence.Finished)
            {
                output.Writer.TryComplete(sequence.FinishReason == "cancelled" ? new OperationCanceledException() : null);
                _running.RemoveAt(i);
            }
            else
            {
                _running[i] = (sequence, output, emitted);
            }
        }
    }

    private void RebuildStacksIfStale()
    {
        if (!_stacksStale)
        {
            return;
        }
        // A removed adapter keeps its slot and factors while requests still run on it; then its slot is freed.
        var inUse = _running.Select(r => r.Sequence.Slot).ToHashSet();
        foreach (var (id, (slot, _)) in _retiring.ToList())
        {
            if (!inUse.Contains(slot))
            {
                _retiring.Remove(id);
                _slots[slot] = null;
            }
        }
        var ordered = new List<PeftAdapter?>();
        for (var slot = 1; slot < _slots.Count; slot++)
        {
            var id = _slots[slot];
            ordered.Add(id is null ? null
                : _adapters.TryGetValue(id, out var live) ? live.Adapter
                : _retiring.TryGetValue(id, out var old) ? old.Adapter
                : null);
        }
        var previous = _stacks;
        _stacks = AdapterStack.ForModel(_model, ordered);
        _batch.Stacks = _stacks;
        foreach (var stack in previous.Values)
        {
            stack.Dispose();
        }
        _stacksStale = _retiring.Count > 0; // Look again next step until every retiring slot is free.
    }
}
