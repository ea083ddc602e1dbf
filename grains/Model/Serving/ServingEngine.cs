using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using OpenLedger.Model.Lora;
using OpenLedger.Model.Tokenization;

namespace OpenLedger.Model.Serving;

/// <summary>
/// One shared base model on one device serving many adapters. Registered adapters are held in host memory; the
/// ones running requests are resident on the device within a byte budget. Callers stream completions while a single
/// worker thread runs the continuous batch, so requests for different adapters share every forward. Operator
/// actions (preload, pin, evict) run on the worker between steps, since it alone owns the device pool.
/// </summary>
public sealed class ServingEngine : IAsyncDisposable
{
    private readonly LlamaModel _model;
    private readonly ContinuousBatch _batch;
    private readonly ResidentPool _pool;
    private readonly Lock _lock = new();
    private readonly ConcurrentDictionary<string, PeftAdapter> _host = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _deviceBytes = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<Action> _commands = new();
    private readonly List<(ContinuousBatch.Sequence Sequence, Channel<GenerationChunk> Output)> _incoming = [];
    private readonly List<(ContinuousBatch.Sequence Sequence, Channel<GenerationChunk> Output, int Emitted)> _running = [];
    private readonly SemaphoreSlim _work = new(0);
    private readonly CancellationTokenSource _shutdown = new();
    private readonly Thread _worker;
    private static readonly TimeSpan _statsInterval = TimeSpan.FromMilliseconds(50);

    private volatile ServingStats _stats;
    private long _statsAt;

    /// <summary>Starts the worker for <paramref name="model"/>.</summary>
    public ServingEngine(LlamaModel model, TextTokenizer tokenizer, ServingOptions options)
    {
        _model = model;
        Tokenizer = tokenizer;
        Options = options;
        _pool = new ResidentPool(options.AdapterPoolBytes);
        _batch = new ContinuousBatch(model, tokenizer, _pool, id => _host.GetValueOrDefault(id), options.MaxBatch);
        _stats = Snapshot();
        _worker = new Thread(Work) { IsBackground = true, Name = "openledger-serving" };
        _worker.Start();
    }

    /// <summary>The engine's limits.</summary>
    public ServingOptions Options { get; }

    /// <summary>The base model's tokenizer.</summary>
    public TextTokenizer Tokenizer { get; }

    /// <summary>The base model's context length in tokens.</summary>
    public int ContextLength => _model.Config.MaxPositionEmbeddings;

    /// <summary>Adapters and work as of the last few steps.</summary>
    public ServingStats Stats => _stats with
    {
        Registered = _host.Keys.Order(StringComparer.Ordinal).ToList(),
        HostBytes = _host.Values.Sum(a => (long)a.Weights.Length),
    };

    /// <summary>The device bytes a registered adapter takes when resident (0 when not registered).</summary>
    public long DeviceBytesOf(string adapterId) => _deviceBytes.GetValueOrDefault(adapterId);

    /// <summary>Whether <paramref name="adapterId"/> is registered.</summary>
    public bool IsRegistered(string adapterId) => _host.ContainsKey(adapterId);

    /// <summary>
    /// Holds <paramref name="adapter"/> in host memory as <paramref name="adapterId"/>, ready to serve. It is checked
    /// against the base model and the pool's budget now, so a misfit is refused here rather than at its first request.
    /// </summary>
    public void Register(string adapterId, PeftAdapter adapter)
    {
        var bytes = Check(adapterId, adapter);
        if (_host.TryAdd(adapterId, adapter))
        {
            ServingMetrics.Resident(ServingMetrics.HostTier, 1);
        }
        else
        {
            _host[adapterId] = adapter;
        }
        ServingMetrics.Loaded(ServingMetrics.HostTier);
        _deviceBytes[adapterId] = bytes;
        RunOnWorker(() => _pool.Withdraw(adapterId));   // a re-registered adapter must not keep serving its old weights
    }

