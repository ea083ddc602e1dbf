using System.Diagnostics;
using System.Globalization;
using OpenLedger.Model.Checkpoints;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace OpenLedger.Model.Training;

/// <summary>
/// Next-token training of a chosen set of parameters (LoRA factors for fine-tuning, every weight for pretraining).
/// Everything random derives from the seed and the step number (example order per epoch, dropout masks per step),
/// so a run restored from a checkpoint continues exactly as an uninterrupted one would.
/// </summary>
public sealed class LanguageModelTrainer : IDisposable
{
    private readonly LlamaModel _model;
    private readonly IReadOnlyList<(string Name, Parameter Parameter)> _trainable;
    private readonly IReadOnlyList<TrainingExample> _train;
    private readonly IReadOnlyList<TrainingExample> _validation;
    private readonly TrainingHyperparameters _hyper;
    private readonly Generator? _dropoutGenerator;
    private readonly AdamW _optimizer;
    private readonly int _stepsPerEpoch;
    private (int Epoch, int[] Order)? _order;

    /// <summary>
    /// Prepares training of <paramref name="trainable"/> (parameters of <paramref name="model"/>) on
    /// <paramref name="train"/>; <paramref name="dropoutGenerator"/> is the generator the model's dropout draws from.
    /// </summary>
    public LanguageModelTrainer(
        LlamaModel model,
        IReadOnlyList<(string Name, Parameter Parameter)> trainable,
        IReadOnlyList<TrainingExample> train,
        IReadOnlyList<TrainingExample> validation,
        TrainingHyperparameters hyper,
        Generator? dropoutGenerator = null)
    {
        hyper.Validate();
        if (train.Count == 0)
        {
            throw new ArgumentException("There are no training examples.");
        }
        if (train.Concat(validation).FirstOrDefault(e => e.Tokens.Count < 2) is { } tooShort)
        {
            throw new ArgumentException($"Example {tooShort.Source.ContributionId} record {tooShort.Source.RecordIndex} has fewer than two tokens; nothing can be predicted from it.");
        }
        _model = model;
        _trainable = trainable;
        _train = train;
        _validation = validation;
        _hyper = hyper;
        _dropoutGenerator = dropoutGenerator;
        _optimizer = new AdamW(trainable, hyper.WeightDecay);
        _stepsPerEpoch = (train.Count + hyper.BatchSize - 1) / hyper.BatchSize;
        TotalSteps = hyper.MaxSteps > 0 ? Math.Min(hyper.MaxSteps, (long)_stepsPerEpoch * hyper.Epochs) : (long)_stepsPerEpoch * hyper.Epochs;
    }

    /// <summary>Optimizer steps in the whole run.</summary>
    public long TotalSteps { get; }

    /// <summary>Optimizer steps taken.</summary>
    public long Step => _optimizer.Steps;

    /// <summary>Whether every step has been taken.</summary>
    public bool Finished => Step >= TotalSteps;

    /// <summary>Hooks called at each checkpoint.</summary>
    public IList<ICheckpointHook> Hooks { get; } = new List<ICheckpointHook>();

    /// <summary>The training examples, in their fixed order.</summary>
    public IReadOnlyList<TrainingExample> Examples => _train;

    /// <summary>
    /// Takes up to <paramref name="maxSteps"/> steps, reporting each; stops early (between steps) when
    /// <paramref name="cancellation"/> fires. Returns the mean loss of the steps taken.
    /// </summary>
    public double Run(long maxSteps, CancellationToken cancellation, Action<TrainingProgress>? onStep = null)
    {
        var end = maxSteps >= TotalSteps - Step ? TotalSteps : Step + maxSteps;
        double lossSum = 0;
        var taken = 0;
        _model.train();
        var device = _trainable[0].Parameter.device;
        while (Step < end && !cancellation.IsCancellationRequested)
        {
            var watch = Stopwatch.StartNew();
            var step = Step;
            var epoch = (int)(step / _stepsPerEpoch);
            var order = EpochOrder(epoch);
            var first = (int)(step % _stepsPerEpoch) * _hyper.BatchSize;
            var members = order.Skip(first).Take(_hyper.BatchSize).Select(i => _train[i].Tokens);
            var learningRate = _hyper.LearningRateAt(step, TotalSteps);

            _dropoutGenerator?.manual_seed(unchecked(_hyper.Seed * 1_000_003 + step));
            double loss;
            long tokens;
            using (var scope = NewDisposeScope())
            {
                using var batch = TokenBatch.Create(members, _hyper.SequenceLength, device);
                _optimizer.ZeroGradients();
                var logits = _model.Forward(batch.Inputs, null);
                var lossTensor = batch.Loss(logits);
                lossTensor.backward();
                _optimizer.Step(learningRate);
                loss = lossTensor.item<float>();
                tokens = batch.PredictedTokens;
            }
            lossSum += loss;
            taken++;
            onStep?.Invoke(new TrainingProgress(Step, TotalSteps, epoch, loss, learningRate,
                tokens / Math.Max(1e-9, watch.Elapsed.TotalSeconds), tokens));
        }
        _model.eval();
        return taken == 0 ? double.NaN : lossSum / taken;
    }

