using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using OpenLedger.Cluster;
using OpenLedger.Datanets;
using OpenLedger.Datanets.Signing;
using OpenLedger.Errors;
using OpenLedger.Grains.Diagnostics;
using OpenLedger.Grains.Hosting;
using OpenLedger.Grains.Models;
using OpenLedger.Grains.Storage;
using OpenLedger.Model;
using OpenLedger.Model.Checkpoints;
using OpenLedger.Model.Lora;
using OpenLedger.Model.Tokenization;
using OpenLedger.Model.Training;
using OpenLedger.Models;

namespace OpenLedger.Grains.Training;

/// <summary>
/// A LoRA fine-tuning job. The grain owns the job's state and identity; the steps run on a worker thread through
/// <see cref="TrainingRun"/>. Every <c>CheckpointEvery</c> steps the adapter and optimizer state go to Blob storage
/// and the state is written, so a job interrupted by a silo restart resumes from its last checkpoint (a reminder
/// reactivates it) and ends with the same adapter as an uninterrupted run.
/// </summary>
[HostedBy(GridRole.Training)]
public sealed partial class TrainingJobGrain(
    [PersistentState("training-job", StorageNames.GrainState)] IPersistentState<TrainingJobState> state,
    BlobArtifactStore artifacts,
    BaseModelStore baseModels,
    IEnumerable<ICheckpointHookProvider> hookProviders,
    TimeProvider clock,
    ILogger<TrainingJobGrain> logger)
    : Grain, ITrainingJobGrain, IRemindable
{
    private const string ResumeReminder = "resume-training";
    private const int CurvePoints = 400;

    private readonly Lock _liveLock = new();
    private readonly List<LossPoint> _liveCurve = [];
    private TrainingProgress? _live;
    private Task? _run;
    private CancellationTokenSource? _stop;
    private bool _cancelRequested;

    private string JobId => this.GetPrimaryKeyString();

    private string CheckpointBlob => $"{JobId}/checkpoint.safetensors";

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Spec is not null && !IsFinal(state.State.State))
        {
            // Activated after a restart (by the reminder or a caller): carry on from the last checkpoint.
            StartRun();
        }
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_run is { IsCompleted: false } run)
        {
            _stop?.Cancel(); // Not a user cancel: the state stays Running and the next activation resumes.
            await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(20), cancellationToken));
        }
    }

    /// <inheritdoc />
    public async Task<TrainingJobStatus> Start(TrainingJobSpec spec)
    {
        ModelNames.Check("job", JobId);
        if (state.State.Spec is { } existing)
        {
            var sameOwner = EthereumAddress.TryNormalize(spec.Owner) ?? spec.Owner;
            if (existing.CanonicalText() == (spec with { Owner = sameOwner }).CanonicalText() && existing.Signature == spec.Signature)
            {
                return Status(); // The same request sent again: answer with the job as it stands.
            }
            throw new TrainingJobExistsException(JobId);
        }
        var owner = await ValidateAsync(spec);
        var accepted = spec with { Owner = owner };
        await GrainFactory.GetGrain<IModelRegistration>(spec.ModelId).Reserve(JobId, owner);

        var now = clock.GetUtcNow();
        state.State = new TrainingJobState { Spec = accepted, State = TrainingState.Preparing, StartedAt = now, UpdatedAt = now, Device = TorchDevices.Describe() };
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            state.State = new TrainingJobState(); // Not accepted: a retry starts from nothing.
            throw;
        }
        try
        {
            await this.RegisterOrUpdateReminder(ResumeReminder, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
        }
        catch (Exception ex) when (ex is not OpenLedgerException)
        {
            LogNoReminders(logger, JobId, ex.Message);
        }
        StartRun();
        return Status();
    }

    /// <inheritdoc />
    public Task<TrainingJobStatus> GetStatus() =>
        state.State.Spec is null ? throw new UnknownTrainingJobException(JobId) : Task.FromResult(Status());

    /// <inheritdoc />
    public async Task<TrainingJobStatus> Cancel()
    {
        if (state.State.Spec is null)
        {
            throw new UnknownTrainingJobException(JobId);
        }
        if (IsFinal(state.State.State))
        {
            return Status();
        }
        _cancelRequested = true;
        if (_run is { IsCompleted: false } run)
        {
            _stop?.Cancel();
            await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(30)));
        }
        else
        {
            state.State.State = TrainingState.Cancelled;
            await SaveAsync();
        }
        return Status();
    }

    /// <inheritdoc />
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (state.State.Spec is null || IsFinal(state.State.State))
        {
            await StopReminderAsync();
            return;
        }
        StartRun();
    }

    private void StartRun()
    {
        if (_run is { IsCompleted: false })
        {
            return;
        }
        _stop = new CancellationTokenSource();
        _run = RunAsync(_stop.Token);
    }

    private async Task RunAsync(CancellationToken stop)
    {
        var spec = state.State.Spec!;
        TrainingRun? run = null;
        try
        {
            var baseInfo = await GrainFactory.GetGrain<IBaseModelGrain>(spec.BaseModel).GetInfo();
            var folder = await baseModels.LocalFolderAsync(baseInfo, stop);
            var (examples, provenance, examplesUri) = await LoadExamplesAsync(spec, folder, stop);
            run = await Task.Run(() => TrainingRun.Create(folder, spec.Settings, examples), stop);
            foreach (var provider in hookProviders)
            {
                if (provider.ForJob(JobId, spec) is { } hook)
                {
                    run.Trainer.Hooks.Add(hook);
                }
            }
            state.State.TotalSteps = run.Trainer.TotalSteps;
            state.State.TrainingExamples = run.Train.Count;
            state.State.ValidationExamples = run.Validation.Count;
            state.State.Device = TorchDevices.Describe();
            if (state.State.CheckpointStep > 0)
            {
                var checkpoint = (await artifacts.GetAsync(StorageNames.TrainingContainer, CheckpointBlob, stop)).ToArray();
                var restoring = run;
                await Task.Run(() => restoring.Trainer.Restore(checkpoint), stop);
                state.State.Resumes++;
                LogResumed(logger, JobId, state.State.CheckpointStep);
            }
            var evaluating = run;
            state.State.BaseValidationLoss ??= await Task.Run(() => evaluating.Trainer.Evaluate(), stop);
            state.State.State = TrainingState.Running;
            await SaveAsync();

            var active = run;
            while (!active.Trainer.Finished && !stop.IsCancellationRequested)
            {
                await Task.Run(() => active.Trainer.Run(spec.Settings.CheckpointEvery, stop, OnStep), CancellationToken.None);
                AbsorbLiveProgress();
                if (stop.IsCancellationRequested && !_cancelRequested)
                {
                    break; // The silo is shutting down: the last checkpoint stands and the next activation resumes from it.
                }
                if (active.Trainer.Step > state.State.CheckpointStep)
                {
                    var bytes = await Task.Run(() => active.Trainer.Checkpoint(), CancellationToken.None);
                    await artifacts.PutAsync(StorageNames.TrainingContainer, CheckpointBlob, new BinaryData(bytes), CancellationToken.None);
                    state.State.CheckpointStep = active.Trainer.Step;
                }
                await SaveAsync();
                DelayDeactivation(TimeSpan.FromMinutes(30));
            }
            if (!active.Trainer.Finished)
            {
                if (_cancelRequested)
                {
                    state.State.State = TrainingState.Cancelled;
                    await SaveAsync();
                    await StopReminderAsync();
                }
                return;
            }
            await PublishAsync(spec, active, baseInfo, provenance, examplesUri);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            if (_cancelRequested)
            {
                state.State.State = TrainingState.Cancelled;
                await SaveAsync();
                await StopReminderAsync();
            }
        }
        catch (Exception ex) when (!stop.IsCancellationRequested || _cancelRequested)
        {
            state.State.State = TrainingState.Failed;
            state.State.Error = ex switch
            {
                OpenLedgerException typed => typed.Message,
                CheckpointException checkpoint => $"the base model cannot be used: {checkpoint.Message}",
                ArgumentException argument => argument.Message,
                _ => $"{ex.GetType().Name}: {ex.Message}",
            };
            LogFailed(logger, ex, JobId);
            await SaveAsync();
            await StopReminderAsync();
        }
        finally
        {
            run?.Dispose();
        }
    }

    private async Task PublishAsync(TrainingJobSpec spec, TrainingRun run, BaseModelInfo baseInfo, IReadOnlyList<SnapshotProvenance> provenance, string examplesUri)
    {
        var (validationLoss, trainLoss, adapter) = await Task.Run(() =>
            (run.Trainer.Evaluate(), run.Trainer.Evaluate(run.Train), run.FineTune.Adapter(spec.BaseModel)));
        var prefix = $"adapters/{spec.ModelId}";
        await artifacts.PutAsync(StorageNames.ModelsContainer, $"{prefix}/{PeftAdapter.ConfigFile}", BinaryData.FromString(adapter.ConfigJson));
        var weightsUri = await artifacts.PutAsync(StorageNames.ModelsContainer, $"{prefix}/{PeftAdapter.WeightsFile}", new BinaryData(adapter.Weights));
        var adapterHash = BaseModelGrain.ModelHash(
        [
            new ModelFile(PeftAdapter.ConfigFile, adapter.ConfigJson.Length, Keccak.HashHex(Encoding.UTF8.GetBytes(adapter.ConfigJson))),
            new ModelFile(PeftAdapter.WeightsFile, adapter.Weights.Length, Keccak.HashHex(adapter.Weights)),
        ]);
        state.State.ValidationLoss = validationLoss;
        state.State.TrainLoss = trainLoss;
        var baseLoss = state.State.BaseValidationLoss ?? double.NaN;
        var metrics = new ModelMetrics(trainLoss, validationLoss, Math.Exp(validationLoss), baseLoss, Math.Exp(baseLoss),
            run.Train.Count, run.Validation.Count, run.Trainer.Step, state.State.TokensPerSecond);
        var publication = new ModelPublication(JobId, spec.Owner, spec.BaseModel, baseInfo.Hash, provenance, spec.Settings,
            adapterHash, weightsUri.ToString()[..^PeftAdapter.WeightsFile.Length], examplesUri, metrics);
        await GrainFactory.GetGrain<IModelRegistration>(spec.ModelId).Publish(publication);
        state.State.State = TrainingState.Completed;
        await SaveAsync();
        await StopReminderAsync();
        LogCompleted(logger, JobId, baseLoss, validationLoss);
    }

    private async Task<(List<TrainingExample> Examples, IReadOnlyList<SnapshotProvenance> Provenance, string ExamplesUri)> LoadExamplesAsync(
        TrainingJobSpec spec, string baseFolder, CancellationToken stop)
    {
        var tokenizer = TextTokenizer.Load(baseFolder, HfCheckpoint.ReadConfig(baseFolder));
        var examples = new List<TrainingExample>();
        var provenance = new List<SnapshotProvenance>();
        foreach (var reference in spec.Snapshots)
        {
            var manifest = await GrainFactory.GetGrain<IDatanetGrain>(reference.DatanetId).GetSnapshot(reference.Snapshot);
            provenance.Add(new SnapshotProvenance(reference.DatanetId, reference.Snapshot, manifest.Info.Root, manifest.Members.Count));
            foreach (var member in manifest.Members)
            {
                var payload = await artifacts.GetAsync(StorageNames.PayloadsContainer, member.PayloadHash[2..], stop);
                examples.AddRange(RecordExamples.FromPayload(payload.ToArray(), tokenizer, reference.DatanetId, reference.Snapshot, member.ContributionId, member.Contributor));
            }
        }
        // Each example's link to its contribution and contributor, in training order: what attribution maps back through.
        var lines = new StringBuilder();
        for (var i = 0; i < examples.Count; i++)
        {
            var s = examples[i].Source;
            lines.Append(JsonSerializer.Serialize(new { index = i, datanet = s.DatanetId, snapshot = s.Snapshot, contribution = s.ContributionId, contributor = s.Contributor, record = s.RecordIndex, tokens = examples[i].Tokens.Count }))
                .Append('\n');
        }
        var uri = await artifacts.PutAsync(StorageNames.TrainingContainer, $"{JobId}/examples.jsonl", BinaryData.FromString(lines.ToString()), stop);
        return (examples, provenance, uri.ToString());
    }

    private async Task<string> ValidateAsync(TrainingJobSpec spec)
    {
        ModelNames.Check("model", spec.ModelId);
        var owner = EthereumAddress.TryNormalize(spec.Owner)
            ?? throw new InvalidTrainingJobException("owner", $"'{spec.Owner}' is not an Ethereum address (0x and 40 hex digits).");
        var signer = PersonalSignature.RecoverSigner(SignedDigests.Training(JobId, spec.CanonicalText()), spec.Signature);
        if (signer != owner)
        {
            throw new InvalidSignatureException(owner, signer, "training request");
        }
        var (lora, hyper) = TrainingRun.EngineSettings(spec.Settings);
        try
        {
            lora.Validate();
            hyper.Validate();
        }
        catch (ArgumentException ex)
        {
            throw new InvalidTrainingJobException("settings", ex.Message);
        }
        if (spec.Settings.ValidationFraction is <= 0 or > 0.5)
        {
            throw new InvalidTrainingJobException("settings", $"validation fraction {spec.Settings.ValidationFraction} must be in (0, 0.5].");
        }
        if (spec.Snapshots.Count == 0)
        {
            throw new InvalidTrainingJobException("snapshots", "name at least one Datanet snapshot (DATANET@N).");
        }
        await GrainFactory.GetGrain<IBaseModelGrain>(spec.BaseModel).GetInfo();
        long records = 0;
        foreach (var reference in spec.Snapshots)
        {
            records += (await GrainFactory.GetGrain<IDatanetGrain>(reference.DatanetId).GetSnapshot(reference.Snapshot)).Info.Records;
        }
        if (records < 2)
        {
            throw new InvalidTrainingJobException("snapshots", $"the snapshots hold {records} record(s); training needs at least two (one is held out for validation).");
        }
        return owner;
    }

    private void OnStep(TrainingProgress progress)
    {
        GridMetrics.TrainingSteps.Add(1);
        GridMetrics.TrainingTokens.Add(progress.Tokens);
        lock (_liveLock)
        {
            _live = progress;
            _liveCurve.Add(new LossPoint(progress.Step, progress.Loss));
        }
    }

    private void AbsorbLiveProgress()
    {
        lock (_liveLock)
        {
            if (_live is { } live)
            {
                state.State.Step = live.Step;
                state.State.Epoch = live.Epoch;
                state.State.Loss = live.Loss;
                state.State.TokensPerSecond = live.TokensPerSecond;
            }
            state.State.LossCurve.AddRange(_liveCurve);
            _liveCurve.Clear();
            if (state.State.LossCurve.Count > CurvePoints)
            {
                state.State.LossCurve.RemoveRange(0, state.State.LossCurve.Count - CurvePoints);
            }
        }
    }

    private TrainingJobStatus Status()
    {
        var s = state.State;
        TrainingProgress? live;
        List<LossPoint> curve;
        lock (_liveLock)
        {
            live = _live is { } l && l.Step > s.Step ? l : null;
            curve = s.LossCurve.Concat(_liveCurve).TakeLast(CurvePoints).ToList();
        }
        return new TrainingJobStatus(JobId, s.Spec!, s.State,
            live?.Step ?? s.Step, s.TotalSteps, live?.Epoch ?? s.Epoch, live?.Loss ?? s.Loss, live?.TokensPerSecond ?? s.TokensPerSecond,
            s.CheckpointStep, s.Resumes, s.BaseValidationLoss, s.ValidationLoss, curve, s.Error, s.StartedAt, s.UpdatedAt,
            s.TrainingExamples, s.ValidationExamples, s.Device);
    }

    private async Task SaveAsync()
    {
        if (IsFinal(state.State.State))
        {
            GridMetrics.TrainingJobs.Add(1, new KeyValuePair<string, object?>("state", state.State.State.ToString().ToLowerInvariant()));
        }
        state.State.UpdatedAt = clock.GetUtcNow();
        await state.WriteStateAsync();
    }

    private async Task StopReminderAsync()
    {
        try
        {
            if (await this.GetReminder(ResumeReminder) is { } reminder)
            {
                await this.UnregisterReminder(reminder);
            }
        }
        catch (Exception ex) when (ex is not OpenLedgerException)
        {
            LogNoReminders(logger, JobId, ex.Message);
        }
    }

    private static bool IsFinal(TrainingState s) => s is TrainingState.Completed or TrainingState.Cancelled or TrainingState.Failed;

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Training job {JobId} resumed from its checkpoint at step {Step}")]
    private static partial void LogResumed(ILogger logger, string jobId, long step);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Training job {JobId} published: validation loss {BaseLoss:F3} -> {Loss:F3}")]
    private static partial void LogCompleted(ILogger logger, string jobId, double baseLoss, double loss);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Error, Message = "Training job {JobId} failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, string jobId);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "Training job {JobId} has no reminder service ({Reason}); it resumes only when called after a restart")]
    private static partial void LogNoReminders(ILogger logger, string jobId, string reason);
}
