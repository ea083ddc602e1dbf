using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenLedger.Attribution;
using OpenLedger.Attribution.Influence;
using OpenLedger.Attribution.Shares;
using OpenLedger.Attribution.Spans;
using OpenLedger.Cluster;
using OpenLedger.Errors;
using OpenLedger.Grains.Economy;
using OpenLedger.Grains.Hosting;
using OpenLedger.Grains.Storage;
using OpenLedger.Models;
using Orleans.Concurrency;

namespace OpenLedger.Grains.Attribution;

/// <summary>
/// The attribution of one inference. It computes the inference's gradient at the model's kept checkpoints, sends it
/// with the output tokens to every shard grain at once, merges their exact partial sums, local top examples and local
/// spans, turns the evidence into shares and persists the record with the hashes of the index it used. Reentrant so
/// that reading a pending record never waits for the computation.
/// </summary>
[HostedBy(GridRole.Attribution)]
[Reentrant]
public sealed partial class AttributionGrain(
    [PersistentState("attribution", StorageNames.GrainState)] IPersistentState<AttributionState> state,
    AttributionArtifacts artifacts,
    InfluenceModels influence,
    InferenceBilling billing,
    IOptions<AttributionOptions> options,
    ILogger<AttributionGrain> logger) : Grain, IAttributionGrain
{
    /// <summary>The method named in records.</summary>
    public const string Method = "datainf-tracin+spans";

    private readonly SemaphoreSlim _writing = new(1, 1);
    private Task<AttributionRecord>? _computing;
    private Task<AttributionRecord>? _billing;

    private string InferenceId => this.GetPrimaryKeyString();

    /// <inheritdoc />
    public async Task Accept(InferenceTrace trace)
    {
        if (state.State.Trace is null)
        {
            await RecordAsync(trace);
        }
    }

    /// <inheritdoc />
    public async Task<AttributionRecord> Attribute(InferenceTrace trace)
    {
        if (state.State.Record is { Status: AttributionStatus.Complete or AttributionStatus.NotAttributable } done)
        {
            return await Billing(done);     // final; a Failed one (a silo lost mid-way, storage away) is tried again
        }
        if (state.State.Trace is null)
        {
            await RecordAsync(trace);
        }
        return await Computing();
    }

    /// <inheritdoc />
    public Task<AttributionRecord> Get()
    {
        if (state.State.Record is not { } record)
        {
            throw new UnknownInferenceException(InferenceId);
        }
        if (record.Status is AttributionStatus.Pending or AttributionStatus.Failed)
        {
            // Accepted but not computed (its queue was lost with a silo, or it is still waiting), or computed while a
            // silo or storage was away: asking starts it again.
            _ = Computing().ContinueWith(t => t.Exception, TaskScheduler.Current);
        }
        else if (!state.State.Billed && billing.Enabled)
        {
            // Final but never charged: the charge failed (its ledger shard's silo was killed, the chain or storage was
            // away) after the record was stored. Only Attribute used to charge again, and nothing calls it once the
            // queue that held the trace is gone, so such an answer was served and never paid for. Reading it charges it.
            _ = Billing(record).ContinueWith(t => t.Exception, TaskScheduler.Current);
        }
        return Task.FromResult(record);
    }

    // One computation at a time; one that failed outside its own error handling (a storage write) is tried afresh next
    // time, and so is one that ended in a Failed record: keeping its finished task would answer every later ask with
    // the same failure, and the answer would stay unattributed and unpaid for the activation's whole life.
    private async Task<AttributionRecord> Computing()
    {
        if (_computing is { IsCompletedSuccessfully: true } finished && finished.Result.Status == AttributionStatus.Failed)
        {
            _computing = null;
        }
        var computing = _computing ??= ComputeAsync(state.State.Trace!);
        try
        {
            return await computing;
        }
        catch
        {
            if (ReferenceEquals(_computing, computing))
            {
                _computing = null;
            }
            throw;
        }
    }

    private async Task RecordAsync(InferenceTrace trace)
    {
        if (trace.InferenceId != InferenceId)
        {
            throw new ArgumentException($"The trace is for inference '{trace.InferenceId}', not '{InferenceId}'.");
        }
        await SaveAsync(trace, Empty(trace, AttributionStatus.Pending, null), onlyIfNew: true);
    }

    // Writes one at a time (the grain is reentrant), and the state in memory changes only once storage has it.
    private async Task SaveAsync(InferenceTrace trace, AttributionRecord record, bool onlyIfNew = false, bool billed = false)
    {
        await _writing.WaitAsync();
        try
        {
            if (onlyIfNew && state.State.Trace is not null)
            {
                return;
            }
            var (previousTrace, previousRecord, previousBilled) = (state.State.Trace, state.State.Record, state.State.Billed);
            (state.State.Trace, state.State.Record, state.State.Billed) = (trace, record, previousBilled || billed);
            try
            {
                await state.WriteStateAsync();
            }
            catch
            {
                (state.State.Trace, state.State.Record, state.State.Billed) = (previousTrace, previousRecord, previousBilled);
                throw;
            }
        }
        finally
        {
            _writing.Release();
        }
    }

    private async Task<AttributionRecord> ComputeAsync(InferenceTrace trace)
    {
        var clock = Stopwatch.StartNew();
        AttributionRecord record;
        try
        {
            record = string.IsNullOrEmpty(trace.AdapterId)
                ? Empty(trace, AttributionStatus.NotAttributable, "the answer came from the base model alone; no Datanet contribution trained it on this grid.")
                : string.IsNullOrEmpty(trace.ModelId)
                ? Empty(trace, AttributionStatus.NotAttributable, "the adapter was uploaded as files, not trained on this grid, so there is no training data to attribute to.")
                : await AttributeAsync(trace, clock);
        }
        catch (AttributionIndexException ex)
        {
            record = Empty(trace, AttributionStatus.NotAttributable, ex.Message);
        }
        catch (InvalidDataException ex)
        {
            record = Empty(trace, AttributionStatus.NotAttributable, new AttributionIndexException(trace.ModelId, ex.Message).Message);
        }
        catch (Exception ex)
        {
            LogFailed(logger, ex, InferenceId);
            record = Empty(trace, AttributionStatus.Failed, ex is OpenLedgerException ? ex.Message : $"{ex.GetType().Name}: {ex.Message}");
        }
        var computed = record with { ElapsedMs = clock.Elapsed.TotalMilliseconds, ComputedAt = DateTimeOffset.UtcNow };
        await SaveAsync(trace, computed);
        return await Billing(computed);
    }

    // One charge at a time (the grain is reentrant: a read and the queue may both ask); the next ask starts afresh.
    private async Task<AttributionRecord> Billing(AttributionRecord record)
    {
        var charging = _billing ??= BillAsync(record);
        try
        {
            return await charging;
        }
        finally
        {
            if (ReferenceEquals(_billing, charging))
            {
                _billing = null;
            }
        }
    }

    // Charges a final record once. The ledger shard and the agent's account both ignore a repeat, and a charge sent
    // before without confirmation is sent as ChargeAgain, which also finds it in an epoch already posted and released,
    // so a crash between the charge and this write only means the next read charges again harmlessly and records the epoch.
    private async Task<AttributionRecord> BillAsync(AttributionRecord record)
    {
        if (state.State.Billed || !billing.Enabled || record.Status is not (AttributionStatus.Complete or AttributionStatus.NotAttributable))
        {
            return state.State.Billed ? state.State.Record ?? record : record;
        }
        long? epoch;
        try
        {
            var again = state.State.BillingSent;
            if (!again)
            {
                await MarkBillingSentAsync();
            }
            epoch = await billing.ChargeAsync(state.State.Trace!, record, again);
        }
        catch (Exception ex)
        {
            LogNotBilled(logger, ex, InferenceId);
            return record;
        }
        var billed = record with { Epoch = epoch };
        await SaveAsync(state.State.Trace!, billed, billed: true);
        return billed;
    }

    private async Task MarkBillingSentAsync()
    {
        await _writing.WaitAsync();
        try
        {
            state.State.BillingSent = true;
            try
            {
                await state.WriteStateAsync();
            }
            catch
            {
                state.State.BillingSent = false;
                throw;
            }
        }
        finally
        {
            _writing.Release();
        }
    }

    private async Task<AttributionRecord> AttributeAsync(InferenceTrace trace, Stopwatch clock)
    {
        var settings = options.Value;
        var (index, indexHash) = await artifacts.IndexAsync(trace.ModelId);
        var baseInfo = await GrainFactory.GetGrain<IBaseModelGrain>(index.BaseModel).GetInfo();
        var tokenizer = await influence.TokenizerAsync(baseInfo);
        var prompt = tokenizer.Encode(trace.Prompt);
        var output = tokenizer.Encode(trace.Output).ToArray();
        var artifactsUsed = Artifacts(index);
        if (output.Length == 0)
        {
            return Empty(trace, AttributionStatus.Complete, null) with { IndexHash = indexHash, Artifacts = artifactsUsed, Shards = index.Shards.Count };
        }
        var inference = await influence.QueryAsync(baseInfo, index, prompt.Concat(output).ToList(), prompt.Count);
        var query = new ShardQuery(indexHash, inference.Vectors, settings.TopExamples, output, settings.MinSpanTokens, settings.MaxSpanSources, inference.Norm, settings.MinRelevance);
        var answers = await Task.WhenAll(index.Shards.Select(shard =>
            GrainFactory.GetGrain<IAttributionShardGrain>(IAttributionShardGrain.Key(index.ModelId, shard.Name)).Score(query)));

        var merged = ShardResult.Merge(answers.Select(a => a.Influence()), settings.TopExamples);
        var spans = SpanFinder.Merge(answers.Select(a => a.LocalSpans()).ToList(), settings.MaxSpanSources);
        var named = answers.SelectMany(a => a.SpanExamples).DistinctBy(e => e.ExampleId).ToDictionary(e => e.ExampleId);
        var spanEvidence = AttributionShares.SpanEvidence(spans, s => named[s.ExampleId].Contributor);
        var shares = AttributionShares.Compute(merged.ContributorSums, spanEvidence, SharePolicy.Default);

        var contributors = shares.OrderByDescending(s => s.PartsPerBillion).ThenBy(s => s.Contributor, StringComparer.Ordinal)
            .Select(s => new AttributedContributor(s.Contributor, s.PartsPerBillion,
                FixedPoint.ToDouble(merged.ContributorSums.GetValueOrDefault(s.Contributor)),
                FixedPoint.ToDouble(spanEvidence.GetValueOrDefault(s.Contributor))))
            .ToList();
        var top = merged.Top.Select(t => new InfluentialExample(t.Example.ExampleId, t.Example.ContributionId, t.Example.Contributor, FixedPoint.ToDouble(t.Score))).ToList();
        var attributedSpans = spans.Select(span =>
        {
            var start = tokenizer.Decode(output[..span.Start]).Length;
            var end = tokenizer.Decode(output[..(span.Start + span.Length)]).Length;
            var sources = span.Sources.Select(s => new SpanOccurrence(s.ExampleId, s.Offset, named[s.ExampleId].ContributionId, named[s.ExampleId].Contributor)).ToList();
            return new AttributedSpan(start, end, tokenizer.Decode(output[span.Start..(span.Start + span.Length)]), span.Length, span.Occurrences, span.Weight, sources);
        }).ToList();
        LogAttributed(logger, InferenceId, contributors.Count, attributedSpans.Count, index.Shards.Count, clock.Elapsed.TotalMilliseconds);
        return new AttributionRecord(InferenceId, AttributionStatus.Complete, trace.ModelId, trace.AdapterId, trace.Prompt, trace.Output,
            contributors, top, attributedSpans, Method, indexHash, artifactsUsed, index.Shards.Count, 0, null, null);
    }

    private static List<ArtifactHash> Artifacts(AttributionIndex index) =>
        index.Checkpoints.SelectMany(c => new[] { c.AdapterWeights, c.DataInf }.Concat(c.Shards.Select(s => s.Gradients)))
            .Concat(index.Shards.Select(s => s.SuffixArray))
            .Select(a => new ArtifactHash(a.Blob, a.Hash)).ToList();

    private AttributionRecord Empty(InferenceTrace trace, AttributionStatus status, string? error) =>
        new(InferenceId, status, string.IsNullOrEmpty(trace.ModelId) ? null : trace.ModelId, string.IsNullOrEmpty(trace.AdapterId) ? null : trace.AdapterId, trace.Prompt, trace.Output,
            [], [], [], Method, null, [], 0, 0, null, error);

    [LoggerMessage(EventId = 5006, Level = LogLevel.Warning, Message = "Inference {Inference} could not be charged yet; reading its record tries again")]
    private static partial void LogNotBilled(ILogger logger, Exception ex, string inference);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "Attribution of inference {Inference} failed")]
    private static partial void LogFailed(ILogger logger, Exception ex, string inference);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Debug, Message = "Inference {Inference}: {Contributors} contributors, {Spans} spans over {Shards} shards in {Ms} ms")]
    private static partial void LogAttributed(ILogger logger, string inference, int contributors, int spans, int shards, double ms);
}