    /// <summary>
    /// Checks that <paramref name="adapter"/> fits the base model and the pool's budget, without registering it;
    /// returns its device bytes. Throws <see cref="Checkpoints.CheckpointException"/> or <see cref="AdapterTooLargeException"/>.
    /// </summary>
    public long Check(string adapterId, PeftAdapter adapter)
    {
        adapter.CheckFits(_model);
        var bytes = ResidentAdapter.BytesFor(adapter, _model);
        if (bytes > _pool.BudgetBytes)
        {
            throw new AdapterTooLargeException(adapterId, bytes, _pool.BudgetBytes);
        }
        return bytes;
    }

    /// <summary>Drops an adapter: new requests for it are refused; running ones finish, then its device copy goes.</summary>
    public bool Unregister(string adapterId)
    {
        if (!_host.TryRemove(adapterId, out _))
        {
            return false;
        }
        ServingMetrics.Evicted(ServingMetrics.HostTier);
        ServingMetrics.Resident(ServingMetrics.HostTier, -1);
        _deviceBytes.TryRemove(adapterId, out _);
        RunOnWorker(() => _pool.Withdraw(adapterId));
        return true;
    }

    /// <summary>Makes a registered adapter resident now (evicting idle ones if needed); with <paramref name="pin"/> it stays.</summary>
    public Task<bool> PreloadAsync(string adapterId, bool pin) => OnWorkerAsync(() =>
    {
        var peft = _host.GetValueOrDefault(adapterId) ?? throw new UnknownAdapterException(adapterId);
        var loaded = _pool.TryLoad(adapterId, ResidentAdapter.BytesFor(peft, _model), () => ResidentAdapter.Create(peft, _model), evict: true);
        if (loaded)
        {
            _pool.SetPinned(adapterId, pin);
        }
        return loaded;
    });

    /// <summary>Evicts an adapter from the device (it stays registered). False when requests are using it.</summary>
    public Task<bool> EvictAsync(string adapterId) => OnWorkerAsync(() =>
    {
        _pool.SetPinned(adapterId, false);
        return _pool.Evict(adapterId);
    });