    /// <summary>Token-weighted mean loss over <paramref name="examples"/> (the validation set by default), without dropout.</summary>
    public double Evaluate(IReadOnlyList<TrainingExample>? examples = null) =>
        MeanLoss(_model, examples ?? _validation, _hyper.SequenceLength, _hyper.BatchSize);

    /// <summary>Token-weighted mean next-token loss of <paramref name="model"/> on <paramref name="examples"/>.</summary>
    public static double MeanLoss(LlamaModel model, IReadOnlyList<TrainingExample> examples, int sequenceLength, int batchSize)
    {
        if (examples.Count == 0)
        {
            return double.NaN;
        }
        model.eval();
        var device = model.BaseParameters()[0].Parameter.device;
        double total = 0;
        long tokens = 0;
        using var noGrad = no_grad();
        foreach (var chunk in examples.Chunk(Math.Max(1, batchSize)))
        {
            using var scope = NewDisposeScope();
            using var batch = TokenBatch.Create(chunk.Select(e => e.Tokens), sequenceLength, device);
            var logits = model.Forward(batch.Inputs, null);
            total += batch.Loss(logits).item<float>() * (double)batch.PredictedTokens;
            tokens += batch.PredictedTokens;
        }
        return total / tokens;
    }

    /// <summary>
    /// Calls the hooks, then serialises the trainable weights, optimizer moments and step as safetensors bytes.
    /// </summary>
    public byte[] Checkpoint()
    {
        var context = new CheckpointContext(_model, _trainable, _train, Step, _hyper.LearningRateAt(Math.Max(0, Step - 1), TotalSteps), _hyper.SequenceLength, TotalSteps);
        foreach (var hook in Hooks)
        {
            hook.OnCheckpoint(context);
        }
        using var stream = new MemoryStream();
        var tensors = _trainable.Select(t => new KeyValuePair<string, Tensor>(t.Name, t.Parameter)).Concat(_optimizer.State());
        SafetensorsFile.Write(stream, tensors, new Dictionary<string, string>
        {
            ["step"] = Step.ToString(CultureInfo.InvariantCulture),
            ["total_steps"] = TotalSteps.ToString(CultureInfo.InvariantCulture),
            ["seed"] = _hyper.Seed.ToString(CultureInfo.InvariantCulture),
        });
        return stream.ToArray();
    }

    /// <summary>Restores a checkpoint written by <see cref="Checkpoint"/> for the same run.</summary>
    public void Restore(byte[] checkpoint)
    {
        var file = SafetensorsFile.Parse(checkpoint, "training checkpoint");
        if (!file.Metadata.TryGetValue("step", out var stepText) || !long.TryParse(stepText, CultureInfo.InvariantCulture, out var step)
            || file.Metadata.GetValueOrDefault("seed") != _hyper.Seed.ToString(CultureInfo.InvariantCulture)
            || file.Metadata.GetValueOrDefault("total_steps") != TotalSteps.ToString(CultureInfo.InvariantCulture))
        {
            throw new CheckpointException("training checkpoint", "was written by a run with a different seed, data or schedule",
                "Resume only the job that wrote it, or start the job afresh.");
        }
        foreach (var (name, parameter) in _trainable)
        {
            if (!file.Contains(name) || !file.Shape(name).SequenceEqual(parameter.shape))
            {
                throw new CheckpointException("training checkpoint", $"tensor '{name}' is missing or has another shape", "Start the job afresh.");
            }
        }
        using (no_grad())
        {
            foreach (var (name, parameter) in _trainable)
            {
                using var stored = file.Load(name);
                parameter.copy_(stored);
            }
        }
        _optimizer.Restore(file.Load, step);
    }

    // Example order for an epoch: a Fisher-Yates shuffle seeded by (seed, epoch), so any step's batch is known
    // without replaying earlier steps.
    // The order is kept for the epoch in progress rather than reshuffled at every step.
    private int[] EpochOrder(int epoch)
    {
        if (_order is { } cached && cached.Epoch == epoch)
        {
            return cached.Order;
        }
        var order = Enumerable.Range(0, _train.Count).ToArray();
        var random = new Random(unchecked((int)(_hyper.Seed * 7919 + epoch * 104729)));
        for (var i = order.Length - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        _order = (epoch, order);
        return order;
    }

    /// <inheritdoc />
    public void Dispose() => _optimizer.Dispose();
}