    /// <summary>
    /// Streams the continuation of <paramref name="prompt"/> on adapter <paramref name="adapterId"/> (null: the base
    /// model). Unknown adapters and bad parameters throw before anything is queued; a request still running when
    /// <paramref name="timeout"/> passes ends with <see cref="DeadlineExceededException"/>.
    /// </summary>
    public async IAsyncEnumerable<GenerationChunk> GenerateAsync(string? adapterId, string prompt, SamplingParameters parameters,
        TimeSpan? timeout = null, [EnumeratorCancellation] CancellationToken cancellation = default)
    {
        ObjectDisposedException.ThrowIf(_shutdown.IsCancellationRequested, this);
        if (adapterId is not null && !_host.ContainsKey(adapterId))
        {
            ServingMetrics.Ended("invalid", Stopwatch.GetTimestamp());
            throw new UnknownAdapterException(adapterId);
        }
        var output = Channel.CreateUnbounded<GenerationChunk>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var sequence = _batch.Prepare(prompt, adapterId, parameters, timeout);
        lock (_lock)
        {
            _incoming.Add((sequence, output));
        }
        _work.Release();
        using var registration = cancellation.Register(() => Abandon(sequence));
        try
        {
            await foreach (var chunk in output.Reader.ReadAllAsync(cancellation))
            {
                yield return chunk;
            }
        }
        finally
        {
            // A caller that stops reading (a dropped connection, a disposed enumerator) frees its row and adapter.
            if (!sequence.Finished)
            {
                Abandon(sequence);
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_shutdown.IsCancellationRequested)
        {
            return;
        }
        await _shutdown.CancelAsync();
        _work.Release();
        await Task.Run(_worker.Join);
        // Whatever arrived while the worker stopped is refused, so no caller waits forever.
        var stopping = new OperationCanceledException("The serving engine is shutting down.");
        lock (_lock)
        {
            foreach (var (_, output) in _incoming)
            {
                output.Writer.TryComplete(stopping);
            }
            _incoming.Clear();
        }
        while (_commands.TryDequeue(out var command))
        {
            command();
        }
        _batch.Dispose();
        _pool.Dispose();
        ServingMetrics.Resident(ServingMetrics.HostTier, -_host.Count);
    }

    private void Abandon(ContinuousBatch.Sequence sequence)
    {
        sequence.Cancel();
        if (!_shutdown.IsCancellationRequested)
        {
            _work.Release();
        }
    }

    // After shutdown there is no worker and no pool: fire-and-forget commands (an adapter leaving) are moot.
    private void RunOnWorker(Action action)
    {
        if (_shutdown.IsCancellationRequested)
        {
            return;
        }
        _commands.Enqueue(action);
        _work.Release();
    }

    private Task<T> OnWorkerAsync<T>(Func<T> action)
    {
        if (_shutdown.IsCancellationRequested)
        {
            return Task.FromException<T>(new ObjectDisposedException(nameof(ServingEngine)));
        }
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        RunOnWorker(() =>
        {
            try
            {
                done.SetResult(action());
            }
            catch (Exception ex)
            {
                done.SetException(ex);
            }
        });
        return done.Task;
    }

    private void Work()
    {
        while (!_shutdown.IsCancellationRequested)
        {
            _work.Wait();
            bool more;
            do
            {
                while (_commands.TryDequeue(out var command))
                {
                    command();
                }
                lock (_lock)
                {
                    foreach (var (sequence, output) in _incoming)
                    {
                        _batch.Enqueue(sequence);
                        _running.Add((sequence, output, 0));
                    }
                    _incoming.Clear();
                }
                try
                {
                    more = _batch.Step();
                }
                catch (Exception ex)
                {
                    // The batch is emptied and its leases released, so one bad step cannot poison the next.
                    _batch.FailAll(ex);
                    foreach (var (_, output, _) in _running)
                    {
                        output.Writer.TryComplete(ex);
                    }
                    _running.Clear();
                    more = false;
                }
                Publish();
                if (Stopwatch.GetElapsedTime(_statsAt) > _statsInterval)
                {
                    _stats = Snapshot();
                }
            }
            while (more && !_shutdown.IsCancellationRequested);
            _stats = Snapshot();   // idle: the picture is final until the next request
        }
        foreach (var (_, output, _) in _running)
        {
            output.Writer.TryComplete(new OperationCanceledException("The serving engine is shutting down."));
        }
    }

    // Sends each request the text it has gained since the last step, holding back a tail that might still turn out
    // to be the start of a stop sequence; the last chunk carries the finish reason. Closes finished streams.
    private void Publish()
    {
        for (var i = _running.Count - 1; i >= 0; i--)
        {
            var (sequence, output, emitted) = _running[i];
            var text = sequence.Text;
            var ready = StreamedText.ReadyLength(text, sequence.Parameters.Stop, sequence.Finished);
            var completed = sequence.FinishReason is "stop" or "length";
            if (ready > emitted || completed)
            {
                output.Writer.TryWrite(new GenerationChunk(text[emitted..ready], completed ? sequence.FinishReason : null,
                    sequence.Prompt.Count, sequence.Tokens.Count));
                emitted = ready;
            }
            if (sequence.Finished)
            {
                output.Writer.TryComplete(sequence.FinishReason == "cancelled" ? new OperationCanceledException() : sequence.Failure);
                _running.RemoveAt(i);
            }
            else
            {
                _running[i] = (sequence, output, emitted);
            }
        }
    }

    // The worker's view of the pool and batch; registration is read live by Stats.
    private ServingStats Snapshot()
    {
        _statsAt = Stopwatch.GetTimestamp();
        var resident = _pool.Resident;
        return new ServingStats(
            [],
            resident,
            resident.Where(_pool.IsPinned).ToList(),
            _pool.ResidentBytes,
            _pool.BudgetBytes,
            0,
            _batch.CacheHits,
            _batch.CacheMisses,
            _pool.Evictions,
            _batch.Active,
            _batch.Waiting);
    }
}
